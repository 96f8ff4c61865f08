package dev.xent;

import dev.xent.internal.KernelProvider;
import dev.xent.internal.Kernels;

/**
 * The TensorFlow-style cross-entropy ops over flat {@code float[]} batches, on one {@link Backend}.
 *
 * <p>Every op reads its inputs through a {@link Layout} ({@code [outer, classes, inner]} with an offset and
 * strides, the class axis anywhere) and writes one loss per row into a caller-provided array through a
 * per-row layout (shape {@code [outer, 1, inner]}, e.g. {@link Layout#rowsOf(Layout)}); the elementwise
 * ops ({@link #sigmoidCrossEntropyWithLogits sigmoid}, {@link #binaryCrossEntropy binary}) write either
 * one loss per element (a losses layout of the logits' shape) or, as Keras, the mean over the class axis
 * (a per-row losses layout). Ops allocate nothing and write nothing outside the losses layout.
 *
 * <p>Logits go through log-sum-exp, {@code lse = m + log Σ_c exp(x_c − m)} with {@code m = max_c x_c},
 * and the loss of class {@code c} is formed as {@code (m − x_c) + log Σ exp(x − m)}; nothing computes
 * {@code log(softmax)}. Losses are in nats.
 *
 * <p><b>Errors.</b> A null array or layout, a layout that reaches outside its array, layouts whose shapes do
 * not match, a class count of 0 where a class axis is reduced, a losses layout that maps two elements to one index (a
 * stride of 0, or axes whose steps meet), an integer label outside {@code [0, C)},
 * an epsilon outside {@code (0, 0.5)}, or a losses array that overlaps an input array: an
 * {@link IllegalArgumentException} naming the argument and the value, thrown before anything is written.
 * <b>NaN and infinity</b> in the data are data: a NaN, or a {@code +inf} logit, makes the loss of its own row
 * NaN (as TensorFlow) and never touches another row; a {@code −inf} logit is an impossible class (loss
 * {@code +inf} if it is the target, no effect otherwise).
 *
 * <p>Instances are immutable, stateless and safe to share between threads.
 */
public final class CrossEntropy {

    private final Backend backend;
    private final Kernels kernels;

    private CrossEntropy(Backend backend, Kernels kernels) {
        this.backend = backend;
        this.kernels = kernels;
    }

    private static final class Default {
        static final CrossEntropy INSTANCE = of(KernelProvider.defaultBackend());
    }

    /** The ops on the backend chosen for this JVM (see {@link Backend}). */
    public static CrossEntropy get() {
        return Default.INSTANCE;
    }

    /**
     * The ops on a given backend.
     *
     * @throws UnsupportedOperationException if {@code backend} is {@link Backend#VECTOR} and the Vector API
     *         is not available, saying why and how to enable it
     */
    public static CrossEntropy of(Backend backend) {
        Checks.notNull("backend", backend);
        return new CrossEntropy(backend, KernelProvider.kernels(backend));
    }

    /** Whether the vector backend can run in this JVM. */
    public static boolean vectorAvailable() {
        return KernelProvider.vectorUnavailableReason() == null;
    }

    public Backend backend() {
        return backend;
    }

    /** The vector species in use, e.g. {@code Species[float, 16, S_512_BIT]}, or {@code "none"}. */
    public String species() {
        return kernels.species();
    }

    // ---- softmax cross-entropy, dense labels ---------------------------------------------------------------

    /**
     * Softmax cross-entropy from logits with dense labels, as TensorFlow
     * {@code tf.nn.softmax_cross_entropy_with_logits} and PyTorch {@code cross_entropy} with probability
     * targets ({@code reduction='none'}): per row,
     * {@code loss = Σ_c t_c·(lse − x_c)}, formed as {@code Σ_c t_c·((m − x_c) + log Σ exp(x − m))}.
     * Labels may be one-hot, soft, negative, or all zero (loss 0); they need not sum to 1. A term with
     * {@code t_c = 0} contributes 0 even when {@code x_c = −inf}.
     *
     * @param logits       logits, shape {@code [outer, C, inner]} through {@code logitsLayout}, {@code C ≥ 1}
     * @param labels       label weights, same shape through {@code labelsLayout}
     * @param losses       output, one loss per row through {@code lossesLayout} (shape {@code [outer, 1, inner]})
     * @throws IllegalArgumentException see the class documentation
     */
    public void softmaxCrossEntropyWithLogits(float[] logits, Layout logitsLayout, float[] labels, Layout labelsLayout,
                                              float[] losses, Layout lossesLayout) {
        validateSoftmax(logits, logitsLayout, labels, labelsLayout, losses, lossesLayout);
        kernels.softmaxCrossEntropy(logits, logitsLayout, labels, labelsLayout, losses, lossesLayout);
    }

    /**
     * {@link #softmaxCrossEntropyWithLogits(float[], Layout, float[], Layout, float[], Layout)} for dense {@code [N, classes]} rows;
     * {@code losses[r]} gets row r. {@code labels.length} must equal {@code logits.length}, {@code losses} hold at least N.
     */
    public void softmaxCrossEntropyWithLogits(float[] logits, float[] labels, int classes, float[] losses) {
        Layout l = denseRows("logits", logits, classes);
        sameLength("labels", labels, logits.length);
        softmaxCrossEntropyWithLogits(logits, l, labels, l, losses, Layout.rowsOf(l));
    }

    // ---- sparse softmax cross-entropy -------------------------------------------------------------------

    /**
     * Sparse softmax cross-entropy from logits with integer class labels, as TensorFlow
     * {@code tf.nn.sparse_softmax_cross_entropy_with_logits} and PyTorch {@code cross_entropy}
     * ({@code reduction='none'}): per row {@code loss = lse − x_y = (m − x_y) + log Σ exp(x − m)}.
     *
     * @param logits       logits, shape {@code [outer, C, inner]}, {@code C ≥ 1}
     * @param labels       one class index per row in {@code [0, C)}, through a per-row {@code labelsLayout}
     * @param losses       output, one loss per row through {@code lossesLayout}
     * @throws IllegalArgumentException for a label outside {@code [0, C)} (naming the row and the label), and
     *         see the class documentation
     */
    public void sparseSoftmaxCrossEntropyWithLogits(float[] logits, Layout logitsLayout, int[] labels, Layout labelsLayout,
                                                    float[] losses, Layout lossesLayout) {
        validateSparseSoftmax(logits, logitsLayout, labels, labelsLayout, losses, lossesLayout);
        kernels.sparseSoftmaxCrossEntropy(logits, logitsLayout, labels, labelsLayout, losses, lossesLayout);
    }

    /**
     * Sparse softmax cross-entropy for dense {@code [N, classes]} rows, {@code N = logits.length / classes}, which must
     * equal {@code labels.length}; {@code losses[r]} gets row r ({@code losses} hold at least N).
     */
    public void sparseSoftmaxCrossEntropyWithLogits(float[] logits, int[] labels, int classes, float[] losses) {
        Layout l = denseRows("logits", logits, classes);
        Checks.notNull("labels", labels);
        if (labels.length != l.rows()) {
            throw new IllegalArgumentException("labels.length = " + labels.length + " but logits hold " + l.rows()
                    + " rows of " + classes + " classes");
        }
        sparseSoftmaxCrossEntropyWithLogits(logits, l, labels, Layout.rowsOf(l), losses, Layout.rowsOf(l));
    }

    /**
     * Sparse softmax cross-entropy of reduced-precision logits: {@code logits} holds the raw 16 bits of bfloat16 or
     * float16 values ({@link HalfFloat}), widened to float in registers; otherwise exactly
     * {@link #sparseSoftmaxCrossEntropyWithLogits(float[], Layout, int[], Layout, float[], Layout)}. Half the
     * memory traffic of float logits for the large-vocabulary rows of LLM serving.
     *
     * @throws IllegalArgumentException as the float op, or for a null format
     */
    public void sparseSoftmaxCrossEntropyWithLogits(short[] logits, HalfFloat format, Layout logitsLayout, int[] labels,
                                                    Layout labelsLayout, float[] losses, Layout lossesLayout) {
        Checks.notNull("logits", logits);
        Checks.notNull("format", format);
        Checks.notNull("logitsLayout", logitsLayout);
        if (logitsLayout.classes() < 1) {
            throw new IllegalArgumentException("logitsLayout: classes = " + logitsLayout.classes() + " must be at least 1");
        }
        logitsLayout.checkFits("logits", logits.length);
        checkSparse(labels, labelsLayout, logitsLayout);
        checkRows(losses, lossesLayout, logitsLayout, null, null);
        kernels.sparseSoftmaxCrossEntropy(logits, format, logitsLayout, labels, labelsLayout, losses, lossesLayout);
    }

    // ---- sigmoid cross-entropy --------------------------------------------------------------------------

    /**
     * Sigmoid cross-entropy from logits, as TensorFlow {@code tf.nn.sigmoid_cross_entropy_with_logits} and
     * PyTorch {@code binary_cross_entropy_with_logits}: per element
     * {@code loss = max(x, 0) − x·z + log1p(exp(−|x|))}. Labels {@code z} may be soft.
     * If {@code lossesLayout} has the logits' shape the losses are elementwise; if it is a per-row layout
     * ({@code [outer, 1, inner]}) each row gets the mean over the class axis, as Keras
     * {@code binary_crossentropy(from_logits=True)}.
     *
     * @throws IllegalArgumentException see the class documentation
     */
    public void sigmoidCrossEntropyWithLogits(float[] logits, Layout logitsLayout, float[] labels, Layout labelsLayout,
                                              float[] losses, Layout lossesLayout) {
        validateSigmoid(logits, logitsLayout, labels, labelsLayout, losses, lossesLayout);
        kernels.sigmoidCrossEntropy(logits, logitsLayout, labels, labelsLayout, losses, lossesLayout);
    }

    /**
     * Elementwise sigmoid cross-entropy of dense arrays: {@code losses[k]} for {@code logits[k], labels[k]};
     * {@code labels.length} must equal {@code logits.length}, {@code losses} hold at least as many.
     */
    public void sigmoidCrossEntropyWithLogits(float[] logits, float[] labels, float[] losses) {
        Checks.notNull("logits", logits);
        sameLength("labels", labels, logits.length);
        Layout l = Layout.vector(logits.length);
        sigmoidCrossEntropyWithLogits(logits, l, labels, l, losses, l);
    }

    // ---- probability forms (Keras, from_logits=False) -------------------------------------------------

    /**
     * Binary cross-entropy from probabilities, as Keras {@code binary_crossentropy(from_logits=False)}:
     * {@code p} is clipped to {@code [ε, 1−ε]}, then {@code loss = −(z·log p + (1−z)·log(1−p))} per element, with
     * {@code 1 − p} formed before the clip so that {@code p = 1, z = 0} gives {@code −log ε = 16.118095} (for
     * ε = 1e-7) just as {@code p = 0, z = 1} does, where float32 Keras gives 15.942385 for the former. Elementwise or the mean over the class axis
     * (Keras), chosen by the shape of {@code lossesLayout} as for
     * {@link #sigmoidCrossEntropyWithLogits(float[], Layout, float[], Layout, float[], Layout)}.
     *
     * @param epsilon the clip bound, in {@code (0, 0.5)}; Keras uses {@code 1e-7}
     * @throws IllegalArgumentException see the class documentation
     */
    public void binaryCrossEntropy(float[] probabilities, Layout probabilitiesLayout, float[] labels, Layout labelsLayout,
                                   float epsilon, float[] losses, Layout lossesLayout) {
        validateBinary(probabilities, probabilitiesLayout, labels, labelsLayout, epsilon, losses, lossesLayout);
        kernels.binaryCrossEntropy(probabilities, probabilitiesLayout, labels, labelsLayout, epsilon, losses, lossesLayout);
    }

    /**
     * Categorical cross-entropy from probabilities, as Keras {@code categorical_crossentropy(from_logits=False)}:
     * per row the probabilities are renormalised along the class axis, clipped to {@code [ε, 1−ε]}, and
     * {@code loss = −Σ_c t_c·log clip(p_c / Σ_c p_c, ε, 1−ε)}. A row whose probabilities sum to 0 gives NaN.
     *
     * @param epsilon the clip bound, in {@code (0, 0.5)}; Keras uses {@code 1e-7}
     * @throws IllegalArgumentException see the class documentation
     */
    public void categoricalCrossEntropy(float[] probabilities, Layout probabilitiesLayout, float[] labels, Layout labelsLayout,
                                        float epsilon, float[] losses, Layout lossesLayout) {
        validateCategorical(probabilities, probabilitiesLayout, labels, labelsLayout, epsilon, losses, lossesLayout);
        kernels.categoricalCrossEntropy(probabilities, probabilitiesLayout, labels, labelsLayout, epsilon, losses, lossesLayout);
    }

    /**
     * Sparse categorical cross-entropy from probabilities, as Keras
     * {@code sparse_categorical_crossentropy(from_logits=False)}:
     * {@code loss = −log clip(p_y / Σ_c p_c, ε, 1−ε)} per row.
     *
     * @param epsilon the clip bound, in {@code (0, 0.5)}; Keras uses {@code 1e-7}
     * @throws IllegalArgumentException for a label outside {@code [0, C)}, and see the class documentation
     */
    public void sparseCategoricalCrossEntropy(float[] probabilities, Layout probabilitiesLayout, int[] labels,
                                              Layout labelsLayout, float epsilon, float[] losses, Layout lossesLayout) {
        validateSparseCategorical(probabilities, probabilitiesLayout, labels, labelsLayout, epsilon, losses, lossesLayout);
        kernels.sparseCategoricalCrossEntropy(probabilities, probabilitiesLayout, labels, labelsLayout, epsilon, losses, lossesLayout);
    }

    /**
     * These ops split across threads: rows (or, for a few huge rows, the class range) go to {@code executor} in
     * up to {@code parallelism} parts. See {@link ParallelCrossEntropy}.
     */
    public ParallelCrossEntropy parallel(java.util.concurrent.Executor executor, int parallelism) {
        return new ParallelCrossEntropy(this, executor, parallelism, ParallelCrossEntropy.DEFAULT_MIN_ELEMENTS);
    }

    /** These ops split across the common {@link java.util.concurrent.ForkJoinPool}, one part per available processor. */
    public ParallelCrossEntropy parallel() {
        return parallel(java.util.concurrent.ForkJoinPool.commonPool(), Runtime.getRuntime().availableProcessors());
    }

    Kernels kernels() {
        return kernels;
    }

    // ---- checks, shared with ParallelCrossEntropy ----------------------------------------------------------

    static void validateSoftmax(float[] logits, Layout logitsLayout, float[] labels, Layout labelsLayout,
                                float[] losses, Layout lossesLayout) {
        checkLogits("logits", logits, "logitsLayout", logitsLayout, true);
        checkDense(labels, labelsLayout, logitsLayout);
        checkRows(losses, lossesLayout, logitsLayout, logits, labels);
    }

    static void validateSparseSoftmax(float[] logits, Layout logitsLayout, int[] labels, Layout labelsLayout,
                                      float[] losses, Layout lossesLayout) {
        checkLogits("logits", logits, "logitsLayout", logitsLayout, true);
        checkSparse(labels, labelsLayout, logitsLayout);
        checkRows(losses, lossesLayout, logitsLayout, logits, null);
    }

    static void validateSigmoid(float[] logits, Layout logitsLayout, float[] labels, Layout labelsLayout,
                                float[] losses, Layout lossesLayout) {
        checkLogits("logits", logits, "logitsLayout", logitsLayout, false);
        checkDense(labels, labelsLayout, logitsLayout);
        checkElementwise(losses, lossesLayout, logitsLayout, logits, labels);
    }

    static void validateBinary(float[] probabilities, Layout probabilitiesLayout, float[] labels, Layout labelsLayout,
                               float epsilon, float[] losses, Layout lossesLayout) {
        checkLogits("probabilities", probabilities, "probabilitiesLayout", probabilitiesLayout, false);
        checkDense(labels, labelsLayout, probabilitiesLayout);
        Checks.epsilon(epsilon);
        checkElementwise(losses, lossesLayout, probabilitiesLayout, probabilities, labels);
    }

    static void validateCategorical(float[] probabilities, Layout probabilitiesLayout, float[] labels, Layout labelsLayout,
                                    float epsilon, float[] losses, Layout lossesLayout) {
        checkLogits("probabilities", probabilities, "probabilitiesLayout", probabilitiesLayout, true);
        checkDense(labels, labelsLayout, probabilitiesLayout);
        Checks.epsilon(epsilon);
        checkRows(losses, lossesLayout, probabilitiesLayout, probabilities, labels);
    }

    static void validateSparseCategorical(float[] probabilities, Layout probabilitiesLayout, int[] labels,
                                          Layout labelsLayout, float epsilon, float[] losses, Layout lossesLayout) {
        checkLogits("probabilities", probabilities, "probabilitiesLayout", probabilitiesLayout, true);
        checkSparse(labels, labelsLayout, probabilitiesLayout);
        Checks.epsilon(epsilon);
        checkRows(losses, lossesLayout, probabilitiesLayout, probabilities, null);
    }

    /** The dense labels of a convenience op must have exactly one label per logit. */
    private static void sameLength(String name, float[] labels, int expected) {
        Checks.notNull(name, labels);
        if (labels.length != expected) {
            throw new IllegalArgumentException(name + ".length = " + labels.length + " but logits.length = " + expected);
        }
    }

    private static Layout denseRows(String name, float[] logits, int classes) {
        Checks.notNull(name, logits);
        if (classes < 1) {
            throw new IllegalArgumentException("classes = " + classes + " must be at least 1");
        }
        if (logits.length % classes != 0) {
            throw new IllegalArgumentException(name + ".length = " + logits.length + " is not a multiple of classes = " + classes);
        }
        return Layout.rows(logits.length / classes, classes);
    }

    private static void checkLogits(String name, float[] data, String layoutName, Layout layout, boolean reducesClasses) {
        Checks.notNull(name, data);
        Checks.notNull(layoutName, layout);
        if (reducesClasses && layout.classes() < 1) {
            throw new IllegalArgumentException(layoutName + ": classes = " + layout.classes() + " must be at least 1");
        }
        layout.checkFits(name, data.length);
    }

    private static void checkDense(float[] labels, Layout labelsLayout, Layout logitsLayout) {
        Checks.notNull("labels", labels);
        Checks.notNull("labelsLayout", labelsLayout);
        Checks.sameShape("labelsLayout", labelsLayout, logitsLayout);
        labelsLayout.checkFits("labels", labels.length);
    }

    private static void checkSparse(int[] labels, Layout labelsLayout, Layout logitsLayout) {
        Checks.notNull("labels", labels);
        Checks.notNull("labelsLayout", labelsLayout);
        Checks.rowsLayout("labelsLayout", labelsLayout, logitsLayout);
        labelsLayout.checkFits("labels", labels.length);
        Checks.labelsInRange(labels, labelsLayout, logitsLayout.classes());
    }

    private static void checkRows(float[] losses, Layout lossesLayout, Layout logitsLayout, float[] in1, float[] in2) {
        Checks.notNull("losses", losses);
        Checks.notNull("lossesLayout", lossesLayout);
        Checks.rowsLayout("lossesLayout", lossesLayout, logitsLayout);
        lossesLayout.checkFits("losses", losses.length);
        Checks.distinctElements("lossesLayout", lossesLayout);
        checkNoOverlap(losses, lossesLayout, in1, logitsLayout, in2);
    }

    private static void checkElementwise(float[] losses, Layout lossesLayout, Layout logitsLayout, float[] in1, float[] in2) {
        Checks.notNull("losses", losses);
        Checks.notNull("lossesLayout", lossesLayout);
        if (!lossesLayout.sameShape(logitsLayout) && !lossesLayout.isRowsOf(logitsLayout)) {
            throw new IllegalArgumentException("lossesLayout: shape " + lossesLayout.shapeString() + " is neither "
                    + logitsLayout.shapeString() + " (elementwise) nor [" + logitsLayout.outer() + ", 1, "
                    + logitsLayout.inner() + "] (mean over the class axis)");
        }
        if (lossesLayout.isRowsOf(logitsLayout) && logitsLayout.classes() == 0 && logitsLayout.rows() > 0) {
            throw new IllegalArgumentException("lossesLayout: a mean over the class axis needs classes ≥ 1, got 0");
        }
        lossesLayout.checkFits("losses", losses.length);
        Checks.distinctElements("lossesLayout", lossesLayout);
        checkNoOverlap(losses, lossesLayout, in1, logitsLayout, in2);
    }

    /** The losses must not overlap an input in the same array; in-place output is not offered by these ops. */
    private static void checkNoOverlap(float[] losses, Layout lossesLayout, float[] in1, Layout in1Layout, float[] in2) {
        if (lossesLayout.size() == 0) {
            return;
        }
        if (losses == in2) {
            throw new IllegalArgumentException("losses: the output array is also the labels array; pass a separate losses array");
        }
        if (losses == in1 && lossesLayout.offset() <= in1Layout.maxIndex() && in1Layout.offset() <= lossesLayout.maxIndex()) {
            throw new IllegalArgumentException("losses: indices [" + lossesLayout.offset() + ", " + lossesLayout.maxIndex()
                    + "] overlap the input's [" + in1Layout.offset() + ", " + in1Layout.maxIndex() + "] in the same array");
        }
    }
}
