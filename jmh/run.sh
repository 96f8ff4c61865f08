#!/usr/bin/env bash
# Builds xent and its JMH benchmarks, runs a suite, prints a comparison table and draws a chart.
#
#   jmh/run.sh              quick suite (< 10 min on 2 cores): in-cache size (256K logits), C in
#                           {2,10,100,1000,32000,128000} with the class axis last, plus channels first at C = 10;
#                           1 fork, 1 x 1.5 s warm-up, 3 x 400 ms measurement (the vector code needs ~1 s
#                           to reach C2: shorter warm-ups measure interpreted/C1 code that allocates)
#   jmh/run.sh --full       every loss and variant at every C in cache (256K) with the class axis last and first,
#                           and out of cache (16M) for C >= 100 with the class axis last; 1 fork, 1 x 1.5 s
#                           warm-up, 3 x 500 ms (about 25 minutes on 2 cores; BENCHMARKS.md is such a run)
#   jmh/run.sh --smoke      CI smoke: one 100 ms iteration of one benchmark per loss and the floor at the smallest
#                           parameters; exits non-zero if anything fails; no timing checks
#   options:  --tf          add the TensorFlow Java 1.1.0 peer (Maven profile -Ptensorflow; downloads ~160 MB once)
#             --jdk PATH    run the benchmarks on the JDK at PATH (default: the java on PATH / JAVA_HOME);
#                           the build uses Maven's JDK
#             --gc          add -prof gc (allocation per call, B/op)
#             --no-build    reuse jmh/target/benchmarks.jar
#             -- ARGS       pass ARGS on to JMH (e.g. -- -p classes=1000)
# Output: jmh/results/<suite>-jdk<N>[-tf][-gc]-<date>.json, the same name with .md (table) and .png (chart).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
suite=quick
tf=0
gc=0
build=1
jdk=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --full) suite=full ;;
    --smoke) suite=smoke ;;
    --quick) suite=quick ;;
    --tf) tf=1 ;;
    --gc) gc=1 ;;
    --no-build) build=0 ;;
    --jdk) jdk="$2"; shift ;;
    --jdk=*) jdk="${1#--jdk=}" ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ -n "$jdk" ]; then
  java="$jdk/bin/java"
elif [ -n "${JAVA_HOME:-}" ]; then
  java="$JAVA_HOME/bin/java"
else
  java=java
fi
"$java" -version >/dev/null 2>&1 || { echo "run.sh: cannot run $java" >&2; exit 2; }
feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')

jar="$here/target/benchmarks.jar"
if [ "$build" = 1 ]; then
  echo "== building xent (mvn install -DskipTests) and the benchmarks"
  (cd "$root" && mvn -B -q install -DskipTests)
  profile=()
  [ "$tf" = 1 ] && profile=(-Ptensorflow)
  (cd "$here" && mvn -B -q clean package "${profile[@]}")
fi
[ -f "$jar" ] || { echo "run.sh: $jar is missing (run without --no-build)" >&2; exit 2; }
if ! unzip -l "$jar" 2>/dev/null | grep 'dev/xent/internal/naive/NaiveVectorKernels.class' >/dev/null; then
  echo "run.sh: $jar has no dev.xent.internal.naive kernels: the installed dev.xent:xent snapshot is not this tree's" >&2
  exit 2
fi

# A command-line -jvmArgsAppend replaces the annotations', so the module goes here again.
jvm="--add-modules jdk.incubator.vector"
if [ "$tf" = 1 ] && [ "$feature" -ge 24 ]; then
  jvm="$jvm --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}

losses='Softmax|SparseSoftmax|Sigmoid|Binary|Categorical'
mkdir -p "$here/results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
name="$suite-jdk$feature"
[ "$tf" = 1 ] && name="$name-tf"
[ "$gc" = 1 ] && name="$name-gc"
name="$name-$stamp"
prof=()
[ "$gc" = 1 ] && prof=(-prof gc)

run_jmh() { # out.json regex args...
  local out="$1" regex="$2"; shift 2
  echo "== java -jar benchmarks.jar $regex $* (results: ${out#$root/})"
  "$java" -jar "$jar" "$regex" -foe true -rf json -rff "$out" -jvmArgsAppend "$jvm" "${prof[@]}" "$@" "${extra[@]}"
}

outs=()
case "$suite" in
  smoke)
    regex="^dev\\.xent\\.jmh\\.(($losses)\\.vector|Floor\\.expSum)\$"
    expect=6
    if [ "$tf" = 1 ]; then regex="^dev\\.xent\\.jmh\\.(($losses)\\.vector|Floor\\.expSum|tf\\.TensorFlow\\.sigmoid)\$"; expect=7; fi
    out="$here/target/$name.json"
    run_jmh "$out" "$regex" -f 1 -wi 0 -i 1 -r 100ms -p classes=2 -p size=256K -p layout=last
    java_report=("$java" -cp "$jar" -Djava.awt.headless=true dev.xent.jmh.Report --expect "$expect" "$out")
    "${java_report[@]}"
    echo "smoke: ok"
    exit 0
    ;;
  quick)
    regex="^dev\\.xent\\.jmh\\.(($losses)\\.|Floor\\.|tf\\.TensorFlow\\.)"
    [ "$tf" = 1 ] || regex="^dev\\.xent\\.jmh\\.(($losses)\\.|Floor\\.)"
    opts=(-f 1 -wi 1 -w 1500ms -i 3 -r 400ms -p size=256K)
    outs+=("$here/results/$name.json")
    run_jmh "${outs[0]}" "$regex" "${opts[@]}" -p layout=last -p classes=2,10,100,1000,32000,128000
    # the channels-first row (TensorFlow's softmax ops cannot take the class axis first)
    outs+=("$here/results/$name-first.json")
    run_jmh "${outs[1]}" "^dev\\.xent\\.jmh\\.(($losses)\\.|Floor\\.)" "${opts[@]}" -p layout=first -p classes=10
    ;;
  full)
    # every loss and variant at every C: in cache (256K) with the class axis last and first, and out of cache (16M)
    # for C >= 100, class axis last; 1 fork, 1 x 1.5 s warm-up, 3 x 500 ms (about 25 minutes on 2 cores)
    regex="^dev\\.xent\\.jmh\\.(($losses)\\.|Floor\\.|tf\\.TensorFlow\\.)"
    [ "$tf" = 1 ] || regex="^dev\\.xent\\.jmh\\.(($losses)\\.|Floor\\.)"
    opts=(-f 1 -wi 1 -w 1500ms -i 3 -r 500ms)
    outs+=("$here/results/$name.json")
    run_jmh "${outs[0]}" "$regex" "${opts[@]}" -p size=256K -p layout=last -p classes=2,10,100,1000,32000,128000
    outs+=("$here/results/$name-first.json")
    run_jmh "${outs[1]}" "^dev\\.xent\\.jmh\\.(($losses)\\.|Floor\\.)" "${opts[@]}" -p size=256K -p layout=first -p classes=2,10,100,1000,32000,128000
    outs+=("$here/results/$name-16M.json")
    run_jmh "${outs[2]}" "$regex" "${opts[@]}" -p size=16M -p layout=last -p classes=100,1000,32000,128000
    ;;
esac

echo "== report"
"$java" -cp "$jar" -Djava.awt.headless=true dev.xent.jmh.Report --md "$here/results/$name.md" \
  --png "$here/results/$name.png" "${outs[@]}"
