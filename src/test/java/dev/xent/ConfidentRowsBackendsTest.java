package dev.xent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A confident row (the label's logit {@code g} above the {@code C − 1} others) has the loss
 * {@code log1p((C − 1)·e^−g)}, down to 8.5e-18 here: every backend, the float64 reference included, must keep it to
 * 1e-6 relative, which {@code (m − x_y) + log(1 + rest)} in double does not (about 1e-16 absolute). The expected
 * value is that closed form, in double, from the exact logits (integers, exact in bfloat16 and float16 too).
 */
@Tag("backend")
class ConfidentRowsBackendsTest {

    static final double REL = 1e-6;

    static List<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (CrossEntropy ce : TestSupport.backendsWithReference()) {
            for (int classes : new int[] {3, 10, 100, 1000, 5000}) {
                for (int gap : new int[] {20, 30, 40}) {
                    list.add(Arguments.of(ce, classes, gap));
                }
            }
        }
        return list;
    }

    /** {@code rows} rows of {@code classes}: the label (row {@code r}: class {@code r·7 mod C}) at 5, the others at {@code 5 − gap}. */
    static float[] logits(int rows, int classes, int gap, int[] labels) {
        float[] x = new float[rows * classes];
        for (int r = 0; r < rows; r++) {
            labels[r] = (r * 7) % classes;
            for (int c = 0; c < classes; c++) {
                x[r * classes + c] = c == labels[r] ? 5f : 5f - gap;
            }
        }
        return x;
    }

    static double expected(int classes, int gap) {
        return Math.log1p((classes - 1) * Math.exp(-gap));
    }

    static void check(String what, CrossEntropy ce, int classes, int gap, double want, double got) {
        assertTrue(Math.abs(got - want) <= REL * want, () -> TestSupport.name(ce) + " " + what + " C=" + classes
                + " gap=" + gap + ": " + got + ", expected " + want + " (rel " + Math.abs(got - want) / want + ")");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sparseRows(CrossEntropy ce, int classes, int gap) {
        int rows = 37;
        int[] y = new int[rows];
        float[] x = logits(rows, classes, gap, y);
        double want = expected(classes, gap);
        float[] losses = new float[rows];
        ce.sparseSoftmaxCrossEntropyWithLogits(x, y, classes, losses);
        for (int r = 0; r < rows; r++) {
            check("sparse row " + r, ce, classes, gap, want, losses[r]);
        }
        // the options path (class weights of 1, PyTorch's ignore index, no reduction)
        float[] w = new float[classes];
        java.util.Arrays.fill(w, 1f);
        Layout l = Layout.rows(rows, classes);
        float[] withOptions = new float[rows];
        ce.sparseSoftmaxCrossEntropyWithLogits(x, l, y, Layout.rowsOf(l), null, null,
                LossOptions.pytorch().classWeights(w).reduction(Reduction.NONE).build(),
                LossOutputs.losses(withOptions, Layout.rowsOf(l)));
        for (int r = 0; r < rows; r++) {
            check("sparse row with options " + r, ce, classes, gap, want, withOptions[r]);
        }
        // one-hot labels through dense softmax CE
        float[] t = new float[rows * classes];
        for (int r = 0; r < rows; r++) {
            t[r * classes + y[r]] = 1f;
        }
        float[] dense = new float[rows];
        ce.softmaxCrossEntropyWithLogits(x, t, classes, dense);
        for (int r = 0; r < rows; r++) {
            check("dense row " + r, ce, classes, gap, want, dense[r]);
        }
        // log-softmax at the label is −loss
        float[] logProbs = new float[rows * classes];
        ce.logSoftmax(x, l, logProbs, l);
        for (int r = 0; r < rows; r++) {
            check("-logSoftmax at the label, row " + r, ce, classes, gap, want, -logProbs[r * classes + y[r]]);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void halfFloatRows(CrossEntropy ce, int classes, int gap) {
        int rows = 37;
        int[] y = new int[rows];
        float[] x = logits(rows, classes, gap, y);
        double want = expected(classes, gap);
        for (HalfFloat format : HalfFloat.values()) {
            short[] h = new short[x.length];
            for (int i = 0; i < x.length; i++) {
                h[i] = format.fromFloat(x[i]);
            }
            Layout l = Layout.rows(rows, classes);
            float[] losses = new float[rows];
            ce.sparseSoftmaxCrossEntropyWithLogits(h, format, l, y, Layout.vector(rows), losses, Layout.vector(rows));
            for (int r = 0; r < rows; r++) {
                check(format + " sparse row " + r, ce, classes, gap, want, losses[r]);
            }
        }
    }

    /**
     * The parallel API's class split (a few rows of at least {@code 2·CLASS_CHUNK} classes): the label in the first,
     * middle and last chunk, and a second maximum in another chunk (loss {@code log1p(1 + (C − 2)·e^−g)}).
     */
    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backends")
    void classSplitRows(CrossEntropy ce) {
        int classes = 2 * ParallelCrossEntropy.CLASS_CHUNK + 7;
        int gap = 40;
        int[] y = {3, ParallelCrossEntropy.CLASS_CHUNK + 11, classes - 1, 5};
        int rows = y.length;
        float[] x = new float[rows * classes];
        java.util.Arrays.fill(x, 5f - gap);
        for (int r = 0; r < rows; r++) {
            x[r * classes + y[r]] = 5f;
        }
        x[3 * classes + classes - 2] = 5f; // row 3: a tie with the label, two chunks away
        double[] want = new double[rows];
        for (int r = 0; r < 3; r++) {
            want[r] = expected(classes, gap);
        }
        want[3] = Math.log1p(1 + (classes - 2) * Math.exp(-gap));
        Layout l = Layout.rows(rows, classes);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int threads : new int[] {3, 4}) { // more than half the rows: the class split
                float[] losses = new float[rows];
                ce.parallel(pool, threads).withMinElements(0).sparseSoftmaxCrossEntropyWithLogits(x, l, y, Layout.rowsOf(l),
                        losses, Layout.rowsOf(l));
                for (int r = 0; r < rows; r++) {
                    check("class split, " + threads + " threads, row " + r, ce, classes, gap, want[r], losses[r]);
                }
            }
        } finally {
            pool.shutdown();
        }
    }
}
