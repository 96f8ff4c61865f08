package dev.xent;

import static dev.xent.TestSupport.SENTINEL;
import static dev.xent.TestSupport.assertAllUntouched;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Argument validation: every bad argument raises an IllegalArgumentException whose message names the argument
 * and its value, before anything is written (the losses array keeps its sentinel) and without changing the inputs.
 */
class ValidationTest {

    static Stream<Arguments> allBackends() {
        return TestSupport.backendsWithReference().stream().map(ce -> Arguments.of(Named.of(TestSupport.name(ce), ce)));
    }

    static final int N = 4;
    static final int C = 5;
    static final Layout X = Layout.rows(N, C);
    static final Layout R = Layout.rowsOf(X);

    /** Runs {@code call}, expects an IllegalArgumentException mentioning every fragment, and checks nothing was written. */
    static void rejects(Executable call, float[] out, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String msg = String.valueOf(e.getMessage());
        for (String f : fragments) {
            assertTrue(msg.contains(f), "message \"" + msg + "\" should mention \"" + f + "\"");
        }
        if (out != null) {
            assertAllUntouched(out, "after rejecting: " + msg);
        }
    }

    static float[] sentinel(int n) {
        float[] a = new float[n];
        Arrays.fill(a, SENTINEL);
        return a;
    }

    static float[] logits() {
        float[] x = new float[N * C];
        for (int k = 0; k < x.length; k++) {
            x[k] = 0.1f * k;
        }
        return x;
    }

    @ParameterizedTest
    @MethodSource("allBackends")
    void nullArgumentsAreNamed(CrossEntropy ce) {
        float[] x = logits();
        float[] t = new float[N * C];
        int[] y = {0, 1, 2, 3};
        float[] o = sentinel(N);
        rejects(() -> ce.softmaxCrossEntropyWithLogits(null, X, t, X, o, R), o, "logits = null");
        rejects(() -> ce.softmaxCrossEntropyWithLogits(x, null, t, X, o, R), o, "logitsLayout = null");
        rejects(() -> ce.softmaxCrossEntropyWithLogits(x, X, null, X, o, R), o, "labels = null");
        rejects(() -> ce.softmaxCrossEntropyWithLogits(x, X, t, null, o, R), o, "labelsLayout = null");
        rejects(() -> ce.softmaxCrossEntropyWithLogits(x, X, t, X, null, R), null, "losses = null");
        rejects(() -> ce.softmaxCrossEntropyWithLogits(x, X, t, X, o, null), o, "lossesLayout = null");
        rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(null, X, y, R, o, R), o, "logits = null");
        rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, X, null, R, o, R), o, "labels = null");
        rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, X, y, null, o, R), o, "labelsLayout = null");
        rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, X, y, R, o, null), o, "lossesLayout = null");
        rejects(() -> ce.sigmoidCrossEntropyWithLogits(null, X, t, X, o, R), o, "logits = null");
        rejects(() -> ce.sigmoidCrossEntropyWithLogits(x, X, null, X, o, R), o, "labels = null");
        rejects(() -> ce.sigmoidCrossEntropyWithLogits(x, X, t, X, null, R), null, "losses = null");
        rejects(() -> ce.binaryCrossEntropy(null, X, t, X, 1e-7f, o, R), o, "probabilities = null");
        rejects(() -> ce.binaryCrossEntropy(x, null, t, X, 1e-7f, o, R), o, "probabilitiesLayout = null");
        rejects(() -> ce.categoricalCrossEntropy(x, X, null, X, 1e-7f, o, R), o, "labels = null");
        rejects(() -> ce.categoricalCrossEntropy(x, X, t, X, 1e-7f, o, null), o, "lossesLayout = null");
        rejects(() -> ce.sparseCategoricalCrossEntropy(null, X, y, R, 1e-7f, o, R), o, "probabilities = null");
        rejects(() -> ce.sparseCategoricalCrossEntropy(x, X, null, R, 1e-7f, o, R), o, "labels = null");
        rejects(() -> ce.sigmoidCrossEntropyWithLogits(null, t, o), o, "logits = null");
        rejects(() -> ce.sigmoidCrossEntropyWithLogits(x, null, sentinel(N * C)), null, "labels = null");
        rejects(() -> ce.softmaxCrossEntropyWithLogits(x, t, C, null), null, "losses = null");
    }

    @ParameterizedTest
    @MethodSource("allBackends")
    void layoutsOutsideTheirArrays(CrossEntropy ce) {
        float[] x = logits();
        float[] t = new float[N * C];
        int[] y = {0, 1, 2, 3};
        float[] o = sentinel(N);
        float[] shortX = Arrays.copyOf(x, N * C - 1);
        rejects(() -> ce.softmaxCrossEntropyWithLogits(shortX, X, t, X, o, R), o, "logits", "19");
        rejects(() -> ce.softmaxCrossEntropyWithLogits(x, X.withOffset(1), t, X, o, R), o, "logits", "20");
        rejects(() -> ce.softmaxCrossEntropyWithLogits(x, X, new float[7], X, o, R), o, "labels", "7");
        float[] shortOut = sentinel(N - 1);
        rejects(() -> ce.softmaxCrossEntropyWithLogits(x, X, t, X, shortOut, R), shortOut, "losses", "3");
        rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, X, new int[] {0, 1, 2}, R, o, R), o, "labels", "3");
        rejects(() -> ce.sigmoidCrossEntropyWithLogits(x, X, t, X, sentinel(N * C - 1), X), null, "losses");
        rejects(() -> ce.binaryCrossEntropy(shortX, X, t, X, 1e-7f, o, R), o, "probabilities", "19");
        rejects(() -> ce.categoricalCrossEntropy(x, X, t, X, 1e-7f, o, R.withOffset(1)), o, "losses");
        rejects(() -> ce.sparseCategoricalCrossEntropy(x, X, y, R.withOffset(2), 1e-7f, o, R), o, "labels");
        // an empty layout whose offset is past the end
        float[] none = sentinel(2);
        rejects(() -> ce.softmaxCrossEntropyWithLogits(new float[3], Layout.rows(0, 3).withOffset(5), new float[3],
                Layout.rows(0, 3), none, Layout.vector(0)), none, "logits", "offset = 5");
    }

    @ParameterizedTest
    @MethodSource("allBackends")
    void mismatchedShapes(CrossEntropy ce) {
        float[] x = logits();
        float[] t = new float[40];
        int[] y = {0, 1, 2, 3, 4};
        float[] o = sentinel(40);
        rejects(() -> ce.softmaxCrossEntropyWithLogits(x, X, t, Layout.rows(N, C + 1), o, R), o, "labelsLayout", "[4, 6, 1]", "[4, 5, 1]");
        rejects(() -> ce.softmaxCrossEntropyWithLogits(x, X, t, X, o, Layout.vector(N + 1)), o, "lossesLayout", "[5, 1, 1]");
        rejects(() -> ce.softmaxCrossEntropyWithLogits(x, X, t, X, o, X), o, "lossesLayout");
        rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, X, y, Layout.vector(5), o, R), o, "labelsLayout", "[5, 1, 1]");
        rejects(() -> ce.sigmoidCrossEntropyWithLogits(x, X, t, X, o, Layout.rows(N, C - 1)), o, "lossesLayout", "[4, 4, 1]");
        rejects(() -> ce.binaryCrossEntropy(x, X, t, Layout.rows(C, N), 1e-7f, o, R), o, "labelsLayout");
        rejects(() -> ce.categoricalCrossEntropy(x, X, t, X, 1e-7f, o, Layout.channelsFirst(N, 1, 2)), o, "lossesLayout");
        rejects(() -> ce.sparseCategoricalCrossEntropy(x, X, y, R, 1e-7f, o, Layout.rows(N, 2)), o, "lossesLayout");
        // classes = 0 where the class axis is reduced
        rejects(() -> ce.softmaxCrossEntropyWithLogits(x, Layout.rows(N, 0), t, Layout.rows(N, 0), o, Layout.vector(N)), o, "classes = 0");
        rejects(() -> ce.sparseCategoricalCrossEntropy(x, Layout.rows(N, 0), y, Layout.vector(N), 1e-7f, o, Layout.vector(N)), o, "classes = 0");
        rejects(() -> ce.softmaxCrossEntropyWithLogits(x, new float[20], 0, o), o, "classes = 0");
        rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, new int[4], 3, o), o, "logits.length = 20", "classes = 3");
    }

    @ParameterizedTest
    @MethodSource("allBackends")
    void labelsOutOfRange(CrossEntropy ce) {
        float[] x = logits();
        for (int bad : new int[] {C, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            int[] y = {0, 1, bad, 3};
            int[] y0 = y.clone();
            float[] o = sentinel(N);
            float[] x0 = x.clone();
            rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, X, y, R, o, R), o, "labels", "row 2", String.valueOf(bad), "[0, 5)");
            rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, y, C, o), o, "labels", String.valueOf(bad));
            rejects(() -> ce.sparseCategoricalCrossEntropy(x, X, y, R, 1e-7f, o, R), o, "labels", String.valueOf(bad));
            assertEquals(Arrays.toString(y0), Arrays.toString(y));
            TestSupport.assertSameBits(x0, x, "logits after a rejected call");
        }
        // channels-first: the label of row r = n·inner + i
        Layout cf = Layout.channelsFirst(2, 3, 4);
        int[] y = new int[8];
        y[6] = 3;
        float[] o = sentinel(8);
        rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(new float[24], cf, y, Layout.rowsOf(cf), o, Layout.rowsOf(cf)), o,
                "row 6", "label 3");
    }

    @ParameterizedTest
    @MethodSource("allBackends")
    void epsilonOutOfRange(CrossEntropy ce) {
        float[] p = new float[N * C];
        Arrays.fill(p, 0.2f);
        float[] t = new float[N * C];
        int[] y = {0, 1, 2, 3};
        for (float eps : new float[] {0f, -1e-7f, 0.5f, 1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            float[] o = sentinel(N);
            String v = "epsilon = " + eps;
            rejects(() -> ce.binaryCrossEntropy(p, X, t, X, eps, o, R), o, v);
            rejects(() -> ce.categoricalCrossEntropy(p, X, t, X, eps, o, R), o, v);
            rejects(() -> ce.sparseCategoricalCrossEntropy(p, X, y, R, eps, o, R), o, v);
            assertThrows(IllegalArgumentException.class, () -> KerasLoss.binaryCrossentropy().epsilon(eps));
        }
    }

    @ParameterizedTest
    @MethodSource("allBackends")
    void outputOverlappingAnInput(CrossEntropy ce) {
        // losses in the same array as the logits, over them
        float[] buf = new float[N * C + N];
        float[] t = new float[N * C];
        float[] before = buf.clone();
        rejects(() -> ce.softmaxCrossEntropyWithLogits(buf, X, t, X, buf, Layout.vector(N).withOffset(3)), null, "losses", "overlap");
        TestSupport.assertSameBits(before, buf, "logits/losses buffer after a rejected call");
        rejects(() -> ce.sigmoidCrossEntropyWithLogits(buf, X, t, X, buf, X), null, "losses");
        rejects(() -> ce.softmaxCrossEntropyWithLogits(buf, X, t, X, t, R), null, "losses", "labels");
        // but the losses may live in the same array after the logits
        ce.softmaxCrossEntropyWithLogits(buf, X, t, X, buf, Layout.vector(N).withOffset(N * C));
        for (int r = 0; r < N; r++) {
            assertEquals(0f, buf[N * C + r], "all-zero labels give 0");
        }
    }

    @Test
    void layoutFactoriesNameTheirArguments() {
        rejects(() -> Layout.of(-1, 1, 1, 1, 1, 1, 1), null, "offset = -1");
        rejects(() -> Layout.of(0, -2, 1, 1, 1, 1, 1), null, "outer = -2");
        rejects(() -> Layout.of(0, 1, -3, 1, 1, 1, 1), null, "outerStride = -3");
        rejects(() -> Layout.of(0, 1, 1, -4, 1, 1, 1), null, "classes = -4");
        rejects(() -> Layout.of(0, 1, 1, 1, -5, 1, 1), null, "classStride = -5");
        rejects(() -> Layout.of(0, 1, 1, 1, 1, -6, 1), null, "inner = -6");
        rejects(() -> Layout.of(0, 1, 1, 1, 1, 1, -7), null, "innerStride = -7");
        rejects(() -> Layout.of(0, 65536, 1, 1, 1, 65536, 1), null, "rows exceeds");
        rejects(() -> Layout.rows(3, 5, 0, 4), null, "rowStride = 4", "classes = 5");
        rejects(() -> Layout.of(new int[] {2, 3}, 2), null, "axis = 2");
        rejects(() -> Layout.of(new int[] {2, 3}, -3), null, "axis = -3");
        rejects(() -> Layout.of(new int[0], 0), null, "shape");
        rejects(() -> Layout.of(null, 0), null, "shape = null");
        rejects(() -> Layout.of(new int[] {2, -3}, 0), null, "negative");
        rejects(() -> Layout.of(new int[] {65536, 65536}, 0), null, "elements");
        rejects(() -> Backend.parse("gpu"), null, "backend = gpu");
        rejects(() -> CrossEntropy.of(null), null, "backend = null");
        rejects(() -> Reduction.NONE.reduce(new float[1], Layout.vector(1), null, null), null, "NONE");
        rejects(() -> Reduction.SUM.reduce(new float[4], Layout.rows(2, 2), null, null), null, "one class");
        rejects(() -> Reduction.SUM.reduce(new float[4], Layout.vector(4), new float[3], Layout.vector(3)), null, "sampleWeights");
        rejects(() -> Reduction.SUM.reduce(new float[4], Layout.vector(4), new float[3], Layout.vector(4)), null, "sampleWeights", "3");
        rejects(() -> Reduction.SUM.reduce(new float[4], Layout.vector(4), new float[4], null), null, "weightsLayout = null");
        rejects(() -> Reduction.SUM.reduce(new float[3], Layout.vector(4), null, null), null, "losses");
    }

    @Test
    void layoutGeometry() {
        // independent arithmetic on the documented index formula
        Layout l = Layout.of(7, 3, 100, 5, 11, 4, 2);
        assertEquals(7 + 2 * 100 + 3 * 11 + 1 * 2, l.index(2, 3, 1));
        assertEquals(7 + 1 * 100 + 3 * 2, l.rowIndex(1 * 4 + 3));
        assertEquals(12, l.rows());
        assertEquals(60L, l.size());
        assertEquals(7 + 2 * 100 + 4 * 11 + 3 * 2, l.maxIndex());
        Layout nchw = Layout.of(new int[] {2, 8, 3, 5}, 1);
        assertEquals(Layout.channelsFirst(2, 8, 15), nchw);
        assertEquals(List.of(2, 8, 15, 120, 15, 1), List.of(nchw.outer(), nchw.classes(), nchw.inner(),
                nchw.outerStride(), nchw.classStride(), nchw.innerStride()));
        assertEquals(Layout.rows(6, 4), Layout.of(new int[] {2, 3, 4}, -1).withOffset(0));
        assertEquals(Layout.of(0, 6, 4, 4, 1, 1, 1), Layout.of(new int[] {2, 3, 4}, 2));
        assertEquals(Layout.of(0, 2, 3, 1, 1, 3, 1), Layout.rowsOf(Layout.channelsFirst(2, 5, 3)));
        assertEquals(Layout.rows(0, 3).offset() - 1L, Layout.rows(0, 3).maxIndex());
        assertEquals(Layout.of(1, 1, 1, 1, 1, 1, 1), Layout.of(1, 1, 1, 1, 1, 1, 1));
        assertEquals(Layout.of(1, 1, 1, 1, 1, 1, 1).hashCode(), Layout.of(1, 1, 1, 1, 1, 1, 1).hashCode());
        assertTrue(Layout.rows(2, 3).toString().contains("[2, 3, 1]"));
    }
}
