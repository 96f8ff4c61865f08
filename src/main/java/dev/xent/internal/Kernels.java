package dev.xent.internal;

import dev.xent.HalfFloat;
import dev.xent.Layout;

/**
 * One backend's loss kernels. Arguments are validated by the public API before a kernel is called:
 * layouts fit their arrays and match each other, labels are in range, epsilon is in (0, 0.5).
 * A kernel writes exactly the elements of its output layout and nothing else, and allocates nothing.
 *
 * <p>Row {@code r = n·inner + i} of a per-row layout goes with row {@code (n, ·, i)} of the logits.
 */
public interface Kernels {

    /** A short name for logs and reports, e.g. {@code vector} or {@code scalar}. */
    String name();

    /** The vector species the kernels run on (e.g. {@code Species[float, 16, S_512_BIT]}), or {@code none}. */
    default String species() {
        return "none";
    }

    /** Softmax cross-entropy with dense labels, per row: {@code Σ_c t_c·((m − x_c) + log Σ_c exp(x_c − m))}; terms with {@code t_c = 0} are 0. */
    void softmaxCrossEntropy(float[] logits, Layout logitsLayout, float[] labels, Layout labelsLayout,
                             float[] losses, Layout lossesLayout);

    /** Sparse softmax cross-entropy, per row: {@code (m − x_y) + log Σ_c exp(x_c − m)}. */
    void sparseSoftmaxCrossEntropy(float[] logits, Layout logitsLayout, int[] labels, Layout labelsLayout,
                                   float[] losses, Layout lossesLayout);

    /** Sparse softmax cross-entropy of 16-bit logits (raw bits in {@code format}), widened to float in registers. */
    void sparseSoftmaxCrossEntropy(short[] logits, HalfFloat format, Layout logitsLayout, int[] labels, Layout labelsLayout,
                                   float[] losses, Layout lossesLayout);

    /**
     * Sigmoid cross-entropy from logits, {@code max(x,0) − x·z + log1p(exp(−|x|))} per element; when the
     * losses layout has one class and the logits more, the mean over the class axis is written per row.
     */
    void sigmoidCrossEntropy(float[] logits, Layout logitsLayout, float[] labels, Layout labelsLayout,
                             float[] losses, Layout lossesLayout);

    /**
     * Binary cross-entropy from probabilities, {@code −(z·log p + (1−z)·log(1−p))} with p clipped to
     * {@code [ε, 1−ε]}; elementwise or the mean over the class axis, as for {@link #sigmoidCrossEntropy}.
     */
    void binaryCrossEntropy(float[] probabilities, Layout probabilitiesLayout, float[] labels, Layout labelsLayout,
                            float epsilon, float[] losses, Layout lossesLayout);

    /** Categorical cross-entropy from probabilities: {@code q = clip(p / Σp, ε, 1−ε)}, {@code −Σ_c t_c·log q_c}. */
    void categoricalCrossEntropy(float[] probabilities, Layout probabilitiesLayout, float[] labels, Layout labelsLayout,
                                 float epsilon, float[] losses, Layout lossesLayout);

    /** Sparse categorical cross-entropy from probabilities: {@code −log clip(p_y / Σp, ε, 1−ε)}. */
    void sparseCategoricalCrossEntropy(float[] probabilities, Layout probabilitiesLayout, int[] labels,
                                       Layout labelsLayout, float epsilon, float[] losses, Layout lossesLayout);

    // ---- pieces of a row, for splitting one huge row across threads --------------------------------------

    /** The largest of {@code x[offset .. offset+length)}, NaN if any is NaN, {@code −inf} if {@code length == 0}. */
    float max(float[] x, int offset, int length);

    /** {@code Σ exp(x[k] − m)} over {@code x[offset .. offset+length)}, returned in double. */
    double sumExp(float[] x, int offset, int length, float m);
}
