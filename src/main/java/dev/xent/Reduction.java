package dev.xent;

/**
 * How per-row (or per-element) losses are reduced to one number.
 *
 * <p>All reductions accumulate in {@code double}, in row order ({@code r = n·inner + i}), so the result
 * does not depend on the backend, the vector width or the number of threads, and does not drift over
 * millions of rows. With sample weights {@code w_r} (one per loss element):
 * <table class="striped">
 *   <caption>Reductions</caption>
 *   <tr><th>reduction</th><th>value</th><th>empty batch</th><th>semantics of</th></tr>
 *   <tr><td>{@link #NONE}</td><td>the per-row losses {@code w_r·l_r}</td><td>nothing</td><td>Keras {@code "none"}, PyTorch {@code 'none'}</td></tr>
 *   <tr><td>{@link #SUM}</td><td>{@code Σ w_r·l_r}</td><td>0</td><td>Keras {@code "sum"}, PyTorch {@code 'sum'}</td></tr>
 *   <tr><td>{@link #SUM_OVER_BATCH_SIZE}</td><td>{@code Σ w_r·l_r / rows}</td><td>0</td><td>Keras {@code "sum_over_batch_size"} (the Keras default)</td></tr>
 *   <tr><td>{@link #MEAN}</td><td>{@code Σ w_r·l_r / Σ w_r} (without weights {@code Σ l_r / rows})</td><td>NaN</td><td>PyTorch {@code 'mean'} with weights</td></tr>
 * </table>
 */
public enum Reduction {
    /** No reduction: the per-row losses, each multiplied by its sample weight when weights are given. */
    NONE,
    /** The sum of the (weighted) losses; 0 for an empty batch. */
    SUM,
    /** Keras' default: the sum of the (weighted) losses divided by the number of losses; 0 for an empty batch. */
    SUM_OVER_BATCH_SIZE,
    /** The weighted mean {@code Σ w·l / Σ w}; the plain mean without weights; NaN for an empty batch (as PyTorch). */
    MEAN;

    /**
     * Reduces the losses of {@code layout} in row order.
     *
     * @param losses        the per-row losses
     * @param layout        their layout (one class)
     * @param sampleWeights one weight per row, or {@code null} for weight 1
     * @param weightsLayout the weights' layout (one class, same rows), ignored when {@code sampleWeights} is null
     * @return the reduced value in double precision
     * @throws IllegalArgumentException for {@link #NONE}, which has no single value, for a layout with more
     *         than one class, or weights whose layout does not match or fit
     */
    public double reduce(float[] losses, Layout layout, float[] sampleWeights, Layout weightsLayout) {
        if (this == NONE) {
            throw new IllegalArgumentException("reduction = NONE has no single value");
        }
        Checks.notNull("losses", losses);
        Checks.notNull("layout", layout);
        if (layout.classes() != 1) {
            throw new IllegalArgumentException("layout = " + layout + " must have one class");
        }
        layout.checkFits("losses", losses.length);
        if (sampleWeights != null) {
            Checks.notNull("weightsLayout", weightsLayout);
            Checks.rowsLayout("sampleWeights", weightsLayout, layout);
            weightsLayout.checkFits("sampleWeights", sampleWeights.length);
        }
        int rows = layout.rows();
        double sum = 0;
        double weightSum = 0;
        for (int r = 0; r < rows; r++) {
            double l = losses[layout.rowIndex(r)];
            if (sampleWeights != null) {
                double w = sampleWeights[weightsLayout.rowIndex(r)];
                sum += w * l;
                weightSum += w;
            } else {
                sum += l;
            }
        }
        switch (this) {
            case SUM:
                return sum;
            case SUM_OVER_BATCH_SIZE:
                return rows == 0 ? 0.0 : sum / rows;
            case MEAN:
                return sampleWeights == null ? sum / rows : sum / weightSum;
            default:
                throw new AssertionError(this);
        }
    }

    /** Reduces {@code count} dense losses starting at {@code offset}, without weights. */
    public double reduce(float[] losses, int offset, int count) {
        Checks.notNull("losses", losses);
        if (offset < 0 || count < 0) {
            throw new IllegalArgumentException((offset < 0 ? "offset = " + offset : "count = " + count) + " must not be negative");
        }
        return reduce(losses, Layout.vector(count).withOffset(offset), null, null);
    }
}
