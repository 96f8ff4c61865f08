package dev.xent;

/** Argument checks shared by the public entry points; every message names the argument and its value. */
final class Checks {
    private Checks() {
    }

    static void notNull(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " = null");
        }
    }

    /** Checks that {@code rows} is a per-row layout (one class) with the same rows as {@code logits}. */
    static void rowsLayout(String name, Layout rows, Layout logits) {
        if (!rows.isRowsOf(logits)) {
            throw new IllegalArgumentException(name + ": layout shape " + rows.shapeString()
                    + " does not match the rows of " + logits.shapeString() + " (expected ["
                    + logits.outer() + ", 1, " + logits.inner() + "])");
        }
    }

    static void sameShape(String name, Layout layout, Layout logits) {
        if (!layout.sameShape(logits)) {
            throw new IllegalArgumentException(name + ": layout shape " + layout.shapeString()
                    + " does not match " + logits.shapeString());
        }
    }

    static void epsilon(float epsilon) {
        if (!(epsilon > 0f && epsilon < 0.5f)) {
            throw new IllegalArgumentException("epsilon = " + epsilon + " must be in (0, 0.5)");
        }
    }

    /** Checks every integer label against {@code [0, classes)} before anything is written. */
    static void labelsInRange(int[] labels, Layout labelsLayout, int classes) {
        int rows = labelsLayout.rows();
        for (int r = 0; r < rows; r++) {
            int y = labels[labelsLayout.rowIndex(r)];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("labels: row " + r + " has label " + y
                        + ", outside [0, " + classes + ")");
            }
        }
    }
}
