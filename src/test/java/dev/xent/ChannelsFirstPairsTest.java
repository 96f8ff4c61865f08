package dev.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xent.internal.reference.ReferenceKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Softmax CE with two classes and the class axis first ({@code [N, 2, H·W]}, binary segmentation maps): every
 * position gets the bits of the same row stored with the class axis last ({@code [N·H·W, 2]}), whatever H·W (fewer
 * positions than a vector, a partial last vector), the number of maps, and the strides of labels and losses; and the
 * float64 reference's value within the accuracy bar. Rows with extreme logits (±inf, NaN, 1e30, 3e38) and, for dense
 * labels, labels of opposite signs, NaN and +inf are among them.
 */
@Tag("backend")
class ChannelsFirstPairsTest {

    static final int ROWS = 150;
    static final int[] POSITIONS = {1, 5, 15, 16, 17, 31, 32, 33, 40, 75};

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void sparseSoftmaxOfTwoClassPlanesMatchesRows(CrossEntropy ce) {
        SplittableRandom rnd = new SplittableRandom(2);
        float[] x = logits(rnd);
        int[] y = new int[ROWS];
        for (int r = 0; r < ROWS; r++) {
            y[r] = rnd.nextInt(2);
        }
        float[] rows = new float[ROWS];
        ce.sparseSoftmaxCrossEntropyWithLogits(x, Layout.rows(ROWS, 2), y, Layout.vector(ROWS), rows, Layout.vector(ROWS));
        TestSupport.assertRows(ReferenceKernels.sparseSoftmaxCrossEntropy(x, Layout.rows(ROWS, 2), y, Layout.vector(ROWS)),
                rows, Layout.vector(ROWS), "rows");
        for (int hw : POSITIONS) {
            for (int n : new int[] {1, 2}) {
                float[] planes = planes(x, n, hw);
                Layout xl = Layout.of(0, n, 2 * hw, 2, hw, hw, 1);
                for (int stride : new int[] {1, 3}) {
                    // labels and losses [N, H·W], `stride` apart along H·W
                    Layout pl = Layout.of(0, n, hw * stride, 1, 1, hw, stride);
                    int[] ys = new int[(int) pl.maxIndex() + 1];
                    for (int k = 0; k < n * hw; k++) {
                        ys[pl.index(k / hw, 0, k % hw)] = y[k];
                    }
                    float[] out = new float[ys.length];
                    ce.sparseSoftmaxCrossEntropyWithLogits(planes, xl, ys, pl, out, pl);
                    for (int k = 0; k < n * hw; k++) {
                        float got = out[pl.index(k / hw, 0, k % hw)];
                        assertEquals(Float.floatToIntBits(rows[k]), Float.floatToIntBits(got),
                                "[" + n + ", 2, " + hw + "], position " + k + ", labels and losses " + stride + " apart: "
                                        + got + " vs the row's " + rows[k]);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void denseSoftmaxOfTwoClassPlanesMatchesRows(CrossEntropy ce) {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = logits(rnd);
        float[][] odd = {{0.7f, -0.7f}, {Float.NaN, 1f}, {Float.POSITIVE_INFINITY, 0f}, {-2f, 3f}, {3e12f, 3e12f}};
        float[] t = new float[2 * ROWS];
        for (int r = 0; r < ROWS; r++) {
            if (r % 7 == 3) {
                float[] o = odd[(r / 7) % odd.length];
                t[2 * r] = o[0];
                t[2 * r + 1] = o[1];
            } else {
                float p = r % 2 == 0 ? rnd.nextInt(2) : (float) rnd.nextDouble();
                t[2 * r] = p;
                t[2 * r + 1] = 1 - p;
            }
        }
        float[] rows = new float[ROWS];
        Layout rl = Layout.rows(ROWS, 2);
        ce.softmaxCrossEntropyWithLogits(x, rl, t, rl, rows, Layout.vector(ROWS));
        TestSupport.assertRows(ReferenceKernels.softmaxCrossEntropy(x, rl, t, rl), rows, Layout.vector(ROWS), "rows");
        for (int hw : POSITIONS) {
            for (int n : new int[] {1, 2}) {
                Layout xl = Layout.of(0, n, 2 * hw, 2, hw, hw, 1);
                float[] planes = planes(x, n, hw);
                float[] labels = planes(t, n, hw);
                for (int stride : new int[] {1, 3}) {
                    Layout ol = Layout.of(0, n, hw * stride, 1, 1, hw, stride);
                    float[] out = new float[(int) ol.maxIndex() + 1];
                    ce.softmaxCrossEntropyWithLogits(planes, xl, labels, xl, out, ol);
                    for (int k = 0; k < n * hw; k++) {
                        float got = out[ol.index(k / hw, 0, k % hw)];
                        assertEquals(Float.floatToIntBits(rows[k]), Float.floatToIntBits(got),
                                "[" + n + ", 2, " + hw + "], position " + k + ", losses " + stride + " apart: " + got
                                        + " vs the row's " + rows[k]);
                    }
                }
            }
        }
    }

    /** {@code [ROWS, 2]} logits: ordinary ones of a wide spread, every fifth row an extreme pair. */
    private static float[] logits(SplittableRandom rnd) {
        float[][] extreme = ExtremeValuesTest.logitRows(2, rnd);
        float[] x = new float[2 * ROWS];
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < 2; j++) {
                x[2 * r + j] = r % 5 == 2 ? extreme[(r / 5) % extreme.length][j] : TestSupport.gaussian(rnd) * 8;
            }
        }
        return x;
    }

    /** The first {@code n·hw} rows of {@code [ROWS, 2]} as {@code [n, 2, hw]}. */
    private static float[] planes(float[] v, int n, int hw) {
        float[] p = new float[n * 2 * hw];
        for (int k = 0; k < n * hw; k++) {
            for (int j = 0; j < 2; j++) {
                p[(k / hw) * 2 * hw + j * hw + k % hw] = v[2 * k + j];
            }
        }
        return p;
    }
}
