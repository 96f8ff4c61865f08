package dev.xent;

import static org.junit.jupiter.api.Assertions.fail;

import dev.xent.FuzzCases.Case;
import dev.xent.FuzzCases.Inputs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * Differential property tests (jqwik): random layouts and data regimes (see {@link FuzzCases}), every op on every
 * backend against the float64 reference; nothing written outside the losses layout; inputs unchanged; and
 * {@link ParallelCrossEntropy} at 1–4 threads against the single-threaded op: bit-identical on the scalar backend
 * (where the class-split sparse path applies, bit-identical across thread counts and within the bar), within the
 * accuracy bar on the vector backend (its Javadoc promises the same bits only between compiled kernels).
 *
 * <p>Tries per property: {@code -Dxent.fuzz.tries} (default in pom.xml). A long run:
 * {@code mvn -B test -Dtest='DifferentialFuzzTest,NpyFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false -Dxent.fuzz.tries=100000}.
 * Tagged {@code backend}, so the vector backend is fuzzed at every species width.
 */
@Tag("backend")
class DifferentialFuzzTest {

    private static final ExecutorService POOL = Executors.newFixedThreadPool(3, r -> {
        Thread t = new Thread(r, "fuzz-pool");
        t.setDaemon(true);
        return t;
    });

    @Provide
    Arbitrary<Case> cases() {
        return FuzzCases.cases();
    }

    @Property
    void everyOpOnEveryBackendMatchesTheReference(@ForAll("cases") Case k) {
        Inputs in = new Inputs(k);
        double[][] ref = FuzzCases.reference(in);
        for (CrossEntropy ce : TestSupport.backends()) {
            String ctx = TestSupport.name(ce) + " " + k;
            FuzzCases.check(ce, in, ref, FuzzCases.run(FuzzCases.ops(ce), in, ctx), ctx);
        }
    }

    @Property
    void parallelOpsAgreeWithTheSingleThreadedOps(@ForAll("cases") Case k) {
        Inputs in = new Inputs(k);
        double[][] ref = FuzzCases.reference(in);
        for (CrossEntropy ce : TestSupport.backends()) {
            String name = TestSupport.name(ce) + " " + k;
            float[][] single = FuzzCases.run(FuzzCases.ops(ce), in, name);
            List<float[][]> split = new ArrayList<>();
            for (int threads = 1; threads <= 4; threads++) {
                // minElements 1, not 0: an empty batch with an inner axis divides by zero at 0 (open bug L, KnownBugsTest)
                ParallelCrossEntropy pce = ce.parallel(POOL, threads).withMinElements(1);
                String ctx = name + " parallel(" + threads + ")";
                float[][] out = FuzzCases.run(FuzzCases.ops(pce), in, ctx);
                FuzzCases.check(ce, in, ref, out, ctx);
                if (ce.backend() == Backend.SCALAR) {
                    for (int c = 0; c < out.length; c++) {
                        if (c == 1 && classSplit(in, threads)) {
                            continue;  // compared across thread counts below
                        }
                        sameBits(single[c], out[c], ctx + " " + FuzzCases.CALLS[c] + " vs single-threaded");
                    }
                }
                split.add(out);
            }
            if (ce.backend() == Backend.SCALAR) {
                // the class split's chunks do not depend on the thread count: the same bits at 2, 3 and 4 threads
                for (int threads = 3; threads <= 4; threads++) {
                    if (classSplit(in, threads) && classSplit(in, 2)) {
                        sameBits(split.get(1)[1], split.get(threads - 1)[1], name + " class split, 2 vs " + threads + " threads");
                    }
                }
            }
        }
    }

    @Property
    void halfFloatLogitsMatchTheReferenceOfTheWidenedValues(@ForAll("cases") Case k) {
        Inputs in = new Inputs(k);
        for (HalfFloat format : HalfFloat.values()) {
            short[] h = new short[in.x.length];
            float[] widened = new float[in.x.length];
            for (int i = 0; i < h.length; i++) {
                h[i] = format.fromFloat(in.x[i]);   // the NaN gaps stay NaN
                widened[i] = format.toFloat(h[i]);
            }
            double[] ref = dev.xent.internal.reference.ReferenceKernels.sparseSoftmaxCrossEntropy(widened, in.xl, in.y, in.yl);
            short[] h0 = h.clone();
            for (CrossEntropy ce : TestSupport.backends()) {
                String ctx = TestSupport.name(ce) + " " + format + " " + k;
                float[] out = TestSupport.sentinelArray(in.ol, 5);
                ce.sparseSoftmaxCrossEntropyWithLogits(h, format, in.xl, in.y, in.yl, out, in.ol);
                TestSupport.assertRows(ref, out, in.ol, ctx);
                TestSupport.assertOutsideUntouched(out, in.ol, ctx);
                org.junit.jupiter.api.Assertions.assertArrayEquals(h0, h, ctx + " logits changed");
            }
        }
    }

    record Opts(float[] classWeights, float labelSmoothing, boolean ignore, float zLoss, float softcap) {
        LossOptions build() {
            LossOptions.Builder b = LossOptions.pytorch().reduction(Reduction.SUM).labelSmoothing(labelSmoothing)
                    .zLoss(zLoss).softcap(softcap);
            if (classWeights != null) {
                b.classWeights(classWeights);
            }
            return (ignore ? b : b.noIgnoreIndex()).build();
        }

        @Override
        public String toString() {
            return "Opts[classWeights=" + (classWeights == null ? "none" : classWeights.length + " weights") + ", ls="
                    + labelSmoothing + ", ignore=" + ignore + ", zLoss=" + zLoss + ", softcap=" + softcap + "]";
        }
    }

    @Provide
    Arbitrary<Opts> options() {
        return net.jqwik.api.Combinators.combine(net.jqwik.api.Arbitraries.of(false, true),
                net.jqwik.api.Arbitraries.of(0f, 0.1f, 1f), net.jqwik.api.Arbitraries.of(false, true),
                net.jqwik.api.Arbitraries.of(0f, 1e-4f), net.jqwik.api.Arbitraries.of(0f, 30f))
                .as((w, ls, ig, zl, cap) -> new Opts(w ? new float[0] : null, ls, ig, zl, cap));
    }

    /**
     * The options of the softmax losses from logits (class weights, label smoothing, ignore index, z-loss, soft-cap) on
     * random layouts, against the float64 {@code ReferenceOptions}: losses per row and the gradient (reduction SUM, so
     * the gradient is the sum of the rows' own), ignored rows 0, sentinels, inputs. SMALL and E4 logits, labels in [0, 1].
     */
    @Property
    void softmaxLossesWithOptionsMatchTheReference(@ForAll("cases") Case k0, @ForAll("options") Opts o0) {
        FuzzCases.Regime regime = k0.data().regime() == FuzzCases.Regime.E4 ? FuzzCases.Regime.E4 : FuzzCases.Regime.SMALL;
        Case k = new Case(k0.n(), k0.c(), k0.inner(), k0.x(), k0.t(), k0.e(), k0.y(), k0.o(),
                new FuzzCases.Data(regime, FuzzCases.Labels.SOFT, 1e-7f, k0.data().seed()));
        Inputs in = new Inputs(k);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(k.data().seed() ^ 0x5eed);
        float[] cw = null;
        if (o0.classWeights() != null) {
            cw = new float[k.c()];
            for (int c = 0; c < cw.length; c++) {
                cw[c] = rnd.nextInt(5) == 0 ? 0f : 3 * rnd.nextFloat();
            }
        }
        Opts o = new Opts(cw, o0.labelSmoothing(), o0.ignore(), o0.zLoss(), o0.softcap());
        int[] y = in.y.clone();
        if (o.ignore()) {
            for (int r = 0; r < in.yl.rows(); r++) {
                if (rnd.nextInt(8) == 0) {
                    y[in.yl.rowIndex(r)] = LossOptions.PYTORCH_IGNORE_INDEX;
                }
            }
        }
        LossOptions options = o.build();
        int size = (int) in.xl.size();
        for (boolean sparse : new boolean[] {true, false}) {
            double[] grad = new double[size];
            double[] ref = sparse
                    ? dev.xent.internal.reference.ReferenceOptions.softmax(in.x, in.xl, null, null, y, in.yl, options.params(), grad, null)
                    : dev.xent.internal.reference.ReferenceOptions.softmax(in.x, in.xl, in.t, in.tl, null, null, options.params(), grad, null);
            for (CrossEntropy ce : TestSupport.backends()) {
                String ctx = TestSupport.name(ce) + (sparse ? " sparse " : " dense ") + o + " " + k;
                float[] out = TestSupport.sentinelArray(in.ol, 5);
                Layout gl = in.el;   // the elementwise placement, as the gradient's own layout
                float[] g = TestSupport.sentinelArray(gl, 5);
                float[] x0 = in.x.clone();
                LossOutputs outputs = LossOutputs.losses(out, in.ol).withGradient(g, gl);
                if (sparse) {
                    ce.sparseSoftmaxCrossEntropyWithLogits(in.x, in.xl, y, in.yl, null, null, options, outputs);
                } else {
                    ce.softmaxCrossEntropyWithLogits(in.x, in.xl, in.t, in.tl, null, null, options, outputs);
                }
                TestSupport.assertRows(ref, out, in.ol, ctx + " losses");
                TestSupport.assertOutsideUntouched(out, in.ol, ctx + " losses");
                TestSupport.assertElements(grad, g, gl, ctx + " gradient");
                TestSupport.assertOutsideUntouched(g, gl, ctx + " gradient");
                TestSupport.assertSameBits(x0, in.x, ctx + " logits");
            }
        }
    }

    /** Whether {@link ParallelCrossEntropy} splits the class range of the sparse op (see its Javadoc). */
    static boolean classSplit(Inputs in, int threads) {
        return threads > 1 && in.xl.classStride() == 1 && in.xl.rows() < 2 * threads
                && in.xl.classes() >= 2 * ParallelCrossEntropy.CLASS_CHUNK;
    }

    /** The same bits, except that any NaN matches any NaN (the sign and payload of a NaN are not promised). */
    static void sameBits(float[] want, float[] got, String ctx) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                fail(ctx + ": element " + i + " is " + got[i] + ", expected the bits of " + want[i]);
            }
        }
    }

    // ---- shrunk failing cases, kept ----------------------------------------------------------------------------

    /** Bug O, as jqwik shrank it (see {@link KnownBugs#vectorSoftmaxMixedSignDrifts}). */
    static final Case BUG_O = new Case(5, 2, 35,
            new FuzzCases.Place(FuzzCases.Axis.FIRST, 0, 0, 0), new FuzzCases.Place(FuzzCases.Axis.LAST, 0, 0, 0),
            new FuzzCases.Place(FuzzCases.Axis.LAST, 0, 0, 0), new FuzzCases.Place(FuzzCases.Axis.LAST, 0, 0, 0),
            new FuzzCases.Place(FuzzCases.Axis.LAST, 0, 0, 0),
            new FuzzCases.Data(FuzzCases.Regime.SMALL, FuzzCases.Labels.NEGATIVE, 1e-7f, 1L));

    @Example
    // fixed in main; was @Disabled("bug O: VectorKernels softmax CE with dense labels of both signs misses the bar: channels-first [5, 2, 35], "
    //        + "logits gaussian*3 shifted by up to 3e7, labels uniform in [-100, 100] (DifferentialFuzzTest.BUG_O, seed 1): "
    //        + "row 173 got 0.052651234, float64 reference 0.05264983002210573 (abs. error 1.4e-6 > 1.1e-6); also classes-last "
    //        + "[10, 40] with logits +-1e4 and labels +-100: -1904.6826 for -1904.740522797424. SCALAR is within the bar. "
    //        + "Likely log(Σexp) or Σt·log(Σexp) rounded to float while Σt is large and the loss small.")
    void bugOVectorSoftmaxMixedSignLabels() {
        Inputs in = new Inputs(BUG_O);
        double[][] ref = FuzzCases.reference(in);
        for (CrossEntropy ce : TestSupport.backends()) {
            float[] out = FuzzCases.run(FuzzCases.ops(ce), in, TestSupport.name(ce))[0];
            TestSupport.assertRows(ref[0], out, in.ol, TestSupport.name(ce) + " softmax " + BUG_O);
        }
    }
}
