package dev.xent.internal.vector;

import static dev.xent.internal.vector.LabelShiftRowsTest.GAPS;
import static dev.xent.internal.vector.LabelShiftRowsTest.assertWithinBar;
import static dev.xent.internal.vector.LabelShiftRowsTest.fill;
import static dev.xent.internal.vector.LabelShiftRowsTest.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xent.HalfFloat;
import dev.xent.Layout;
import dev.xent.internal.reference.ReferenceKernels;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sparse softmax CE over bfloat16 and float16 logits (class axis last, {@code C ≥ 2L}): one pass shifted by the label's
 * logit as for float rows ({@link LabelShiftRowsTest}), two passes for a logit far above the label's, +∞, −∞ at the
 * label, or NaN. Every row against the float64 reference of the widened values, and a row's bits alone and in a
 * batch.
 */
@Tag("backend")
class HalfLabelShiftRowsTest {

    static final int L = VectorKernels.L;
    static final int[] CLASSES = {2 * L, 2 * L + 1, 3 * L - 1, 100, 16 * L + 3, 1000, 2 * VectorKernels.PLAIN_BLOCK + 2 * L - 1};

    @Test
    void logitsFarAboveTheLabelTakeTwoPasses() {
        for (HalfFloat format : HalfFloat.values()) {
            for (int c : CLASSES) {
                int[] y = new int[GAPS.length * 4];
                // rounded to the format in check: a far logit of 85.37 becomes 85.5 in bfloat16
                float[] x = LabelShiftRowsTest.farRows(c, new SplittableRandom(c + 7L * format.ordinal()), y);
                int rows = y.length;
                check(format, x, y, rows, c, format + ", C = " + c);
            }
        }
    }

    /** Sums above the limit, ties with the label's logit (equal rows: log C), non-finite logits in and beside the label. */
    @Test
    void largeSumsTiesAndNonFiniteLogits() {
        for (HalfFloat format : HalfFloat.values()) {
            for (int c : new int[] {2 * L, 100, 1000}) {
                int b = Math.min(5, c - 2); // beside the label (class 0)
                float[][] rowsOf = {
                        fill(c, 85f), fill(c, 87.5f), fill(c, 80f), fill(c, 88.3f), fill(c, 0f), fill(c, -1f),
                        with(c, b, Float.POSITIVE_INFINITY), with(c, b, Float.NEGATIVE_INFINITY), with(c, b, Float.NaN),
                        with(c, 0, Float.POSITIVE_INFINITY), with(c, 0, Float.NEGATIVE_INFINITY), with(c, 0, Float.NaN),
                        with(c, c - 1, Float.NEGATIVE_INFINITY), fill(c, Float.NEGATIVE_INFINITY)};
                int rows = rowsOf.length;
                float[] x = new float[rows * c];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(rowsOf[r], 0, x, r * c, c);
                }
                check(format, x, new int[rows], rows, c, format + ", C = " + c);
                short[] h = new short[c];
                float[] got = new float[1];
                VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(h, format, Layout.rows(1, c), new int[] {3},
                        Layout.vector(1), got, Layout.vector(1));
                assertEquals(Math.log(c), got[0], 2e-6 * Math.log(c), format + ", C = " + c + ", all logits 0");
            }
        }
    }

    /** NaNs of either sign and any payload, at the label and beside it, give NaN, and only in their row. */
    @Test
    void nanPayloadsGiveNaN() {
        for (HalfFloat format : HalfFloat.values()) {
            short[] nans = format == HalfFloat.BFLOAT16
                    ? new short[] {0x7fc0, 0x7fc1, 0x7f81, (short) 0xffc0, (short) 0xffc1, (short) 0xffff, (short) 0xff81}
                    : new short[] {0x7e00, 0x7c01, 0x7dff, (short) 0xfe00, (short) 0xfc01, (short) 0xffff, (short) 0xfc7f};
            for (int c : new int[] {2 * L, 100, 1000}) {
                for (int at : new int[] {0, c / 2, c - 1}) {
                    int rows = 2 * nans.length + 1;
                    short[] x = new short[rows * c];
                    SplittableRandom rnd = new SplittableRandom(c * 7L + at);
                    for (int i = 0; i < x.length; i++) {
                        x[i] = format.fromFloat((float) rnd.nextGaussian());
                    }
                    int[] y = new int[rows];
                    for (int r = 0; r < rows - 1; r++) {
                        // even rows: the NaN at the label (class `at`); odd rows: beside it; the last row clean
                        y[r] = r % 2 == 0 ? at : (at + 1) % c;
                        x[r * c + at] = nans[r / 2];
                    }
                    float[] out = new float[rows];
                    Layout xl = Layout.rows(rows, c);
                    VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, format, xl, y, Layout.rowsOf(xl), out, Layout.rowsOf(xl));
                    for (int r = 0; r < rows - 1; r++) {
                        assertTrue(Float.isNaN(out[r]), format + ", C = " + c + ", NaN "
                                + Integer.toHexString(nans[r / 2] & 0xffff) + " in class " + at
                                + (r % 2 == 0 ? " (the label)" : " (label " + y[r] + ")") + ": got " + out[r]);
                    }
                    assertTrue(Float.isFinite(out[rows - 1]), format + ", C = " + c + ": the clean row gave " + out[rows - 1]);
                }
            }
        }
    }

    /** A confident row of many classes keeps its tiny loss's relative precision (the label's term counted apart). */
    @Test
    void tinyLossesOfManyClassesKeepTheirRelativePrecision() {
        for (HalfFloat format : HalfFloat.values()) {
            for (int c : new int[] {1000, 32000, 128000}) {
                for (float gap : new float[] {20f, 26f, 32f, 36f}) {
                    short[] x = new short[c];
                    Arrays.fill(x, format.fromFloat(0f));
                    x[0] = format.fromFloat(gap);
                    // every other logit 0: the loss is log1p((C − 1)·exp(−gap)), exact in double
                    double want = Math.log1p((c - 1) * Math.exp(-(double) gap));
                    float[] got = new float[1];
                    VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, format, Layout.rows(1, c), new int[] {0},
                            Layout.vector(1), got, Layout.vector(1));
                    double rel = Math.abs(got[0] - want) / want;
                    assertTrue(rel <= 1e-6, format + ", C = " + c + ", gap " + gap + ": got " + got[0] + ", exact " + want
                            + ", relative error " + rel);
                }
            }
        }
    }

    /** As {@link LabelShiftRowsTest#everyLabelPositionCountsItsOwnTermApart}: the label at every position. */
    @Test
    void everyLabelPositionCountsItsOwnTermApart() {
        for (HalfFloat format : HalfFloat.values()) {
            for (int c : CLASSES) {
                float gap = 20f;
                short[] x = new short[c * c];
                int[] y = new int[c];
                for (int r = 0; r < c; r++) {
                    y[r] = r;
                    x[r * c + r] = format.fromFloat(gap);
                }
                float[] got = new float[c];
                Layout xl = Layout.rows(c, c);
                VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, format, xl, y, Layout.rowsOf(xl), got, Layout.rowsOf(xl));
                double want = Math.log1p((c - 1) * Math.exp(-(double) gap));
                for (int r = 0; r < c; r++) {
                    double rel = Math.abs(got[r] - want) / want;
                    assertTrue(rel <= 1e-6, format + ", C = " + c + ", label " + r + ": got " + got[r] + ", exact " + want);
                }
                for (int r = 0; r < c; r++) {
                    x[r * c + (r + 1) % c] = format.fromFloat(gap);
                }
                VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, format, xl, y, Layout.rowsOf(xl), got, Layout.rowsOf(xl));
                double tie = Math.log(2 + (c - 2) * Math.exp(-(double) gap));
                for (int r = 0; r < c; r++) {
                    assertEquals(tie, got[r], 2e-6 * tie, format + ", C = " + c + ", label " + r + " tied with the next class");
                }
            }
        }
    }

    /** The rows (rounded to the format) in one call and each alone: within the bar of the reference, the same bits. */
    static void check(HalfFloat format, float[] values, int[] y, int rows, int c, String what) {
        short[] x = new short[values.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = format.fromFloat(values[i]);
        }
        Layout xl = Layout.rows(rows, c);
        float[] got = new float[rows];
        VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, format, xl, y, Layout.rowsOf(xl), got, Layout.rowsOf(xl));
        double[] ref = ReferenceKernels.sparseSoftmaxCrossEntropy(x, format, xl, y, Layout.rowsOf(xl));
        for (int r = 0; r < rows; r++) {
            assertWithinBar(ref[r], got[r], what + ", row " + r);
            float[] alone = new float[1];
            VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(Arrays.copyOfRange(x, r * c, (r + 1) * c), format,
                    Layout.rows(1, c), new int[] {y[r]}, Layout.vector(1), alone, Layout.vector(1));
            assertEquals(Float.floatToIntBits(got[r]), Float.floatToIntBits(alone[0]), what + ", row " + r + " alone");
        }
    }
}
