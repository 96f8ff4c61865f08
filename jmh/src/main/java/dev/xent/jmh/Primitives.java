package dev.xent.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
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
 * and reading [N, 2] rows as two class vectors by gathers or by lane shuffles, and an exp by a table of 16 entries
 * (evaluated, not kept: BENCHMARKS, twelfth round). Not part of the suites:
 * {@code java -jar jmh/target/benchmarks.jar Primitives -prof gc}; the table exp's accuracy:
 * {@code java --add-modules jdk.incubator.vector -cp jmh/target/benchmarks.jar dev.xent.jmh.Primitives}.
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

    // exp by a table: x = (16k + j)·ln2/16 + r, |r| ≤ ln2/32, exp(x) = 2^k · 2^(j/16) · (1 + r + r²/2 + r³/6); the 16
    // entries 2^(j/16) in one 512-bit vector, looked up by a lane permute (IntVector.selectFrom), 2^k added to their
    // exponent bits; three FMAs for the polynomial instead of six
    static final VectorSpecies<Float> S16 = FloatVector.SPECIES_512;
    static final VectorSpecies<Integer> I16 = IntVector.SPECIES_512;
    /** {@code fma(v, 16·log2 e, TABLE_SHIFTER)} leaves {@code n + 16·127}, n = round(16·v·log2 e), in its low bits. */
    static final float TABLE_SHIFTER = 0x1.8p23f + 16 * 127;
    static final float LOG2E_16 = 16 * 1.44269504088896341f;
    static final float LN2_16_HI = Float.intBitsToFloat(Float.floatToIntBits((float) (Math.log(2) / 16)) & 0xFFFFF000);
    static final float LN2_16_LO = (float) (Math.log(2) / 16 - LN2_16_HI);
    /**
     * The bits of 2^(j/16), less the exponent bias and the bits j leaves at 19–22 once the low bits of the shifted sum
     * (16(k + 127) + j) move up by 19: adding {@code bits << 19} then gives the bits of 2^(j/16)·2^k.
     */
    static final int[] EXP_TABLE = new int[16];

    static {
        for (int j = 0; j < 16; j++) {
            EXP_TABLE[j] = Float.floatToIntBits((float) Math.pow(2, j / 16.0)) - (127 << 23) - (j << 19);
        }
    }

    /** {@code exp(v)} by the table, for {@code v ≤ 88} (0 below −87.3, NaN for NaN); within 1.07 ulp (main). */
    static FloatVector expTable(FloatVector v, IntVector table) {
        FloatVector t = v.lanewise(VectorOperators.FMA, LOG2E_16, TABLE_SHIFTER);
        FloatVector n = t.sub(TABLE_SHIFTER);
        FloatVector r = n.lanewise(VectorOperators.FMA, -LN2_16_LO, n.lanewise(VectorOperators.FMA, -LN2_16_HI, v));
        FloatVector q = r.lanewise(VectorOperators.FMA, 1f / 6, 0.5f).lanewise(VectorOperators.FMA, r, 1f).mul(r);
        IntVector bits = t.reinterpretAsInts();
        FloatVector e = bits.and(15).selectFrom(table).add(bits.lanewise(VectorOperators.LSHL, 19)).reinterpretAsFloats();
        // e·(1 + q) in one rounding
        return q.lanewise(VectorOperators.FMA, e, e).blend(0f, v.compare(VectorOperators.LT, -87.3f));
    }

    /** {@link #expFma}'s sum with the table exp (512-bit vectors: the 16 entries fill one). */
    @Benchmark
    public float expTable() {
        IntVector table = IntVector.fromArray(I16, EXP_TABLE, 0);
        FloatVector vm = FloatVector.broadcast(S16, max);
        FloatVector s0 = FloatVector.zero(S16);
        FloatVector s1 = s0;
        for (int i = 0; i < x.length; i += 32) {
            s0 = s0.add(expTable(FloatVector.fromArray(S16, x, i).sub(vm), table));
            s1 = s1.add(expTable(FloatVector.fromArray(S16, x, i + 16).sub(vm), table));
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    /** The table exp's largest error in ulps of the float result against {@link Math#exp}, every float in [−87.3, 88]. */
    public static void main(String[] args) {
        IntVector table = IntVector.fromArray(I16, EXP_TABLE, 0);
        float[] in = new float[16];
        float[] out = new float[16];
        double worst = 0;
        float at = 0;
        int k = 0;
        for (float v = -87.3f; v <= 88f; v = Math.nextUp(v)) {
            in[k++] = v;
            if (k == 16) {
                expTable(FloatVector.fromArray(S16, in, 0), table).intoArray(out, 0);
                for (int j = 0; j < 16; j++) {
                    double want = Math.exp(in[j]);
                    double err = Math.abs(out[j] - want) / Math.ulp((float) want);
                    if (err > worst) {
                        worst = err;
                        at = in[j];
                    }
                }
                k = 0;
            }
        }
        System.out.println("table exp: at most " + worst + " ulp (at " + at + ") on [-87.3, 88]");
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
