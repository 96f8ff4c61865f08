package dev.xent;

import static dev.xent.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Strict reproducers of library bugs found by this suite. Open ones are {@code @Disabled} so the branch stays
 * green; remove the annotation once the bug is fixed (the broad tests then tighten themselves, see
 * {@link KnownBugs}). Fixed ones stay here, enabled, as regression tests.
 */
class KnownBugsTest {

    static CrossEntropy vector() {
        assumeTrue(CrossEntropy.vectorAvailable() && TestSupport.vectorClassPresent(), "no vector backend");
        return CrossEntropy.of(Backend.VECTOR);
    }

    @Test
    // fixed upstream (7403186); was @Disabled("bug A: VectorKernels.loss() forms max(x,0) − x·z in float; x = 1000, z = 0.9999 gives 0.10003662, "
    //            + "float64 reference 0.1000165939 (rel. error 2e-4 > 2e-6; x = 20, z = 0.99: 0.20000076 vs 0.19999981); use an FMA or the scalar kernel's double product")
    @Tag("backend")
    void vectorSigmoidDoesNotCancel() {
        CrossEntropy ce = vector();
        float[] x = new float[40];
        float[] z = new float[40];
        Arrays.fill(x, 1000f);
        Arrays.fill(z, 0.9999f);
        float[] out = new float[40];
        ce.sigmoidCrossEntropyWithLogits(x, z, out);
        double ref = 1000.0 - 1000.0 * (double) 0.9999f + Math.log1p(Math.exp(-1000.0));
        for (int k = 0; k < 40; k++) {
            assertClose(ref, out[k], "x=1000, z=0.9999, element " + k);
        }
    }

    @Test
    // fixed upstream (7403186); was @Disabled("bug B: VectorKernels.loss() overflows x·z in float for labels outside [0, 1]: x = 3e38, z = 1.5 gives "
    //            + "-Infinity (reference -1.5e38); a row mean over [x=-inf z=1, x=3e38 z=1.5] gives NaN instead of +Infinity")
    @Tag("backend")
    void vectorSigmoidDoesNotOverflowInTheProduct() {
        CrossEntropy ce = vector();
        float[] x = new float[16];
        float[] z = new float[16];
        Arrays.fill(x, 3e38f);
        Arrays.fill(z, 1.5f);
        float[] out = new float[16];
        ce.sigmoidCrossEntropyWithLogits(x, z, out);
        assertClose(-1.5e38, out[0], "x=3e38, z=1.5");
        float[] m = new float[1];
        ce.sigmoidCrossEntropyWithLogits(new float[] {Float.NEGATIVE_INFINITY, 3e38f}, Layout.rows(1, 2),
                new float[] {1f, 1.5f}, Layout.rows(1, 2), m, Layout.vector(1));
        assertEquals(Float.POSITIVE_INFINITY, m[0], "mean of [+inf, -1.5e38]");
    }

    @Test
    // fixed upstream (7403186); was @Disabled("bug D: VectorKernels.meanRow() accumulates the mean over the class axis in float lanes on the "
    //            + "classes-last path (C >= lane count): 64 finite losses of 3e38 (x = -3e38, z = 1) give a mean of +Infinity "
    //            + "instead of 3e38 (SCALAR sums in double; the channels-first tile path is fine)")
    @Tag("backend")
    void vectorMeanDoesNotOverflow() {
        CrossEntropy ce = vector();
        for (int c : new int[] {2, 17, 64}) {
            float[] x = new float[8 * c];
            float[] z = new float[8 * c];
            Arrays.fill(x, -3e38f);
            Arrays.fill(z, 1f);
            float[] m = new float[1];
            ce.sigmoidCrossEntropyWithLogits(x, Layout.rows(1, c), z, Layout.rows(1, c), m, Layout.vector(1));
            assertClose(3e38, m[0], "classes-last mean of " + c + " losses of 3e38");
            Layout cf = Layout.channelsFirst(1, c, 8);
            float[] m8 = new float[8];
            ce.sigmoidCrossEntropyWithLogits(x, cf, z, cf, m8, Layout.rowsOf(cf));
            assertClose(3e38, m8[0], "channels-first mean of " + c + " losses of 3e38");
        }
    }

    @Test
    // fixed in main; was @Disabled("bug E: SCALAR and VECTOR softmax CE with dense labels form (m - x_c) in float before weighting it by t_c, "
    //            + "so labels of mixed sign (documented as legal) lose the cancellation: x = [0.59228516, -10000.517, -10000.613], "
    //            + "t = [0, 1, -1] gives -0.095703125, float64 reference -0.0966796875 (abs. error 9.8e-4); "
    //            + "ScalarKernels.softmaxRow needs (double) m - xc")
    void mixedSignLabelsKeepTheirPrecision() {
        float[] x = {0.59228516f, -10000.517f, -10000.613f};
        float[] t = {0f, 1f, -1f};
        double exact = (double) x[2] - x[1];   // Σ t_c (lse − x_c) with t = [0, 1, -1] is x_2 − x_1
        assertEquals(dev.xent.internal.reference.ReferenceKernels.softmaxRow(x, 0, 1, 3, t, 0, 1), exact, 1e-12);
        for (CrossEntropy ce : TestSupport.backends()) {
            float[] out = new float[1];
            ce.softmaxCrossEntropyWithLogits(x, t, 3, out);
            assertClose(exact, out[0], TestSupport.name(ce));
        }
    }

    @Test
    // fixed in main; was @Disabled("bug F (minor): Layout.channelsFirst(1, 65536, 65536) throws ArithmeticException (Math.multiplyExact) "
    //            + "instead of an IllegalArgumentException naming the arguments, unlike Layout.of(int[], int) for the same shape")
    void channelsFirstOverflowIsAnIllegalArgument() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Layout.channelsFirst(1, 65536, 65536));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("65536"), e.getMessage());
    }

    @Test
    // fixed in main; was @Disabled("bug G: VectorKernels.meanTile() (channels-first sigmoid/binary mean, 256/128/64-bit) uses a Kahan sum "
    //            + "whose compensation (sum - acc) - u is NaN once a term is infinite: logits [1, 3, 64] with x = -inf, z = 1 "
    //            + "in class 1 give NaN instead of +Infinity (likewise x = +inf with z = -0.5)")
    void vectorMeanTileKeepsInfinity() {
        CrossEntropy ce = vector();
        int inner = 64;
        Layout cf = Layout.channelsFirst(1, 3, inner);
        float[] x = new float[3 * inner];
        float[] z = new float[3 * inner];
        Arrays.fill(x, inner, 2 * inner, Float.NEGATIVE_INFINITY);
        Arrays.fill(z, inner, 2 * inner, 1f);
        float[] out = new float[inner];
        ce.sigmoidCrossEntropyWithLogits(x, cf, z, cf, out, Layout.rowsOf(cf));
        for (int i = 0; i < inner; i++) {
            assertEquals(Float.POSITIVE_INFINITY, out[i], "row " + i);
        }
    }

    @Test
    // fixed in main; was @Disabled("bug H: VectorKernels.softmaxTile() (channels-first dense-label softmax) sums t*(m - x) and t in plain "
    //            + "float over all classes: C = 65541, inner = 16, gaussian logits, uniform soft labels exceed 2e-6 relative "
    //            + "(RandomLayoutTest case 60 at 128-bit: 11.583966 for 11.583920681; mixed-sign labels C = 100: "
    //            + "-0.22515169 for -0.22514977)")
    void vectorSoftmaxTileIsAccurateForManyClasses() {
        CrossEntropy ce = vector();
        org.junit.jupiter.api.Assertions.assertFalse(KnownBugs.vectorSoftmaxTileDrifts(ce),
                "channels-first softmax, C = 65541, exceeds 2e-6 relative against the float64 reference");
    }

    @Test
    // fixed in main (rows and tile lanes with a negative term take the scalar row, in double); was
    // @Disabled("bug I: VectorKernels mean over the class axis (sigmoid CE with a per-row losses layout, classes-last and "
    //        + "channels-first) rounds each term to float before summing, so labels outside [0, 1] cancel: x = [10000.123, "
    //        + "10000.123], z = [-0.7, 2.7], 16 rows [16, 2, 1] or channels-first [1, 2, 16]: got 0.0, float64 reference "
    //        + "-2.980269e-4 (SCALAR gives -2.980269e-4; one row [1, 2, 1] is right). Found by DifferentialFuzzTest.")
    @Tag("backend")
    void vectorMeanKeepsOppositeTerms() {
        CrossEntropy ce = vector();
        for (Layout l : new Layout[] {Layout.rows(16, 2), Layout.channelsFirst(1, 2, 16), Layout.rows(64, 2),
                Layout.rows(16, 40), Layout.channelsFirst(2, 40, 20)}) {
            float[] out = KnownBugs.meanOfOppositeTerms(ce, l);
            // C = 2: the closed form; wider rows (their other classes 0): the float64 reference
            float[] ref = KnownBugs.meanOfOppositeTerms(CrossEntropy.of(Backend.REFERENCE), l);
            for (int r = 0; r < out.length; r++) {
                assertClose(l.classes() == 2 ? KnownBugs.MEAN_OF_OPPOSITE_TERMS : ref[r], out[r], l + " row " + r);
            }
        }
    }

    @Test
    // bug J (binary CE), fixed on 2026-12-02: VectorKernels formed z*log(p) + (1-z)*log(1-p) in float, so labels far
    // outside [0, 1] cancelled (p = 0.5078125, z = 100 gave -2.4163666, float64 reference -2.4163588128823505); such
    // labels now take the scalar formula in double. Found by DifferentialFuzzTest.
    @Tag("backend")
    void vectorBinaryKeepsLargeLabels() {
        org.junit.jupiter.api.Assertions.assertTrue(KnownBugs.binaryWithLargeLabelsWithinBar(vector()),
                "binary CE with z = ±100 within the accuracy bar");
    }

    @Test
    @Disabled("bug K: ScalarKernels.categoricalRow/sparseCategoricalRow (and the vector kernels) form q = p / sum(p) in "
            + "float, so with a clip bound below Float.MIN_NORMAL a subnormal quotient loses its bits: p = [1.4e-45, 1.3], "
            + "t = [1, 0], epsilon = Float.MIN_VALUE gives 103.27893 (q rounded up to 1.4e-45), float64 reference "
            + "103.5413 (-log(1.4e-45 / 1.3)). Either divide in double or reject epsilon < Float.MIN_NORMAL. "
            + "Found by DifferentialFuzzTest.")
    void subnormalQuotientsKeepTheirPrecision() {
        float[] p = {Float.MIN_VALUE, 1.3f};
        float[] t = {1f, 0f};
        double want = -Math.log((double) Float.MIN_VALUE / ((double) Float.MIN_VALUE + 1.3f));
        Layout l = Layout.rows(1, 2);
        for (CrossEntropy ce : TestSupport.backends()) {
            float[] out = new float[1];
            ce.categoricalCrossEntropy(p, l, t, l, Float.MIN_VALUE, out, Layout.vector(1));
            assertClose(want, out[0], TestSupport.name(ce) + " categorical");
            ce.sparseCategoricalCrossEntropy(p, l, new int[] {0}, Layout.vector(1), Float.MIN_VALUE, out, Layout.vector(1));
            assertClose(want, out[0], TestSupport.name(ce) + " sparse categorical");
        }
    }

    @Test
    // fixed in main; was bug L: ParallelCrossEntropy.parts() divided by outer for an empty batch with an inner axis
    void parallelEmptyBatchWithAnInnerAxis() {
        java.util.concurrent.Executor direct = Runnable::run;
        ParallelCrossEntropy pce = CrossEntropy.of(Backend.SCALAR).parallel(direct, 2).withMinElements(0);
        Layout l = Layout.channelsFirst(0, 3, 5);
        float[] out = {TestSupport.SENTINEL};
        pce.softmaxCrossEntropyWithLogits(new float[0], l, new float[0], l, out, Layout.rowsOf(l));
        pce.sparseSoftmaxCrossEntropyWithLogits(new float[0], l, new int[0], Layout.rowsOf(l), out, Layout.rowsOf(l));
        TestSupport.assertAllUntouched(out, "empty batch");
    }

    @Test
    // fixed in main (2026-12-02: a vector row or lane whose loss is not finite is redone by the scalar row, in double);
    // was @Disabled("bug N: VectorKernels softmax CE with dense labels forms m - x and t*(m - x) in float, so a row whose
    //     logits span more than Float.MAX_VALUE, or whose label-weighted terms overflow float, with labels of both signs
    //     gives inf - inf = NaN where the reference is finite or +-inf (fuzz: E30 logits, labels +-100, reference 4.4e38
    //     -> NaN instead of +Infinity): logits [3e38, -3e38, -3e38], labels [0, 1, -0.5], 16 rows [16, 3, 1] or
    //     channels-first [1, 3, 16]: got NaN, float64 reference 3.0000000054977558e38 (float 3e38); one row and SCALAR
    //     give 3e38. Found by DifferentialFuzzTest.")
    @Tag("backend")
    void vectorSoftmaxKeepsWideRowsFinite() {
        CrossEntropy ce = vector();
        double want = 6e38 - 0.5 * 6e38;   // Σ t_c (m − x_c) + log(1 + 2e^(−6e38))·Σ t_c, in exact terms: 3e38
        for (Layout l : new Layout[] {Layout.rows(16, 3), Layout.channelsFirst(1, 3, 16)}) {
            float[] out = KnownBugs.softmaxOfWideRows(ce, l);
            for (int r = 0; r < out.length; r++) {
                assertClose((double) 3e38f - (double) -3e38f - 0.5 * ((double) 3e38f - (double) -3e38f), out[r], l + " row " + r);
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(3e38, want, 1e25);
    }

    @Test
    // fixed in main (642e7b0 reverted ee310dc); was @Disabled("bug R: VectorKernels categorical CE multiplied by the
    //     reciprocal of the row sum; a subnormal sum overflows it and 0*inf = NaN: probabilities [0, 1e-40], labels [0, 1],
    //     epsilon 1e-7, 32 rows [32, 2, 1] (512-bit) gave NaN instead of -log(1 - 1e-7) = 1.0000000617e-7")
    @Tag("backend")
    void categoricalRowsWithASubnormalSum() {
        for (CrossEntropy ce : TestSupport.backends()) {
            for (Layout l : new Layout[] {Layout.rows(1, 2), Layout.rows(32, 2), Layout.channelsFirst(1, 2, 32)}) {
                float[] out = KnownBugs.categoricalOfTinyRows(ce, l);
                for (int r = 0; r < out.length; r++) {
                    assertClose(KnownBugs.TINY_ROW_LOSS, out[r], TestSupport.name(ce) + " " + l + " row " + r);
                }
            }
        }
    }

    @Test
    @Disabled("finding S (reference and kernels): with labels of both signs on logits near Float.MAX_VALUE the terms "
            + "t_c*(m - x_c) cancel beyond double precision: logits [2.9875755, 3e38, MAX, MAX, -4.552515, -1.5057302], "
            + "labels [-1, 1.4e-45, 1.4e-45, 1e4, 0, 1]: exactly 6935.9651 (BigDecimal), SCALAR and VECTOR give 6931.4717, the "
            + "float64 reference 0.0. Extreme input; the fuzz skips rows where the reference's own rounding exceeds the bar. "
            + "Found by DifferentialFuzzTest (1500 tries).")
    void mixedSignLabelsOnLogitsNearFloatMax() {
        float[] x = {2.9875755f, 3.0E38f, Float.MAX_VALUE, Float.MAX_VALUE, -4.552515f, -1.5057302f};
        float[] t = {-1f, Float.MIN_VALUE, Float.MIN_VALUE, 10000f, 0f, 1f};
        java.math.BigDecimal m = new java.math.BigDecimal(Float.MAX_VALUE);
        java.math.BigDecimal a = java.math.BigDecimal.ZERO;
        double tsum = 0;
        for (int c = 0; c < 6; c++) {
            a = a.add(new java.math.BigDecimal(t[c]).multiply(m.subtract(new java.math.BigDecimal(x[c]))));
            tsum += t[c];
        }
        double exact = a.doubleValue() + tsum * Math.log(2);   // Σexp(x − m) = 2 (two maxima, the rest underflow)
        assertEquals(6935.965, exact, 1e-3);
        for (CrossEntropy ce : TestSupport.backends()) {
            float[] out = new float[1];
            ce.softmaxCrossEntropyWithLogits(x, t, 6, out);
            assertClose(exact, out[0], TestSupport.name(ce));
        }
    }

    @Test
    @Disabled("bug T: VectorKernels categorical CE sums a row's probabilities in float, so negative probabilities can cancel "
            + "the sum to 0 where the double sum does not: p = [1e-8, -0.5, -0.0, 0.5], t = [0, 1, 0, 0], epsilon 1e-7, "
            + "63 rows [63, 4, 1] (512-bit; fuzz: [8, 4, 63] at 128-bit) give NaN (-0.0 / 0), float64 reference "
            + "-log(1e-7) = 16.118095639272223; one row, 8 rows and SCALAR give 16.118095. Negative probabilities are "
            + "garbage in, but the reference defines the value. Found by DifferentialFuzzTest (800 tries, 128-bit).")
    @Tag("backend")
    void vectorCategoricalSumsInDouble() {
        CrossEntropy ce = vector();
        float[] out = KnownBugs.categoricalWithNegativeProbabilities(ce, 63);
        for (int r = 0; r < out.length; r++) {
            assertClose(-Math.log(1e-7f), out[r], "row " + r);
        }
    }
}
