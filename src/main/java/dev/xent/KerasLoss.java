package dev.xent;

import java.util.Arrays;

/**
 * The Keras-style entry point: {@code BinaryCrossentropy}, {@code CategoricalCrossentropy} and
 * {@code SparseCategoricalCrossentropy} with {@code from_logits}, {@code axis}, {@code epsilon} and
 * {@code reduction}, over dense row-major tensors.
 *
 * <pre>{@code
 * KerasLoss loss = KerasLoss.categoricalCrossentropy().fromLogits(true).axis(1).build();
 * float value = loss.call(labels, logits, new int[] {n, c, h, w}, null);   // sum_over_batch_size
 * }</pre>
 *
 * <table class="striped">
 *   <caption>What each loss computes per loss element</caption>
 *   <tr><th>kind</th><th>fromLogits = true</th><th>fromLogits = false (probabilities)</th></tr>
 *   <tr><td>binary</td><td>mean over {@code axis} of {@code max(x,0) − x·z + log1p(exp(−|x|))}</td>
 *       <td>mean over {@code axis} of {@code −(z·log p + (1−z)·log(1−p))}, p clipped to {@code [ε, 1−ε]}</td></tr>
 *   <tr><td>categorical</td><td>{@code Σ_c t_c·(lse − x_c)}</td>
 *       <td>{@code −Σ_c t_c·log clip(p_c / Σp, ε, 1−ε)}</td></tr>
 *   <tr><td>sparse categorical</td><td>{@code lse − x_y}</td><td>{@code −log clip(p_y / Σp, ε, 1−ε)}</td></tr>
 * </table>
 *
 * <p>Shapes: {@code predictions} has {@code shape}; dense labels have the same shape; integer labels and the
 * per-example losses have {@code shape} without the {@code axis} dimension. A rank-1 binary shape
 * {@code [N]} is read as {@code [N, 1]}: N samples with one binary output each, so the per-example losses
 * are per element (Keras would average them to one value; the reduced value is the same).
 * Sample weights, when given, are one per example loss.
 *
 * <p>Instances are immutable and thread-safe. {@link #call} allocates one scratch array of one float per
 * example loss; {@link #perExample} allocates nothing.
 */
public final class KerasLoss {

    /** Which Keras loss. */
    public enum Kind {
        /** Keras {@code BinaryCrossentropy}. */
        BINARY,
        /** Keras {@code CategoricalCrossentropy}. */
        CATEGORICAL,
        /** Keras {@code SparseCategoricalCrossentropy}. */
        SPARSE_CATEGORICAL
    }

    /** Keras' default epsilon, {@code keras.backend.epsilon()}. */
    public static final float DEFAULT_EPSILON = 1e-7f;

    private final Kind kind;
    private final boolean fromLogits;
    private final int axis;
    private final float epsilon;
    private final Reduction reduction;
    private final CrossEntropy ops;
    private final float labelSmoothing;
    private final Integer ignoreClass;

    private KerasLoss(Builder b) {
        this.kind = b.kind;
        this.fromLogits = b.fromLogits;
        this.axis = b.axis;
        this.epsilon = b.epsilon;
        this.reduction = b.reduction;
        this.ops = b.ops == null ? CrossEntropy.get() : b.ops;
        this.labelSmoothing = b.labelSmoothing;
        this.ignoreClass = b.ignoreClass;
    }

    /** Keras {@code BinaryCrossentropy}: defaults {@code fromLogits=false, axis=-1, epsilon=1e-7, SUM_OVER_BATCH_SIZE}. */
    public static Builder binaryCrossentropy() {
        return new Builder(Kind.BINARY);
    }

    /** Keras {@code CategoricalCrossentropy}: defaults {@code fromLogits=false, axis=-1, epsilon=1e-7, SUM_OVER_BATCH_SIZE}. */
    public static Builder categoricalCrossentropy() {
        return new Builder(Kind.CATEGORICAL);
    }

    /** Keras {@code SparseCategoricalCrossentropy}: defaults {@code fromLogits=false, axis=-1, epsilon=1e-7, SUM_OVER_BATCH_SIZE}. */
    public static Builder sparseCategoricalCrossentropy() {
        return new Builder(Kind.SPARSE_CATEGORICAL);
    }

    /** Builder for {@link KerasLoss}. */
    public static final class Builder {
        private final Kind kind;
        private boolean fromLogits;
        private int axis = -1;
        private float epsilon = DEFAULT_EPSILON;
        private Reduction reduction = Reduction.SUM_OVER_BATCH_SIZE;
        private CrossEntropy ops;
        private float labelSmoothing;
        private Integer ignoreClass;

        private Builder(Kind kind) {
            this.kind = kind;
        }

        /**
         * Keras {@code label_smoothing} in {@code [0, 1]} (binary and categorical kinds): categorical
         * {@code t·(1−ls) + ls/C} with C the size of the class axis, binary {@code z·(1−ls) + ls/2}.
         *
         * @throws IllegalArgumentException outside {@code [0, 1]}, or for the sparse kind (Keras has none)
         */
        public Builder labelSmoothing(float labelSmoothing) {
            if (kind == Kind.SPARSE_CATEGORICAL) {
                throw new IllegalArgumentException("labelSmoothing: Keras SparseCategoricalCrossentropy has none");
            }
            if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
                throw new IllegalArgumentException("labelSmoothing = " + labelSmoothing + " must be in [0, 1]");
            }
            this.labelSmoothing = labelSmoothing;
            return this;
        }

        /**
         * Keras 3 {@code ignore_class} (sparse kind): examples with this label have loss 0 and are masked out, so
         * {@code SUM_OVER_BATCH_SIZE} divides by the number of the other examples (0 when there are none).
         *
         * @throws IllegalArgumentException for the other kinds
         */
        public Builder ignoreClass(int ignoreClass) {
            if (kind != Kind.SPARSE_CATEGORICAL) {
                throw new IllegalArgumentException("ignoreClass applies to SparseCategoricalCrossentropy only");
            }
            this.ignoreClass = ignoreClass;
            return this;
        }

        /** Whether predictions are logits (true) or probabilities (false, the Keras default). */
        public Builder fromLogits(boolean fromLogits) {
            this.fromLogits = fromLogits;
            return this;
        }

        /** The class axis of the predictions' shape; negative counts from the end; default −1. */
        public Builder axis(int axis) {
            this.axis = axis;
            return this;
        }

        /**
         * The clip bound of the probability forms, in {@code (0, 0.5)}; default 1e-7.
         *
         * @throws IllegalArgumentException if outside {@code (0, 0.5)}
         */
        public Builder epsilon(float epsilon) {
            Checks.epsilon(epsilon);
            this.epsilon = epsilon;
            return this;
        }

        /** The reduction of {@link #call}; default {@link Reduction#SUM_OVER_BATCH_SIZE} as Keras. */
        public Builder reduction(Reduction reduction) {
            Checks.notNull("reduction", reduction);
            this.reduction = reduction;
            return this;
        }

        /** The ops (backend) to run on; default {@link CrossEntropy#get()}. */
        public Builder ops(CrossEntropy ops) {
            Checks.notNull("ops", ops);
            this.ops = ops;
            return this;
        }

        public KerasLoss build() {
            return new KerasLoss(this);
        }
    }

    public Kind kind() { return kind; }
    public boolean fromLogits() { return fromLogits; }
    public int axis() { return axis; }
    public float epsilon() { return epsilon; }
    public Reduction reduction() { return reduction; }
    public float labelSmoothing() { return labelSmoothing; }
    /** The ignored class, or null. */
    public Integer ignoreClass() { return ignoreClass; }

    /** Whether the options ops are needed (label smoothing or an ignored class). */
    private boolean withOptions() {
        return labelSmoothing != 0f || ignoreClass != null;
    }

    private LossOptions options(Reduction r) {
        LossOptions.Builder b = LossOptions.keras().reduction(r).epsilon(epsilon).labelSmoothing(labelSmoothing);
        if (ignoreClass != null) {
            b.ignoreIndex(ignoreClass);
        }
        return b.build();
    }

    /** The dense-label op with options: losses through {@code rows}, returns the reduced value. */
    private double withOptions(float[] labels, float[] predictions, Layout pl, Layout rows, float[] sw, LossOptions o, float[] out) {
        LossOutputs lo = out == null ? LossOutputs.none() : LossOutputs.losses(out, rows);
        Layout wl = sw == null ? null : rows;
        if (kind == Kind.BINARY) {
            return fromLogits ? ops.sigmoidCrossEntropyWithLogits(predictions, pl, labels, pl, sw, wl, o, lo)
                    : ops.binaryCrossEntropy(predictions, pl, labels, pl, sw, wl, o, lo);
        }
        return fromLogits ? ops.softmaxCrossEntropyWithLogits(predictions, pl, labels, pl, sw, wl, o, lo)
                : ops.categoricalCrossEntropy(predictions, pl, labels, pl, sw, wl, o, lo);
    }

    private double withOptions(int[] labels, float[] predictions, Layout pl, Layout rows, float[] sw, LossOptions o, float[] out) {
        LossOutputs lo = out == null ? LossOutputs.none() : LossOutputs.losses(out, rows);
        Layout wl = sw == null ? null : rows;
        return fromLogits ? ops.sparseSoftmaxCrossEntropyWithLogits(predictions, pl, labels, rows, sw, wl, o, lo)
                : ops.sparseCategoricalCrossEntropy(predictions, pl, labels, rows, sw, wl, o, lo);
    }
    public CrossEntropy ops() { return ops; }

    /**
     * The layout of the predictions for {@code shape}: the class axis at {@link #axis()}, a rank-1 binary
     * shape read as {@code [N, 1]}.
     *
     * @throws IllegalArgumentException for an empty shape, a negative size or an axis out of range
     */
    public Layout predictionsLayout(int[] shape) {
        Checks.notNull("shape", shape);
        if (kind == Kind.BINARY && shape.length == 1) {
            return Layout.of(new int[] {shape[0], 1}, -1);
        }
        return Layout.of(shape, axis);
    }

    /** The shape of the per-example losses: {@code shape} without the class axis ({@code [N]} for a rank-1 binary shape). */
    public int[] lossShape(int[] shape) {
        Layout l = predictionsLayout(shape);
        if (kind == Kind.BINARY && shape.length == 1) {
            return shape.clone();
        }
        int k = axis < 0 ? axis + shape.length : axis;
        int[] out = new int[shape.length - 1];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (d != k) {
                out[j++] = shape[d];
            }
        }
        assert l.rows() == Arrays.stream(out).reduce(1, Math::multiplyExact);
        return out;
    }

    /**
     * Per-example losses with dense labels (binary and categorical kinds) into {@code out[0 .. rows)},
     * each multiplied by its sample weight when {@code sampleWeights} is not null.
     *
     * @param labels        same shape as the predictions
     * @param predictions   logits or probabilities of {@code shape}
     * @param sampleWeights one weight per example loss, or null
     * @param out           at least {@code rows} floats, the product of {@link #lossShape}
     * @throws IllegalArgumentException for sparse kinds, null arrays, predictions or labels whose length is not the
     *         element count of {@code shape}, or sample weights whose length is not the number of example losses
     */
    public void perExample(float[] labels, float[] predictions, int[] shape, float[] sampleWeights, float[] out) {
        if (kind == Kind.SPARSE_CATEGORICAL) {
            throw new IllegalArgumentException("kind = SPARSE_CATEGORICAL takes int[] labels");
        }
        Layout pl = predictionsLayout(shape);
        Layout rows = Layout.rowsOf(pl);
        checkLength("predictions", predictions, pl.size(), shape);
        checkLength("labels", labels, pl.size(), shape);
        checkWeights(sampleWeights, rows);
        if (withOptions()) {
            withOptions(labels, predictions, pl, rows, null, options(Reduction.NONE), out);
        } else if (kind == Kind.BINARY) {
            if (fromLogits) {
                ops.sigmoidCrossEntropyWithLogits(predictions, pl, labels, pl, out, rows);
            } else {
                ops.binaryCrossEntropy(predictions, pl, labels, pl, epsilon, out, rows);
            }
        } else if (fromLogits) {
            ops.softmaxCrossEntropyWithLogits(predictions, pl, labels, pl, out, rows);
        } else {
            ops.categoricalCrossEntropy(predictions, pl, labels, pl, epsilon, out, rows);
        }
        applyWeights(out, rows, sampleWeights);
    }

    /**
     * Per-example losses with integer labels (sparse categorical kind) into {@code out[0 .. rows)}.
     *
     * @param labels one class index per example, shape {@link #lossShape}
     * @throws IllegalArgumentException for other kinds, a label outside {@code [0, C)}, null arrays or
     *         lengths that do not match the shape
     */
    public void perExample(int[] labels, float[] predictions, int[] shape, float[] sampleWeights, float[] out) {
        if (kind != Kind.SPARSE_CATEGORICAL) {
            throw new IllegalArgumentException("kind = " + kind + " takes float[] labels");
        }
        Layout pl = predictionsLayout(shape);
        Layout rows = Layout.rowsOf(pl);
        checkLength("predictions", predictions, pl.size(), shape);
        Checks.notNull("labels", labels);
        if (labels.length != rows.rows()) {
            throw new IllegalArgumentException("labels.length = " + labels.length + " but shape " + Arrays.toString(shape)
                    + " has " + rows.rows() + " examples");
        }
        checkWeights(sampleWeights, rows);
        if (withOptions()) {
            withOptions(labels, predictions, pl, rows, null, options(Reduction.NONE), out);
        } else if (fromLogits) {
            ops.sparseSoftmaxCrossEntropyWithLogits(predictions, pl, labels, rows, out, rows);
        } else {
            ops.sparseCategoricalCrossEntropy(predictions, pl, labels, rows, epsilon, out, rows);
        }
        applyWeights(out, rows, sampleWeights);
    }

    /**
     * The reduced loss with dense labels, as Keras {@code loss(y_true, y_pred, sample_weight)}.
     *
     * @throws IllegalArgumentException if the reduction is {@link Reduction#NONE} (use {@link #perExample})
     */
    public double call(float[] labels, float[] predictions, int[] shape, float[] sampleWeights) {
        if (withOptions()) {
            scratch(shape);
            Layout pl = predictionsLayout(shape);
            checkWeights(sampleWeights, Layout.rowsOf(pl));
            return withOptions(labels, predictions, pl, Layout.rowsOf(pl), sampleWeights, options(reduction), null);
        }
        float[] out = scratch(shape);
        checkWeights(sampleWeights, Layout.vector(out.length));
        perExample(labels, predictions, shape, null, out);
        return reduce(out, sampleWeights);
    }

    /** The reduced loss with integer labels, as Keras {@code SparseCategoricalCrossentropy()(y_true, y_pred, sample_weight)}. */
    public double call(int[] labels, float[] predictions, int[] shape, float[] sampleWeights) {
        if (withOptions()) {
            scratch(shape);
            Layout pl = predictionsLayout(shape);
            checkWeights(sampleWeights, Layout.rowsOf(pl));
            return withOptions(labels, predictions, pl, Layout.rowsOf(pl), sampleWeights, options(reduction), null);
        }
        float[] out = scratch(shape);
        checkWeights(sampleWeights, Layout.vector(out.length));
        perExample(labels, predictions, shape, null, out);
        return reduce(out, sampleWeights);
    }

    private float[] scratch(int[] shape) {
        if (reduction == Reduction.NONE) {
            throw new IllegalArgumentException("reduction = NONE has no single value; use perExample");
        }
        return new float[predictionsLayout(shape).rows()];
    }

    private double reduce(float[] losses, float[] sampleWeights) {
        Layout rows = Layout.vector(losses.length);
        checkWeights(sampleWeights, rows);
        return reduction.reduce(losses, rows, sampleWeights, sampleWeights == null ? null : rows);
    }

    /** Predictions and dense labels hold exactly the elements of {@code shape}. */
    private static void checkLength(String name, float[] data, long size, int[] shape) {
        Checks.notNull(name, data);
        if (data.length != size) {
            throw new IllegalArgumentException(name + ".length = " + data.length + " but shape " + Arrays.toString(shape)
                    + " has " + size + " elements");
        }
    }

    private static void checkWeights(float[] sampleWeights, Layout rows) {
        if (sampleWeights != null && sampleWeights.length != rows.rows()) {
            throw new IllegalArgumentException("sampleWeights.length = " + sampleWeights.length + " but there are "
                    + rows.rows() + " example losses");
        }
    }

    private static void applyWeights(float[] out, Layout rows, float[] sampleWeights) {
        if (sampleWeights == null) {
            return;
        }
        for (int r = 0, n = rows.rows(); r < n; r++) {
            out[rows.rowIndex(r)] *= sampleWeights[r];
        }
    }

    @Override
    public String toString() {
        return "KerasLoss{" + kind + ", fromLogits=" + fromLogits + ", axis=" + axis + ", epsilon=" + epsilon
                + ", reduction=" + reduction + (labelSmoothing != 0f ? ", labelSmoothing=" + labelSmoothing : "")
                + (ignoreClass != null ? ", ignoreClass=" + ignoreClass : "") + ", backend=" + ops.backend() + "}";
    }
}
