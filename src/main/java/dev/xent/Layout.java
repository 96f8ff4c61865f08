package dev.xent;

import java.util.Arrays;

/**
 * Where the elements of a logical {@code [outer, classes, inner]} tensor live in a flat array.
 *
 * <p>Element {@code (n, c, i)} is at index {@code offset + n·outerStride + c·classStride + i·innerStride}.
 * Every loss reduces over the class axis, so a <em>row</em> is one {@code (n, i)} pair: there are
 * {@code outer·inner} rows, numbered {@code r = n·inner + i} (row-major order of the shape without
 * the class axis). Layouts of per-row arrays (integer labels, losses, sample weights) have
 * {@code classes == 1}.
 *
 * <p>Common cases:
 * <ul>
 *   <li>{@code [N, C]} rows, classes last: {@link #rows(int, int)}, with padding and an offset:
 *       {@link #rows(int, int, int, int)};</li>
 *   <li>channels first {@code [N, C, H·W]} (NCHW, class axis 1): {@link #channelsFirst(int, int, int)};</li>
 *   <li>any Keras {@code axis} of a row-major shape: {@link #of(int[], int)};</li>
 *   <li>the per-row arrays that go with a logits layout: {@link #rowsOf(Layout)}.</li>
 * </ul>
 * Strides are in elements, never negative; a stride of 0 (broadcast) is allowed for inputs.
 * Instances are immutable and thread-safe.
 */
public final class Layout {
    private final int offset;
    private final int outer;
    private final int outerStride;
    private final int classes;
    private final int classStride;
    private final int inner;
    private final int innerStride;

    private Layout(int offset, int outer, int outerStride, int classes, int classStride, int inner, int innerStride) {
        nonNegative("offset", offset);
        nonNegative("outer", outer);
        nonNegative("outerStride", outerStride);
        nonNegative("classes", classes);
        nonNegative("classStride", classStride);
        nonNegative("inner", inner);
        nonNegative("innerStride", innerStride);
        if ((long) outer * inner > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("outer·inner = " + ((long) outer * inner) + " rows exceeds " + Integer.MAX_VALUE);
        }
        this.offset = offset;
        this.outer = outer;
        this.outerStride = outerStride;
        this.classes = classes;
        this.classStride = classStride;
        this.inner = inner;
        this.innerStride = innerStride;
    }

    /**
     * The general layout: element {@code (n, c, i)} at {@code offset + n·outerStride + c·classStride + i·innerStride}.
     *
     * @throws IllegalArgumentException if any argument is negative, naming it and its value
     */
    public static Layout of(int offset, int outer, int outerStride, int classes, int classStride, int inner, int innerStride) {
        return new Layout(offset, outer, outerStride, classes, classStride, inner, innerStride);
    }

    /** A dense row-major {@code [rows, classes]} matrix at offset 0 (class axis last). */
    public static Layout rows(int rows, int classes) {
        return new Layout(0, rows, classes, classes, 1, 1, 1);
    }

    /**
     * A {@code [rows, classes]} matrix starting at {@code offset} whose rows are {@code rowStride ≥ classes}
     * elements apart (padded rows, a sub-range of a larger buffer).
     *
     * @throws IllegalArgumentException if {@code rowStride < classes} while there is more than one row
     */
    public static Layout rows(int rows, int classes, int offset, int rowStride) {
        if (rows > 1 && rowStride < classes) {
            throw new IllegalArgumentException("rowStride = " + rowStride + " is smaller than classes = " + classes);
        }
        return new Layout(offset, rows, rowStride, classes, 1, 1, 1);
    }

    /**
     * A dense channels-first {@code [batch, classes, spatial]} tensor (NCHW with {@code spatial = H·W}), class axis 1.
     *
     * @throws IllegalArgumentException for a negative size or more than {@code Integer.MAX_VALUE} elements
     */
    public static Layout channelsFirst(int batch, int classes, int spatial) {
        return of(new int[] {batch, classes, spatial}, 1);
    }

    /**
     * A dense row-major tensor of the given shape with the class axis at {@code axis}; a negative axis
     * counts from the end as in Keras ({@code -1} is the last axis).
     *
     * @throws IllegalArgumentException if the shape is empty or has a negative size, if the axis is out of
     *         range, or if the element count overflows an {@code int}
     */
    public static Layout of(int[] shape, int axis) {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("shape = " + Arrays.toString(shape) + " needs at least one axis");
        }
        int k = axis < 0 ? axis + shape.length : axis;
        if (k < 0 || k >= shape.length) {
            throw new IllegalArgumentException("axis = " + axis + " is out of range for shape " + Arrays.toString(shape));
        }
        long outer = 1;
        long inner = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) {
                throw new IllegalArgumentException("shape = " + Arrays.toString(shape) + " has a negative size");
            }
            if (d < k) {
                outer *= shape[d];
            } else if (d > k) {
                inner *= shape[d];
            }
            if (outer > Integer.MAX_VALUE || inner > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape = " + Arrays.toString(shape) + " has more than " + Integer.MAX_VALUE + " elements");
            }
        }
        long total = outer * shape[k] * inner;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape = " + Arrays.toString(shape) + " has more than " + Integer.MAX_VALUE + " elements");
        }
        int c = shape[k];
        return new Layout(0, (int) outer, (int) (c * inner), c, (int) inner, (int) inner, 1);
    }

    /**
     * The dense per-row layout that goes with {@code logits}: shape {@code [outer, 1, inner]} at offset 0,
     * row {@code r = n·inner + i} at index {@code r}. Use it for integer labels, losses and sample weights.
     */
    public static Layout rowsOf(Layout logits) {
        return new Layout(0, logits.outer, logits.inner, 1, 1, logits.inner, 1);
    }

    /** A dense one-dimensional array of {@code n} elements: {@code [n, 1, 1]}. */
    public static Layout vector(int n) {
        return new Layout(0, n, 1, 1, 1, 1, 1);
    }

    /** This layout moved to start at {@code offset}. */
    public Layout withOffset(int offset) {
        return new Layout(offset, outer, outerStride, classes, classStride, inner, innerStride);
    }

    /**
     * The part of this layout with {@code n} in {@code [n0, n1)} and {@code i} in {@code [i0, i1)}, all classes: a
     * sub-batch that shares the same array. Its row {@code r' = (n − n0)·(i1 − i0) + (i − i0)}.
     *
     * @throws IllegalArgumentException if a range is empty-reversed or outside {@code [0, outer]} / {@code [0, inner]}
     */
    public Layout slice(int n0, int n1, int i0, int i1) {
        if (n0 < 0 || n1 < n0 || n1 > outer) {
            throw new IllegalArgumentException("outer range [" + n0 + ", " + n1 + ") is not within [0, " + outer + "]");
        }
        if (i0 < 0 || i1 < i0 || i1 > inner) {
            throw new IllegalArgumentException("inner range [" + i0 + ", " + i1 + ") is not within [0, " + inner + "]");
        }
        long start = offset + (long) n0 * outerStride + (long) i0 * innerStride;
        return new Layout(Math.toIntExact(start), n1 - n0, outerStride, classes, classStride, i1 - i0, innerStride);
    }

    public int offset() { return offset; }
    public int outer() { return outer; }
    public int outerStride() { return outerStride; }
    public int classes() { return classes; }
    public int classStride() { return classStride; }
    public int inner() { return inner; }
    public int innerStride() { return innerStride; }

    /** Number of rows, {@code outer·inner}. */
    public int rows() { return outer * inner; }

    /** Number of logical elements, {@code outer·classes·inner}, as a long. */
    public long size() { return (long) outer * classes * inner; }

    /** Index of element {@code (n, c, i)}. */
    public int index(int n, int c, int i) {
        return offset + n * outerStride + c * classStride + i * innerStride;
    }

    /** Index of the first element (class 0) of row {@code r = n·inner + i}. */
    public int rowIndex(int r) {
        int n = inner == 1 ? r : r / inner;
        int i = inner == 1 ? 0 : r - n * inner;
        return offset + n * outerStride + i * innerStride;
    }

    /** Largest index this layout touches, or {@code offset - 1} when it is empty. */
    public long maxIndex() {
        if (outer == 0 || classes == 0 || inner == 0) {
            return offset - 1L;
        }
        return offset + (long) (outer - 1) * outerStride + (long) (classes - 1) * classStride + (long) (inner - 1) * innerStride;
    }

    /**
     * Checks that every index of this layout lies in an array of {@code length} elements.
     *
     * @param name the argument name used in the message
     * @throws IllegalArgumentException naming the argument when an index falls outside the array
     */
    public void checkFits(String name, int length) {
        long max = maxIndex();
        if (size() > 0 && max >= length) {
            throw new IllegalArgumentException(name + ": layout " + this + " reaches index " + max
                    + " but " + name + ".length = " + length);
        }
        if (size() == 0 && offset > length) {
            throw new IllegalArgumentException(name + ": offset = " + offset + " is past " + name + ".length = " + length);
        }
    }

    /** True when this layout has the same {@code outer, classes, inner} extents as {@code other}. */
    public boolean sameShape(Layout other) {
        return outer == other.outer && classes == other.classes && inner == other.inner;
    }

    /** True when this is a per-row layout for {@code logits}: same outer and inner extents and one class. */
    public boolean isRowsOf(Layout logits) {
        return outer == logits.outer && inner == logits.inner && classes == 1;
    }

    /** The shape as {@code [outer, classes, inner]}. */
    public String shapeString() {
        return "[" + outer + ", " + classes + ", " + inner + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Layout)) {
            return false;
        }
        Layout l = (Layout) o;
        return offset == l.offset && outer == l.outer && outerStride == l.outerStride && classes == l.classes
                && classStride == l.classStride && inner == l.inner && innerStride == l.innerStride;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {offset, outer, outerStride, classes, classStride, inner, innerStride});
    }

    @Override
    public String toString() {
        return "Layout{offset=" + offset + ", shape=" + shapeString() + ", strides=[" + outerStride + ", "
                + classStride + ", " + innerStride + "]}";
    }

    private static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " = " + value + " must not be negative");
        }
    }
}
