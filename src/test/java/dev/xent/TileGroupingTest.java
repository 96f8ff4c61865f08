package dev.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A row's loss depends on its own logits only, not on which rows share its vector tile: the same rows computed as
 * part of batches that start at different rows (so the tiles group them differently, and rows with extreme logits
 * that send their own lanes to the two-pass fallback sit in different tiles) give the same bits. This is what makes
 * {@link ParallelCrossEntropy} results independent of the number of threads.
 */
class TileGroupingTest {

    static final int[] CLASSES = {2, 3, 5, 10, 15, 17};

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void sparseSoftmaxRowsDoNotDependOnTheirTileMates(CrossEntropy ce) {
        for (int c : CLASSES) {
            SplittableRandom rnd = new SplittableRandom(31 * c);
            float[][] patterns = ExtremeValuesTest.logitRows(c, rnd);
            int rows = 75;
            float[] x = new float[rows * c];
            int[] y = new int[rows];
            for (int r = 0; r < rows; r++) {
                // every fifth row extreme, the others ordinary logits of a wide spread
                for (int j = 0; j < c; j++) {
                    x[r * c + j] = r % 5 == 2 ? patterns[(r / 5) % patterns.length][j] : TestSupport.gaussian(rnd) * 8;
                }
                y[r] = rnd.nextInt(c);
            }
            for (boolean channelsFirst : new boolean[] {false, true}) {
                float[] xs = channelsFirst ? transpose(x, rows, c) : x;
                float[] whole = new float[rows];
                ce.sparseSoftmaxCrossEntropyWithLogits(xs, layout(channelsFirst, rows, c, 0, rows), y,
                        perRow(channelsFirst, 0, rows), whole, perRow(channelsFirst, 0, rows));
                for (int start = 1; start <= 17; start++) {
                    int n = rows - start;
                    float[] part = new float[n];
                    ce.sparseSoftmaxCrossEntropyWithLogits(xs, layout(channelsFirst, rows, c, start, n), y,
                            perRow(channelsFirst, start, n), part, perRow(channelsFirst, 0, n));
                    for (int r = 0; r < n; r++) {
                        assertEquals(Float.floatToIntBits(whole[start + r]), Float.floatToIntBits(part[r]),
                                "C=" + c + (channelsFirst ? " channels first" : " rows") + ", row " + (start + r)
                                        + " of a batch starting at row " + start + ": " + part[r] + " vs " + whole[start + r]);
                    }
                }
            }
        }
    }

    /**
     * Dense labels likewise: extreme logits every fifth row, and every seventh row labels that send a lane to the
     * compensated tile ([N, 2] pairs): opposite signs, NaN, +inf; the others one-hot or soft.
     */
    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void denseSoftmaxRowsDoNotDependOnTheirTileMates(CrossEntropy ce) {
        for (int c : CLASSES) {
            SplittableRandom rnd = new SplittableRandom(37 * c);
            float[][] patterns = ExtremeValuesTest.logitRows(c, rnd);
            float[][] odd = {{0.7f, -0.7f}, {Float.NaN, 1f}, {Float.POSITIVE_INFINITY, 0f}, {-2f, 3f}};
            int rows = 75;
            float[] x = new float[rows * c];
            float[] t = new float[rows * c];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < c; j++) {
                    x[r * c + j] = r % 5 == 2 ? patterns[(r / 5) % patterns.length][j] : TestSupport.gaussian(rnd) * 8;
                }
                if (r % 7 == 3) {
                    float[] o = odd[(r / 7) % odd.length];
                    t[r * c] = o[0];
                    t[r * c + 1] = o[1];
                } else if (r % 2 == 0) {
                    t[r * c + rnd.nextInt(c)] = 1f;
                } else {
                    for (int j = 0; j < c; j++) {
                        t[r * c + j] = (float) rnd.nextDouble();
                    }
                }
            }
            for (boolean channelsFirst : new boolean[] {false, true}) {
                float[] xs = channelsFirst ? transpose(x, rows, c) : x;
                float[] ts = channelsFirst ? transpose(t, rows, c) : t;
                float[] whole = new float[rows];
                Layout all = layout(channelsFirst, rows, c, 0, rows);
                ce.softmaxCrossEntropyWithLogits(xs, all, ts, all, whole, perRow(channelsFirst, 0, rows));
                for (int start = 1; start <= 17; start++) {
                    int n = rows - start;
                    float[] part = new float[n];
                    Layout some = layout(channelsFirst, rows, c, start, n);
                    ce.softmaxCrossEntropyWithLogits(xs, some, ts, some, part, perRow(channelsFirst, 0, n));
                    for (int r = 0; r < n; r++) {
                        assertEquals(Float.floatToIntBits(whole[start + r]), Float.floatToIntBits(part[r]),
                                "C=" + c + (channelsFirst ? " channels first" : " rows") + ", row " + (start + r)
                                        + " of a batch starting at row " + start + ": " + part[r] + " vs " + whole[start + r]);
                    }
                }
            }
        }
    }

    /**
     * Class axis last, any batch size and losses layout: the same rows as batches of 1 to 20 rows (fewer than a
     * tile: a padded copy), at the end of the arrays too, and with the losses written 3 apart, give the bits of the
     * whole batch. Every op with packed tiles: both softmax forms, sigmoid and binary means, categorical.
     */
    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void smallBatchesAndStridedLossesGiveTheSameBits(CrossEntropy ce) {
        for (int c : CLASSES) {
            SplittableRandom rnd = new SplittableRandom(41 * c);
            float[][] patterns = ExtremeValuesTest.logitRows(c, rnd);
            int rows = 75;
            float[] x = new float[rows * c];
            float[] t = new float[rows * c];
            float[] p = new float[rows * c];
            int[] y = new int[rows];
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int j = 0; j < c; j++) {
                    x[r * c + j] = r % 5 == 2 ? patterns[(r / 5) % patterns.length][j] : TestSupport.gaussian(rnd) * 8;
                    t[r * c + j] = (float) rnd.nextDouble();
                    p[r * c + j] = (float) rnd.nextDouble();
                }
                y[r] = rnd.nextInt(c);
            }
            Layout all = Layout.rows(rows, c);
            float[][] whole = run(ce, x, t, p, y, all, Layout.rows(rows, 1, 0, 1), 0, rows);
            for (int n = 1; n <= 20; n++) {
                for (int start : new int[] {0, 1 + (7 * n) % (rows - n), rows - n}) {
                    Layout some = Layout.rows(n, c, start * c, c);
                    for (int stride : new int[] {1, 3}) {
                        float[][] part = run(ce, x, t, p, y, some, Layout.rows(n, 1, 0, stride), start, n);
                        for (int k = 0; k < part.length; k++) {
                            for (int r = 0; r < n; r++) {
                                assertEquals(Float.floatToIntBits(whole[k][start + r]), Float.floatToIntBits(part[k][r * stride]),
                                        "op " + k + ", C=" + c + ", row " + (start + r) + " of a batch of " + n + " rows from row "
                                                + start + ", losses " + stride + " apart: " + part[k][r * stride] + " vs " + whole[k][start + r]);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Maps of more positions than a chunk of tiles ({@code [1, C, 1077]}, 68 tiles), with one block of classes (C = 64:
     * tile by tile) and more (C = 65, 128, 130: each block of classes walked across a chunk of tiles): a position's bits
     * do not depend on which chunk, tile or lane it falls in (maps starting 1, 7, 16 and 300 positions later), for softmax
     * CE with sparse and dense labels and categorical CE from probabilities (rows among them with a probability sum of 0,
     * a negative probability or label, labels of both signs whose terms cancel, NaN, tiny and clipped probabilities); the
     * whole map within the accuracy bar of the float64 reference.
     */
    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void wideMapsDoNotDependOnTheirChunks(CrossEntropy ce) {
        int rows = 1077;
        for (int c : new int[] {64, 65, 128, 130}) {
            SplittableRandom rnd = new SplittableRandom(53 * c);
            float[][] patterns = ExtremeValuesTest.logitRows(c, rnd);
            float[] x = new float[rows * c];
            float[] t = new float[rows * c];
            float[] q = new float[rows * c];
            int[] y = new int[rows];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < c; j++) {
                    q[r * c + j] = switch (r % 13) {
                        case 4 -> 0f; // a sum of 0: NaN
                        case 5 -> j == 1 ? -0.25f : 0.5f;
                        case 6 -> j == 2 ? Float.NaN : 0.5f;
                        case 7 -> j == 0 ? 1f : 1e-30f; // clipped to ε
                        default -> (float) rnd.nextDouble();
                    };
                }
                for (int j = 0; j < c; j++) {
                    x[r * c + j] = r % 5 == 2 ? patterns[(r / 5) % patterns.length][j] : TestSupport.gaussian(rnd) * 8;
                    t[r * c + j] = r % 2 == 0 ? 0f : (float) rnd.nextDouble();
                }
                y[r] = rnd.nextInt(c);
                if (r % 2 == 0) {
                    t[r * c + y[r]] = 1f;
                }
                if (r % 11 == 3) {
                    t[r * c] = -0.5f; // a negative label: the lane goes to the scalar row
                }
                if (r % 13 == 8) {
                    // labels of both signs whose terms cancel across the four-class groups: the scalar row's sums
                    q[r * c + 2] = q[r * c];
                    t[r * c] = 1000f;
                    t[r * c + 2] = -1000f;
                }
            }
            float[] xs = transpose(x, rows, c);
            float[] ts = transpose(t, rows, c);
            float[] qs = transpose(q, rows, c);
            float[] categorical = new float[rows];
            Layout all = layout(true, rows, c, 0, rows);
            Layout rl = Layout.rows(rows, c);
            float[] sparse = new float[rows];
            float[] dense = new float[rows];
            float[] part = new float[rows];
            // bits compared on the first pass: interpreted and compiled kernels give the same (README, Determinism)
            for (int pass = 0; pass >= 0; pass--) {
                boolean check = pass == 0;
                ce.sparseSoftmaxCrossEntropyWithLogits(xs, all, y, perRow(true, 0, rows), sparse, perRow(true, 0, rows));
                ce.softmaxCrossEntropyWithLogits(xs, all, ts, all, dense, perRow(true, 0, rows));
                ce.categoricalCrossEntropy(qs, all, ts, all, 1e-7f, categorical, perRow(true, 0, rows));
                if (check) {
                    TestSupport.assertRows(dev.xent.internal.reference.ReferenceKernels.categoricalCrossEntropy(q, rl, t, rl,
                            1e-7f), categorical, Layout.vector(rows), "C=" + c + " categorical, channels first");
                    TestSupport.assertRows(dev.xent.internal.reference.ReferenceKernels.sparseSoftmaxCrossEntropy(x, rl, y,
                            Layout.vector(rows)), sparse, Layout.vector(rows), "C=" + c + " sparse, channels first");
                    TestSupport.assertRows(dev.xent.internal.reference.ReferenceKernels.softmaxCrossEntropy(x, rl, t, rl),
                            dense, Layout.vector(rows), "C=" + c + " dense, channels first");
                }
                for (int start : new int[] {1, 7, 16, 300}) {
                    int n = rows - start;
                    Layout some = layout(true, rows, c, start, n);
                    ce.sparseSoftmaxCrossEntropyWithLogits(xs, some, y, perRow(true, start, n), part, perRow(true, 0, n));
                    for (int r = 0; check && r < n; r++) {
                        assertEquals(Float.floatToIntBits(sparse[start + r]), Float.floatToIntBits(part[r]),
                                "C=" + c + " sparse, position " + (start + r) + " of a map starting at " + start);
                    }
                    ce.softmaxCrossEntropyWithLogits(xs, some, ts, some, part, perRow(true, 0, n));
                    for (int r = 0; check && r < n; r++) {
                        assertEquals(Float.floatToIntBits(dense[start + r]), Float.floatToIntBits(part[r]),
                                "C=" + c + " dense, position " + (start + r) + " of a map starting at " + start);
                    }
                    ce.categoricalCrossEntropy(qs, some, ts, some, 1e-7f, part, perRow(true, 0, n));
                    for (int r = 0; check && r < n; r++) {
                        assertEquals(Float.floatToIntBits(categorical[start + r]), Float.floatToIntBits(part[r]),
                                "C=" + c + " categorical, position " + (start + r) + " of a map starting at " + start);
                    }
                }
            }
        }
    }

    /**
     * The same rows stored with padded rows (stride C + 3, labels 2 apart) and written 300 apart (beyond the widest
     * gather) give the bits of the contiguous layout: the pair kernels and the tiles run such layouts on a compact
     * copy (review 2026-12-02: a padded [N, 2] row took the tile formula, a losses stride of 257 the scalar one).
     */
    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void paddedRowsAndWideStridesGiveTheSameBits(CrossEntropy ce) {
        for (int c : CLASSES) {
            SplittableRandom rnd = new SplittableRandom(43 * c);
            int rows = 40;
            int pad = c + 3;
            float[] x = new float[rows * c];
            float[] t = new float[rows * c];
            float[] p = new float[rows * c];
            int[] y = new int[rows];
            float[] xp = new float[rows * pad];
            float[] tp = new float[rows * pad];
            float[] pp = new float[rows * pad];
            int[] yp = new int[2 * rows];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < c; j++) {
                    x[r * c + j] = xp[r * pad + j] = TestSupport.gaussian(rnd) * 5;
                    t[r * c + j] = tp[r * pad + j] = (float) rnd.nextDouble();
                    p[r * c + j] = pp[r * pad + j] = (float) rnd.nextDouble();
                }
                y[r] = yp[2 * r] = rnd.nextInt(c);
            }
            float[][] want = run(ce, x, t, p, y, Layout.rows(rows, c), Layout.rows(rows, 1, 0, 1), 0, rows);
            Layout padded = Layout.rows(rows, c, 0, pad);
            Layout wide = Layout.rows(rows, 1, 0, 300);
            float[][] got = new float[5][(int) wide.maxIndex() + 1];
            ce.sparseSoftmaxCrossEntropyWithLogits(xp, padded, yp, Layout.rows(rows, 1, 0, 2), got[0], wide);
            ce.softmaxCrossEntropyWithLogits(xp, padded, tp, padded, got[1], wide);
            ce.sigmoidCrossEntropyWithLogits(xp, padded, tp, padded, got[2], wide);
            ce.binaryCrossEntropy(pp, padded, tp, padded, 1e-7f, got[3], wide);
            ce.categoricalCrossEntropy(pp, padded, tp, padded, 1e-7f, got[4], wide);
            for (int k = 0; k < 5; k++) {
                for (int r = 0; r < rows; r++) {
                    assertEquals(Float.floatToIntBits(want[k][r]), Float.floatToIntBits(got[k][r * 300]),
                            "op " + k + ", C=" + c + ", row " + r + ": padded rows, losses 300 apart " + got[k][r * 300]
                                    + " vs contiguous " + want[k][r]);
                }
            }
            // labels interleaved with another tensor (class stride 2) and column-major (class stride N)
            for (Layout ll : new Layout[] {Layout.of(1, rows, 2 * c + 1, c, 2, 1, 1), Layout.of(0, rows, 1, c, rows, 1, 1)}) {
                float[] ts = new float[(int) ll.maxIndex() + 1];
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < c; j++) {
                        ts[ll.index(r, j, 0)] = t[r * c + j];
                    }
                }
                Layout l = Layout.rows(rows, c);
                Layout ol = Layout.rows(rows, 1, 0, 1);
                float[][] strided = new float[4][rows];
                ce.softmaxCrossEntropyWithLogits(x, l, ts, ll, strided[0], ol);
                ce.sigmoidCrossEntropyWithLogits(x, l, ts, ll, strided[1], ol);
                ce.binaryCrossEntropy(p, l, ts, ll, 1e-7f, strided[2], ol);
                ce.categoricalCrossEntropy(p, l, ts, ll, 1e-7f, strided[3], ol);
                for (int k = 0; k < 4; k++) {
                    for (int r = 0; r < rows; r++) {
                        assertEquals(Float.floatToIntBits(want[k + 1][r]), Float.floatToIntBits(strided[k][r]),
                                "op " + (k + 1) + ", C=" + c + ", row " + r + ": labels " + ll + " " + strided[k][r]
                                        + " vs contiguous " + want[k + 1][r]);
                    }
                }
            }
        }
    }

    /** Sparse and dense softmax, sigmoid mean, binary mean, categorical: losses of rows {@code start..} through {@code ol}. */
    private static float[][] run(CrossEntropy ce, float[] x, float[] t, float[] p, int[] y, Layout l, Layout ol, int start, int n) {
        int size = (int) ol.maxIndex() + 1;
        float[][] out = new float[5][size];
        int[] ys = java.util.Arrays.copyOfRange(y, start, start + n);
        ce.sparseSoftmaxCrossEntropyWithLogits(x, l, ys, Layout.vector(n), out[0], ol);
        ce.softmaxCrossEntropyWithLogits(x, l, t, l, out[1], ol);
        ce.sigmoidCrossEntropyWithLogits(x, l, t, l, out[2], ol);
        ce.binaryCrossEntropy(p, l, t, l, 1e-7f, out[3], ol);
        ce.categoricalCrossEntropy(p, l, t, l, 1e-7f, out[4], ol);
        return out;
    }

    /** Rows {@code [start, start + n)} of an {@code [N, C]} batch, or of the same data stored {@code [1, C, N]}. */
    static Layout layout(boolean channelsFirst, int rows, int c, int start, int n) {
        return channelsFirst ? Layout.of(start, 1, rows * c, c, rows, n, 1) : Layout.rows(n, c, start * c, c);
    }

    /** n contiguous per-row values from {@code offset}, shaped to match {@link #layout}. */
    static Layout perRow(boolean channelsFirst, int offset, int n) {
        return channelsFirst ? Layout.of(offset, 1, n, 1, 1, n, 1) : Layout.rows(n, 1, offset, 1);
    }

    static float[] transpose(float[] x, int rows, int c) {
        float[] t = new float[x.length];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < c; j++) {
                t[j * rows + r] = x[r * c + j];
            }
        }
        return t;
    }
}
