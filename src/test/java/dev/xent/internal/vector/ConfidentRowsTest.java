package dev.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.xent.Layout;
import dev.xent.internal.reference.ReferenceKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sparse softmax CE of confident rows (the label's logit 3 to 16 above every other): losses of about 1e-7 to 0.5,
 * which the one-pass small-C tiles ({@code C < L}, class axis last or first) keep to their relative precision, not
 * only the absolute one: the sum leaves the label's term (exactly 1) out and the loss is {@code log1p} of the rest.
 * Before, {@code log} of a sum near 1 rounded such losses to multiples of about 6e-8, and a shift by class 0's logit
 * rounded the large differences (the demo's digits row showed 9.7e-7 absolute at a loss of about 1e-7).
 */
@Tag("backend")
class ConfidentRowsTest {

    static final int L = VectorKernels.L;
    static final int ROWS = 3 * L + 5;

    @Test
    void confidentRowsKeepTheirRelativePrecision() {
        assumeTrue(L > 3, "the one-pass small-C tiles need 3 ≤ C < L; L = " + L);
        double worst = 0;
        for (int c = 3; c < L; c++) {
            SplittableRandom rnd = new SplittableRandom(c);
            float[] x = new float[ROWS * c];
            int[] y = new int[ROWS];
            for (int r = 0; r < ROWS; r++) {
                y[r] = rnd.nextInt(c);
                float top = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) {
                    x[r * c + j] = (float) (rnd.nextGaussian() * 4);
                    top = Math.max(top, x[r * c + j]);
                }
                x[r * c + y[r]] = top + 3 + 13 * (float) rnd.nextDouble();
            }
            float[] xFirst = new float[x.length];
            for (int r = 0; r < ROWS; r++) {
                for (int j = 0; j < c; j++) {
                    xFirst[j * ROWS + r] = x[r * c + j];
                }
            }
            Layout rows = Layout.rows(ROWS, c);
            Layout first = Layout.channelsFirst(1, c, ROWS);
            Layout perRow = Layout.rowsOf(rows);
            Layout perPosition = Layout.rowsOf(first);
            float[] want = new float[ROWS];
            ReferenceKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, rows, y, perRow, want, perRow);
            float[] gotRows = new float[ROWS];
            float[] gotFirst = new float[ROWS];
            VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, rows, y, perRow, gotRows, perRow);
            VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(xFirst, first, y, perPosition, gotFirst, perPosition);
            for (int r = 0; r < ROWS; r++) {
                assertTrue(want[r] > 0 && want[r] < 1, "C=" + c + " row " + r + ": reference " + want[r]);
                for (float got : new float[] {gotRows[r], gotFirst[r]}) {
                    double rel = Math.abs(got - (double) want[r]) / want[r];
                    worst = Math.max(worst, rel);
                    assertTrue(rel <= 1e-6, "C=" + c + " row " + r + ": " + got + " against the reference " + want[r]
                            + ", relative error " + rel);
                }
            }
        }
        assertTrue(worst > 1e-9, "the check reached float rounding: worst " + worst);
    }

    /**
     * The row path ({@code C ≥ L}): the label's logit 12 to 20 above a flat rest, losses of about 1e-6 to 0.2. The lane
     * sums leave out the elements equal to the maximum (their exp is exactly 1; they are counted instead), so the small
     * terms are not rounded against a 1 in their lane (before: 2.03e-6 for 2.06e-6 at C = 1000).
     */
    @Test
    void confidentLongRowsKeepTheirRelativePrecision() {
        for (int c : new int[] {L, 100, 1000, 32000}) {
            int rows = 6;
            SplittableRandom rnd = new SplittableRandom(c);
            float[] x = new float[rows * c];
            int[] y = new int[rows];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < c; j++) {
                    x[r * c + j] = (float) (rnd.nextGaussian() * 0.01);
                }
                y[r] = rnd.nextInt(c);
                x[r * c + y[r]] = 12 + 8 * (float) rnd.nextDouble();
            }
            Layout xl = Layout.rows(rows, c);
            Layout perRow = Layout.rowsOf(xl);
            float[] want = new float[rows];
            float[] got = new float[rows];
            ReferenceKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, xl, y, perRow, want, perRow);
            VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, xl, y, perRow, got, perRow);
            for (int r = 0; r < rows; r++) {
                double rel = Math.abs(got[r] - (double) want[r]) / want[r];
                assertTrue(rel <= 1e-6, "C=" + c + " row " + r + ": " + got[r] + " against the reference " + want[r]
                        + ", relative error " + rel);
            }
        }
    }

    /**
     * The rows that skip the counted sum (label not a maximum, loss above log 2): a lane holding the maximum's
     * exp(0) = 1 rounds away every small term added to it. Worst case: many terms just below 2^−24 (review,
     * 2026-12-02: C = 1024, blocks of 1024 classes, errors 1.7e-6 to 1.4e-5 from 512 to 64 bits; bar 2.4e-6).
     */
    @Test
    void rowsBesideTheMaximumStayWithinTheBar() {
        for (int c : new int[] {1024, 4096, 33 * L + 3}) {
            float[] x = new float[c];
            java.util.Arrays.fill(x, -16.7f); // exp(−16.7) = 5.6e-8, just below 2^−24
            x[0] = 0f;
            x[1] = -1e-7f;
            Layout l = Layout.rows(1, c);
            double want = ReferenceKernels.sparseSoftmaxRow(x, 0, 1, c, 1);
            float[] got = new float[1];
            VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, l, new int[] {1}, Layout.vector(1), got, Layout.vector(1));
            double err = Math.abs(got[0] - want);
            assertTrue(err <= 7e-7 * want, "C=" + c + ", L=" + L + ": got " + got[0] + ", reference " + want + ", error " + err);
        }
    }
}
