package dev.xent.cli;

import dev.xent.CrossEntropy;
import dev.xent.KerasLoss;
import dev.xent.Layout;
import dev.xent.LossOptions;
import dev.xent.LossOutputs;
import dev.xent.internal.reference.ReferenceKernels;
import java.util.Arrays;

/**
 * One loss over one batch: the predictions, the labels and how to read them, mapped onto the library's
 * ops ({@link CrossEntropy}) and Keras entry ({@link KerasLoss}). The command line computes nothing itself;
 * this class only chooses layouts and calls the library (and, for {@code --check}, the float64
 * {@link ReferenceKernels}).
 *
 * <p>Shapes: dense labels have the predictions' shape; integer labels have the predictions' shape without
 * the class axis (or with the class axis of size 1); the unreduced losses have the predictions' shape
 * without the class axis, except {@code sigmoid-ce} (elementwise, the predictions' shape) and a rank-1
 * {@code binary-ce} shape {@code [N]} (read as {@code [N, 1]}, losses {@code [N]}).
 */
public final class LossJob {

    private final LossKind kind;
    private final boolean fromLogits;
    private final int axis;
    private final float epsilon;
    private final float[] predictions;
    private final int[] shape;
    private final float[] denseLabels;
    private final int[] sparseLabels;
    private final Layout layout;
    private final int[] lossShape;

    /**
     * Checks the shapes and builds the job.
     *
     * @param labels      {@code float[]} for dense kinds, {@code int[]} for sparse kinds
     * @param labelsShape the labels' shape as read
     * @throws IllegalArgumentException naming the mismatch when the shapes do not fit the loss, or an axis
     *         out of range
     */
    public LossJob(LossKind kind, boolean fromLogits, int axis, float epsilon, float[] predictions, int[] shape,
                   Object labels, int[] labelsShape) {
        this.kind = kind;
        this.fromLogits = kind.alwaysLogits() || fromLogits;
        this.axis = axis;
        this.epsilon = epsilon;
        this.predictions = predictions;
        this.shape = shape.clone();
        if (kind.sparse() != (labels instanceof int[])) {
            throw new IllegalArgumentException(kind.cliName() + " needs " + (kind.sparse() ? "integer" : "float") + " labels");
        }
        this.denseLabels = kind.sparse() ? null : (float[]) labels;
        this.sparseLabels = kind.sparse() ? (int[]) labels : null;
        if (isKeras()) {
            KerasLoss k = keras(CrossEntropy.of(dev.xent.Backend.REFERENCE));
            this.layout = k.predictionsLayout(shape);
            this.lossShape = k.lossShape(shape);
        } else {
            this.layout = Layout.of(shape, axis);
            this.lossShape = kind.elementwise() ? shape.clone() : without(shape, axis);
        }
        if (kind.sparse()) {
            int[] keep = shape.clone();
            keep[axisIndex(axis, shape.length)] = 1;
            if (!Arrays.equals(labelsShape, lossShape) && !Arrays.equals(labelsShape, keep)) {
                throw new IllegalArgumentException("labels shape " + Arrays.toString(labelsShape) + " does not match predictions shape "
                        + Arrays.toString(shape) + " with class axis " + axis + " (expected " + Arrays.toString(lossShape) + ")");
            }
        } else if (!Arrays.equals(labelsShape, shape)) {
            throw new IllegalArgumentException("labels shape " + Arrays.toString(labelsShape) + " does not match predictions shape "
                    + Arrays.toString(shape));
        }
    }

    private boolean isKeras() {
        return kind == LossKind.BINARY_CE || kind == LossKind.CATEGORICAL_CE || kind == LossKind.SPARSE_CATEGORICAL_CE;
    }

    private KerasLoss keras(CrossEntropy ops) {
        KerasLoss.Builder b;
        switch (kind) {
            case BINARY_CE:
                b = KerasLoss.binaryCrossentropy();
                break;
            case CATEGORICAL_CE:
                b = KerasLoss.categoricalCrossentropy();
                break;
            default:
                b = KerasLoss.sparseCategoricalCrossentropy();
                break;
        }
        return b.fromLogits(fromLogits).axis(axis).epsilon(epsilon).ops(ops).build();
    }

    static int axisIndex(int axis, int rank) {
        int k = axis < 0 ? axis + rank : axis;
        if (k < 0 || k >= rank) {
            throw new IllegalArgumentException("axis = " + axis + " is out of range for a shape of rank " + rank);
        }
        return k;
    }

    private static int[] without(int[] shape, int axis) {
        int k = axisIndex(axis, shape.length);
        int[] out = new int[shape.length - 1];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (d != k) {
                out[j++] = shape[d];
            }
        }
        return out;
    }

    /** The shape of the unreduced losses. */
    public int[] lossShape() {
        return lossShape.clone();
    }

    /** The number of unreduced losses. */
    public int lossCount() {
        return Npy.count(lossShape);
    }

    /** Rows of the predictions ({@code outer·inner}: every position but the class axis). */
    public int rows() {
        return layout.rows();
    }

    /** Size of the class axis. */
    public int classes() {
        return layout.classes();
    }

    /** The number of prediction elements. */
    public int elements() {
        return predictions.length;
    }

    /** The loss. */
    public LossKind kind() {
        return kind;
    }

    /** Whether the predictions are read as logits. */
    public boolean fromLogits() {
        return fromLogits;
    }

    /**
     * The unreduced, unweighted losses on {@code ops}, in the row-major order of {@link #lossShape()}.
     *
     * @throws IllegalArgumentException from the library, e.g. a label out of range
     */
    public float[] run(CrossEntropy ops) {
        float[] out = new float[lossCount()];
        runInto(ops, out);
        return out;
    }

    /** {@link #run} into a caller's array of {@link #lossCount()} floats (for timing without allocation). */
    public void runInto(CrossEntropy ops, float[] out) {
        Layout rows = Layout.rowsOf(layout);
        switch (kind) {
            case SOFTMAX_CE:
                ops.softmaxCrossEntropyWithLogits(predictions, layout, denseLabels, layout, out, rows);
                break;
            case SPARSE_SOFTMAX_CE:
                ops.sparseSoftmaxCrossEntropyWithLogits(predictions, layout, sparseLabels, rows, out, rows);
                break;
            case SIGMOID_CE:
                ops.sigmoidCrossEntropyWithLogits(predictions, layout, denseLabels, layout, out, layout);
                break;
            case SPARSE_CATEGORICAL_CE:
                keras(ops).perExample(sparseLabels, predictions, shape, null, out);
                break;
            default:
                keras(ops).perExample(denseLabels, predictions, shape, null, out);
                break;
        }
    }

    /** The predictions' layout (class axis as read; a rank-1 binary shape as {@code [N, 1]}). */
    public Layout layout() {
        return layout;
    }

    /** Whether one loss is written per element (sigmoid-ce) rather than per row. */
    boolean elementwise() {
        return kind.elementwise();
    }

    /** Whether the loss is a softmax over the class axis from logits (so log-probabilities and lse exist). */
    public boolean softmaxFromLogits() {
        return kind == LossKind.SOFTMAX_CE || kind == LossKind.SPARSE_SOFTMAX_CE
                || (fromLogits && (kind == LossKind.CATEGORICAL_CE || kind == LossKind.SPARSE_CATEGORICAL_CE));
    }

    /** Whether the labels name one class per row (sparse, or dense categorical labels whose argmax is the class). */
    public boolean classLabels() {
        return kind != LossKind.SIGMOID_CE && kind != LossKind.BINARY_CE;
    }

    /**
     * The loss with training options on {@code ops}: unreduced, unweighted losses into {@code out} (order of
     * {@link #lossShape()}), the gradient into {@code grad} (predictions' order, may be null), lse per row into
     * {@code lse} (may be null); returns the reduced value (NaN for reduction none).
     *
     * @param sampleWeights one weight per row, or null
     */
    public double runWithOptions(CrossEntropy ops, LossOptions options, float[] sampleWeights, float[] out, float[] grad, float[] lse) {
        Layout rows = Layout.rowsOf(layout);
        Layout ol = kind.elementwise() ? layout : rows;
        LossOutputs o = LossOutputs.losses(out, ol);
        if (grad != null) {
            o = o.withGradient(grad, layout);
        }
        if (lse != null) {
            o = o.withLse(lse, rows);
        }
        Layout wl = sampleWeights == null ? null : rows;
        switch (kind) {
            case SOFTMAX_CE:
                return ops.softmaxCrossEntropyWithLogits(predictions, layout, denseLabels, layout, sampleWeights, wl, options, o);
            case SPARSE_SOFTMAX_CE:
                return ops.sparseSoftmaxCrossEntropyWithLogits(predictions, layout, sparseLabels, rows, sampleWeights, wl, options, o);
            case SIGMOID_CE:
                return ops.sigmoidCrossEntropyWithLogits(predictions, layout, denseLabels, layout, sampleWeights, wl, options, o);
            case BINARY_CE:
                return fromLogits
                        ? ops.sigmoidCrossEntropyWithLogits(predictions, layout, denseLabels, layout, sampleWeights, wl, options, o)
                        : ops.binaryCrossEntropy(predictions, layout, denseLabels, layout, sampleWeights, wl, options, o);
            case CATEGORICAL_CE:
                return fromLogits
                        ? ops.softmaxCrossEntropyWithLogits(predictions, layout, denseLabels, layout, sampleWeights, wl, options, o)
                        : ops.categoricalCrossEntropy(predictions, layout, denseLabels, layout, sampleWeights, wl, options, o);
            default:
                return fromLogits
                        ? ops.sparseSoftmaxCrossEntropyWithLogits(predictions, layout, sparseLabels, rows, sampleWeights, wl, options, o)
                        : ops.sparseCategoricalCrossEntropy(predictions, layout, sparseLabels, rows, sampleWeights, wl, options, o);
        }
    }

    /** Log-probabilities of the (soft-capped) logits in the predictions' order. */
    public float[] logProbabilities(CrossEntropy ops, float softcap) {
        float[] out = new float[predictions.length];
        ops.logSoftmax(predictions, layout, softcap, out, layout);
        return out;
    }

    /** Accuracy of the argmax against the labels (ignored rows not counted), or null when the labels are not classes. */
    public Double accuracy(CrossEntropy ops, boolean hasIgnore, int ignoreIndex) {
        if (!classLabels()) {
            return null;
        }
        if (kind.sparse()) {
            Layout rows = Layout.rowsOf(layout);
            return hasIgnore ? ops.accuracy(predictions, layout, sparseLabels, rows, ignoreIndex)
                    : ops.accuracy(predictions, layout, sparseLabels, rows);
        }
        return ops.accuracy(predictions, layout, denseLabels, layout);
    }

    /** Whether any sparse label equals {@code ignoreIndex}. */
    public boolean isIgnored(int row, int ignoreIndex) {
        return kind.sparse() && sparseLabels[row] == ignoreIndex;
    }

    /** The same losses from the float64 reference functions, in the same order. */
    public double[] reference() {
        Layout rows = Layout.rowsOf(layout);
        if (kind.sparse()) {
            checkSparseLabels();   // the reference functions do not check; never index out of bounds
        }
        switch (kind) {
            case SOFTMAX_CE:
                return ReferenceKernels.softmaxCrossEntropy(predictions, layout, denseLabels, layout);
            case SPARSE_SOFTMAX_CE:
                return ReferenceKernels.sparseSoftmaxCrossEntropy(predictions, layout, sparseLabels, rows);
            case SIGMOID_CE:
                return ReferenceKernels.sigmoidCrossEntropy(predictions, layout, denseLabels, layout, false);
            case BINARY_CE:
                return fromLogits
                        ? ReferenceKernels.sigmoidCrossEntropy(predictions, layout, denseLabels, layout, true)
                        : ReferenceKernels.binaryCrossEntropy(predictions, layout, denseLabels, layout, epsilon, true);
            case CATEGORICAL_CE:
                return fromLogits
                        ? ReferenceKernels.softmaxCrossEntropy(predictions, layout, denseLabels, layout)
                        : ReferenceKernels.categoricalCrossEntropy(predictions, layout, denseLabels, layout, epsilon);
            default:
                if (fromLogits) {
                    return ReferenceKernels.sparseSoftmaxCrossEntropy(predictions, layout, sparseLabels, rows);
                }
                return ReferenceKernels.sparseCategoricalCrossEntropy(predictions, layout, sparseLabels, rows, epsilon);
        }
    }

    private void checkSparseLabels() {
        for (int y : sparseLabels) {
            if (y < 0 || y >= layout.classes()) {
                throw new IllegalArgumentException("labels: label " + y + " is outside [0, " + layout.classes() + ")");
            }
        }
    }
}
