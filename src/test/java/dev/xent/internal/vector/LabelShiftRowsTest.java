package dev.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xent.Backend;
import dev.xent.CrossEntropy;
import dev.xent.Layout;
import dev.xent.internal.reference.ReferenceKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sparse softmax CE rows of the row path (class axis last, {@code C ≥ 3L}) take one pass shifted by the label's logit;
 * a row with a logit far above the label's (its sum above the limit, or its exp beyond the float range), +∞, −∞ at the
 * label, or NaN takes two passes shifted by its maximum (−∞ elsewhere, a masked class, stays on one pass). Every row is
 * checked against the float64 reference, and a row's bits must not depend on the rows around it.
 */
@Tag("backend")
class LabelShiftRowsTest {

    static final int L = VectorKernels.L;

    /** Gaps of one logit above the label's: both sides of 127.5·ln 2 ≈ 88.376 (where 2^n leaves the exponent), 177 (n wraps past 255). */
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
            int[] y = new int[GAPS.length * 4];
            float[] x = farRows(c, new SplittableRandom(c), y);
            check(x, y, y.length, c, "C = " + c);
        }
    }

    /**
     * {@code 4·GAPS.length} rows of C classes, N(0, 1) logits, the label's −3 and one logit {@code GAPS[r / 4]} above
     * it: in the first vector, the last (overlapping) one, a middle block, or beside the label. Fills {@code y}.
     */
    static float[] farRows(int c, SplittableRandom rnd, int[] y) {
        int rows = y.length;
        float[] x = new float[rows * c];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < c; j++) {
                x[r * c + j] = (float) rnd.nextGaussian();
            }
            y[r] = rnd.nextInt(c);
            int at = new int[] {0, c - 1, c / 2, (y[r] + 1) % c}[r % 4];
            if (at == y[r]) {
                at = (at + 2) % c;
            }
            x[r * c + y[r]] = -3f;
            x[r * c + at] = -3f + GAPS[r / 4];
        }
        return x;
    }

    /** Sums above the limit (many logits 80–88 above the label's) and non-finite logits, in and beside the label. */
    @Test
    void largeSumsAndNonFiniteLogits() {
        for (int c : new int[] {100, VectorKernels.OTHERS_MIN_CLASSES + 5}) {
            largeSumsAndNonFiniteLogits(c);
        }
    }

    static void largeSumsAndNonFiniteLogits(int c) {
        float[][] rowsOf = {
                fill(c, 85f), fill(c, 87.5f), fill(c, 80f), fill(c, 88.3f),
                with(c, 5, Float.POSITIVE_INFINITY), with(c, 5, Float.NEGATIVE_INFINITY), with(c, 5, Float.NaN),
                with(c, 0, Float.POSITIVE_INFINITY), with(c, 0, Float.NEGATIVE_INFINITY), with(c, 0, Float.NaN),
                with(c, c - 1, Float.NEGATIVE_INFINITY), fill(c, Float.NEGATIVE_INFINITY)};
        int rows = rowsOf.length;
        float[] x = new float[rows * c];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(rowsOf[r], 0, x, r * c, c);
            y[r] = 0;
        }
        check(x, y, rows, c, "C = " + c);
    }

    /**
     * NaNs of either sign and any payload give NaN (review, 2026-12-02: the exp built {@code 2^n} by adding to the
     * bits of its polynomial, which turned NaNs with low payload bits into tiny numbers; with the sign bit set they
     * also escaped the exponent check: a loss of −2.53 for a NaN label). Rows, tiles (class axis last and first, few
     * and many classes) and sigmoid CE.
     */
    @Test
    void nanPayloadsGiveNaN() {
        int[] payloads = {0x7FC00000, 0x7FC00001, 0x7FC000FF, 0x7F800001, 0xFFC00000, 0xFFC00001, 0xFFFFFFFF, 0xFF8001FF};
        CrossEntropy ce = CrossEntropy.of(Backend.VECTOR);
        for (int c : new int[] {2, 10, 3 * L, 100, 1000}) {
            for (boolean first : new boolean[] {false, true}) {
                int positions = first ? 2 * L + 3 : 1;
                int rows = first ? 1 : 2 * payloads.length;
                for (int at : new int[] {0, c - 1}) {
                    int lanes = first ? positions : rows;
                    float[] x = new float[rows * c * positions];
                    SplittableRandom rnd = new SplittableRandom(c * 7L + at);
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) rnd.nextGaussian();
                    }
                    int[] y = new int[lanes];
                    Layout xl = first ? Layout.channelsFirst(1, c, positions) : Layout.rows(rows, c);
                    for (int k = 0; k < lanes; k++) {
                        // even lanes: the NaN at the label (class `at`); odd lanes: beside it
                        y[k] = k % 2 == 0 ? at : (at + 1) % c;
                        int p = payloads[(k / 2) % payloads.length];
                        x[first ? at * positions + k : k * c + at] = Float.intBitsToFloat(p);
                    }
                    float[] out = new float[lanes];
                    Layout yl = Layout.rowsOf(xl);
                    ce.sparseSoftmaxCrossEntropyWithLogits(x, xl, y, yl, out, yl);
                    for (int k = 0; k < lanes; k++) {
                        assertTrue(Float.isNaN(out[k]), "C = " + c + (first ? ", class axis first" : "") + ", NaN "
                                + Integer.toHexString(payloads[(k / 2) % payloads.length]) + " in class " + at
                                + (k % 2 == 0 ? " (the label)" : " (label " + y[k] + ")") + ": got " + out[k]);
                    }
                }
            }
        }
        float[] x = new float[4 * L];
        for (int i = 0; i < x.length; i++) {
            x[i] = Float.intBitsToFloat(payloads[i % payloads.length]);
        }
        float[] z = new float[x.length];
        float[] out = new float[x.length];
        ce.sigmoidCrossEntropyWithLogits(x, z, out);
        for (int i = 0; i < x.length; i++) {
            assertTrue(Float.isNaN(out[i]), "sigmoid CE of NaN " + Integer.toHexString(payloads[i % payloads.length])
                    + ": got " + out[i]);
        }
    }

    /**
     * A confident row of many classes keeps its tiny loss's relative precision: the count of the label's term (1) is
     * kept apart from the other terms' sum across blocks (review, 2026-12-02: added into the running double, each
     * later block rounded the rest at 1.1e-16, 3e-5 relative at C = 128 000 for a loss of 1.7e-9).
     */
    @Test
    void tinyLossesOfManyClassesKeepTheirRelativePrecision() {
        for (int c : new int[] {1000, 32000, 128000}) {
            for (float gap : new float[] {20f, 26f, 31.943302f, 36f}) {
                float[] x = new float[c];
                x[0] = gap;
                // every other logit 0: the loss is log1p((C − 1)·exp(−gap)), exact in double
                double want = Math.log1p((c - 1) * Math.exp(-(double) gap));
                float[] got = new float[1];
                VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, Layout.rows(1, c), new int[] {0}, Layout.vector(1),
                        got, Layout.vector(1));
                double rel = Math.abs(got[0] - want) / want;
                assertTrue(rel <= 1e-6, "C = " + c + ", gap " + gap + ": got " + got[0] + ", exact " + want
                        + ", relative error " + rel);
            }
        }
    }

    /**
     * The label at every position (any vector of a step, the overlapping last load, either side of a block's end): its
     * own term is counted apart exactly once and no other element is dropped or counted twice (either would move
     * {@code C − 1} by one, far beyond 1e-6 relative), and a tie with the label's logit adds 1.
     */
    @Test
    void everyLabelPositionCountsItsOwnTermApart() {
        int block = VectorKernels.PLAIN_BLOCK;
        int others = VectorKernels.OTHERS_BLOCK;
        // below OTHERS_MIN_CLASSES the ties are counted (rowSumExpShifted), from it the label's term is left out, in
        // blocks of OTHERS_BLOCK classes and steps of four vectors (the label's four and a block's last masked)
        for (int c : new int[] {3 * L, 3 * L + 1, 100, block + L + 3, 2 * block - 1, 2 * block, 2 * block + 2 * L + 1,
                others + 4 * L - 1, others + 5 * L + 7, 2 * others - 1, 2 * others + 4 * L + 5, 4 * block + 3}) {
            float gap = 20f;
            float[] x = new float[c * c];
            int[] y = new int[c];
            for (int r = 0; r < c; r++) {
                y[r] = r;
                x[r * c + r] = gap;
            }
            float[] got = new float[c];
            Layout xl = Layout.rows(c, c);
            VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, xl, y, Layout.rowsOf(xl), got, Layout.rowsOf(xl));
            double want = Math.log1p((c - 1) * Math.exp(-(double) gap));
            for (int r = 0; r < c; r++) {
                double rel = Math.abs(got[r] - want) / want;
                assertTrue(rel <= 1e-6, "C = " + c + ", label " + r + ": got " + got[r] + ", exact " + want);
            }
            // a tie: the label's logit also at the next class
            for (int r = 0; r < c; r++) {
                x[r * c + (r + 1) % c] = gap;
            }
            VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, xl, y, Layout.rowsOf(xl), got, Layout.rowsOf(xl));
            double tie = Math.log(2 + (c - 2) * Math.exp(-(double) gap));
            for (int r = 0; r < c; r++) {
                assertEquals(tie, got[r], 2e-6 * tie, "C = " + c + ", label " + r + " tied with the next class");
            }
        }
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
        float[] got = new float[rows];
        VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, xl, y, Layout.rowsOf(xl), got, Layout.rowsOf(xl));
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
