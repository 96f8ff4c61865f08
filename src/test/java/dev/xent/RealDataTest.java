package dev.xent;

import static dev.xent.TestSupport.assertClose;
import static dev.xent.TestSupport.assertElements;
import static dev.xent.TestSupport.assertRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every reference of {@code data/manifest.json} (PyTorch float64 per-example losses and means, NumPy float64
 * for the Keras probability forms) reproduced by every backend, element by element, within 1e-5 relative
 * (1e-6 absolute floor). A manifest reference without a check here fails.
 */
@Tag("backend")
class RealDataTest {

    static final double REL = 1e-5;
    static final double ABS = 1e-6;
    static final float EPS = 1e-7f;

    interface Check {
        void run(CrossEntropy ce, Object reference) throws IOException;
    }

    static final Map<String, Check> CHECKS = new TreeMap<>();

    static {
        CHECKS.put("digits.sparse_softmax_ce.none", (ce, ref) -> {
            float[] out = digitsSparse(ce);
            assertRows(TestData.f8((String) ref), out, Layout.vector(1797), REL, ABS, "digits sparse softmax");
        });
        CHECKS.put("digits.sparse_softmax_ce.mean", (ce, ref) -> {
            float[] out = digitsSparse(ce);
            assertClose((Double) ref, (float) Reduction.MEAN.reduce(out, 0, out.length), REL, 0, "digits sparse mean");
        });
        CHECKS.put("digits.sparse_softmax_ce.label_smoothing_0.1.mean", (ce, ref) -> {
            // PyTorch label smoothing: t = (1 − ls)·onehot + ls/C
            float[] t = oneHot(TestData.i4("digits_labels.npy"), 10, 0.1f);
            float[] out = new float[1797];
            ce.softmaxCrossEntropyWithLogits(TestData.f4("digits_logits.npy"), t, 10, out);
            assertClose((Double) ref, (float) Reduction.MEAN.reduce(out, 0, out.length), REL, 0, "digits smoothed mean");
        });
        CHECKS.put("digits.softmax_ce.onehot.none", (ce, ref) -> {
            float[] out = new float[1797];
            ce.softmaxCrossEntropyWithLogits(TestData.f4("digits_logits.npy"), oneHot(TestData.i4("digits_labels.npy"), 10, 0f), 10, out);
            assertRows(TestData.f8((String) ref), out, Layout.vector(1797), REL, ABS, "digits one-hot softmax");
        });
        CHECKS.put("digits.categorical_ce_probs.keras.none", (ce, ref) -> {
            double[] r = TestData.f8((String) ref);
            float[] p = TestData.f4("digits_probs.npy");
            int[] y = TestData.i4("digits_labels.npy");
            Layout pl = Layout.rows(1797, 10);
            Layout rows = Layout.rowsOf(pl);
            float[] out = new float[1797];
            ce.categoricalCrossEntropy(p, pl, oneHot(y, 10, 0f), pl, EPS, out, rows);
            assertRows(r, out, rows, REL, ABS, "digits categorical from probabilities");
            float[] sp = new float[1797];
            ce.sparseCategoricalCrossEntropy(p, pl, y, rows, EPS, sp, rows);
            assertRows(r, sp, rows, REL, ABS, "digits sparse categorical from probabilities");
        });
        CHECKS.put("breast_cancer.sigmoid_ce.none", (ce, ref) -> {
            double[] r = TestData.f8((String) ref);
            float[] out = breastSigmoid(ce);
            assertElements(r, out, Layout.vector(569), REL, ABS, "breast_cancer sigmoid");
            // the same as a Keras-style mean over a class axis of size 1
            float[] m = new float[569];
            Layout l = Layout.rows(569, 1);
            ce.sigmoidCrossEntropyWithLogits(TestData.f4("breast_cancer_logits.npy"), l,
                    TestData.f4("breast_cancer_labels.npy"), l, m, Layout.rowsOf(l));
            assertRows(r, m, Layout.rowsOf(l), REL, ABS, "breast_cancer sigmoid mean over 1 class");
        });
        CHECKS.put("breast_cancer.sigmoid_ce.mean", (ce, ref) -> {
            float[] out = breastSigmoid(ce);
            assertClose((Double) ref, (float) Reduction.MEAN.reduce(out, 0, out.length), REL, 0, "breast_cancer sigmoid mean");
        });
        CHECKS.put("breast_cancer.binary_ce_probs.keras.none", (ce, ref) -> {
            double[] r = TestData.f8((String) ref);
            float[] p = TestData.f4("breast_cancer_probs.npy");
            float[] z = TestData.f4("breast_cancer_labels.npy");
            float[] out = new float[569];
            Layout l = Layout.vector(569);
            ce.binaryCrossEntropy(p, l, z, l, EPS, out, l);
            // p = 1 with z = 0 (element 297) is −log ε = 16.118095, as the reference
            assertEquals(1f, p[297]);
            assertEquals(0f, z[297]);
            double[] expected = r;
            assertElements(expected, out, l, REL, ABS, "breast_cancer binary from probabilities (Keras)");
        });
        CHECKS.put("breast_cancer.binary_ce_probs.torch.none", (ce, ref) -> {
            // PyTorch: no clip, each log clamped at −100. Equal to the Keras form wherever neither clip engages.
            double[] r = TestData.f8((String) ref);
            float[] p = TestData.f4("breast_cancer_probs.npy");
            float[] z = TestData.f4("breast_cancer_labels.npy");
            float[] out = new float[569];
            Layout l = Layout.vector(569);
            ce.binaryCrossEntropy(p, l, z, l, EPS, out, l);
            int compared = 0;
            for (int k = 0; k < 569; k++) {
                if (p[k] >= EPS && p[k] <= 1f - EPS) {
                    assertClose(r[k], out[k], REL, ABS, "breast_cancer binary (torch) element " + k);
                    compared++;
                } else {
                    // clipped by Keras: the loss is bounded by −log ε instead of PyTorch's 100
                    assertTrue(out[k] <= -Math.log(EPS) + 1e-5 && out[k] <= r[k] + 1e-6, "clipped element " + k);
                }
            }
            assertTrue(compared > 150, "compared " + compared + " elements");
        });
        CHECKS.put("digits_ovr.sigmoid_ce.none", (ce, ref) -> {
            Layout l = Layout.rows(1797, 10);
            float[] out = new float[1797 * 10];
            ce.sigmoidCrossEntropyWithLogits(TestData.f4("digits_ovr_logits.npy"), l, TestData.f4("digits_ovr_labels.npy"), l, out, l);
            assertElements(TestData.f8((String) ref), out, l, REL, ABS, "digits_ovr sigmoid");
        });
        CHECKS.put("china_segmentation.sparse_softmax_ce.none", (ce, ref) -> {
            double[] r = TestData.f8((String) ref);
            float[] out = chinaSparse(ce);
            assertRows(r, out, Layout.vector(214 * 320), REL, ABS, "china segmentation sparse softmax (class axis 1)");
            // the same with one-hot dense labels in the channels-first layout
            Layout xl = Layout.of(new int[] {1, 8, 214, 320}, 1);
            int[] y = TestData.i4("china_seg_labels.npy");
            float[] t = new float[8 * 214 * 320];
            for (int r0 = 0; r0 < y.length; r0++) {
                t[xl.rowIndex(r0) + y[r0] * xl.classStride()] = 1f;
            }
            float[] dense = new float[y.length];
            ce.softmaxCrossEntropyWithLogits(TestData.f4("china_seg_logits.npy"), xl, t, xl, dense, Layout.rowsOf(xl));
            assertRows(r, dense, Layout.rowsOf(xl), REL, ABS, "china segmentation one-hot softmax (class axis 1)");
        });
        CHECKS.put("china_segmentation.sparse_softmax_ce.mean", (ce, ref) -> {
            float[] out = chinaSparse(ce);
            assertClose((Double) ref, (float) Reduction.MEAN.reduce(out, 0, out.length), REL, 0, "china mean");
        });
    }

    static float[] oneHot(int[] y, int classes, float smoothing) {
        float[] t = new float[y.length * classes];
        for (int r = 0; r < y.length; r++) {
            for (int c = 0; c < classes; c++) {
                t[r * classes + c] = (c == y[r] ? 1f - smoothing : 0f) + smoothing / classes;
            }
        }
        return t;
    }

    static float[] digitsSparse(CrossEntropy ce) throws IOException {
        float[] out = new float[1797];
        ce.sparseSoftmaxCrossEntropyWithLogits(TestData.f4("digits_logits.npy"), TestData.i4("digits_labels.npy"), 10, out);
        return out;
    }

    static float[] breastSigmoid(CrossEntropy ce) throws IOException {
        float[] out = new float[569];
        ce.sigmoidCrossEntropyWithLogits(TestData.f4("breast_cancer_logits.npy"), TestData.f4("breast_cancer_labels.npy"), out);
        return out;
    }

    static float[] chinaSparse(CrossEntropy ce) throws IOException {
        Layout xl = Layout.of(new int[] {1, 8, 214, 320}, 1);
        assertEquals(Layout.channelsFirst(1, 8, 214 * 320), xl);
        Layout rows = Layout.rowsOf(xl);
        float[] out = new float[rows.rows()];
        ce.sparseSoftmaxCrossEntropyWithLogits(TestData.f4("china_seg_logits.npy"), xl, TestData.i4("china_seg_labels.npy"),
                rows, out, rows);
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyManifestReference() throws IOException {
        Map<String, Object> refs = TestData.references();
        List<DynamicTest> tests = new ArrayList<>();
        for (CrossEntropy ce : TestSupport.backends()) {
            for (Map.Entry<String, Object> e : refs.entrySet()) {
                Check check = CHECKS.get(e.getKey());
                tests.add(DynamicTest.dynamicTest(TestSupport.name(ce) + " " + e.getKey(), () -> {
                    if (check == null) {
                        fail("manifest reference " + e.getKey() + " has no check in RealDataTest");
                    }
                    check.run(ce, e.getValue());
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void manifestAndReaderSanity() throws IOException {
        Map<String, Object> refs = TestData.references();
        assertEquals(12, refs.size(), "references in manifest.json: " + refs.keySet());
        assertEquals(CHECKS.keySet(), new java.util.TreeSet<>(refs.keySet()));
        TestData.Npy logits = TestData.read("china_seg_logits.npy");
        assertEquals("<f4", logits.descr());
        assertEquals(List.of(1, 8, 214, 320), java.util.Arrays.stream(logits.shape()).boxed().toList());
        assertEquals(8 * 214 * 320, logits.f4().length);
        TestData.Npy y = TestData.read("digits_labels.npy");
        assertEquals("<i4", y.descr());
        for (int v : y.i4()) {
            assertTrue(v >= 0 && v < 10);
        }
        TestData.Npy r = TestData.read("ref_digits_ovr_sigmoid_ce_none.npy");
        assertEquals("<f8", r.descr());
        assertEquals(1797 * 10, r.size());
        // the probabilities really are probabilities: rows of digits_probs sum to 1
        float[] p = TestData.f4("digits_probs.npy");
        for (int k = 0; k < 1797; k++) {
            double s = 0;
            for (int c = 0; c < 10; c++) {
                s += p[k * 10 + c];
            }
            assertEquals(1.0, s, 1e-5, "row " + k);
        }
    }
}
