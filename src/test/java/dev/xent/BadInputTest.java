package dev.xent;

import static dev.xent.ValidationTest.rejects;
import static dev.xent.ValidationTest.sentinel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.xent.FuzzCases.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input everywhere, beyond {@link ValidationTest}: every argument of every op, on every backend and through
 * {@link ParallelCrossEntropy}, replaced by null, by a layout that reaches outside its array (also by offsets and
 * strides near {@code Integer.MAX_VALUE}, where int arithmetic would wrap), by a mismatched shape, by an overlapping
 * output; labels out of range and bad epsilons. Each must be an {@link IllegalArgumentException} naming the argument,
 * thrown before anything is written (the losses keep their sentinel) and with the inputs unchanged. Then the dense
 * convenience ops, {@link KerasLoss} and {@link Reduction} with arrays of the wrong length.
 */
class BadInputTest {

    static final int N = 4;
    static final int C = 5;
    static final Layout X = Layout.rows(N, C);
    static final Layout R = Layout.rowsOf(X);
    static final Executor DIRECT = Runnable::run;

    static Stream<Arguments> ops() {
        List<Arguments> out = new ArrayList<>();
        for (CrossEntropy ce : TestSupport.backendsWithReference()) {
            out.add(Arguments.of(Named.of(TestSupport.name(ce), FuzzCases.ops(ce))));
            out.add(Arguments.of(Named.of(TestSupport.name(ce) + " parallel", FuzzCases.ops(ce.parallel(DIRECT, 3).withMinElements(1)))));
        }
        return out.stream();
    }

    /** Layouts of the logits' shape that reach outside a 20-element array, some through int overflow. */
    static final Layout[] OUTSIDE = {
        X.withOffset(1),
        X.withOffset(Integer.MAX_VALUE - 3),
        Layout.of(0, N, Integer.MAX_VALUE, C, 1, 1, 1),
        Layout.of(0, N, C, C, Integer.MAX_VALUE / 2, 1, 1),
        Layout.of(Integer.MAX_VALUE, N, Integer.MAX_VALUE, C, Integer.MAX_VALUE, 1, Integer.MAX_VALUE),
    };

    /** Per-row layouts that reach outside a 4-element array. */
    static final Layout[] OUTSIDE_ROWS = {
        R.withOffset(1),
        R.withOffset(Integer.MAX_VALUE),
        Layout.of(0, N, Integer.MAX_VALUE, 1, 1, 1, 1),
        Layout.of(Integer.MAX_VALUE - 1, N, 1, 1, 1, 1, 1),
    };

    @ParameterizedTest
    @MethodSource("ops")
    void everyArgumentOfEveryOp(Ops ops) {
        float[] x = ValidationTest.logits();
        float[] p = new float[N * C];
        java.util.Arrays.fill(p, 0.2f);
        float[] t = new float[N * C];
        t[3] = 1f;
        int[] y = {0, 1, 2, 3};
        float[] x0 = x.clone();
        float[] p0 = p.clone();
        float[] t0 = t.clone();
        int[] y0 = y.clone();
        float eps = 1e-7f;
        float[] o = sentinel(N);
        float[] e = sentinel(N * C);

        // nulls
        rejects(() -> ops.softmax(null, X, t, X, o, R), o, "logits = null");
        rejects(() -> ops.softmax(x, X, null, X, o, R), o, "labels = null");
        rejects(() -> ops.softmax(x, X, t, null, o, R), o, "labelsLayout = null");
        rejects(() -> ops.sparse(x, null, y, R, o, R), o, "logitsLayout = null");
        rejects(() -> ops.sparse(x, X, y, R, null, R), null, "losses = null");
        rejects(() -> ops.sigmoid(x, X, t, X, e, null), e, "lossesLayout = null");
        rejects(() -> ops.binary(p, X, null, X, eps, e, X), e, "labels = null");
        rejects(() -> ops.categorical(null, X, t, X, eps, o, R), o, "probabilities = null");
        rejects(() -> ops.sparseCategorical(p, X, y, null, eps, o, R), o, "labelsLayout = null");

        // layouts reaching outside their arrays, with and without int overflow
        for (Layout bad : OUTSIDE) {
            String v = bad.toString();
            rejects(() -> ops.softmax(x, bad, t, bad, o, R), o, "logits");
            rejects(() -> ops.softmax(x, X, t, bad, o, R), o, "labels");
            rejects(() -> ops.sparse(x, bad, y, R, o, R), o, "logits");
            rejects(() -> ops.sigmoid(x, X, t, bad, e, X), e, "labels");
            rejects(() -> ops.sigmoid(x, X, t, X, e, bad), e, "losses");
            rejects(() -> ops.binary(p, bad, t, X, eps, o, R), o, "probabilities");
            rejects(() -> ops.categorical(p, X, t, bad, eps, o, R), o, "labels");
            rejects(() -> ops.sparseCategorical(p, bad, y, R, eps, o, R), o, "probabilities");
            assertArrayEquals(x0, x, v);
        }
        for (Layout bad : OUTSIDE_ROWS) {
            rejects(() -> ops.softmax(x, X, t, X, o, bad), o, "losses");
            rejects(() -> ops.sparse(x, X, y, bad, o, R), o, "labels");
            rejects(() -> ops.sigmoid(x, X, t, X, o, bad), o, "losses");
            rejects(() -> ops.categorical(p, X, t, X, eps, o, bad), o, "losses");
            rejects(() -> ops.sparseCategorical(p, X, y, bad, eps, o, R), o, "labels");
        }

        // mismatched shapes: labels of another shape, losses of another row count
        rejects(() -> ops.softmax(x, X, t, Layout.rows(C, N), o, R), o, "labelsLayout");
        rejects(() -> ops.sparse(x, X, y, Layout.vector(3), o, R), o, "labelsLayout");
        rejects(() -> ops.binary(p, X, t, X, eps, o, Layout.vector(3)), o, "lossesLayout");
        rejects(() -> ops.categorical(p, X, t, X, eps, o, Layout.vector(N + 1)), o, "lossesLayout");

        // labels out of range, bad epsilons
        for (int bad : new int[] {C, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            int[] yb = {0, bad, 2, 3};
            rejects(() -> ops.sparse(x, X, yb, R, o, R), o, "labels", "row 1", String.valueOf(bad));
            rejects(() -> ops.sparseCategorical(p, X, yb, R, eps, o, R), o, "labels", String.valueOf(bad));
        }
        for (float bad : new float[] {0f, -0f, -1e-7f, 0.5f, 2f, Float.NaN, Float.NEGATIVE_INFINITY}) {
            String v = "epsilon = " + bad;
            rejects(() -> ops.binary(p, X, t, X, bad, e, X), e, v);
            rejects(() -> ops.categorical(p, X, t, X, bad, o, R), o, v);
            rejects(() -> ops.sparseCategorical(p, X, y, R, bad, o, R), o, v);
        }

        // output overlapping an input in the same array (in-place output is not offered)
        float[] shared = x.clone();
        float[] sharedBefore = shared.clone();
        rejects(() -> ops.softmax(shared, X, t, X, shared, R.withOffset(7)), null, "losses", "overlap");
        rejects(() -> ops.sigmoid(shared, X, t, X, shared, X), null, "losses", "overlap");
        rejects(() -> ops.binary(p, X, shared, X, eps, shared, X), null, "losses", "labels");
        TestSupport.assertSameBits(sharedBefore, shared, "shared array after rejected calls");

        TestSupport.assertSameBits(x0, x, "logits");
        TestSupport.assertSameBits(p0, p, "probabilities");
        TestSupport.assertSameBits(t0, t, "labels");
        assertArrayEquals(y0, y, "sparse labels");
    }

    @Test
    void denseConvenienceOpsCheckTheLengths() {
        for (CrossEntropy ce : TestSupport.backendsWithReference()) {
            float[] x = ValidationTest.logits();
            float[] o = sentinel(N);
            rejects(() -> ce.softmaxCrossEntropyWithLogits(x, new float[N * C + 1], C, o), o, "labels.length = 21", "20");
            rejects(() -> ce.softmaxCrossEntropyWithLogits(x, new float[N * C - C], C, o), o, "labels.length = 15");
            rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, new int[N + 1], C, o), o, "labels.length = 5", "4 rows");
            rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, new int[N - 1], C, o), o, "labels.length = 3");
            rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, null, C, o), o, "labels = null");
            rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, new int[N], -2, o), o, "classes = -2");
            float[] e = sentinel(N * C);
            rejects(() -> ce.sigmoidCrossEntropyWithLogits(x, new float[N * C + 3], e), e, "labels.length = 23");
            rejects(() -> ce.sigmoidCrossEntropyWithLogits(x, new float[N * C], sentinel(N * C - 1)), null, "losses");
        }
    }

    @ParameterizedTest
    @MethodSource("ops")
    void lossesLayoutsThatWriteTwoElementsToOneIndex(Ops ops) {
        Layout cf = Layout.channelsFirst(2, C, 3);
        float[] x = new float[(int) cf.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = 0.37f * k - 3f;
        }
        float[] t = new float[x.length];
        java.util.Arrays.fill(t, 0.2f);
        int[] y = {0, 1, 2, 3, 4, 0};
        float eps = 1e-7f;
        Layout[] aliasingRows = {
            Layout.of(0, 2, 0, 1, 1, 3, 1),    // outer stride 0: both n write the same three elements
            Layout.of(0, 2, 1, 1, 1, 3, 0),    // inner stride 0
            Layout.of(0, 2, 2, 1, 1, 3, 1),    // (n, i) = (0, 2) and (1, 0) meet
        };
        for (Layout bad : aliasingRows) {
            float[] o = sentinel(8);
            rejects(() -> ops.softmax(x, cf, t, cf, o, bad), o, "lossesLayout", "one index");
            rejects(() -> ops.sparse(x, cf, y, Layout.rowsOf(cf), o, bad), o, "lossesLayout", "one index");
            rejects(() -> ops.sigmoid(x, cf, t, cf, o, bad), o, "lossesLayout", "one index");
            rejects(() -> ops.sparseCategorical(t, cf, y, Layout.rowsOf(cf), eps, o, bad), o, "lossesLayout", "one index");
        }
        float[] e = sentinel(40);
        rejects(() -> ops.binary(t, cf, t.clone(), cf, eps, e, Layout.of(0, 2, 3, C, 1, 3, C)), e, "lossesLayout", "one index");
        rejects(() -> ops.sigmoid(x, cf, t, cf, e, Layout.of(0, 2, 15, C, 0, 3, 1)), e, "classStride = 0");
        // interleaved but distinct (index n + 2i) is fine, and every row gets its own loss
        Layout interleaved = Layout.of(0, 2, 1, 1, 1, 3, 2);
        float[] o = sentinel(6);
        ops.sparse(x, cf, y, Layout.rowsOf(cf), o, interleaved);
        TestSupport.assertRows(dev.xent.internal.reference.ReferenceKernels.sparseSoftmaxCrossEntropy(x, cf, y, Layout.rowsOf(cf)),
                o, interleaved, "interleaved losses");
    }

    @Test
    void optionsAndGradientOutputsAreChecked() {
        Layout cf = Layout.channelsFirst(2, C, 3);
        float[] x = new float[(int) cf.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = 0.37f * k - 3f;
        }
        int[] y = {0, 1, 2, 3, 4, 0};
        Layout rows = Layout.rowsOf(cf);
        for (float bad : new float[] {-0.1f, 1.5f, Float.NaN}) {
            rejects(() -> LossOptions.pytorch().labelSmoothing(bad), null, "labelSmoothing = " + bad);
        }
        rejects(() -> LossOptions.pytorch().classWeights(new float[] {1f, -1f}), null, "classWeights[1] = -1.0");
        rejects(() -> LossOptions.pytorch().epsilon(0.5f), null, "epsilon = 0.5");
        for (CrossEntropy ce : TestSupport.backendsWithReference()) {
            float[] o = sentinel(6);
            float[] g = sentinel(x.length + 4);
            LossOptions wrongWeights = LossOptions.pytorch().classWeights(new float[C + 1]).build();
            rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, cf, y, rows, null, null, wrongWeights,
                    LossOutputs.losses(o, rows)), o, "classWeights.length = 6");
            rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, cf, y, rows, new float[5], rows, LossOptions.defaults(),
                    LossOutputs.losses(o, rows)), o, "sampleWeights");
            // a gradient layout that writes two elements to one index, and an in-place gradient over broadcast logits
            rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(x, cf, y, rows, null, null, LossOptions.defaults(),
                    LossOutputs.losses(o, rows).withGradient(g, Layout.of(0, 2, C * 3, C, 0, 3, 1))), o, "gradientLayout", "one index");
            TestSupport.assertAllUntouched(g, "gradient after a rejected call");
            float[] shared = x.clone();
            float[] before = shared.clone();
            Layout broadcast = Layout.of(0, 2, 0, C, 3, 3, 1);   // both n read the same logits
            rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(shared, broadcast, y, rows, null, null, LossOptions.defaults(),
                    LossOutputs.losses(o, rows).withGradientInPlace()), o, "in-place gradient", "one index");
            TestSupport.assertSameBits(before, shared, "logits after a rejected in-place gradient");
        }
    }

    @Test
    void halfFloatLogitsAreCheckedLikeFloatLogits() {
        for (CrossEntropy ce : TestSupport.backendsWithReference()) {
            short[] h = new short[N * C];
            int[] y = {0, 1, 2, 3};
            float[] o = sentinel(N);
            for (HalfFloat f : HalfFloat.values()) {
                rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(null, f, X, y, R, o, R), o, "logits = null");
                rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(h, f, null, y, R, o, R), o, "logitsLayout = null");
                rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(h, f, X.withOffset(Integer.MAX_VALUE - 1), y, R, o, R), o, "logits");
                rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(h, f, X, new int[] {0, 1, C, 3}, R, o, R), o, "labels", "row 2");
                rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(h, f, X, y, R, o, Layout.vector(N + 1)), o, "lossesLayout");
                rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(h, f, Layout.rows(N, 0), y, R, o, R), o, "classes = 0");
            }
            rejects(() -> ce.sparseSoftmaxCrossEntropyWithLogits(h, null, X, y, R, o, R), o, "format = null");
        }
    }

    @Test
    void kerasLossChecksEveryLength() {
        int[] shape = {N, C};
        float[] pred = new float[N * C];
        java.util.Arrays.fill(pred, 0.2f);
        float[] labels = new float[N * C];
        for (KerasLoss.Builder b : new KerasLoss.Builder[] {KerasLoss.binaryCrossentropy(), KerasLoss.categoricalCrossentropy()}) {
            KerasLoss loss = b.build();
            float[] o = sentinel(N);
            rejects(() -> loss.perExample(labels, new float[N * C + 1], shape, null, o), o, "predictions.length = 21", "[4, 5]");
            rejects(() -> loss.perExample(new float[N * C + 1], pred, shape, null, o), o, "labels.length = 21");
            rejects(() -> loss.perExample(new float[N * C - 1], pred, shape, null, o), o, "labels.length = 19");
            rejects(() -> loss.perExample(labels, null, shape, null, o), o, "predictions = null");
            rejects(() -> loss.perExample(labels, pred, shape, new float[N + 1], o), o, "sampleWeights.length = 5");
            rejects(() -> loss.perExample(labels, pred, shape, null, sentinel(N - 1)), null, "losses");
            rejects(() -> loss.perExample(labels, pred, new int[] {N, -C}, null, o), o, "negative");
            rejects(() -> loss.perExample(labels, pred, null, null, o), o, "shape = null");
            rejects(() -> loss.call(labels, pred, shape, new float[N - 1]), null, "sampleWeights.length = 3");
            rejects(() -> loss.call(labels, pred, shape, new float[N * C]), null, "sampleWeights.length = 20");
        }
        KerasLoss sparse = KerasLoss.sparseCategoricalCrossentropy().build();
        float[] o = sentinel(N);
        rejects(() -> sparse.perExample(new int[N + 1], pred, shape, null, o), o, "labels.length = 5");
        rejects(() -> sparse.perExample(new int[] {0, 1, C, 0}, pred, shape, null, o), o, "labels", String.valueOf(C));
        rejects(() -> sparse.perExample(new int[N], new float[N * C - 1], shape, null, o), o, "predictions.length = 19");
        rejects(() -> sparse.call(new int[N], pred, shape, new float[N + 2]), null, "sampleWeights.length = 6");
        rejects(() -> KerasLoss.categoricalCrossentropy().epsilon(0.5f), null, "epsilon = 0.5");
    }

    @Test
    void reductionNamesItsArguments() {
        rejects(() -> Reduction.SUM.reduce(new float[4], 0, -1), null, "count = -1");
        rejects(() -> Reduction.SUM.reduce(new float[4], -2, 1), null, "offset = -2");
        rejects(() -> Reduction.SUM.reduce(new float[4], 2, 3), null, "losses", "4");
        rejects(() -> Reduction.MEAN.reduce(null, 0, 0), null, "losses = null");
        rejects(() -> Reduction.MEAN.reduce(new float[4], Layout.vector(4), new float[4], null), null, "weightsLayout = null");
        rejects(() -> Reduction.MEAN.reduce(new float[4], Layout.vector(4), new float[4], Layout.vector(4).withOffset(1)),
                null, "sampleWeights", "4");
        rejects(() -> Reduction.SUM.reduce(new float[4], Layout.vector(4).withOffset(Integer.MAX_VALUE), null, null),
                null, "losses");
    }

    @Test
    void parallelOpsNameTheirConfiguration() {
        CrossEntropy ce = CrossEntropy.of(Backend.SCALAR);
        rejects(() -> ce.parallel(null, 2), null, "executor = null");
        rejects(() -> ce.parallel(DIRECT, 0), null, "parallelism = 0");
        rejects(() -> ce.parallel(DIRECT, 2).withMinElements(-1), null, "minElements = -1");
    }

    /** Every rejection above happens on the calling thread before any part is submitted. */
    @Test
    void parallelRejectsBeforeSubmittingAnything() {
        Executor refusing = r -> {
            throw new AssertionError("a task was submitted for a call that must be rejected");
        };
        Ops ops = FuzzCases.ops(CrossEntropy.of(Backend.SCALAR).parallel(refusing, 4).withMinElements(0));
        float[] o = sentinel(N);
        Executable call = () -> ops.sparse(ValidationTest.logits(), X, new int[] {0, 1, 9, 0}, R, o, R);
        rejects(call, o, "labels", "9");
    }
}
