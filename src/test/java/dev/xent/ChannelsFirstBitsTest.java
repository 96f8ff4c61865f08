package dev.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xent.internal.reference.ReferenceKernels;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Softmax CE (sparse and dense labels) with the class axis first gives each position the bits of the same row
 * stored with the class axis last ({@code [N·H·W, C]}) where the vector backend takes the row kernels for it: two
 * classes at any H·W ({@code [N, 2, H·W]}, binary segmentation maps: the pair kernels on plain loads of the two class
 * planes), and rows long enough for the row path (sparse C ≥ 48, dense C ≥ 32 at 16 lanes) with fewer positions than
 * a vector (each position's row is copied, then the row path); and rows whose classes are interleaved with another
 * tensor (class stride 2). Whatever the number of maps and the strides of labels and losses; the rows themselves
 * within the accuracy bar of the float64 reference. Extreme logits (±inf, NaN, 1e30, 3e38) and, for dense labels,
 * labels of opposite signs, NaN, +inf and large ones are among the rows.
 */
@Tag("backend")
class ChannelsFirstBitsTest {

    static final int ROWS = 150;
    static final int[] POSITIONS = {1, 2, 3, 5, 7, 15, 16, 17, 31, 32, 33, 40, 75};
    static final int[] CLASSES = {2, 48, 100, 1000};
    /** Strides of labels and losses along H·W: contiguous, padded, and beyond the widest gather (review 2026-12-02). */
    static final int[] STRIDES = {1, 3, 300};

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void sparseSoftmaxWithTheClassAxisFirstHasTheRowsBits(CrossEntropy ce) {
        for (int c : CLASSES) {
            SplittableRandom rnd = new SplittableRandom(2 + c);
            float[] x = logits(rnd, c);
            int[] y = new int[ROWS];
            for (int r = 0; r < ROWS; r++) {
                y[r] = rnd.nextInt(c);
            }
            Layout rl = Layout.rows(ROWS, c);
            float[] rows = new float[ROWS];
            for (int pass = 0; pass >= 0; pass--) { // one pass: no warm-up needed (README, Determinism)
                boolean check = pass == 0;
                ce.sparseSoftmaxCrossEntropyWithLogits(x, rl, y, Layout.vector(ROWS), rows, Layout.vector(ROWS));
                if (check) {
                    TestSupport.assertRows(ReferenceKernels.sparseSoftmaxCrossEntropy(x, rl, y, Layout.vector(ROWS)), rows,
                            Layout.vector(ROWS), "C=" + c + " rows");
                }
                for (int hw : positions(ce, c)) {
                    for (int n : new int[] {1, 2}) {
                        float[] planes = planes(x, c, n, hw);
                        Layout xl = Layout.of(0, n, c * hw, c, hw, hw, 1);
                        for (int stride : STRIDES) {
                            // labels and losses [N, H·W], `stride` apart along H·W
                            Layout pl = Layout.of(0, n, hw * stride, 1, 1, hw, stride);
                            int[] ys = new int[(int) pl.maxIndex() + 1];
                            for (int k = 0; k < n * hw; k++) {
                                ys[pl.index(k / hw, 0, k % hw)] = y[k];
                            }
                            float[] out = new float[ys.length];
                            ce.sparseSoftmaxCrossEntropyWithLogits(planes, xl, ys, pl, out, pl);
                            for (int k = 0; check && k < n * hw; k++) {
                                assertSameBits(rows[k], out[pl.index(k / hw, 0, k % hw)], "[" + n + ", " + c + ", " + hw
                                        + "], position " + k + ", labels and losses " + stride + " apart");
                            }
                        }
                    }
                }
                float[] out = new float[ROWS];
                ce.sparseSoftmaxCrossEntropyWithLogits(interleaved(x), Layout.of(0, ROWS, 2 * c, c, 2, 1, 1), y,
                        Layout.vector(ROWS), out, Layout.vector(ROWS));
                for (int r = 0; check && r < ROWS; r++) {
                    assertSameBits(rows[r], out[r], "C=" + c + ", row " + r + " with the classes 2 apart");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void denseSoftmaxWithTheClassAxisFirstHasTheRowsBits(CrossEntropy ce) {
        float[][] odd = {{0.7f, -0.7f}, {Float.NaN, 1f}, {Float.POSITIVE_INFINITY, 0f}, {-2f, 3f}, {3e12f, 3e12f}};
        for (int c : CLASSES) {
            SplittableRandom rnd = new SplittableRandom(3 + c);
            float[] x = logits(rnd, c);
            float[] t = new float[c * ROWS];
            for (int r = 0; r < ROWS; r++) {
                if (r % 7 == 3) {
                    float[] o = odd[(r / 7) % odd.length];
                    t[c * r] = o[0];
                    t[c * r + 1] = o[1];
                } else if (r % 2 == 0) {
                    t[c * r + rnd.nextInt(c)] = 1f;
                } else {
                    for (int j = 0; j < c; j++) {
                        t[c * r + j] = (float) rnd.nextDouble() / c;
                    }
                }
            }
            Layout rl = Layout.rows(ROWS, c);
            float[] rows = new float[ROWS];
            for (int pass = 0; pass >= 0; pass--) { // one pass: no warm-up needed (README, Determinism)
                boolean check = pass == 0;
                ce.softmaxCrossEntropyWithLogits(x, rl, t, rl, rows, Layout.vector(ROWS));
                if (check) {
                    TestSupport.assertRows(ReferenceKernels.softmaxCrossEntropy(x, rl, t, rl), rows, Layout.vector(ROWS),
                            "C=" + c + " rows");
                }
                for (int hw : positions(ce, c)) {
                    for (int n : new int[] {1, 2}) {
                        Layout xl = Layout.of(0, n, c * hw, c, hw, hw, 1);
                        float[] planes = planes(x, c, n, hw);
                        float[] labels = planes(t, c, n, hw);
                        for (int stride : STRIDES) {
                            Layout ol = Layout.of(0, n, hw * stride, 1, 1, hw, stride);
                            float[] out = new float[(int) ol.maxIndex() + 1];
                            ce.softmaxCrossEntropyWithLogits(planes, xl, labels, xl, out, ol);
                            for (int k = 0; check && k < n * hw; k++) {
                                assertSameBits(rows[k], out[ol.index(k / hw, 0, k % hw)], "[" + n + ", " + c + ", " + hw
                                        + "], position " + k + ", losses " + stride + " apart");
                            }
                        }
                    }
                }
                float[] out = new float[ROWS];
                ce.softmaxCrossEntropyWithLogits(interleaved(x), Layout.of(0, ROWS, 2 * c, c, 2, 1, 1), t, rl, out,
                        Layout.vector(ROWS));
                for (int r = 0; check && r < ROWS; r++) {
                    assertSameBits(rows[r], out[r], "C=" + c + ", row " + r + " with the classes 2 apart");
                }
            }
        }
    }

    /**
     * The numbers of positions to check: every one for two classes; otherwise fewer than the vector backend's lanes
     * (from that many positions on, tiles of neighbouring positions take over, with bits of their own), all for the
     * scalar backend.
     */
    private static int[] positions(CrossEntropy ce, int c) {
        Matcher m = Pattern.compile(", (\\d+),").matcher(ce.species());
        int lanes = ce.backend() == Backend.VECTOR && m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
        return java.util.Arrays.stream(POSITIONS).filter(hw -> c == 2 || hw < lanes).toArray();
    }

    private static void assertSameBits(float want, float got, String what) {
        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got), what + ": " + got + " vs the row's " + want);
    }

    /** {@code [ROWS, c]} logits: ordinary ones of a wide spread, every fifth row an extreme one. */
    private static float[] logits(SplittableRandom rnd, int c) {
        float[][] extreme = ExtremeValuesTest.logitRows(c, rnd);
        float[] x = new float[c * ROWS];
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < c; j++) {
                x[c * r + j] = r % 5 == 2 ? extreme[(r / 5) % extreme.length][j] : TestSupport.gaussian(rnd) * 8;
            }
        }
        return x;
    }

    /** {@code x} with another tensor's elements (NaN, never to be read) between its elements: class stride 2. */
    private static float[] interleaved(float[] x) {
        float[] v = new float[2 * x.length];
        for (int i = 0; i < x.length; i++) {
            v[2 * i] = x[i];
            v[2 * i + 1] = Float.NaN;
        }
        return v;
    }

    /** The first {@code n·hw} rows of {@code [ROWS, c]} as {@code [n, c, hw]}. */
    private static float[] planes(float[] v, int c, int n, int hw) {
        float[] p = new float[n * c * hw];
        for (int k = 0; k < n * hw; k++) {
            for (int j = 0; j < c; j++) {
                p[(k / hw) * c * hw + j * hw + k % hw] = v[c * k + j];
            }
        }
        return p;
    }
}
