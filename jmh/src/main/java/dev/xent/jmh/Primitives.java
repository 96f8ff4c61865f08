package dev.xent.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The building blocks the kernels were designed from, each over the same 256K floats (N(0, 3²)), so that the
 * choices in BENCHMARKS.md can be re-measured: the JDK's EXP against the hand-written FMA exp, the row-maximum
 * pass, softplus ({@code log1p(exp(−|x|))}) the old way (EXP, LOG and a division) and the new (FMA exp and log1p),
 * and reading [N, 2] rows as two class vectors by gathers or by lane shuffles. Not part of the suites:
 * {@code java -jar jmh/target/benchmarks.jar Primitives -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Primitives {

    static final VectorSpecies<Float> S = Floor.S;
    static final int L = S.length();
    static final int[] PAIR_MAP = lanes(2, 0, Integer.MAX_VALUE);
    static final VectorShuffle<Float> FIRST = VectorShuffle.fromArray(S, lanes(2, 0, L), 0);
    static final VectorShuffle<Float> SECOND = VectorShuffle.fromArray(S, lanes(2, 1, L), 0);
    static final float[] IOTA = new float[L];

    static {
        for (int j = 0; j < L; j++) {
            IOTA[j] = j;
        }
    }

    /** {@code (step·j + add) mod m} for the L lanes. */
    static int[] lanes(int step, int add, int m) {
        int[] a = new int[L];
        for (int j = 0; j < L; j++) {
            a[j] = (step * j + add) % m;
        }
        return a;
    }

    float[] x = new float[1 << 18];
    float max;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(1);
        max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextGaussian() * 3);
            max = Math.max(max, x[i]);
        }
    }

    @Benchmark
    public float expLibrary() {
        FloatVector vm = FloatVector.broadcast(S, max);
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        for (int i = 0; i < x.length; i += 2 * L) {
            s0 = s0.add(FloatVector.fromArray(S, x, i).sub(vm).lanewise(VectorOperators.EXP));
            s1 = s1.add(FloatVector.fromArray(S, x, i + L).sub(vm).lanewise(VectorOperators.EXP));
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    public float expFma() {
        FloatVector vm = FloatVector.broadcast(S, max);
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        for (int i = 0; i < x.length; i += 2 * L) {
            s0 = s0.add(Floor.exp(FloatVector.fromArray(S, x, i).sub(vm)));
            s1 = s1.add(Floor.exp(FloatVector.fromArray(S, x, i + L).sub(vm)));
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    /** The row maximum as the kernels take it: compare and blend, four accumulators. */
    @Benchmark
    public float maxPass() {
        FloatVector m0 = FloatVector.fromArray(S, x, 0);
        FloatVector m1 = m0;
        FloatVector m2 = m0;
        FloatVector m3 = m0;
        for (int i = 0; i < x.length; i += 4 * L) {
            FloatVector v0 = FloatVector.fromArray(S, x, i);
            FloatVector v1 = FloatVector.fromArray(S, x, i + L);
            FloatVector v2 = FloatVector.fromArray(S, x, i + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, x, i + 3 * L);
            m0 = m0.blend(v0, v0.compare(VectorOperators.GT, m0));
            m1 = m1.blend(v1, v1.compare(VectorOperators.GT, m1));
            m2 = m2.blend(v2, v2.compare(VectorOperators.GT, m2));
            m3 = m3.blend(v3, v3.compare(VectorOperators.GT, m3));
        }
        m0 = m0.blend(m1, m1.compare(VectorOperators.GT, m0));
        m2 = m2.blend(m3, m3.compare(VectorOperators.GT, m2));
        return m0.blend(m2, m2.compare(VectorOperators.GT, m0)).reduceLanes(VectorOperators.MAX);
    }

    /** softplus(−|x|) as the kernels took it before: EXP, then log(w)·e/(w − 1) with LOG and a division. */
    @Benchmark
    public float softplusLibrary() {
        FloatVector s0 = FloatVector.zero(S);
        for (int i = 0; i < x.length; i += L) {
            FloatVector e = FloatVector.fromArray(S, x, i).lanewise(VectorOperators.ABS).neg().lanewise(VectorOperators.EXP);
            FloatVector w = e.add(1f);
            s0 = s0.add(w.lanewise(VectorOperators.LOG).mul(e).div(w.sub(1f)).blend(e, w.compare(VectorOperators.EQ, 1f)));
        }
        return s0.reduceLanes(VectorOperators.ADD);
    }

    /** softplus(−|x|) with the FMA exp and log1p (VectorMath's polynomials): log1p(t) = t + t²·R(t), no range reduction. */
    @Benchmark
    public float softplusFma() {
        FloatVector s0 = FloatVector.zero(S);
        for (int i = 0; i < x.length; i += L) {
            FloatVector t = Floor.exp(FloatVector.fromArray(S, x, i).lanewise(VectorOperators.ABS).neg());
            FloatVector r = t.lanewise(VectorOperators.FMA, 0.005364816635847092f, -0.030065763741731644f)
                    .lanewise(VectorOperators.FMA, t, 0.0792044922709465f).lanewise(VectorOperators.FMA, t, -0.13753798604011536f)
                    .lanewise(VectorOperators.FMA, t, 0.1915365308523178f).lanewise(VectorOperators.FMA, t, -0.24857163429260254f)
                    .lanewise(VectorOperators.FMA, t, 0.3332132399082184f).lanewise(VectorOperators.FMA, t, -0.49999648332595825f);
            s0 = s0.add(r.lanewise(VectorOperators.FMA, t.mul(t), t));
        }
        return s0.reduceLanes(VectorOperators.ADD);
    }

    /** The same with the earlier log1p: 1 + t split as 2^e·(1 + f), a degree-7 polynomial in f and a correction term. */
    @Benchmark
    public float softplusFmaRangeReduced() {
        FloatVector s0 = FloatVector.zero(S);
        for (int i = 0; i < x.length; i += L) {
            FloatVector t = Floor.exp(FloatVector.fromArray(S, x, i).lanewise(VectorOperators.ABS).neg());
            FloatVector u = t.add(1f);
            VectorMask<Float> twice = u.compare(VectorOperators.GT, 1.41421356f);
            FloatVector f = u.blend(u.mul(0.5f), twice).sub(1f);
            FloatVector f2 = f.mul(f);
            FloatVector p = f.lanewise(VectorOperators.FMA, -0.07634497433900833f, 0.127615824341774f)
                    .lanewise(VectorOperators.FMA, f, -0.13160184025764465f).lanewise(VectorOperators.FMA, f, 0.14201757311820984f)
                    .lanewise(VectorOperators.FMA, f, -0.16623356938362122f).lanewise(VectorOperators.FMA, f, 0.20001226663589478f)
                    .lanewise(VectorOperators.FMA, f, -0.2500081956386566f).lanewise(VectorOperators.FMA, f, 0.3333333134651184f);
            FloatVector l = p.mul(f).lanewise(VectorOperators.FMA, f2, f2.mul(-0.5f)).add(f)
                    .add(FloatVector.zero(S).blend(0.6931471805599453f, twice)).add(u.neg().add(2f).mul(t.sub(u.sub(1f))));
            s0 = s0.add(l);
        }
        return s0.reduceLanes(VectorOperators.ADD);
    }

    /** Class 0 and class 1 of L rows of [N, 2] by two gathers. */
    @Benchmark
    public float pairsByGather() {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        for (int i = 0; i < x.length; i += 2 * L) {
            s0 = s0.add(FloatVector.fromArray(S, x, i, PAIR_MAP, 0));
            s1 = s1.add(FloatVector.fromArray(S, x, i + 1, PAIR_MAP, 0));
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    /** The same by two plain loads, four constant single-vector shuffles and two blends (as the kernels do). */
    @Benchmark
    public float pairsByShuffle() {
        VectorMask<Float> upper = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.GE, (float) (L / 2));
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        for (int i = 0; i < x.length; i += 2 * L) {
            FloatVector lo = FloatVector.fromArray(S, x, i);
            FloatVector hi = FloatVector.fromArray(S, x, i + L);
            s0 = s0.add(lo.rearrange(FIRST).blend(hi.rearrange(FIRST), upper));
            s1 = s1.add(lo.rearrange(SECOND).blend(hi.rearrange(SECOND), upper));
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }
}
