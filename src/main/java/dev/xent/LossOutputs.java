package dev.xent;

/**
 * Where a loss call with {@link LossOptions} writes besides returning the reduced value: the per-row (or
 * per-element) losses, the gradient {@code ∂reduced/∂predictions}, and {@code lse} per row. Immutable; each
 * {@code with…} returns a new instance. Every output is optional.
 *
 * <pre>{@code
 * LossOutputs out = LossOutputs.losses(losses, Layout.rowsOf(l)).withGradient(grad, l);
 * LossOutputs inPlace = LossOutputs.none().withGradientInPlace();   // the gradient overwrites the logits
 * }</pre>
 */
public final class LossOutputs {

    private static final LossOutputs NONE = new LossOutputs(null, null, null, null, false, null, null);

    final float[] losses;
    final Layout lossesLayout;
    final float[] gradient;
    final Layout gradientLayout;
    final boolean gradientInPlace;
    final float[] lse;
    final Layout lseLayout;

    private LossOutputs(float[] losses, Layout lossesLayout, float[] gradient, Layout gradientLayout, boolean gradientInPlace,
                        float[] lse, Layout lseLayout) {
        this.losses = losses;
        this.lossesLayout = lossesLayout;
        this.gradient = gradient;
        this.gradientLayout = gradientLayout;
        this.gradientInPlace = gradientInPlace;
        this.lse = lse;
        this.lseLayout = lseLayout;
    }

    /** No outputs: only the reduced value. */
    public static LossOutputs none() {
        return NONE;
    }

    /** The unreduced losses into {@code losses} through {@code layout}. */
    public static LossOutputs losses(float[] losses, Layout layout) {
        return NONE.withLosses(losses, layout);
    }

    /**
     * The unreduced losses (not multiplied by the sample weights; class weights, smoothing and z-loss included),
     * one per row through a per-row layout, or, for the sigmoid and binary forms, one per element through a layout of
     * the predictions' shape (a per-row layout gets the mean over the class axis).
     */
    public LossOutputs withLosses(float[] losses, Layout layout) {
        Checks.notNull("losses", losses);
        Checks.notNull("lossesLayout", layout);
        return new LossOutputs(losses, layout, gradient, gradientLayout, gradientInPlace, lse, lseLayout);
    }

    /**
     * The gradient of the reduced value with respect to the predictions (logits, or probabilities for the
     * probability forms), into {@code gradient} through a layout of the predictions' shape. With
     * {@link Reduction#NONE} it is the gradient of {@code Σ s_r·l_r} (upstream gradient 1 per loss).
     */
    public LossOutputs withGradient(float[] gradient, Layout layout) {
        Checks.notNull("gradient", gradient);
        Checks.notNull("gradientLayout", layout);
        return new LossOutputs(losses, lossesLayout, gradient, layout, false, lse, lseLayout);
    }

    /** The gradient written over the predictions themselves, through their layout (each element read before it is written). */
    public LossOutputs withGradientInPlace() {
        return new LossOutputs(losses, lossesLayout, null, null, true, lse, lseLayout);
    }

    /** {@code lse = m + log Σ exp(x − m)} of each row (after soft-capping) through a per-row layout; softmax forms from logits. */
    public LossOutputs withLse(float[] lse, Layout layout) {
        Checks.notNull("lse", lse);
        Checks.notNull("lseLayout", layout);
        return new LossOutputs(losses, lossesLayout, gradient, gradientLayout, gradientInPlace, lse, layout);
    }

    public boolean hasGradient() {
        return gradient != null || gradientInPlace;
    }
}
