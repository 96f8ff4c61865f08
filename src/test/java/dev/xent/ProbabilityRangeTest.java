package dev.xent;

import static dev.xent.TestSupport.assertClose;
import static dev.xent.TestSupport.placeByRow;
import static dev.xent.TestSupport.placeRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Categorical CE from probabilities at the edges of float range, against closed forms (each backend, the row
 * path and the tile paths, every layout family of {@link ExtremeValuesTest}): rows of probabilities whose sum
 * overflows float, labels near ±{@code Float.MAX_VALUE} of both signs, and the float32 upper clip bound
 * {@code 1f − ε} that Keras uses. These were open faults found by a review on 2026-12-02.
 */
@Tag("backend")
class ProbabilityRangeTest {

    static final int[] CLASSES = {2, 3, 10, 17, 40};

    /** Every probability 3e38: the float sum overflows, but each class has q = 1/C, so the loss is Σt·log C. */
    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void rowSumBeyondFloatRange(CrossEntropy ce) {
        for (int c : CLASSES) {
            for (Layout l : ExtremeValuesTest.layouts(c)) {
                int rows = l.rows();
                float[][] pv = new float[rows][c];
                float[][] tv = new float[rows][c];
                int[] y = new int[rows];
                double[] want = new double[rows];
                for (int r = 0; r < rows; r++) {
                    // every other row an ordinary one, so tiles mix overflowing and ordinary rows
                    boolean huge = r % 2 == 0;
                    Arrays.fill(pv[r], huge ? 3e38f : 0.25f);
                    y[r] = r % c;
                    tv[r][y[r]] = 0.75f;
                    tv[r][(r + 1) % c] += 0.25f;
                    want[r] = Math.log(c); // Σt = 1 and q = 1/C in both kinds of row
                }
                float[] p = placeByRow(l, pv);
                float[] t = placeByRow(l, tv);
                Layout ol = Layout.rowsOf(l);
                float[] out = new float[(int) ol.maxIndex() + 1];
                ce.categoricalCrossEntropy(p, l, t, l, Harness.EPS, out, ol);
                float[] sparse = new float[(int) ol.maxIndex() + 1];
                ce.sparseCategoricalCrossEntropy(p, l, placeRows(ol, y), ol, Harness.EPS, sparse, ol);
                for (int r = 0; r < rows; r++) {
                    String ctx = TestSupport.name(ce) + " C=" + c + " " + l + " row " + r;
                    assertClose(want[r], out[ol.rowIndex(r)], "categorical " + ctx);
                    assertClose(want[r], sparse[ol.rowIndex(r)], "sparse categorical " + ctx);
                }
            }
        }
    }

    /**
     * Labels 3e38, 3e38 and −3e38 on equal probabilities: the loss is {@code 3e38·log C} (+inf beyond float range,
     * from C = 4); adding the terms in float lanes gave {@code −inf + inf = NaN}.
     */
    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void labelsNearFloatMaxOfBothSigns(CrossEntropy ce) {
        for (int c : new int[] {3, 10, 17, 40}) {
            for (Layout l : ExtremeValuesTest.layouts(c)) {
                int rows = l.rows();
                float[][] pv = new float[rows][c];
                float[][] tv = new float[rows][c];
                for (int r = 0; r < rows; r++) {
                    Arrays.fill(pv[r], 1f);
                    tv[r][r % c] = 3e38f;
                    tv[r][(r + 1) % c] = 3e38f;
                    tv[r][(r + 2) % c] = -3e38f;
                }
                Layout ol = Layout.rowsOf(l);
                float[] out = new float[(int) ol.maxIndex() + 1];
                ce.categoricalCrossEntropy(placeByRow(l, pv), l, placeByRow(l, tv), l, Harness.EPS, out, ol);
                double want = (double) 3e38f * Math.log(c); // 3.3e38 at C = 3, beyond float range from C = 4
                for (int r = 0; r < rows; r++) {
                    String ctx = TestSupport.name(ce) + " C=" + c + " " + l + " row " + r;
                    if (want > Float.MAX_VALUE) {
                        assertEquals(Float.POSITIVE_INFINITY, out[ol.rowIndex(r)], ctx + ": 3e38·log C overflows to +inf");
                    } else {
                        assertClose(want, out[ol.rowIndex(r)], ctx);
                    }
                }
            }
        }
    }

    /**
     * Keras forms the upper clip bound in float32: {@code 1f − 1e-7f} = 1 − 2⁻²³. A label of 100 on a probability of
     * 1 gives {@code −100·log(1 − 2⁻²³)} = 1.1920929e-5 (a double bound would give 1.0e-5, outside the accuracy bar);
     * with ε = 1e-9 the bound is 1f, {@code log 1 = 0}, and a +inf label gives {@code inf·0} = NaN, as in Keras.
     */
    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void upperClipBoundIsFormedInFloat(CrossEntropy ce) {
        double want = -100 * Math.log(1 - Math.scalb(1.0, -23));
        for (int c : new int[] {2, 10, 40}) {
            for (Layout l : ExtremeValuesTest.layouts(c)) {
                int rows = l.rows();
                float[][] pv = new float[rows][c];
                float[][] tv = new float[rows][c];
                float[][] inf = new float[rows][c];
                for (int r = 0; r < rows; r++) {
                    pv[r][r % c] = 1f;
                    tv[r][r % c] = 100f;
                    inf[r][r % c] = Float.POSITIVE_INFINITY;
                }
                Layout ol = Layout.rowsOf(l);
                float[] p = placeByRow(l, pv);
                float[] out = new float[(int) ol.maxIndex() + 1];
                ce.categoricalCrossEntropy(p, l, placeByRow(l, tv), l, Harness.EPS, out, ol);
                float[] nan = new float[(int) ol.maxIndex() + 1];
                ce.categoricalCrossEntropy(p, l, placeByRow(l, inf), l, 1e-9f, nan, ol);
                for (int r = 0; r < rows; r++) {
                    String ctx = TestSupport.name(ce) + " C=" + c + " " + l + " row " + r;
                    assertClose(want, out[ol.rowIndex(r)], "label 100 at p = 1, " + ctx);
                    assertTrue(Float.isNaN(nan[ol.rowIndex(r)]), "+inf label at p = 1, ε = 1e-9 (bound 1f): " + ctx);
                }
            }
        }
    }

    /**
     * Labels far outside [0, 1] amplify the rounding of {@code 1 − p} (binary) and {@code p/Σp} (categorical) in
     * float32; the scalar backend forms both in double (review 2026-12-02: 6.0e-6 for a bar of 2.4e-6 at z = −100).
     * The vector backend gives binary labels outside [0, 1] to the scalar formula (bug J, fixed; {@code HardLabelsTest});
     * its categorical CE keeps {@code p/Σp} in float lanes (the categorical twin, open).
     */
    @org.junit.jupiter.api.Test
    void scalarLargeLabelsWithinTheBar() {
        CrossEntropy ce = CrossEntropy.of(Backend.SCALAR);
        float p = 0.5f - (float) Math.scalb(1.0, -25);
        for (float z : new float[] {-100f, 100f, -50f, -1e6f}) {
            float[] out = new float[1];
            Layout one = Layout.vector(1);
            ce.binaryCrossEntropy(new float[] {p}, one, new float[] {z}, one, Harness.EPS, out, one);
            double want = -(z * Math.log(p) + (1.0 - z) * Math.log(1.0 - p));
            assertClose(want, out[0], "binary p = " + p + ", z = " + z);
        }
        float[] q = {0.007337049f, 0.8174683f};
        Layout l = Layout.rows(1, 2);
        for (float t1 : new float[] {100f, 1.5e38f}) {
            float[] out = new float[1];
            ce.categoricalCrossEntropy(q, l, new float[] {0f, t1}, l, Harness.EPS, out, Layout.vector(1));
            double want = -t1 * Math.log((double) q[1] / ((double) q[0] + q[1]));
            assertClose(want, out[0], "categorical t = [0, " + t1 + "]");
        }
    }

    /**
     * A large label multiplies {@code log Σ exp(x − m)}: the scalar backend formed {@code x − m} in float before the
     * double exp, and the fuzz (CI, 2026-12-02) found −1.103231 for −1.1032345 (bar 3.2e-6). The vector backend's
     * float sum is bug O for such labels of both signs.
     */
    @org.junit.jupiter.api.Test
    void scalarSoftmaxWithALargeLabel() {
        float[] x = {7.7655544f, 1.1057003f, -1.2369134f, -0.7006274f, -4.5620418f, -0.04409142f};
        float[] t = {10000f, Float.MIN_VALUE, -1f, -0f, -1f, Float.MIN_VALUE};
        Layout l = Layout.rows(1, 6);
        float[] out = new float[1];
        CrossEntropy.of(Backend.SCALAR).softmaxCrossEntropyWithLogits(x, l, t, l, out, Layout.vector(1));
        double m = 7.7655544f;
        double d = 0;
        for (float v : x) {
            d += Math.exp(v - m);
        }
        double want = 0;
        for (int c = 0; c < 6; c++) {
            want += t[c] * ((m - x[c]) + Math.log(d));
        }
        assertClose(want, out[0], "scalar softmax, label 1e4 on the maximum");
    }
}
