package dev.xent.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor: one bare vector pass over the same logits computing {@code Σ exp(x)} ({@code lanewise(EXP)},
 * four accumulators) and nothing else. A loss kernel's time over this time says how close it is to the
 * exp-throughput limit. Same species as the vector backend ({@code FloatVector.SPECIES_PREFERRED}, or
 * {@code -Dxent.vector.bits}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Floor {

    static final VectorSpecies<Float> S = species();
    static final int L = S.length();

    private static VectorSpecies<Float> species() {
        String bits = System.getProperty("xent.vector.bits");
        return bits == null ? FloatVector.SPECIES_PREFERRED
                : VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(bits.trim())));
    }

    @Param({"2", "10", "100", "1000", "32000", "128000"})
    public int classes;

    @Param({"256K", "16M"})
    public String size;

    @Param({"last", "first"})
    public String layout;

    float[] x;
    float max;

    @Setup
    public void setup() {
        SplittableRandom rnd = Data.random(classes, size, layout);
        x = Data.logits(rnd, Shapes.logits(layout, classes, size));
        max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
    }

    @Benchmark
    public float expSum() {
        float[] a = x;
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        int i = 0;
        for (int bound = a.length - 4 * L; i <= bound; i += 4 * L) {
            s0 = s0.add(FloatVector.fromArray(S, a, i).lanewise(VectorOperators.EXP));
            s1 = s1.add(FloatVector.fromArray(S, a, i + L).lanewise(VectorOperators.EXP));
            s2 = s2.add(FloatVector.fromArray(S, a, i + 2 * L).lanewise(VectorOperators.EXP));
            s3 = s3.add(FloatVector.fromArray(S, a, i + 3 * L).lanewise(VectorOperators.EXP));
        }
        for (int bound = S.loopBound(a.length); i < bound; i += L) {
            s0 = s0.add(FloatVector.fromArray(S, a, i).lanewise(VectorOperators.EXP));
        }
        float s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < a.length; i++) {
            s += (float) Math.exp(a[i]);
        }
        return s;
    }

    /**
     * The floor with the library's own exp ({@code VectorMath.expNonPositive} of the vector backend, written out here
     * because that class is internal): the same pass over {@code x − max(x)} as the kernels see it, the hand-written
     * exp instead of {@code lanewise(EXP)}. Kernels that use it can come within this floor, not just the EXP one.
     */
    @Benchmark
    public float expSumFma() {
        float[] a = x;
        FloatVector vm = FloatVector.broadcast(S, max);
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int i = 0;
        for (int bound = a.length - 2 * L; i <= bound; i += 2 * L) {
            s0 = s0.add(exp(FloatVector.fromArray(S, a, i).sub(vm)));
            s1 = s1.add(exp(FloatVector.fromArray(S, a, i + L).sub(vm)));
        }
        float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < a.length; i++) {
            s += (float) Math.exp(a[i] - max);
        }
        return s;
    }

    /** exp(v) for v ≤ 0 as in VectorMath.expNonPositive (same constants, 1.05 ulp); small enough for C2 to inline here. */
    static FloatVector exp(FloatVector v) {
        FloatVector t = v.lanewise(VectorOperators.FMA, 1.44269504088896341f, 0x1.8p23f);
        FloatVector n = t.sub(0x1.8p23f);
        FloatVector r = n.lanewise(VectorOperators.FMA, 2.12194440e-4f, n.lanewise(VectorOperators.FMA, -0.693359375f, v));
        FloatVector q = r.lanewise(VectorOperators.FMA, 0.0013843653723597527f, 0.00837415549904108f)
                .lanewise(VectorOperators.FMA, r, 0.04166800156235695f).lanewise(VectorOperators.FMA, r, 0.16666431725025177f)
                .lanewise(VectorOperators.FMA, r, 0.4999999403953552f).lanewise(VectorOperators.FMA, r, 1f);
        return q.lanewise(VectorOperators.FMA, r, 1f).reinterpretAsInts()
                .add(t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats()
                .blend(0f, v.compare(VectorOperators.LT, -87.3f));
    }
}
