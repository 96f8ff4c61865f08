package dev.xent;

import dev.xent.internal.KernelProvider;
import dev.xent.internal.Kernels;
import dev.xent.internal.LossParams;

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

    // ---- losses with options and fused gradients --------------------------------------------------------------

    /** Which loss a call with options computes. */
    private enum Form {
        SOFTMAX(true, false, false), SPARSE_SOFTMAX(true, true, false), SIGMOID(true, false, true),
        BINARY(false, false, true), CATEGORICAL(false, false, false), SPARSE_CATEGORICAL(false, true, false);

        final boolean logits;
        final boolean sparse;
        final boolean elementwise;

        Form(boolean logits, boolean sparse, boolean elementwise) {
            this.logits = logits;
            this.sparse = sparse;
            this.elementwise = elementwise;
        }
    }

    /**
     * Softmax cross-entropy from logits with dense labels and {@link LossOptions}: class weights, label smoothing,
     * z-loss, soft-capping (see {@link LossOptions} for the formulas), reduced by {@code options.reduction()} under
     * {@code options.semantics()}, with the losses, the gradient {@code ∂reduced/∂logits} ({@code softmax·ΣT − T},
     * exact for labels that do not sum to 1) and lse per row written where {@code outputs} says.
     *
     * <p>Reductions ({@code s_r} the sample weight, 1 without; {@code l_r} the row's loss with class weights, smoothing and
     * z-loss): {@link Reduction#SUM} {@code Σ s_r·l_r}; {@link Reduction#SUM_OVER_BATCH_SIZE} that over the number of rows;
     * {@link Reduction#MEAN} that over {@code Σ s_r} (PyTorch with probability targets); a zero divisor gives 0
     * ({@link Semantics#KERAS}) or the IEEE quotient, NaN for an empty batch ({@link Semantics#PYTORCH}), and a zero
     * gradient. {@link Reduction#NONE} returns NaN and its gradient is that of {@code Σ s_r·l_r}.
     *
     * @param sampleWeights one weight per row through the per-row {@code weightsLayout}, or null
     * @return the reduced value, NaN for {@link Reduction#NONE}
     * @throws IllegalArgumentException as the plain op, and for options that do not apply (pos_weight), class weights
     *         whose length is not C, an output layout of the wrong shape, or outputs that overlap each other or an input
     *         (the gradient may overwrite the logits only through {@link LossOutputs#withGradientInPlace()})
     */
    public double softmaxCrossEntropyWithLogits(float[] logits, Layout logitsLayout, float[] labels, Layout labelsLayout,
                                                float[] sampleWeights, Layout weightsLayout, LossOptions options, LossOutputs outputs) {
        return run(Form.SOFTMAX, logits, logitsLayout, labels, null, labelsLayout, sampleWeights, weightsLayout, options, outputs);
    }

    /**
     * Sparse softmax cross-entropy from logits with {@link LossOptions}, as PyTorch {@code cross_entropy(weight,
     * ignore_index, label_smoothing)}: per row {@code (1−ls)·w_y·(lse − x_y) + (ls/C)·Σ_c w_c·(lse − x_c) + s·lse²};
     * rows labelled {@code ignoreIndex} give loss 0 and gradient 0 and are not counted. {@link Reduction#MEAN}
     * divides by {@code Σ s_r·w[y_r]} over the non-ignored rows (PyTorch; NaN when all are ignored under
     * {@link Semantics#PYTORCH}, 0 under {@link Semantics#KERAS}); {@link Reduction#SUM_OVER_BATCH_SIZE} by the number
     * of non-ignored rows (0 when none). Otherwise as
     * {@link #softmaxCrossEntropyWithLogits(float[], Layout, float[], Layout, float[], Layout, LossOptions, LossOutputs)}.
     *
     * @throws IllegalArgumentException also for a label neither in {@code [0, C)} nor the ignore index
     */
    public double sparseSoftmaxCrossEntropyWithLogits(float[] logits, Layout logitsLayout, int[] labels, Layout labelsLayout,
                                                      float[] sampleWeights, Layout weightsLayout, LossOptions options, LossOutputs outputs) {
        return run(Form.SPARSE_SOFTMAX, logits, logitsLayout, null, labels, labelsLayout, sampleWeights, weightsLayout, options, outputs);
    }

    /**
     * Sigmoid cross-entropy from logits with {@link LossOptions}, as PyTorch {@code binary_cross_entropy_with_logits(weight,
     * pos_weight)} and TensorFlow {@code weighted_cross_entropy_with_logits}: per element
     * {@code w_c·(max(x,0) − x·z + log1p(e^−|x|) + (q_c−1)·z·softplus(−x))} after soft-capping and binary label
     * smoothing. Losses elementwise or per-row means (by the losses layout, as the plain op). The reductions count
     * elements: {@link Reduction#SUM_OVER_BATCH_SIZE} divides by {@code rows·C} (the same as Keras' mean over the last
     * axis then over the batch), {@link Reduction#MEAN} by {@code C·Σ s_r}. Sample weights are per row and apply to
     * every element of the row.
     *
     * @throws IllegalArgumentException as the plain op, for z-loss, or for per-class weights whose length is not C
     */
    public double sigmoidCrossEntropyWithLogits(float[] logits, Layout logitsLayout, float[] labels, Layout labelsLayout,
                                                float[] sampleWeights, Layout weightsLayout, LossOptions options, LossOutputs outputs) {
        return run(Form.SIGMOID, logits, logitsLayout, labels, null, labelsLayout, sampleWeights, weightsLayout, options, outputs);
    }

    /**
     * Binary cross-entropy from probabilities with {@link LossOptions}: per element {@code −w_c·(q_c·z·L1 + (1−z)·L0)}, with
     * Keras {@code L1 = log clip(p, ε, 1−ε)}, {@code L0 = log clip(1−p, ε, 1−ε)} or PyTorch {@code L1 = max(log p, −100)},
     * {@code L0 = max(log(1−p), −100)}. The gradient is taken with respect to the probabilities and is the derivative
     * of exactly that (0 where a log is clipped or clamped). Reductions as
     * {@link #sigmoidCrossEntropyWithLogits(float[], Layout, float[], Layout, float[], Layout, LossOptions, LossOutputs)}.
     *
     * @throws IllegalArgumentException as the plain op, and for z-loss or soft-capping (logits only)
     */
    public double binaryCrossEntropy(float[] probabilities, Layout probabilitiesLayout, float[] labels, Layout labelsLayout,
                                     float[] sampleWeights, Layout weightsLayout, LossOptions options, LossOutputs outputs) {
        return run(Form.BINARY, probabilities, probabilitiesLayout, labels, null, labelsLayout, sampleWeights, weightsLayout, options, outputs);
    }

    /**
     * Categorical cross-entropy from probabilities with {@link LossOptions}: {@code q = p / Σp} along the class axis,
     * {@code −Σ_c T_c·L_c} with {@code L_c} the Keras clip or the PyTorch clamp of {@code log q_c} (PyTorch has no such
     * loss; its probability rule is applied). Gradient with respect to the probabilities. Reductions as the softmax form.
     *
     * @throws IllegalArgumentException as the plain op, and for z-loss, soft-capping or pos_weight
     */
    public double categoricalCrossEntropy(float[] probabilities, Layout probabilitiesLayout, float[] labels, Layout labelsLayout,
                                          float[] sampleWeights, Layout weightsLayout, LossOptions options, LossOutputs outputs) {
        return run(Form.CATEGORICAL, probabilities, probabilitiesLayout, labels, null, labelsLayout, sampleWeights, weightsLayout, options, outputs);
    }

    /** Sparse categorical cross-entropy from probabilities with {@link LossOptions}; ignored rows and reductions as the sparse softmax form. */
    public double sparseCategoricalCrossEntropy(float[] probabilities, Layout probabilitiesLayout, int[] labels, Layout labelsLayout,
                                                float[] sampleWeights, Layout weightsLayout, LossOptions options, LossOutputs outputs) {
        return run(Form.SPARSE_CATEGORICAL, probabilities, probabilitiesLayout, null, labels, labelsLayout, sampleWeights, weightsLayout, options, outputs);
    }

    private double run(Form form, float[] x, Layout xl, float[] t, int[] y, Layout ll, float[] sw, Layout swl,
                       LossOptions options, LossOutputs outputs) {
        Checks.notNull("options", options);
        Checks.notNull("outputs", outputs);
        String xn = form.logits ? "logits" : "probabilities";
        checkLogits(xn, x, xn + "Layout", xl, !form.elementwise);
        int classes = xl.classes();
        if (form.sparse) {
            Checks.notNull("labels", y);
            Checks.notNull("labelsLayout", ll);
            Checks.rowsLayout("labelsLayout", ll, xl);
            ll.checkFits("labels", y.length);
        } else {
            checkDense(t, ll, xl);
        }
        // options that apply
        float[] cw = options.params().classWeights;
        if (cw != null && cw.length != classes) {
            throw new IllegalArgumentException("classWeights.length = " + cw.length + " but there are " + classes + " classes");
        }
        float[] pw = options.params().posWeights;
        if (!form.elementwise && (pw != null || options.posWeight() != 1f)) {
            throw new IllegalArgumentException("posWeight applies to the sigmoid and binary losses only");
        }
        if (pw != null && pw.length != classes) {
            throw new IllegalArgumentException("posWeights.length = " + pw.length + " but there are " + classes + " classes");
        }
        if (options.zLoss() != 0f && (form.elementwise || !form.logits)) {
            throw new IllegalArgumentException("zLoss = " + options.zLoss() + " applies to the softmax losses from logits only");
        }
        if (options.softcap() != 0f && !form.logits) {
            throw new IllegalArgumentException("softcap = " + options.softcap() + " applies to logits only");
        }
        boolean ignore = form.sparse && options.hasIgnoreIndex();
        int ignoreIndex = options.ignoreIndex();
        if (form.sparse) {
            for (int r = 0, rows = ll.rows(); r < rows; r++) {
                int v = y[ll.rowIndex(r)];
                if ((v < 0 || v >= classes) && !(ignore && v == ignoreIndex)) {
                    throw new IllegalArgumentException("labels: row " + r + " has label " + v + ", outside [0, " + classes + ")"
                            + (ignore ? " and not the ignore index " + ignoreIndex : ""));
                }
            }
        }
        if (sw != null) {
            Checks.notNull("weightsLayout", swl);
            Checks.rowsLayout("weightsLayout", swl, xl);
            swl.checkFits("sampleWeights", sw.length);
        }
        // outputs
        float[] losses = outputs.losses;
        Layout ol = outputs.lossesLayout;
        float[] labelsArray = form.sparse ? null : t;
        if (losses != null) {
            if (form.elementwise) {
                checkElementwise(losses, ol, xl, x, labelsArray);
            } else {
                checkRows(losses, ol, xl, x, labelsArray);
            }
            checkApart("losses", losses, ol, "sampleWeights", sw, swl);
        }
        float[] lse = outputs.lse;
        Layout lsel = outputs.lseLayout;
        if (lse != null) {
            if (!form.logits || form.elementwise) {
                throw new IllegalArgumentException("lse: only the softmax losses from logits have one");
            }
            checkRows(lse, lsel, xl, x, labelsArray);
            checkApart("lse", lse, lsel, "losses", losses, ol);
            checkApart("lse", lse, lsel, "sampleWeights", sw, swl);
        }
        float[] grad = outputs.gradient;
        Layout gl = outputs.gradientLayout;
        if (outputs.gradientInPlace) {
            grad = x;
            gl = xl;
            Checks.distinctElements(xn + "Layout (in-place gradient)", xl);
            checkApart(xn + " (in-place gradient)", x, xl, "losses", losses, ol);
            checkApart(xn + " (in-place gradient)", x, xl, "lse", lse, lsel);
        } else if (grad != null) {
            Checks.sameShape("gradientLayout", gl, xl);
            gl.checkFits("gradient", grad.length);
            Checks.distinctElements("gradientLayout", gl);
            if (grad == x && !gl.equals(xl)) {
                checkApart("gradient", grad, gl, xn, x, xl);
            } else if (grad == x) {
                throw new IllegalArgumentException("gradient: the output is the " + xn + " array; ask for LossOutputs.withGradientInPlace()");
            }
            checkApart("gradient", grad, gl, "losses", losses, ol);
            checkApart("gradient", grad, gl, "lse", lse, lsel);
        }
        if (grad != null) {
            if (grad == labelsArray) {
                throw new IllegalArgumentException("gradient: the output array is also the labels array");
            }
            checkApart("gradient", grad, gl, "sampleWeights", sw, swl);
        }

        // the divisor of the reduction, from the labels and weights alone
        Reduction red = options.reduction();
        int rows = xl.rows();
        double count;
        double weightSum = 0;
        if (form.elementwise) {
            count = (double) rows * classes;
            for (int r = 0; r < rows; r++) {
                weightSum += sw == null ? 1 : sw[swl.rowIndex(r)];
            }
            weightSum *= classes;
        } else {
            count = 0;
            for (int r = 0; r < rows; r++) {
                double s = sw == null ? 1 : sw[swl.rowIndex(r)];
                if (form.sparse) {
                    int v = y[ll.rowIndex(r)];
                    if (ignore && v == ignoreIndex) {
                        continue;
                    }
                    weightSum += s * (cw == null ? 1 : cw[v]);
                } else {
                    weightSum += s;
                }
                count++;
            }
        }
        double divisor = red == Reduction.MEAN ? weightSum : red == Reduction.SUM_OVER_BATCH_SIZE ? count : 1;
        double gradScale = divisor == 0 ? 0 : 1 / divisor;

        LossParams p = options.params();
        double sum;
        switch (form) {
            case SOFTMAX:
                sum = kernels.softmaxCrossEntropy(x, xl, t, ll, p, sw, swl, gradScale, losses, ol, lse, lsel, grad, gl);
                break;
            case SPARSE_SOFTMAX:
                sum = kernels.sparseSoftmaxCrossEntropy(x, xl, y, ll, p, sw, swl, gradScale, losses, ol, lse, lsel, grad, gl);
                break;
            case SIGMOID:
                sum = kernels.sigmoidCrossEntropy(x, xl, t, ll, p, sw, swl, gradScale, losses, ol, grad, gl);
                break;
            case BINARY:
                sum = kernels.binaryCrossEntropy(x, xl, t, ll, p, sw, swl, gradScale, losses, ol, grad, gl);
                break;
            case CATEGORICAL:
                sum = kernels.categoricalCrossEntropy(x, xl, t, ll, p, sw, swl, gradScale, losses, ol, grad, gl);
                break;
            default:
                sum = kernels.sparseCategoricalCrossEntropy(x, xl, y, ll, p, sw, swl, gradScale, losses, ol, grad, gl);
                break;
        }
        switch (red) {
            case NONE:
                return Double.NaN;
            case SUM:
                return sum;
            case SUM_OVER_BATCH_SIZE:
                return count == 0 ? 0.0 : sum / count;
            default:
                if (divisor == 0 && options.semantics() == Semantics.KERAS) {
                    return 0.0;
                }
                return sum / divisor;
        }
    }

    /** Two outputs (or an output and an input) in the same array must not share an index range. */
    private static void checkApart(String name, float[] a, Layout al, String otherName, float[] b, Layout bl) {
        if (a == null || b == null || a != b || al.size() == 0 || bl.size() == 0) {
            return;
        }
        if (al.offset() <= bl.maxIndex() && bl.offset() <= al.maxIndex()) {
            throw new IllegalArgumentException(name + ": indices [" + al.offset() + ", " + al.maxIndex() + "] overlap "
                    + otherName + "'s [" + bl.offset() + ", " + bl.maxIndex() + "] in the same array");
        }
    }

    // ---- building blocks for serving -------------------------------------------------------------------------

    /**
     * {@code lse = m + log Σ exp(x − m)} of every row into a per-row layout.
     *
     * @throws IllegalArgumentException for bad layouts (as the losses ops), zero classes
     */
    public void logSumExp(float[] logits, Layout logitsLayout, float[] out, Layout outLayout) {
        logSumExp(logits, logitsLayout, 0f, out, outLayout);
    }

    /** {@link #logSumExp(float[], Layout, float[], Layout)} of the soft-capped logits {@code cap·tanh(x/cap)} ({@code softcap = 0}: none). */
    public void logSumExp(float[] logits, Layout logitsLayout, float softcap, float[] out, Layout outLayout) {
        checkLogits("logits", logits, "logitsLayout", logitsLayout, true);
        checkSoftcap(softcap);
        checkRows(out, outLayout, logitsLayout, logits, null);
        kernels.logSumExp(logits, logitsLayout, softcap, out, outLayout);
    }

    /**
     * Log-probabilities {@code (x_c − m) − log Σ exp(x − m)} (never {@code log(softmax)}) into a layout of the logits'
     * shape; {@code out} may be the logits array with the identical layout (in place), but must not overlap it otherwise.
     */
    public void logSoftmax(float[] logits, Layout logitsLayout, float[] out, Layout outLayout) {
        logSoftmax(logits, logitsLayout, 0f, out, outLayout);
    }

    /** {@link #logSoftmax(float[], Layout, float[], Layout)} of the soft-capped logits. */
    public void logSoftmax(float[] logits, Layout logitsLayout, float softcap, float[] out, Layout outLayout) {
        checkClasswise(logits, logitsLayout, softcap, out, outLayout);
        kernels.logSoftmax(logits, logitsLayout, softcap, out, outLayout);
    }

    /** Probabilities {@code exp(x_c − m) / Σ exp(x − m)}; layouts as {@link #logSoftmax(float[], Layout, float[], Layout)}. */
    public void softmax(float[] logits, Layout logitsLayout, float[] out, Layout outLayout) {
        softmax(logits, logitsLayout, 0f, out, outLayout);
    }

    /** {@link #softmax(float[], Layout, float[], Layout)} of the soft-capped logits. */
    public void softmax(float[] logits, Layout logitsLayout, float softcap, float[] out, Layout outLayout) {
        checkClasswise(logits, logitsLayout, softcap, out, outLayout);
        kernels.softmax(logits, logitsLayout, softcap, out, outLayout);
    }

    /**
     * The class with the largest logit of every row (the first on ties; a NaN counts as the largest, as NumPy) into
     * {@code predictions} through a per-row layout.
     */
    public void argmax(float[] logits, Layout logitsLayout, int[] predictions, Layout predictionsLayout) {
        checkLogits("logits", logits, "logitsLayout", logitsLayout, true);
        Checks.notNull("predictions", predictions);
        Checks.notNull("predictionsLayout", predictionsLayout);
        Checks.rowsLayout("predictionsLayout", predictionsLayout, logitsLayout);
        predictionsLayout.checkFits("predictions", predictions.length);
        kernels.argmax(logits, logitsLayout, predictions, predictionsLayout, null, null, false, 0);
    }

    /** The fraction of rows whose argmax equals the integer label (a label outside {@code [0, C)} never matches); NaN for no rows. */
    public double accuracy(float[] logits, Layout logitsLayout, int[] labels, Layout labelsLayout) {
        return accuracy(logits, logitsLayout, labels, labelsLayout, false, 0);
    }

    /** As {@link #accuracy(float[], Layout, int[], Layout)}, not counting rows labelled {@code ignoreIndex}. */
    public double accuracy(float[] logits, Layout logitsLayout, int[] labels, Layout labelsLayout, int ignoreIndex) {
        return accuracy(logits, logitsLayout, labels, labelsLayout, true, ignoreIndex);
    }

    private double accuracy(float[] logits, Layout logitsLayout, int[] labels, Layout labelsLayout, boolean ignore, int ignoreIndex) {
        checkLogits("logits", logits, "logitsLayout", logitsLayout, true);
        Checks.notNull("labels", labels);
        Checks.notNull("labelsLayout", labelsLayout);
        Checks.rowsLayout("labelsLayout", labelsLayout, logitsLayout);
        labelsLayout.checkFits("labels", labels.length);
        int counted = 0;
        for (int r = 0, rows = labelsLayout.rows(); r < rows; r++) {
            if (!(ignore && labels[labelsLayout.rowIndex(r)] == ignoreIndex)) {
                counted++;
            }
        }
        int correct = kernels.argmax(logits, logitsLayout, null, null, labels, labelsLayout, ignore, ignoreIndex);
        return counted == 0 ? Double.NaN : (double) correct / counted;
    }

    /** The fraction of rows whose argmax equals the argmax of their dense labels (Keras {@code categorical_accuracy}); NaN for no rows. */
    public double accuracy(float[] logits, Layout logitsLayout, float[] labels, Layout labelsLayout) {
        checkLogits("logits", logits, "logitsLayout", logitsLayout, true);
        checkDense(labels, labelsLayout, logitsLayout);
        int rows = logitsLayout.rows();
        return rows == 0 ? Double.NaN : (double) kernels.argmaxMatches(logits, logitsLayout, labels, labelsLayout) / rows;
    }

    private static void checkSoftcap(float softcap) {
        if (!(softcap >= 0f) || Float.isInfinite(softcap)) {
            throw new IllegalArgumentException("softcap = " + softcap + " must be finite and > 0 (0 for none)");
        }
    }

    private static void checkClasswise(float[] logits, Layout logitsLayout, float softcap, float[] out, Layout outLayout) {
        checkLogits("logits", logits, "logitsLayout", logitsLayout, true);
        checkSoftcap(softcap);
        Checks.notNull("out", out);
        Checks.notNull("outLayout", outLayout);
        Checks.sameShape("outLayout", outLayout, logitsLayout);
        outLayout.checkFits("out", out.length);
        if (out == logits && !outLayout.equals(logitsLayout)) {
            checkApart("out", out, outLayout, "logits", logits, logitsLayout);
        }
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
