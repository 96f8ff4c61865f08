package dev.xent.internal;

/**
 * The loss options as the kernels read them: immutable, validated by the public API
 * ({@code dev.xent.LossOptions}), arrays owned by this object and never changed.
 *
 * <p>Per-row target weights of the softmax family (class weights {@code w}, 1 when absent; label smoothing
 * {@code ls}; {@code C} classes):
 * <ul>
 *   <li>dense labels: {@code T_c = w_c·(t_c·(1−ls) + ls/C)};</li>
 *   <li>sparse label {@code y}: {@code T_c = w_c·ls/C + [c = y]·(1−ls)·w_y}.</li>
 * </ul>
 * Sigmoid and binary forms: label {@code z' = z·(1−ls) + ls/2}, element weight {@code w_c}, positive weight {@code q_c}.
 */
public final class LossParams {

    /** No options: plain losses (Keras clip with ε = 1e-7 for probabilities). */
    public static final LossParams NONE = new LossParams(null, false, 0, 0f, 1f, null, 0f, 0f, false, 1e-7f);

    /** Per-class weights, or null for all 1. */
    public final float[] classWeights;
    /** Whether rows whose sparse label equals {@link #ignoreIndex} are ignored (loss 0, gradient 0). */
    public final boolean hasIgnoreIndex;
    public final int ignoreIndex;
    /** Label smoothing in {@code [0, 1]}. */
    public final float labelSmoothing;
    /** Scalar positive weight of the sigmoid/binary forms, used when {@link #posWeights} is null. */
    public final float posWeight;
    /** Per-class positive weights, or null. */
    public final float[] posWeights;
    /** z-loss coefficient {@code s ≥ 0}: {@code s·lse²} is added to each row of the softmax family. */
    public final float zLoss;
    /** Logit soft-cap {@code cap > 0} ({@code x ← cap·tanh(x/cap)}), or 0 for none. */
    public final float softcap;
    /** PyTorch probability rule (each log clamped at −100) when true, Keras clip to {@code [ε, 1−ε]} when false. */
    public final boolean logClamp;
    public final float epsilon;

    public LossParams(float[] classWeights, boolean hasIgnoreIndex, int ignoreIndex, float labelSmoothing,
                      float posWeight, float[] posWeights, float zLoss, float softcap, boolean logClamp, float epsilon) {
        this.classWeights = classWeights;
        this.hasIgnoreIndex = hasIgnoreIndex;
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
        this.posWeight = posWeight;
        this.posWeights = posWeights;
        this.zLoss = zLoss;
        this.softcap = softcap;
        this.logClamp = logClamp;
        this.epsilon = epsilon;
    }

    /** Class weight of class {@code c} (1 without class weights). */
    public float classWeight(int c) {
        return classWeights == null ? 1f : classWeights[c];
    }

    /** Positive weight of class {@code c}. */
    public float posWeight(int c) {
        return posWeights == null ? posWeight : posWeights[c];
    }

    /** Whether row label {@code y} is ignored. */
    public boolean ignored(int y) {
        return hasIgnoreIndex && y == ignoreIndex;
    }

    /** {@code Σ_c w_c} over {@code classes} classes (the smoothing mass of a sparse row is {@code ls/C} times this). */
    public double classWeightSum(int classes) {
        if (classWeights == null) {
            return classes;
        }
        double s = 0;
        for (int c = 0; c < classes; c++) {
            s += classWeights[c];
        }
        return s;
    }
}
