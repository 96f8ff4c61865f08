package dev.xent;

/**
 * Which framework's reduction and probability rules a loss follows where TensorFlow/Keras and PyTorch differ.
 *
 * <table class="striped">
 *   <caption>What the semantics change</caption>
 *   <tr><th>question</th><th>{@link #KERAS}</th><th>{@link #PYTORCH}</th></tr>
 *   <tr><td>{@link Reduction#MEAN} with a zero divisor (empty or all-ignored batch, weights all 0)</td><td>0</td><td>NaN</td></tr>
 *   <tr><td>probabilities at 0 and 1</td><td>clip to {@code [ε, 1−ε]} (ε = 1e-7 by default)</td>
 *       <td>no clip; each log clamped at −100</td></tr>
 * </table>
 *
 * <p>Everything else is the same under both: {@link Reduction#MEAN} divides by {@code Σ s_r·w[y_r]} over non-ignored
 * rows (sample weight {@code s_r}, class weight of the target {@code w[y_r]}; 1 when absent; dense labels: {@code Σ s_r}),
 * {@link Reduction#SUM_OVER_BATCH_SIZE} by the number of non-ignored loss elements (0 when there are none), as
 * Keras 3 does when {@code ignore_class} masks rows.
 */
public enum Semantics {
    /** TensorFlow / Keras: clip probabilities to {@code [ε, 1−ε]}; a mean over nothing is 0. */
    KERAS,
    /** PyTorch: each log of a probability clamped at −100; a mean over nothing is NaN. */
    PYTORCH;

    /** Parses {@code keras} or {@code pytorch} (any case). */
    public static Semantics parse(String name) {
        for (Semantics s : values()) {
            if (s.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("semantics = " + name + " is not one of keras, pytorch");
    }
}
