package dev.xent;

import static dev.xent.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xent.internal.reference.ReferenceKernels;
import java.util.Arrays;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Faults reported against other frameworks, each as a test of this library with the right value computed
 * independently (closed forms in double, or the value the issue states). Cases 1–10 are those of issue 6; the others
 * come from public bug reports, linked in each test. Every case runs on every backend, as one row and as 19 copies
 * classes-last and channels-first (so the vector tiles and their tails see it too).
 */
@Tag("backend")
class FieldCasesTest {

    static final double LN2 = Math.log(2);
    static final double LN3 = Math.log(3);
    static final int COPIES = 19;

    /** One row, {@link #COPIES} rows classes-last at an offset, and channels-first {@code [1, C, COPIES]}. */
    static Layout[] layouts(int c) {
        return new Layout[] {Layout.rows(1, c), Layout.rows(COPIES, c, 3, c + 2), Layout.channelsFirst(1, c, COPIES)};
    }

    static float[] fill(Layout l, float[] row) {
        float[] a = new float[(int) l.maxIndex() + 1];
        Arrays.fill(a, Float.NaN);
        for (int r = 0; r < l.rows(); r++) {
            for (int c = 0; c < l.classes(); c++) {
                a[l.rowIndex(r) + c * l.classStride()] = row[c];
            }
        }
        return a;
    }

    /** Softmax CE with dense labels {@code t} of logits {@code x}: every row of every layout and backend is {@code want}. */
    static void softmax(float[] x, float[] t, double want, String what) {
        for (CrossEntropy ce : TestSupport.backends()) {
            for (Layout l : layouts(x.length)) {
                float[] out = new float[l.rows()];
                ce.softmaxCrossEntropyWithLogits(fill(l, x), l, fill(l, t), l, out, Layout.rowsOf(l));
                for (int r = 0; r < out.length; r++) {
                    assertClose(want, out[r], what + " " + TestSupport.name(ce) + " " + l.shapeString() + " row " + r);
                }
            }
        }
    }

    /** Sparse softmax CE of logits {@code x} with label {@code y}. */
    static void sparse(float[] x, int y, double want, String what) {
        for (CrossEntropy ce : TestSupport.backends()) {
            for (Layout l : layouts(x.length)) {
                float[] out = new float[l.rows()];
                int[] labels = new int[l.rows()];
                Arrays.fill(labels, y);
                ce.sparseSoftmaxCrossEntropyWithLogits(fill(l, x), l, labels, Layout.rowsOf(l), out, Layout.rowsOf(l));
                for (int r = 0; r < out.length; r++) {
                    assertClose(want, out[r], what + " " + TestSupport.name(ce) + " " + l.shapeString() + " row " + r);
                }
            }
        }
    }

    /** Elementwise sigmoid CE, {@code x} and {@code z} repeated to 37 elements. */
    static void sigmoid(float x, float z, double want, String what) {
        for (CrossEntropy ce : TestSupport.backends()) {
            float[] xs = new float[37];
            float[] zs = new float[37];
            Arrays.fill(xs, x);
            Arrays.fill(zs, z);
            float[] out = new float[37];
            ce.sigmoidCrossEntropyWithLogits(xs, zs, out);
            for (int k = 0; k < out.length; k++) {
                assertClose(want, out[k], what + " " + TestSupport.name(ce) + " element " + k);
            }
        }
    }

    /** Elementwise binary CE from probabilities, {@code p} and {@code z} repeated to 37 elements. */
    static float[] binary(float p, float z, float eps, double want, double tolerance, String what) {
        float[] out = new float[37];
        for (CrossEntropy ce : TestSupport.backends()) {
            float[] ps = new float[37];
            float[] zs = new float[37];
            Arrays.fill(ps, p);
            Arrays.fill(zs, z);
            Layout l = Layout.vector(37);
            ce.binaryCrossEntropy(ps, l, zs, l, eps, out, l);
            for (int k = 0; k < out.length; k++) {
                assertTrue(Float.isFinite(out[k]), what + " " + TestSupport.name(ce) + ": " + out[k]);
                assertEquals(want, out[k], tolerance, what + " " + TestSupport.name(ce) + " element " + k);
            }
        }
        return out;
    }

    // ---- issue 6, cases 1–10 -------------------------------------------------------------------------------------

    @Test
    void case1HugeEqualLogitsKeepTheNormaliser() {
        sparse(new float[] {3e7f, 3e7f, 3e7f}, 2, LN3, "[3e7, 3e7, 3e7] label 2");
        assertEquals(1.0986123f, (float) LN3);
    }

    @Test
    void case2SingleClass() {
        // the loss only: the library has no gradient op (the gradient 0 is not applicable)
        sparse(new float[] {-4.2f}, 0, 0.0, "[-4.2] label 0");
        softmax(new float[] {-4.2f}, new float[] {1f}, 0.0, "[-4.2] one-hot");
    }

    @Test
    void case3LowMaximumDoesNotUnderflowTheSum() {
        sparse(new float[] {-300f, -300f}, 1, LN2, "[-300, -300] label 1");
    }

    @Test
    void case4ZeroTimesLogZero() {
        float inf = Float.NEGATIVE_INFINITY;
        softmax(new float[] {inf, 2f, 2f}, new float[] {0f, 1f, 0f}, LN2, "[-inf, 2, 2] labels [0, 1, 0]");
    }

    @Test
    void case5StridedClassAxisIsShiftedByItsMaximum() {
        Layout l = Layout.of(new int[] {3, 1}, 0);   // shape [3, 1], class axis 0
        assertEquals(3, l.classes());
        for (CrossEntropy ce : TestSupport.backends()) {
            float[] out = new float[1];
            ce.sparseSoftmaxCrossEntropyWithLogits(new float[] {900f, 900f, 900f}, l, new int[] {0}, Layout.rowsOf(l),
                    out, Layout.rowsOf(l));
            assertClose(LN3, out[0], TestSupport.name(ce) + " shape [3, 1] axis 0");
        }
        sparse(new float[] {900f, 900f, 900f}, 0, LN3, "[900, 900, 900] label 0");
    }

    @Test
    void case6LabelsThatDoNotSumToOne() {
        softmax(new float[] {50f, 0f}, new float[] {0f, 0f}, 0.0, "labels [0, 0]");
        softmax(new float[] {0f, 0f}, new float[] {0.25f, 0f}, 0.25 * LN2, "labels [0.25, 0]");
        assertEquals(0.1732868f, (float) (0.25 * LN2));
    }

    @Test
    void case7SigmoidFarInTheTail() {
        double tail = Math.log1p(Math.exp(-18.0));
        assertEquals(1.5229979e-8f, (float) tail);
        sigmoid(18f, 1f, tail, "x = 18, z = 1");
        sigmoid(-18f, 0f, tail, "x = -18, z = 0");
        sigmoid(-150f, 1f, 150.0, "x = -150, z = 1");
    }

    @Test
    void case8BinaryProbabilitiesAtTheBoundaries() {
        float eps = KerasLoss.DEFAULT_EPSILON;
        // Keras semantics: -log(1 - ε) ≈ 1.19e-7 in float32 (1.0e-7 in exact arithmetic), never NaN
        binary(0f, 0f, eps, 1.1920929e-7, 3e-8, "p = 0, z = 0");
        binary(1f, 1f, eps, 1.1920929e-7, 3e-8, "p = 1, z = 1");
        // -log ε: 16.118095 (Keras); TF 2.2 added ε twice and gave 15.424949 (tensorflow/tensorflow#41595)
        binary(0f, 1f, eps, -Math.log(eps), 2e-6 * 16.2, "p = 0, z = 1");
        assertEquals(16.118095f, (float) -Math.log(eps));
        // PyTorch semantics: each log clamped at -100, so p = 0, z = 1 gives exactly 100
        for (CrossEntropy ce : TestSupport.backendsWithReference()) {
            float[] out = new float[1];
            Layout l = Layout.vector(1);
            ce.binaryCrossEntropy(new float[] {0f}, l, new float[] {1f}, l, null, null,
                    LossOptions.pytorch().reduction(Reduction.NONE).build(), LossOutputs.losses(out, l));
            assertEquals(100f, out[0], 1e-4f, ce.backend() + ": PyTorch p = 0, z = 1");
        }
    }

    @Test
    void case9LabelOutOfRangeThrowsBeforeWriting() {
        for (CrossEntropy ce : TestSupport.backendsWithReference()) {
            for (int bad : new int[] {3, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                float[] out = ValidationTest.sentinel(2);
                ValidationTest.rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(new float[] {1f, 2f, 3f, 4f, 5f, 6f},
                        new int[] {0, bad}, 3, out), out, "labels", String.valueOf(bad));
                ValidationTest.rejects(() -> ce.sparseCategoricalCrossEntropy(new float[] {.1f, .2f, .7f, .3f, .3f, .4f},
                        Layout.rows(2, 3), new int[] {bad, 0}, Layout.vector(2), 1e-7f, out, Layout.vector(2)),
                        out, "labels", String.valueOf(bad));
            }
        }
    }

    @Test
    void case10SumOverTwoMillionRows() {
        int n = 2_000_000;
        float[] x = new float[2 * n];
        int[] y = new int[n];
        float[] out = new float[n];
        for (CrossEntropy ce : TestSupport.backends()) {
            ce.sparseSoftmaxCrossEntropyWithLogits(x, y, 2, out);
            double sum = Reduction.SUM.reduce(out, 0, n);
            double want = n * LN2;
            assertEquals(1386294.4f, (float) want);
            assertTrue(Math.abs(sum - want) / want < 1e-7, TestSupport.name(ce) + ": " + sum + " vs " + want);
        }
    }

    // ---- more from public bug reports ------------------------------------------------------------------------------

    @Test
    void pytorch11752HugeLogitsGiveLn2NotZero() {
        // https://github.com/pytorch/pytorch/issues/11752: CrossEntropyLoss of [1e8, 1e8], target 1, gave 0.0
        sparse(new float[] {1e8f, 1e8f}, 1, LN2, "[1e8, 1e8] label 1");
        softmax(new float[] {1e8f, 1e8f}, new float[] {0f, 1f}, LN2, "[1e8, 1e8] one-hot");
    }

    @Test
    void mlx4188ASharedOffsetDoesNotChangeTheLoss() {
        // https://github.com/ml-explore/mlx/pull/4188: cross_entropy([2, -1] + offset, 0) drifted to 0.0625 and 0.0
        for (float offset : new float[] {0f, 1e4f, 1e6f, 1e8f}) {
            float x0 = 2f + offset;
            float x1 = -1f + offset;   // at 1e8 both round to 1e8 in float: then the right answer is ln 2
            double want = Math.log1p(Math.exp(-((double) x0 - x1)));
            sparse(new float[] {x0, x1}, 0, want, "[2, -1] + " + offset);
        }
    }

    @Test
    void optax896MinusInfinityWithLabelZero() {
        // https://github.com/google-deepmind/optax/issues/896: logits [-inf, 0], labels [0, 1] gave NaN
        softmax(new float[] {Float.NEGATIVE_INFINITY, 0f}, new float[] {0f, 1f}, 0.0, "[-inf, 0] labels [0, 1]");
    }

    @Test
    void tensorflow40606LogOfZeroProbabilityLogits() {
        // https://github.com/tensorflow/tensorflow/issues/40606: logits log([0, 1, 1]), label 1, gave NaN under XLA
        sparse(new float[] {Float.NEGATIVE_INFINITY, 0f, 0f}, 1, LN2, "log([0, 1, 1]) label 1");
        // the impossible class as the target: +inf, not NaN
        sparse(new float[] {Float.NEGATIVE_INFINITY, 0f, 0f}, 0, Double.POSITIVE_INFINITY, "log([0, 1, 1]) label 0");
    }

    @Test
    void tensorflow1513HugeNegativeLogits() {
        // https://github.com/tensorflow/tensorflow/issues/1513: TF printed [1.52118264e+11, 1.23338506e+11, 1.67200866e+11]
        float[][] rows = {{-2.88181912e+11f, -4.40300175e+11f}, {-2.29688918e+11f, -3.53027424e+11f},
            {-2.14650274e+11f, -3.81851140e+11f}};
        double[] printed = {1.52118264e+11, 1.23338506e+11, 1.67200866e+11};
        for (int k = 0; k < rows.length; k++) {
            double want = (double) rows[k][0] - rows[k][1];   // lse − x_1, log1p(exp(−1.5e11)) = 0
            assertEquals(printed[k], want, 1e4);
            softmax(rows[k], new float[] {0f, 1f}, want, "row " + k);
        }
    }

    @Test
    void keras7563LogitsVersusProbabilities() {
        // https://github.com/keras-team/keras/issues/7563: X = [[300, 100, 100], [-100, 200, 500]], Y = [e0, e1]:
        // softmax_cross_entropy_with_logits gives a mean of 150.0; categorical_crossentropy of softmax(X) gives
        // 8.05904786964 (the probabilities clip at ε = 1e-7). Both are right for their semantics.
        float[] x = {300f, 100f, 100f, -100f, 200f, 500f};
        float[] y = {1f, 0f, 0f, 0f, 1f, 0f};
        double withLogits = (Math.log1p(2 * Math.exp(-200.0)) + (300.0 + Math.log1p(Math.exp(-300.0) + Math.exp(-600.0)))) / 2;
        assertEquals(150.0, withLogits, 1e-12);
        float[] probs = new float[6];
        for (int r = 0; r < 2; r++) {
            double m = Math.max(x[3 * r], Math.max(x[3 * r + 1], x[3 * r + 2]));
            double d = 0;
            for (int c = 0; c < 3; c++) {
                d += Math.exp(x[3 * r + c] - m);
            }
            for (int c = 0; c < 3; c++) {
                probs[3 * r + c] = (float) (Math.exp(x[3 * r + c] - m) / d);
            }
        }
        double fromProbs = (-Math.log(1 - 1e-7) - Math.log(1e-7)) / 2;
        assertEquals(8.05904786964, fromProbs, 1e-7);
        for (CrossEntropy ce : TestSupport.backends()) {
            KerasLoss logits = KerasLoss.categoricalCrossentropy().fromLogits(true).ops(ce).build();
            KerasLoss probabilities = KerasLoss.categoricalCrossentropy().ops(ce).build();
            assertClose(withLogits, (float) logits.call(y, x, new int[] {2, 3}, null), TestSupport.name(ce) + " from logits");
            assertClose(fromProbs, (float) probabilities.call(y, probs, new int[] {2, 3}, null), TestSupport.name(ce) + " from probabilities");
        }
    }

    @Test
    void pytorch2221LargeNegativeLogitWithLabelZero() {
        // https://github.com/pytorch/pytorch/pull/2221: BCEWithLogits of x = -100, z = 0 gave inf (a missing sign)
        sigmoid(-100f, 0f, Math.log1p(Math.exp(-100.0)), "x = -100, z = 0");
        sigmoid(-50f, 0f, Math.log1p(Math.exp(-50.0)), "x = -50, z = 0");
        sigmoid(100f, 0f, 100.0 + Math.log1p(Math.exp(-100.0)), "x = 100, z = 0");
        // https://github.com/pytorch/pytorch/issues/4867: x = 8e7, z = 0 is 8e7 (the reporter expected less)
        sigmoid(8e7f, 0f, 8e7, "x = 8e7, z = 0");
    }

    @Test
    void keras377TinyEpsilonRoundsAwayInFloat() {
        // https://github.com/keras-team/keras/issues/377: with ε = 1e-9, 1 − ε is 1 in float32 and Theano's clip let
        // log(0) through: p = [0, 1], z = [0, 1] gave NaN. Here: finite, the float64 reference value.
        float eps = 1e-9f;
        assertEquals(1f, 1f - eps);
        binary(0f, 0f, eps, ReferenceKernels.binary(0f, 0f, eps), 1e-6, "p = 0, z = 0, eps = 1e-9");
        binary(1f, 1f, eps, ReferenceKernels.binary(1f, 1f, eps), 1e-6, "p = 1, z = 1, eps = 1e-9");
        binary(1f, 0f, eps, -Math.log(eps), 1e-6 + 2e-6 * 21, "p = 1, z = 0, eps = 1e-9");
    }

    @Test
    void keras15249BinaryCrossentropyNearTheClipBounds() {
        // https://github.com/keras-team/keras/issues/15249: y_true [0, 1, 0], y_pred [0.9999999, 0.9999999, 1e-7]; Keras
        // 2.6 gave [15.333239, -0, -0] (ε added twice), Theano [15.942385, 1.1920930e-07, 1.1920930e-07]
        float p = 0.9999999f;
        binary(p, 0f, KerasLoss.DEFAULT_EPSILON, -Math.log(1.0 - p), 2e-6 * 16, "p = 0.9999999, z = 0");
        assertEquals(15.942385f, (float) -Math.log(1.0 - p));
        binary(p, 1f, KerasLoss.DEFAULT_EPSILON, -Math.log(p), 3e-8, "p = 0.9999999, z = 1");
        binary(1e-7f, 0f, KerasLoss.DEFAULT_EPSILON, -Math.log1p(-(double) 1e-7f), 3e-8, "p = 1e-7, z = 0");
    }

    @Test
    void onnxruntime28461AllMinusInfinityRowIsNaNAndStaysInItsRow() {
        // https://github.com/microsoft/onnxruntime/issues/28461 and https://github.com/onnx/tensorflow-onnx/pull/1248:
        // an all −inf row has no normaliser (log Σ exp = −inf, and −inf − (−inf) is undefined): NaN here as in
        // TensorFlow, documented; the point is that the next row is untouched by it.
        float inf = Float.NEGATIVE_INFINITY;
        for (CrossEntropy ce : TestSupport.backends()) {
            for (int c : new int[] {2, 5, 33}) {
                Layout l = Layout.rows(COPIES, c);
                float[] x = new float[COPIES * c];
                for (int r = 0; r < COPIES; r++) {
                    for (int k = 0; k < c; k++) {
                        x[r * c + k] = r % 2 == 0 ? inf : 0f;
                    }
                }
                float[] out = new float[COPIES];
                ce.sparseSoftmaxCrossEntropyWithLogits(x, l, new int[COPIES], Layout.rowsOf(l), out, Layout.rowsOf(l));
                for (int r = 0; r < COPIES; r++) {
                    if (r % 2 == 0) {
                        assertTrue(Float.isNaN(out[r]), TestSupport.name(ce) + " all -inf row " + r + ": " + out[r]);
                    } else {
                        assertClose(Math.log(c), out[r], TestSupport.name(ce) + " C=" + c + " row " + r);
                    }
                }
            }
        }
    }

    @Test
    void labelsOutOfRangeFromTheField() {
        // https://github.com/tensorflow/tensorflow/issues/10268 (label 100 of 2 classes: NaN instead of an error),
        // https://github.com/pytorch/pytorch/issues/5296 (label 2 of 2 classes with reduce=False: garbage, no error),
        // https://github.com/pytorch/pytorch/issues/43840 (label 1000 of 3 classes on GPU: 0.0760, no error)
        int[][] cases = {{2, 100}, {2, 2}, {3, 1000}};
        for (CrossEntropy ce : TestSupport.backendsWithReference()) {
            for (int[] k : cases) {
                int c = k[0];
                float[] x = new float[2 * c];
                float[] out = ValidationTest.sentinel(2);
                ValidationTest.rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, new int[] {0, k[1]}, c, out),
                        out, "labels", "row 1", String.valueOf(k[1]));
            }
        }
    }

    @Test
    @Disabled("bug Q (semantics): sigmoid CE with an infinite logit is NaN where its limit is finite or +inf: x = -inf, z = 0 "
            + "gives NaN (limit 0), x = +inf, z = 1 gives NaN (limit 0), x = -inf, z = 0.9 gives NaN (limit +inf); the kernels "
            + "and the float64 reference all form max(x, 0) - x*z with -inf*0 or inf - inf. TensorFlow's formula does the same; "
            + "PyTorch users report it as a bug (pytorch/pytorch#49844, #102894, #135359).")
    void pytorch49844SigmoidWithInfiniteLogits() {
        sigmoid(Float.NEGATIVE_INFINITY, 0f, 0.0, "x = -inf, z = 0");
        sigmoid(Float.POSITIVE_INFINITY, 1f, 0.0, "x = +inf, z = 1");
        sigmoid(Float.NEGATIVE_INFINITY, 0.9f, Double.POSITIVE_INFINITY, "x = -inf, z = 0.9");
    }
}
