package dev.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Reduction}: NONE/SUM/SUM_OVER_BATCH_SIZE/MEAN with and without weights, strided layouts, empty batches, long sums. */
class ReductionTest {

    static final double LN2 = Math.log(2);

    /** Σ w·l, Σ w and the row count computed here, independently, in row order r = n·inner + i. */
    static double[] sums(float[] l, Layout ll, float[] w, Layout wl) {
        double s = 0;
        double ws = 0;
        for (int n = 0; n < ll.outer(); n++) {
            for (int i = 0; i < ll.inner(); i++) {
                double li = l[ll.offset() + n * ll.outerStride() + i * ll.innerStride()];
                double wi = w == null ? 1 : w[wl.offset() + n * wl.outerStride() + i * wl.innerStride()];
                s += wi * li;
                ws += wi;
            }
        }
        return new double[] {s, ws, (double) ll.outer() * ll.inner()};
    }

    @Test
    void randomLossesWithAndWithoutWeights() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + rnd.nextInt(50);
            int inner = 1 + rnd.nextInt(7);
            Layout ll = trial % 2 == 0 ? TestSupport.rowsLayout(n, inner).withOffset(trial)
                    : TestSupport.stridedRows(n, inner, 3, 2);
            Layout wl = TestSupport.stridedRows(n, inner, 1, 3);
            float[] l = TestSupport.buffer(ll, 2, Float.NaN);     // gaps hold NaN: reading one shows
            float[] w = TestSupport.buffer(wl, 2, Float.NaN);
            for (int r = 0; r < ll.rows(); r++) {
                l[ll.rowIndex(r)] = rnd.nextFloat() * 5;
                w[wl.rowIndex(r)] = rnd.nextInt(4) == 0 ? 0f : rnd.nextFloat() * 2;
            }
            double[] plain = sums(l, ll, null, null);
            double[] weighted = sums(l, ll, w, wl);
            String ctx = "trial " + trial + " " + ll;
            assertEquals(plain[0], Reduction.SUM.reduce(l, ll, null, null), 1e-12 * plain[0], ctx);
            assertEquals(plain[0] / plain[2], Reduction.SUM_OVER_BATCH_SIZE.reduce(l, ll, null, null), 1e-12, ctx);
            assertEquals(plain[0] / plain[2], Reduction.MEAN.reduce(l, ll, null, null), 1e-12, ctx);
            assertEquals(weighted[0], Reduction.SUM.reduce(l, ll, w, wl), 1e-12 * weighted[0], ctx);
            // Keras: divide by the number of losses, weighted or not
            assertEquals(weighted[0] / plain[2], Reduction.SUM_OVER_BATCH_SIZE.reduce(l, ll, w, wl), 1e-12, ctx);
            // PyTorch-style weighted mean
            assertEquals(weighted[0] / weighted[1], Reduction.MEAN.reduce(l, ll, w, wl), 1e-12, ctx);
        }
    }

    @Test
    void smallClosedForms() {
        float[] l = {1f, 2f, 3f, 4f};
        float[] w = {0f, 1f, 1f, 2f};
        Layout v = Layout.vector(4);
        assertEquals(10.0, Reduction.SUM.reduce(l, v, null, null));
        assertEquals(2.5, Reduction.SUM_OVER_BATCH_SIZE.reduce(l, v, null, null));
        assertEquals(2.5, Reduction.MEAN.reduce(l, v, null, null));
        assertEquals(13.0, Reduction.SUM.reduce(l, v, w, v));
        assertEquals(3.25, Reduction.SUM_OVER_BATCH_SIZE.reduce(l, v, w, v));
        assertEquals(3.25, Reduction.MEAN.reduce(l, v, w, v));
        assertEquals(5.0, Reduction.SUM.reduce(l, 1, 2));
        assertEquals(3.5, Reduction.MEAN.reduce(l, 2, 2));
        assertEquals(3.5, Reduction.SUM_OVER_BATCH_SIZE.reduce(l, 2, 2));
        // all weights zero: Keras sum_over_batch_size gives 0, the weighted mean 0/0 = NaN
        float[] zero = new float[4];
        assertEquals(0.0, Reduction.SUM.reduce(l, v, zero, v));
        assertEquals(0.0, Reduction.SUM_OVER_BATCH_SIZE.reduce(l, v, zero, v));
        assertTrue(Double.isNaN(Reduction.MEAN.reduce(l, v, zero, v)));
        // NaN and inf losses propagate
        assertTrue(Double.isNaN(Reduction.SUM.reduce(new float[] {1f, Float.NaN}, 0, 2)));
        assertEquals(Double.POSITIVE_INFINITY, Reduction.MEAN.reduce(new float[] {1f, Float.POSITIVE_INFINITY}, 0, 2));
    }

    @Test
    void emptyBatch() {
        float[] none = new float[0];
        Layout empty = Layout.vector(0);
        assertEquals(0.0, Reduction.SUM.reduce(none, empty, null, null));
        assertEquals(0.0, Reduction.SUM_OVER_BATCH_SIZE.reduce(none, empty, null, null));
        assertTrue(Double.isNaN(Reduction.MEAN.reduce(none, empty, null, null)));
        assertEquals(0.0, Reduction.SUM.reduce(none, empty, none, empty));
        assertEquals(0.0, Reduction.SUM_OVER_BATCH_SIZE.reduce(none, empty, none, empty));
        assertTrue(Double.isNaN(Reduction.MEAN.reduce(none, empty, none, empty)));
        assertEquals(0.0, Reduction.SUM.reduce(new float[3], 3, 0));
        assertTrue(Double.isNaN(Reduction.MEAN.reduce(new float[3], 3, 0)));
        // channels-first with an empty spatial axis
        Layout rows = Layout.rowsOf(Layout.channelsFirst(3, 4, 0));
        assertEquals(0.0, Reduction.SUM_OVER_BATCH_SIZE.reduce(none, rows, null, null));
    }

    /** 2,000,000 rows of logits [0, 0]: each loss is ln 2, the sum 2e6·ln 2 = 1386294.36 (a float sum would drift). */
    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void twoMillionRowSum(CrossEntropy ce) {
        int n = 2_000_000;
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            y[r] = r & 1;
        }
        float[] out = new float[n];
        ce.sparseSoftmaxCrossEntropyWithLogits(x, y, 2, out);
        double expected = 2e6 * LN2;
        assertEquals(1386294.36, expected, 0.01, "closed form");
        double sum = Reduction.SUM.reduce(out, 0, n);
        assertEquals(expected, sum, 1e-7 * expected, "SUM");
        assertEquals(LN2, Reduction.MEAN.reduce(out, 0, n), 1e-7 * LN2, "MEAN");
        assertEquals(LN2, Reduction.SUM_OVER_BATCH_SIZE.reduce(out, 0, n), 1e-7 * LN2, "SUM_OVER_BATCH_SIZE");
        // the same through a channels-first layout (class axis 1, 2,000,000 spatial positions)
        Layout cf = Layout.channelsFirst(1, 2, n);
        float[] out2 = new float[n];
        ce.sparseSoftmaxCrossEntropyWithLogits(x, cf, y, Layout.rowsOf(cf), out2, Layout.rowsOf(cf));
        assertEquals(expected, Reduction.SUM.reduce(out2, Layout.rowsOf(cf), null, null), 1e-7 * expected, "SUM channels-first");
    }
}
