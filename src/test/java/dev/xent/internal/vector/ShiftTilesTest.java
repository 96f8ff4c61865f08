package dev.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xent.Layout;
import dev.xent.internal.reference.ReferenceKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sparse softmax CE with the class axis first ({@code [N, C, H·W]}) and more than {@code SHIFT_CLASS_BLOCK} classes
 * runs its one-pass tiles in chunks, each block of classes walked across the chunk's tiles. A position's loss must
 * be what one pass over all classes gives (the blocks keep the order of the sums), must not depend on the chunk, the
 * tile or the sub-batch it falls in, and must match the float64 reference; lanes whose sum leaves the safe range (a
 * logit 100 above the label's), NaN and an infinite label logit are redone by the two-pass tile, per position.
 */
@Tag("backend")
class ShiftTilesTest {

    static final int L = VectorKernels.L;

    @Test
    void blockedTilesGiveTheBitsOfOneTileAndTheReference() {
        for (int c : new int[] {VectorKernels.SHIFT_CLASS_BLOCK + 1, 100, 4 * VectorKernels.SHIFT_CLASS_BLOCK + 3, 1000}) {
            for (int inner : new int[] {L, 5 * L + 3, VectorKernels.SHIFT_CHUNK * L + 2 * L + 5}) {
                int batch = 2;
                SplittableRandom rnd = new SplittableRandom(c * 1009L + inner);
                float[] x = new float[batch * c * inner];
                int[] y = new int[batch * inner];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (rnd.nextGaussian() * 3);
                }
                for (int n = 0; n < batch; n++) {
                    for (int i = 0; i < inner; i++) {
                        int label = rnd.nextInt(c);
                        y[n * inner + i] = label;
                        int at = n * c * inner + label * inner + i;
                        switch ((n * inner + i) % 11) {
                            case 1: // confident: loss about 1e-7 to 1e-3
                                x[at] += 20 + 6 * (float) rnd.nextDouble();
                                break;
                            case 4: // another class 100 above the label: the one-pass sum would overflow
                                x[n * c * inner + ((label + 1) % c) * inner + i] = x[at] + 100;
                                break;
                            case 6:
                                x[n * c * inner + ((label + 2) % c) * inner + i] = Float.NaN;
                                break;
                            case 9:
                                x[at] = Float.NEGATIVE_INFINITY;
                                break;
                            default:
                                break;
                        }
                    }
                }
                Layout xl = Layout.channelsFirst(batch, c, inner);
                Layout perPosition = Layout.rowsOf(xl);
                float[] want = new float[batch * inner];
                ReferenceKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, xl, y, perPosition, want, perPosition);
                float[] got = new float[batch * inner];
                float[] one = new float[L];
                float[] state = new float[4 * L];
                // no warm-up needed before the bits are compared: interpreted and compiled kernels agree (README,
                // Determinism)
                for (int w = RowGroupTest.warmUp(x.length); w >= 0; w--) {
                    VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, xl, y, perPosition, got, perPosition);
                    int i = (w * L) % (inner - L + 1);
                    VectorKernels.shiftTileStart(x, i, inner, y, i, state, 0);
                    VectorKernels.shiftTileSums(x, i, inner, 0, c, y, i, state, 0);
                    VectorKernels.shiftTileLoss(state, 0, one, 0);
                    int s = w % (inner - L + 1);
                    VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, Layout.of(c * inner + s, 1, c * inner, c, inner, L, 1), y,
                            Layout.of(inner + s, 1, inner, 1, 1, L, 1), state, Layout.of(0, 1, L, 1, 1, L, 1));
                }
                VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, xl, y, perPosition, got, perPosition);
                String shape = "[" + batch + ", " + c + ", " + inner + "], L=" + L;
                for (int r = 0; r < got.length; r++) {
                    String where = shape + ", position " + r;
                    if (Float.isNaN(want[r]) || Float.isInfinite(want[r])) {
                        assertEquals(Float.floatToIntBits(want[r]), Float.floatToIntBits(got[r]), where + ": reference " + want[r] + ", got " + got[r]);
                    } else {
                        double err = Math.abs(got[r] - (double) want[r]);
                        assertTrue(err <= 1e-6 + 2e-6 * Math.abs(want[r]), where + ": " + got[r] + " against the reference " + want[r]);
                    }
                }
                // every tile alone, its sums in one pass over all classes: the lanes it keeps have the bits of the batch
                int kept = 0;
                for (int n = 0; n < batch; n++) {
                    for (int i0 = 0; i0 < inner; i0 += L) {
                        int i = Math.min(i0, inner - L);
                        VectorKernels.shiftTileStart(x, n * c * inner + i, inner, y, n * inner + i, state, 0);
                        VectorKernels.shiftTileSums(x, n * c * inner + i, inner, 0, c, y, n * inner + i, state, 0);
                        VectorKernels.shiftTileLoss(state, 0, one, 0);
                        for (int j = 0; j < L; j++) {
                            if (!Float.isNaN(one[j])) {
                                kept++;
                                assertEquals(Float.floatToIntBits(one[j]), Float.floatToIntBits(got[n * inner + i + j]),
                                        shape + ", position " + (n * inner + i + j) + ": one tile " + one[j] + ", blocked " + got[n * inner + i + j]);
                            }
                        }
                    }
                }
                assertTrue(kept > batch * inner / 2, shape + ": the one-pass tile kept only " + kept + " lanes");
                // sub-batches of the positions of one n, anywhere, losses 3 apart: the bits of the whole batch
                for (int s : new int[] {0, 7 % (inner - L + 1), inner - L}) {
                    Layout some = Layout.of(c * inner + s, 1, c * inner, c, inner, L, 1);
                    Layout someRows = Layout.of(inner + s, 1, inner, 1, 1, L, 1);
                    float[] part = new float[3 * L];
                    VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, some, y, someRows, part, Layout.of(0, 1, 3 * L, 1, 1, L, 3));
                    for (int j = 0; j < L; j++) {
                        assertEquals(Float.floatToIntBits(got[inner + s + j]), Float.floatToIntBits(part[3 * j]),
                                shape + ": position " + (inner + s + j) + " in a batch of " + L + " positions from " + s);
                    }
                }
            }
        }
    }
}
