package dev.xent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Closed forms of the options, the Keras/PyTorch differences, the building blocks and argument checks, on every backend. */
@Tag("backend")
class OptionsSemanticsTest {

    static final double LN2 = Math.log(2);

    static List<CrossEntropy> all() {
        return TestSupport.backendsWithReference();
    }

    @ParameterizedTest
    @MethodSource("all")
    void allIgnoredBatch(CrossEntropy ce) {
        float[] x = {1f, 2f, 3f, 4f, 5f, 6f};
        Layout l = Layout.rows(2, 3);
        int[] y = {-100, -100};
        float[] g = new float[6];
        java.util.Arrays.fill(g, 9f);
        double torchMean = ce.sparseSoftmaxCrossEntropyWithLogits(x, l, y, Layout.rowsOf(l), null, null,
                LossOptions.pytorch().build(), LossOutputs.none().withGradient(g, l));
        assertTrue(Double.isNaN(torchMean), "PyTorch mean over no rows is NaN, got " + torchMean);
        assertArrayEquals(new float[6], g, "ignored rows have gradient 0");
        assertEquals(0.0, ce.sparseSoftmaxCrossEntropyWithLogits(x, l, y, Layout.rowsOf(l), null, null,
                LossOptions.pytorch().reduction(Reduction.SUM).build(), LossOutputs.none()));
        assertEquals(0.0, ce.sparseSoftmaxCrossEntropyWithLogits(x, l, y, Layout.rowsOf(l), null, null,
                LossOptions.keras().ignoreIndex(-100).reduction(Reduction.MEAN).build(), LossOutputs.none()));
        assertEquals(0.0, ce.sparseSoftmaxCrossEntropyWithLogits(x, l, y, Layout.rowsOf(l), null, null,
                LossOptions.keras().ignoreIndex(-100).build(), LossOutputs.none()));
        // empty batch
        Layout e = Layout.rows(0, 3);
        assertTrue(Double.isNaN(ce.sparseSoftmaxCrossEntropyWithLogits(new float[0], e, new int[0], Layout.rowsOf(e), null, null,
                LossOptions.pytorch().build(), LossOutputs.none())));
        assertEquals(0.0, ce.sparseSoftmaxCrossEntropyWithLogits(new float[0], e, new int[0], Layout.rowsOf(e), null, null,
                LossOptions.keras().build(), LossOutputs.none()));
    }

    @ParameterizedTest
    @MethodSource("all")
    void ignoredRowAmongOthers(CrossEntropy ce) {
        // rows: [0, 0] label 0 (ln 2), [5, 1] ignored, [0, ln 3] label 1 (ln(1+3) − ln 3)
        float[] x = {0f, 0f, 5f, 1f, 0f, (float) Math.log(3)};
        Layout l = Layout.rows(3, 2);
        int[] y = {0, -100, 1};
        float[] losses = new float[3];
        float[] g = new float[6];
        double mean = ce.sparseSoftmaxCrossEntropyWithLogits(x, l, y, Layout.rowsOf(l), null, null, LossOptions.pytorch().build(),
                LossOutputs.losses(losses, Layout.rowsOf(l)).withGradient(g, l));
        double l2 = Math.log(4) - Math.log(3);
        assertEquals((LN2 + l2) / 2, mean, 1e-6);
        assertEquals(0f, losses[1]);
        assertEquals(LN2, losses[0], 1e-6);
        assertEquals(-0.25, g[0], 1e-6);         // softmax 0.5 minus target 1, over 2 counted rows
        assertEquals(0.25, g[1], 1e-6);
        assertEquals(0f, g[2]);
        assertEquals(0f, g[3]);
        assertEquals(0.125, g[4], 1e-6);         // softmax [0.25, 0.75] − [0, 1], over 2 rows
        assertEquals(-0.125, g[5], 1e-6);
        // class weights: PyTorch divides by Σ w[y] of the counted rows
        float[] w = {2f, 0.5f};
        double wm = ce.sparseSoftmaxCrossEntropyWithLogits(x, l, y, Layout.rowsOf(l), null, null,
                LossOptions.pytorch().classWeights(w).build(), LossOutputs.none());
        assertEquals((2 * LN2 + 0.5 * l2) / 2.5, wm, 1e-6);
        // Keras sum_over_batch_size divides by the counted rows
        double sobs = ce.sparseSoftmaxCrossEntropyWithLogits(x, l, y, Layout.rowsOf(l), null, null,
                LossOptions.keras().ignoreIndex(-100).classWeights(w).build(), LossOutputs.none());
        assertEquals((2 * LN2 + 0.5 * l2) / 2, sobs, 1e-6);
    }

    @ParameterizedTest
    @MethodSource("all")
    void probabilitiesAtZeroAndOne(CrossEntropy ce) {
        float[] p = {0f, 1f, 1f, 0f};
        float[] z = {1f, 0f, 1f, 0f};
        Layout l = Layout.vector(4);
        float[] losses = new float[4];
        ce.binaryCrossEntropy(p, l, z, l, null, null, LossOptions.pytorch().build(), LossOutputs.losses(losses, l));
        assertArrayEquals(new float[] {100f, 100f, 0f, 0f}, losses);
        ce.binaryCrossEntropy(p, l, z, l, null, null, LossOptions.keras().build(), LossOutputs.losses(losses, l));
        assertEquals(16.118095f, losses[0], 2e-6f);
        assertEquals(16.118095f, losses[1], 2e-6f);
        assertTrue(losses[2] >= 0f && losses[2] < 2e-7f, "p = 1, z = 1 near 0: " + losses[2]);
        assertTrue(losses[3] >= 0f && losses[3] < 2e-7f, "p = 0, z = 0 near 0: " + losses[3]);
        // gradient w.r.t. the probabilities: 0 where clipped or clamped, −z/p + (1−z)/(1−p) elsewhere
        float[] q = {0.25f, 0.5f, 0f, 1f};
        float[] g = new float[4];
        ce.binaryCrossEntropy(q, l, new float[] {1f, 0f, 1f, 0f}, l, null, null,
                LossOptions.pytorch().reduction(Reduction.SUM).build(), LossOutputs.none().withGradient(g, l));
        assertArrayEquals(new float[] {-4f, 2f, 0f, 0f}, g, 1e-6f);
    }

    @ParameterizedTest
    @MethodSource("all")
    void zLossAndLse(CrossEntropy ce) {
        float[] x = {0f, 0f};
        Layout l = Layout.rows(1, 2);
        float[] lse = new float[1];
        float[] g = new float[2];
        double v = ce.sparseSoftmaxCrossEntropyWithLogits(x, l, new int[] {0}, Layout.rowsOf(l), null, null,
                LossOptions.keras().zLoss(0.5f).build(), LossOutputs.none().withLse(lse, Layout.rowsOf(l)).withGradient(g, l));
        assertEquals(LN2 + 0.5 * LN2 * LN2, v, 1e-6);
        assertEquals(LN2, lse[0], 1e-6);
        assertEquals(0.5 * (1 + LN2) - 1, g[0], 1e-6);
        assertEquals(0.5 * (1 + LN2), g[1], 1e-6);
    }

    @ParameterizedTest
    @MethodSource("all")
    void softcap(CrossEntropy ce) {
        float[] x = {100f, 0f, Float.POSITIVE_INFINITY, 0f};
        Layout l = Layout.rows(2, 2);
        float[] losses = new float[2];
        float[] g = new float[4];
        ce.sparseSoftmaxCrossEntropyWithLogits(x, l, new int[] {1, 1}, Layout.rowsOf(l), null, null,
                LossOptions.keras().softcap(10f).reduction(Reduction.SUM).build(),
                LossOutputs.losses(losses, Layout.rowsOf(l)).withGradient(g, l));
        double a = 10 * Math.tanh(10);
        double expected = Math.log(Math.exp(a) + 1);   // lse(a, 0) − 0
        assertEquals(expected, losses[0], 1e-5);
        assertEquals(10 + Math.log1p(Math.exp(-10)), losses[1], 1e-5, "+inf is capped to 10: a finite loss");
        double s0 = 1 / (1 + Math.exp(-a));
        double th = Math.tanh(10);
        assertEquals(s0 * (1 - th * th), g[0], 1e-6);
        assertEquals(-s0, g[1], 1e-6);       // (1 − s0) − 1, slope 1 at 0
        assertEquals(0f, g[2], 1e-6f);       // slope 0 at +inf
    }

    @ParameterizedTest
    @MethodSource("all")
    void labelSmoothing(CrossEntropy ce) {
        // categorical: t = e0, ls = 0.3, C = 3 → T = [0.8, 0.1, 0.1]; logits 0 → every class ln 3
        float[] x = {0f, 0f, 0f};
        Layout l = Layout.rows(1, 3);
        LossOptions o = LossOptions.keras().labelSmoothing(0.3f).build();
        assertEquals(Math.log(3), ce.softmaxCrossEntropyWithLogits(x, l, new float[] {1f, 0f, 0f}, l, null, null, o, LossOutputs.none()), 1e-6);
        float[] g = new float[3];
        ce.sparseSoftmaxCrossEntropyWithLogits(x, l, new int[] {0}, Layout.rowsOf(l), null, null, o, LossOutputs.none().withGradient(g, l));
        assertArrayEquals(new float[] {1f / 3 - 0.8f, 1f / 3 - 0.1f, 1f / 3 - 0.1f}, g, 1e-6f);
        // binary: z' = z(1 − ls) + ls/2; x = 0 → loss ln 2 whatever z, gradient σ(0) − z'
        float[] gb = new float[1];
        double v = ce.sigmoidCrossEntropyWithLogits(new float[] {0f}, Layout.vector(1), new float[] {1f}, Layout.vector(1), null, null,
                LossOptions.keras().labelSmoothing(0.2f).build(), LossOutputs.none().withGradient(gb, Layout.vector(1)));
        assertEquals(LN2, v, 1e-6);
        assertEquals(0.5 - 0.9, gb[0], 1e-6);
    }

    @ParameterizedTest
    @MethodSource("all")
    void posWeightMatchesTensorFlowWeightedCrossEntropy(CrossEntropy ce) {
        // tf.nn.weighted_cross_entropy_with_logits: (1 − z)·x + (1 + (q − 1)·z)·(log1p(e^−|x|) + max(−x, 0))
        float[] x = {2f, -3f, 0.5f, 40f};
        float[] z = {1f, 1f, 0.25f, 0f};
        Layout l = Layout.vector(4);
        float[] losses = new float[4];
        ce.sigmoidCrossEntropyWithLogits(x, l, z, l, null, null, LossOptions.keras().posWeight(3f).reduction(Reduction.NONE).build(),
                LossOutputs.losses(losses, l));
        for (int k = 0; k < 4; k++) {
            double e = (1 - z[k]) * x[k] + (1 + 2.0 * z[k]) * (Math.log1p(Math.exp(-Math.abs(x[k]))) + Math.max(-x[k], 0));
            assertEquals(e, losses[k], 1e-6 + 2e-6 * e, "element " + k);
        }
    }

    @ParameterizedTest
    @MethodSource("all")
    void noOptionsEqualsThePlainOps(CrossEntropy ce) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        Layout l = Layout.rows(9, 13);
        float[] x = new float[9 * 13];
        float[] t = new float[9 * 13];
        int[] y = new int[9];
        for (int k = 0; k < x.length; k++) {
            x[k] = TestSupport.gaussian(rnd) * 4;
            t[k] = rnd.nextFloat();
        }
        for (int r = 0; r < 9; r++) {
            y[r] = rnd.nextInt(13);
        }
        Layout rows = Layout.rowsOf(l);
        float[] a = new float[9];
        float[] b = new float[9];
        ce.sparseSoftmaxCrossEntropyWithLogits(x, l, y, rows, a, rows);
        double s = ce.sparseSoftmaxCrossEntropyWithLogits(x, l, y, rows, null, null,
                LossOptions.keras().reduction(Reduction.SUM).build(), LossOutputs.losses(b, rows));
        assertArrayEquals(a, b, 2e-6f);
        assertEquals(Reduction.SUM.reduce(b, rows, null, null), s, 1e-6 * Math.abs(s));
        ce.softmaxCrossEntropyWithLogits(x, l, t, l, a, rows);
        ce.softmaxCrossEntropyWithLogits(x, l, t, l, null, null, LossOptions.defaults(), LossOutputs.losses(b, rows));
        assertArrayEquals(a, b, 1e-5f);
    }

    @ParameterizedTest
    @MethodSource("all")
    void buildingBlocks(CrossEntropy ce) {
        float[] x = {1e8f, 1e8f, 0f, 0f, (float) Math.log(3), 0f, -1f, 2f, 2f};
        Layout l = Layout.rows(3, 3);
        float[] lp = new float[9];
        ce.logSoftmax(x, l, lp, l);
        assertEquals(-Math.log(2), lp[0], 1e-6, "[1e8, 1e8, 0] gives −ln 2, not 0");
        assertEquals(-Math.log(2), lp[1], 1e-6);
        assertEquals(Float.NEGATIVE_INFINITY, lp[2] < -1e7 ? Float.NEGATIVE_INFINITY : lp[2]);
        assertEquals(-Math.log(5), lp[3], 1e-6);
        assertEquals(Math.log(3) - Math.log(5), lp[4], 1e-6);
        float[] lse = new float[3];
        ce.logSumExp(x, l, lse, Layout.rowsOf(l));
        assertEquals(1e8 + Math.log(2), lse[0], 8);
        assertEquals(Math.log(5), lse[1], 1e-6);
        float[] sm = new float[9];
        ce.softmax(x, l, sm, l);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0f, 0.2f, 0.6f, 0.2f}, java.util.Arrays.copyOf(sm, 6), 1e-6f);
        // in place
        float[] xin = x.clone();
        ce.logSoftmax(xin, l, xin, l);
        assertArrayEquals(lp, xin);
        // argmax: first of ties, NaN counts as largest
        float[] a = {1f, 3f, 3f, 1f, Float.NaN, 5f, -1f, -2f, -3f};
        int[] pred = new int[3];
        ce.argmax(a, l, pred, Layout.rowsOf(l));
        assertArrayEquals(new int[] {1, 1, 0}, pred);
        assertEquals(2.0 / 3, ce.accuracy(a, l, new int[] {1, 2, 0}, Layout.rowsOf(l)), 1e-12);
        assertEquals(1.0, ce.accuracy(a, l, new int[] {1, -100, 0}, Layout.rowsOf(l), -100), 1e-12);
        float[] oneHot = {0f, 1f, 0f, 0f, 0f, 1f, 1f, 0f, 0f};
        assertEquals(2.0 / 3, ce.accuracy(a, l, oneHot, l), 1e-12);
        // soft-capped log-probabilities equal those of the capped logits
        float[] capped = new float[9];
        float[] c1 = new float[9];
        float[] c2 = new float[9];
        for (int k = 0; k < 9; k++) {
            capped[k] = (float) (5 * Math.tanh(x[k] / 5.0));
        }
        ce.logSoftmax(x, l, 5f, c1, l);
        ce.logSoftmax(capped, l, c2, l);
        assertArrayEquals(c2, c1, 1e-6f);
    }

    @ParameterizedTest
    @MethodSource("all")
    void argumentChecks(CrossEntropy ce) {
        float[] x = new float[6];
        Layout l = Layout.rows(2, 3);
        Layout rows = Layout.rowsOf(l);
        int[] y = {0, -100};
        LossOptions none = LossOptions.keras().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ce.sparseSoftmaxCrossEntropyWithLogits(
                x, l, y, rows, null, null, none, LossOutputs.none()));
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("-100"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ce.sparseSoftmaxCrossEntropyWithLogits(
                x, l, new int[] {0, 1}, rows, null, null, LossOptions.keras().posWeight(2f).build(), LossOutputs.none()));
        assertThrows(IllegalArgumentException.class, () -> ce.sparseSoftmaxCrossEntropyWithLogits(
                x, l, new int[] {0, 1}, rows, null, null, LossOptions.keras().classWeights(new float[2]).build(), LossOutputs.none()));
        assertThrows(IllegalArgumentException.class, () -> ce.binaryCrossEntropy(
                x, l, new float[6], l, null, null, LossOptions.keras().zLoss(0.1f).build(), LossOutputs.none()));
        assertThrows(IllegalArgumentException.class, () -> ce.categoricalCrossEntropy(
                x, l, new float[6], l, null, null, LossOptions.keras().softcap(3f).build(), LossOutputs.none()));
        assertThrows(IllegalArgumentException.class, () -> ce.sigmoidCrossEntropyWithLogits(
                x, l, new float[6], l, null, null, none, LossOutputs.none().withLse(new float[2], rows)));
        // the gradient may overwrite the logits only when asked
        e = assertThrows(IllegalArgumentException.class, () -> ce.sparseSoftmaxCrossEntropyWithLogits(
                x, l, new int[] {0, 1}, rows, null, null, none, LossOutputs.none().withGradient(x, l)));
        assertTrue(e.getMessage().contains("withGradientInPlace"), e.getMessage());
        float[] big = new float[12];
        assertThrows(IllegalArgumentException.class, () -> ce.sparseSoftmaxCrossEntropyWithLogits(
                big, l, new int[] {0, 1}, rows, null, null, none, LossOutputs.none().withGradient(big, l.withOffset(2))));
        assertThrows(IllegalArgumentException.class, () -> ce.sparseSoftmaxCrossEntropyWithLogits(
                x, l, new int[] {0, 1}, rows, null, null, none, LossOutputs.none().withGradient(new float[6], Layout.rows(3, 2))));
        assertThrows(IllegalArgumentException.class, () -> LossOptions.keras().labelSmoothing(1.5f));
        assertThrows(IllegalArgumentException.class, () -> LossOptions.keras().softcap(-1f));
        assertThrows(IllegalArgumentException.class, () -> LossOptions.keras().zLoss(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> LossOptions.keras().classWeights(new float[] {1f, -1f}));
        assertEquals(Semantics.PYTORCH, Semantics.parse("PyTorch"));
        assertThrows(IllegalArgumentException.class, () -> Semantics.parse("jax"));
    }
}
