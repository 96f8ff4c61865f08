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
        boolean contiguous = labelsLayout.inner() == 1 ? labelsLayout.outerStride() == 1
                : labelsLayout.outer() == 1 && labelsLayout.innerStride() == 1;
        if (contiguous && rows > 0) {
            // branch-free over the contiguous labels (C2 vectorises the OR reduction): the sign bit of y | (C − 1 − y)
            // is set exactly when y < 0 or y ≥ C; the row-by-row loop below then names the first bad row
            int start = labelsLayout.rowIndex(0);
            int bits = 0;
            for (int i = start, end = start + rows; i < end; i++) {
                int y = labels[i];
                bits |= y | (classes - 1 - y);
            }
            if (bits >= 0) {
                return;
            }
        }
        for (int r = 0; r < rows; r++) {
            int y = labels[labelsLayout.rowIndex(r)];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("labels: row " + r + " has label " + y
                        + ", outside [0, " + classes + ")");
            }
        }
    }

    /**
     * Checks that no two elements of an output layout share an index (a stride of 0 over more than one element, or
     * two axes whose steps meet): every output element is written once, by one thread. Exact for the two axes of a
     * per-row layout; for three axes it checks every pair, which catches every collision of practical layouts.
     */
    static void distinctElements(String name, Layout l) {
        if (l.size() <= 1) {
            return;
        }
        // scalars only: this runs on every call, and arrays here were not scalar-replaced on JDK 17
        zeroStride(name, "outerStride", l.outer(), l.outerStride(), l);
        zeroStride(name, "classStride", l.classes(), l.classStride(), l);
        zeroStride(name, "innerStride", l.inner(), l.innerStride(), l);
        meet(name, "outerStride", l.outer(), l.outerStride(), "classStride", l.classes(), l.classStride(), l);
        meet(name, "outerStride", l.outer(), l.outerStride(), "innerStride", l.inner(), l.innerStride(), l);
        meet(name, "classStride", l.classes(), l.classStride(), "innerStride", l.inner(), l.innerStride(), l);
    }

    private static void zeroStride(String name, String axis, long extent, long stride, Layout l) {
        if (extent > 1 && stride == 0) {
            throw new IllegalArgumentException(name + ": " + axis + " = 0 over " + extent
                    + " elements writes them all to one index (layout " + l + ")");
        }
    }

    /** Two axes whose steps meet: the smallest {@code da·strideA = db·strideB} within both extents. */
    private static void meet(String name, String axisA, long extentA, long strideA, String axisB, long extentB, long strideB,
                             Layout l) {
        if (extentA <= 1 || extentB <= 1) {
            return;
        }
        long g = gcd(strideA, strideB);
        long da = strideB / g;
        long db = strideA / g;
        if (da < extentA && db < extentB) {
            throw new IllegalArgumentException(name + ": layout " + l + " writes two elements to one index ("
                    + da + " steps of " + axisA + " = " + strideA + " equal " + db + " steps of "
                    + axisB + " = " + strideB + ")");
        }
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
