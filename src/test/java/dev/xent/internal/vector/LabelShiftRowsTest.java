package dev.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xent.Layout;
import dev.xent.internal.reference.ReferenceKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sparse softmax CE rows of the row path (class axis last, {@code C ≥ 3L}) take one pass shifted by the label's logit;
 * a row with a logit far above the label's (its exp beyond the float range), a sum above the limit, ±∞ or NaN takes
 * two passes shifted by its maximum. Every row is checked against the float64 reference, and a row's bits must not
 * depend on the rows around it.
 */
@Tag("backend")
class LabelShiftRowsTest {

    static final int L = VectorKernels.L;

    /** Gaps of one logit above the label's: both sides of 88.37 (where 2^n leaves the exponent), 177 (n wraps past 255). */
    static final float[] GAPS = {0f, 1f, 20f, 85f, 86f, 88f, 88.3f, 88.37f, 88.38f, 88.5f, 89f, 100f, 127f, 177f, 178f,
            200f, 1000f, 1e30f, Float.MAX_VALUE};

    static void assertWithinBar(double want, float got, String what) {
        if (Double.isNaN(want)) {
            assertTrue(Float.isNaN(got), what + ": got " + got + ", the reference gives NaN");
            return;
        }
        if (Double.isInfinite(want)) {
            assertEquals(want, got, 0, what);
            return;
        }
        double err = Math.abs(got - want);
        assertTrue(err <= 1e-6 + 2e-6 * Math.abs(want), what + ": got " + got + ", reference " + want + ", error " + err);
    }

    /** Rows of C classes, N(0, 1) logits, one logit {@code gap} above the label's, at several positions and blocks. */
    @Test
    void logitsFarAboveTheLabelTakeTwoPasses() {
        for (int c : new int[] {3 * L, 3 * L + 1, 100, 16 * L + 3, 1000}) {
            SplittableRandom rnd = new SplittableRandom(c);
            int rows = GAPS.length * 4;
            float[] x = new float[rows * c];
            int[] y = new int[rows];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < c; j++) {
                    x[r * c + j] = (float) rnd.nextGaussian();
                }
                y[r] = rnd.nextInt(c);
                float gap = GAPS[r / 4];
                // the far logit in the first vector, the last (overlapping) one, a middle block, or beside the label
                int at = new int[] {0, c - 1, c / 2, (y[r] + 1) % c}[r % 4];
                if (at == y[r]) {
                    at = (at + 2) % c;
                }
                x[r * c + y[r]] = -3f;
                x[r * c + at] = -3f + gap;
            }
            check(x, y, rows, c, "C = " + c);
        }
    }

    /** Sums above the limit (many logits 80–88 above the label's) and non-finite logits, in and beside the label. */
    @Test
    void largeSumsAndNonFiniteLogits() {
        int c = 100;
        float[][] rowsOf = {
                fill(c, 85f), fill(c, 87.5f), fill(c, 80f), fill(c, 88.3f),
                with(c, 5, Float.POSITIVE_INFINITY), with(c, 5, Float.NEGATIVE_INFINITY), with(c, 5, Float.NaN),
                with(c, 0, Float.POSITIVE_INFINITY), with(c, 0, Float.NEGATIVE_INFINITY), with(c, 0, Float.NaN),
                with(c, 99, Float.NEGATIVE_INFINITY), fill(c, Float.NEGATIVE_INFINITY)};
        int rows = rowsOf.length;
        float[] x = new float[rows * c];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(rowsOf[r], 0, x, r * c, c);
            y[r] = 0;
        }
        check(x, y, rows, c, "C = 100");
    }

    /** Every logit {@code v} except the label's (class 0), which is 0. */
    static float[] fill(int c, float v) {
        float[] row = new float[c];
        java.util.Arrays.fill(row, v);
        row[0] = 0f;
        return row;
    }

    /** N(0, 1) logits with class {@code at} set to {@code v}. */
    static float[] with(int c, int at, float v) {
        SplittableRandom rnd = new SplittableRandom(at + 31L * c);
        float[] row = new float[c];
        for (int j = 0; j < c; j++) {
            row[j] = (float) rnd.nextGaussian();
        }
        row[at] = v;
        return row;
    }

    /** The rows in one call and each row alone: within the bar of the reference, and the same bits. */
    static void check(float[] x, int[] y, int rows, int c, String what) {
        Layout xl = Layout.rows(rows, c);
        Layout perRow = Layout.rowsOf(xl);
        float[] want = new float[rows];
        float[] got = new float[rows];
        ReferenceKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, xl, y, perRow, want, perRow);
        VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, xl, y, perRow, got, perRow);
        for (int r = 0; r < rows; r++) {
            double ref = ReferenceKernels.sparseSoftmaxRow(x, r * c, 1, c, y[r]);
            assertWithinBar(ref, got[r], what + ", row " + r);
            float[] alone = new float[1];
            float[] row = java.util.Arrays.copyOfRange(x, r * c, (r + 1) * c);
            VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(row, Layout.rows(1, c), new int[] {y[r]}, Layout.vector(1),
                    alone, Layout.vector(1));
            assertEquals(Float.floatToIntBits(got[r]), Float.floatToIntBits(alone[0]), what + ", row " + r + " alone");
        }
    }
}
