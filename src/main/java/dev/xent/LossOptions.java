package dev.xent;

import dev.xent.internal.LossParams;
import java.util.Arrays;

/**
 * The training options of a loss, immutable: class weights, {@code ignore_index}, label smoothing,
 * {@code pos_weight}, z-loss, logit soft-capping, the {@link Semantics} and the {@link Reduction}.
 *
 * <pre>{@code
 * LossOptions torch = LossOptions.pytorch().classWeights(w).labelSmoothing(0.1f).build();   // MEAN, ignore -100
 * LossOptions keras = LossOptions.keras().labelSmoothing(0.1f).build();                   // SUM_OVER_BATCH_SIZE
 * }</pre>
 *
 * <table class="striped">
 *   <caption>Options and the losses they apply to</caption>
 *   <tr><th>option</th><th>per row / element</th><th>losses</th></tr>
 *   <tr><td>{@code classWeights w[C]}</td><td>softmax family: {@code T_c = w_c·t_c} (sparse: the target's {@code w_y});
 *       sigmoid/binary: element {@code c} times {@code w_c}</td><td>all</td></tr>
 *   <tr><td>{@code ignoreIndex}</td><td>rows whose integer label equals it: loss 0, gradient 0, not counted</td><td>sparse</td></tr>
 *   <tr><td>{@code labelSmoothing ls}</td><td>categorical {@code t·(1−ls) + ls/C}; sparse {@code (1−ls)·e_y + ls/C};
 *       binary {@code z·(1−ls) + ls/2}; weighted by the class weights as PyTorch</td><td>all</td></tr>
 *   <tr><td>{@code posWeight q} (scalar or per class)</td><td>{@code max(x,0) − x·z + log1p(e^−|x|) + (q−1)·z·softplus(−x)};
 *       probabilities {@code −(q·z·log p + (1−z)·log(1−p))}</td><td>sigmoid, binary</td></tr>
 *   <tr><td>{@code zLoss s}</td><td>{@code + s·lse²} (not class-weighted; 0 for ignored rows)</td><td>softmax from logits</td></tr>
 *   <tr><td>{@code softcap cap}</td><td>{@code x ← cap·tanh(x/cap)} before anything else, gradient included</td><td>from logits</td></tr>
 *   <tr><td>{@code epsilon}</td><td>the Keras clip bound ({@link Semantics#KERAS})</td><td>probabilities</td></tr>
 * </table>
 */
public final class LossOptions {

    /** PyTorch's default {@code ignore_index}. */
    public static final int PYTORCH_IGNORE_INDEX = -100;

    private static final LossOptions DEFAULTS = keras().build();

    private final Semantics semantics;
    private final Reduction reduction;
    private final float[] classWeights;
    private final boolean hasIgnoreIndex;
    private final int ignoreIndex;
    private final float labelSmoothing;
    private final float posWeight;
    private final float[] posWeights;
    private final float zLoss;
    private final float softcap;
    private final float epsilon;
    private final LossParams params;

    private LossOptions(Builder b) {
        semantics = b.semantics;
        reduction = b.reduction;
        classWeights = b.classWeights == null ? null : b.classWeights.clone();
        hasIgnoreIndex = b.hasIgnoreIndex;
        ignoreIndex = b.ignoreIndex;
        labelSmoothing = b.labelSmoothing;
        posWeight = b.posWeight;
        posWeights = b.posWeights == null ? null : b.posWeights.clone();
        zLoss = b.zLoss;
        softcap = b.softcap;
        epsilon = b.epsilon;
        params = new LossParams(classWeights, hasIgnoreIndex, ignoreIndex, labelSmoothing, posWeight, posWeights,
                zLoss, softcap, semantics == Semantics.PYTORCH, epsilon);
    }

    /** Keras semantics, {@link Reduction#SUM_OVER_BATCH_SIZE}, ε = 1e-7, no other option. */
    public static LossOptions defaults() {
        return DEFAULTS;
    }

    /** A builder with Keras semantics and reduction {@link Reduction#SUM_OVER_BATCH_SIZE} (the Keras default). */
    public static Builder keras() {
        return new Builder().semantics(Semantics.KERAS).reduction(Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** A builder with PyTorch semantics, reduction {@link Reduction#MEAN} and {@code ignoreIndex = -100} (PyTorch's defaults). */
    public static Builder pytorch() {
        return new Builder().semantics(Semantics.PYTORCH).reduction(Reduction.MEAN).ignoreIndex(PYTORCH_IGNORE_INDEX);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder().semantics(semantics).reduction(reduction).labelSmoothing(labelSmoothing)
                .zLoss(zLoss).softcap(softcap).epsilon(epsilon);
        b.classWeights = classWeights;
        b.hasIgnoreIndex = hasIgnoreIndex;
        b.ignoreIndex = ignoreIndex;
        b.posWeight = posWeight;
        b.posWeights = posWeights;
        return b;
    }

    public Semantics semantics() { return semantics; }
    public Reduction reduction() { return reduction; }
    /** A copy of the class weights, or null. */
    public float[] classWeights() { return classWeights == null ? null : classWeights.clone(); }
    public boolean hasIgnoreIndex() { return hasIgnoreIndex; }
    /** The ignored label; meaningful when {@link #hasIgnoreIndex()}. */
    public int ignoreIndex() { return ignoreIndex; }
    public float labelSmoothing() { return labelSmoothing; }
    /** The scalar positive weight (1 by default; see {@link #posWeights()}). */
    public float posWeight() { return posWeight; }
    /** A copy of the per-class positive weights, or null. */
    public float[] posWeights() { return posWeights == null ? null : posWeights.clone(); }
    public float zLoss() { return zLoss; }
    /** The soft-cap, 0 when off. */
    public float softcap() { return softcap; }
    public float epsilon() { return epsilon; }

    LossParams params() {
        return params;
    }

    /** Builder for {@link LossOptions}; every setter checks its argument. */
    public static final class Builder {
        private Semantics semantics = Semantics.KERAS;
        private Reduction reduction = Reduction.SUM_OVER_BATCH_SIZE;
        private float[] classWeights;
        private boolean hasIgnoreIndex;
        private int ignoreIndex;
        private float labelSmoothing;
        private float posWeight = 1f;
        private float[] posWeights;
        private float zLoss;
        private float softcap;
        private float epsilon = KerasLoss.DEFAULT_EPSILON;

        private Builder() {
        }

        public Builder semantics(Semantics semantics) {
            Checks.notNull("semantics", semantics);
            this.semantics = semantics;
            return this;
        }

        public Builder reduction(Reduction reduction) {
            Checks.notNull("reduction", reduction);
            this.reduction = reduction;
            return this;
        }

        /** One finite, non-negative weight per class (copied), or null for none. */
        public Builder classWeights(float[] classWeights) {
            if (classWeights != null) {
                for (int c = 0; c < classWeights.length; c++) {
                    if (!(classWeights[c] >= 0f) || Float.isInfinite(classWeights[c])) {
                        throw new IllegalArgumentException("classWeights[" + c + "] = " + classWeights[c] + " must be finite and ≥ 0");
                    }
                }
            }
            this.classWeights = classWeights == null ? null : classWeights.clone();
            return this;
        }

        /** Rows whose integer label is {@code ignoreIndex} give loss 0 and gradient 0 and are not counted by the reduction. */
        public Builder ignoreIndex(int ignoreIndex) {
            this.hasIgnoreIndex = true;
            this.ignoreIndex = ignoreIndex;
            return this;
        }

        /** No ignored label: every integer label must be in {@code [0, C)}. */
        public Builder noIgnoreIndex() {
            this.hasIgnoreIndex = false;
            return this;
        }

        /** Label smoothing in {@code [0, 1]}. */
        public Builder labelSmoothing(float labelSmoothing) {
            if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
                throw new IllegalArgumentException("labelSmoothing = " + labelSmoothing + " must be in [0, 1]");
            }
            this.labelSmoothing = labelSmoothing;
            return this;
        }

        /** One positive weight for every class (sigmoid and binary forms), finite and ≥ 0; 1 is none. */
        public Builder posWeight(float posWeight) {
            if (!(posWeight >= 0f) || Float.isInfinite(posWeight)) {
                throw new IllegalArgumentException("posWeight = " + posWeight + " must be finite and ≥ 0");
            }
            this.posWeight = posWeight;
            this.posWeights = null;
            return this;
        }

        /** One positive weight per class (copied), finite and ≥ 0. */
        public Builder posWeight(float[] posWeights) {
            Checks.notNull("posWeights", posWeights);
            for (int c = 0; c < posWeights.length; c++) {
                if (!(posWeights[c] >= 0f) || Float.isInfinite(posWeights[c])) {
                    throw new IllegalArgumentException("posWeights[" + c + "] = " + posWeights[c] + " must be finite and ≥ 0");
                }
            }
            this.posWeights = posWeights.clone();
            this.posWeight = 1f;
            return this;
        }

        /** z-loss coefficient {@code s}, finite and ≥ 0 (0 is off); PaLM used 1e-4. */
        public Builder zLoss(float zLoss) {
            if (!(zLoss >= 0f) || Float.isInfinite(zLoss)) {
                throw new IllegalArgumentException("zLoss = " + zLoss + " must be finite and ≥ 0");
            }
            this.zLoss = zLoss;
            return this;
        }

        /** Logit soft-cap {@code cap > 0}, finite; 0 turns it off. Gemma 2 used 30 for the final logits. */
        public Builder softcap(float softcap) {
            if (!(softcap >= 0f) || Float.isInfinite(softcap)) {
                throw new IllegalArgumentException("softcap = " + softcap + " must be finite and > 0 (0 for none)");
            }
            this.softcap = softcap;
            return this;
        }

        /** The Keras clip bound of the probability forms, in {@code (0, 0.5)}; default 1e-7. */
        public Builder epsilon(float epsilon) {
            Checks.epsilon(epsilon);
            this.epsilon = epsilon;
            return this;
        }

        public LossOptions build() {
            return new LossOptions(this);
        }
    }

    @Override
    public String toString() {
        return "LossOptions{" + semantics + ", " + reduction
                + (classWeights != null ? ", classWeights=" + Arrays.toString(classWeights) : "")
                + (hasIgnoreIndex ? ", ignoreIndex=" + ignoreIndex : "")
                + (labelSmoothing != 0 ? ", labelSmoothing=" + labelSmoothing : "")
                + (posWeights != null ? ", posWeights=" + Arrays.toString(posWeights) : posWeight != 1 ? ", posWeight=" + posWeight : "")
                + (zLoss != 0 ? ", zLoss=" + zLoss : "") + (softcap != 0 ? ", softcap=" + softcap : "")
                + ", epsilon=" + epsilon + "}";
    }
}
