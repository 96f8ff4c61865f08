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

    /**
     * {@code Σ_i exp(x[i] − m) − less} over {@code x[offset .. offset+length)}, returned in double, with the
     * {@code count} elements equal to {@code m} counted apart: {@code (count − less) + rest}. With {@code less = 1} and
     * one such element the result is the others' sum {@code rest} to its relative precision, as a confident row's
     * {@code log1p} needs ({@link dev.xent.ParallelCrossEntropy}'s class split).
     */
    double sumExp(float[] x, int offset, int length, float m, int less);

    // ---- losses with options, fused gradients -----------------------------------------------------------
    //
    // Common to the six methods below. Options in {@code p} (see LossParams for the target weights T_c).
    // sw/swl: per-row sample weights (null: 1), used only for the gradient and the returned sum.
    // The gradient, when {@code grad != null}, is written through {@code gl} (the predictions' shape):
    //   grad = gradScale · s_r · ∂l/∂x   (l the row's loss, or each element's loss for sigmoid/binary).
    // {@code grad} may be the predictions array itself with the identical layout (in place): a kernel reads every
    // element of a row it needs before writing that row's gradient. Ignored rows get loss 0 and gradient 0.
    // losses/lse/grad may each be null (not wanted). Returns Σ s_r·l_r in double, summing the float-rounded losses in
    // row order (sigmoid/binary: every element's float loss, classes in order within a row; the elementwise sum even
    // when the losses layout holds the per-row mean).

    /**
     * Softmax family from logits, dense labels: {@code x' = softcap(x)}, {@code lse = m + log Σ exp(x' − m)},
     * {@code l = Σ_c T_c·(m − x'_c) + log(d)·Σ_c T_c + s·lse²} (terms with {@code T_c = 0} skipped);
     * {@code ∂l/∂x_c = (softmax_c·(Σ T + 2s·lse) − T_c)·(1 − (x'_c/cap)²)}.
     */
    double softmaxCrossEntropy(float[] x, Layout xl, float[] t, Layout tl, LossParams p, float[] sw, Layout swl,
                               double gradScale, float[] losses, Layout ol, float[] lse, Layout lsel, float[] grad, Layout gl);

    /** As {@link #softmaxCrossEntropy(float[], Layout, float[], Layout, LossParams, float[], Layout, double, float[], Layout, float[], Layout, float[], Layout)} with sparse labels (ignored rows: loss 0, gradient 0, lse still written). */
    double sparseSoftmaxCrossEntropy(float[] x, Layout xl, int[] y, Layout yl, LossParams p, float[] sw, Layout swl,
                                     double gradScale, float[] losses, Layout ol, float[] lse, Layout lsel, float[] grad, Layout gl);

    /**
     * Sigmoid from logits per element: {@code x' = softcap(x)}, {@code z' = z(1−ls) + ls/2},
     * {@code l = w_c·(max(x',0) − x'z' + log1p(e^−|x'|) + (q_c−1)·z'·softplus(−x'))};
     * {@code ∂l/∂x = w_c·(σ(x') − z' − (q_c−1)·z'·σ(−x'))·(1 − (x'/cap)²)}. Losses elementwise or the per-row mean.
     */
    double sigmoidCrossEntropy(float[] x, Layout xl, float[] z, Layout zl, LossParams p, float[] sw, Layout swl,
                               double gradScale, float[] losses, Layout ol, float[] grad, Layout gl);

    /**
     * Binary from probabilities per element: {@code l = −w_c·(q_c·z'·L1 + (1−z')·L0)} with Keras
     * {@code L1 = log clip(p, ε, 1−ε)}, {@code L0 = log clip(1−p, ε, 1−ε)} or PyTorch {@code L1 = max(log p, −100)},
     * {@code L0 = max(log1p(−p), −100)}; the gradient is the derivative of that (0 where clipped or clamped).
     */
    double binaryCrossEntropy(float[] prob, Layout pl, float[] z, Layout zl, LossParams p, float[] sw, Layout swl,
                              double gradScale, float[] losses, Layout ol, float[] grad, Layout gl);

    /**
     * Categorical from probabilities, dense labels: {@code S = Σ p}, {@code q_c = p_c/S}, {@code L_c} = Keras
     * {@code log clip(q_c, ε, 1−ε)} or PyTorch {@code max(log q_c, −100)}, {@code u_c} = 1 where not clipped/clamped;
     * {@code l = −Σ T_c·L_c}, {@code ∂l/∂p_j = (Σ_c T_c·u_c − u_j·T_j/q̂_j)/S} ({@code q̂} the clipped value).
     */
    double categoricalCrossEntropy(float[] prob, Layout pl, float[] t, Layout tl, LossParams p, float[] sw, Layout swl,
                                   double gradScale, float[] losses, Layout ol, float[] grad, Layout gl);

    /** As {@link #categoricalCrossEntropy(float[], Layout, float[], Layout, LossParams, float[], Layout, double, float[], Layout, float[], Layout)} with sparse labels. */
    double sparseCategoricalCrossEntropy(float[] prob, Layout pl, int[] y, Layout yl, LossParams p, float[] sw, Layout swl,
                                         double gradScale, float[] losses, Layout ol, float[] grad, Layout gl);

    // ---- building blocks for serving ----------------------------------------------------------------------
    // x' = softcap(x) when softcap > 0. out may be x itself with the identical layout.

    /** {@code lse = m + log Σ exp(x' − m)} per row into a per-row layout. */
    void logSumExp(float[] x, Layout xl, float softcap, float[] out, Layout ol);

    /** {@code (x'_c − m) − log Σ exp(x' − m)} into a layout of the logits' shape; never {@code log(softmax)}. */
    void logSoftmax(float[] x, Layout xl, float softcap, float[] out, Layout ol);

    /** {@code exp(x'_c − m) / Σ exp(x' − m)} into a layout of the logits' shape. */
    void softmax(float[] x, Layout xl, float softcap, float[] out, Layout ol);

    /**
     * Per-row argmax (first maximum; a NaN counts as the largest, the first NaN wins; −1 for zero classes) into
     * {@code out} (may be null); returns the number of rows whose argmax equals their label ({@code labels} may be
     * null: returns 0; rows with {@code hasIgnore && label == ignoreIndex} never count).
     */
    int argmax(float[] x, Layout xl, int[] out, Layout ol, int[] labels, Layout yl, boolean hasIgnore, int ignoreIndex);

    /** The number of rows where the argmax of {@code x} equals the argmax of dense labels {@code t} (same rule). */
    int argmaxMatches(float[] x, Layout xl, float[] t, Layout tl);
}
