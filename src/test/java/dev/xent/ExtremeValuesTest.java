package dev.xent;

import static dev.xent.TestSupport.assertClose;
import static dev.xent.TestSupport.placeByRow;
import static dev.xent.TestSupport.placeRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xent.internal.reference.ReferenceKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Extreme inputs: huge, tiny, infinite and NaN logits, rows that overflow a naive exp, degenerate rows,
 * probabilities exactly 0 and 1, soft/negative/zero labels; against the float64 reference and closed forms.
 * Each pattern is tried at class counts that hit full vectors, tails and single lanes, in three layouts.
 */
@Tag("backend")
class ExtremeValuesTest {

    static final int[] CLASSES = {1, 2, 3, 8, 17, 33, 100};
    static final double LN2 = Math.log(2);
    static final float EPS = KerasLoss.DEFAULT_EPSILON;
    static final float INF = Float.POSITIVE_INFINITY;

    static final int ROWS = 45;

    /**
     * Two families of three layouts, 45 rows each (the 15 patterns below, three times over, so that the vector
     * tiles see full and overlapping groups of rows at every width). Family A, shape {@code [3, C, 15]}: classes
     * contiguous with padded rows and an offset (lanes gathered across the inner axis), channels-first with an
     * offset, general strided (neither stride 1). Family B, shape {@code [45, C, 1]}: padded rows at an offset,
     * dense rows, rows with a class stride of 3.
     */
    static Layout[] layouts(int c) {
        return new Layout[] {
            Layout.of(5, 3, 15 * (c + 2) + 1, c, 1, 15, c + 2),
            Layout.channelsFirst(3, c, 15).withOffset(1),
            Layout.of(2, 3, c * 31 + 4, c, 31, 15, 2),
            Layout.rows(ROWS, c, 5, c + 3),
            Layout.rows(ROWS, c),
            Layout.of(2, ROWS, 3 * c + 1, c, 3, 1, 1),
        };
    }

    /** Another layout of the same family (same shape) as {@code layouts(c)[k]}. */
    static Layout partner(int c, int k, int shift) {
        int family = k / 3;
        return layouts(c)[family * 3 + (k + shift) % 3];
    }

    /** The 15 pattern rows repeated to {@link #ROWS} rows. */
    static float[][] rep(float[][] rows) {
        float[][] out = new float[ROWS][];
        for (int r = 0; r < ROWS; r++) {
            out[r] = rows[r % rows.length];
        }
        return out;
    }

    static int[] rep(int[] rows) {
        int[] out = new int[ROWS];
        for (int r = 0; r < ROWS; r++) {
            out[r] = rows[r % rows.length];
        }
        return out;
    }

    /** The patterns, one row each; 15 rows (a multiple of 3). */
    static float[][] logitRows(int c, SplittableRandom rnd) {
        float[][] rows = new float[15][c];
        for (int j = 0; j < c; j++) {
            float g = TestSupport.gaussian(rnd);
            rows[0][j] = rnd.nextBoolean() ? 1e4f : -1e4f;                       // ±1e4
            rows[1][j] = (rnd.nextBoolean() ? 1e30f : -1e30f) * rnd.nextFloat(); // ±1e30 scale
            rows[2][j] = j % 3 == 0 ? 1e30f : j % 3 == 1 ? 1e-30f * g : 0f;      // huge and tiny
            rows[3][j] = g;                                                       // +inf somewhere
            rows[4][j] = g;                                                       // −inf somewhere
            rows[5][j] = g;                                                       // NaN somewhere
            rows[6][j] = Float.NEGATIVE_INFINITY;                                 // all −inf
            rows[7][j] = 1e8f;                                                    // all equal and huge
            rows[8][j] = g * 3;                                                   // −inf at the sparse target
            rows[9][j] = g;                                                       // control
            rows[10][j] = j % 2 == 0 ? 3e38f : -3e38f;                            // near float max
            rows[11][j] = -1e4f * j;                                              // exp underflows for all but one
            rows[12][j] = j == 0 ? -1e-30f : Float.MIN_VALUE * j;                 // denormals
            rows[13][j] = g * 50;                                                 // wide spread
            rows[14][j] = -Float.MAX_VALUE;                                       // all the most negative float
        }
        rows[3][c / 2] = INF;
        rows[4][c - 1] = Float.NEGATIVE_INFINITY;
        rows[5][c / 3] = Float.NaN;
        rows[8][0] = Float.NEGATIVE_INFINITY;
        return rows;
    }

    static int[] sparseLabels(int c, SplittableRandom rnd) {
        int[] y = new int[15];
        for (int r = 0; r < 15; r++) {
            y[r] = rnd.nextInt(c);
        }
        y[4] = 0; // not the −inf class (c − 1) unless c == 1
        y[8] = 0; // the −inf class
        return y;
    }

    /** One-hot, soft, negative, all-zero, NaN label rows, plus t_c = 0 where x_c = −inf (row 4, 6, 8). */
    static float[][] denseLabels(int c, SplittableRandom rnd, int[] y) {
        float[][] t = new float[15][c];
        for (int r = 0; r < 15; r++) {
            for (int j = 0; j < c; j++) {
                switch (r % 5) {
                    case 0: t[r][j] = j == y[r] ? 1f : 0f; break;               // one-hot
                    case 1: t[r][j] = rnd.nextFloat(); break;                    // soft, unnormalised
                    case 2: t[r][j] = rnd.nextFloat() - 0.5f; break;             // negative entries
                    case 3: t[r][j] = 0f; break;                                 // all zero
                    default: t[r][j] = j == y[r] ? 0.9f : 0.1f / c; break;       // smoothed
                }
            }
        }
        if (c > 1) {
            t[4][c - 1] = 0f;  // t_c = 0 at x_c = −inf contributes 0
            t[8][0] = 0f;
        }
        t[9][0] = Float.NaN;   // a NaN label poisons its own row only
        return t;
    }

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void softmaxAndSparseSoftmaxAgainstReference(CrossEntropy ce) {
        for (int c : CLASSES) {
            SplittableRandom rnd = new SplittableRandom(c);
            float[][] xr = rep(logitRows(c, rnd));
            int[] y15 = sparseLabels(c, rnd);
            float[][] tr = rep(denseLabels(c, rnd, y15));
            int[] y = rep(y15);
            for (int k = 0; k < 6; k++) {
                Layout xl = layouts(c)[k];
                String ctx = "C=" + c + " " + xl;
                float[] x = placeByRow(xl, xr);
                Layout tl = partner(c, k, 2);
                float[] t = placeByRow(tl, tr);
                Layout rl = Layout.rowsOf(xl);
                float[] out = Harness.softmax(ce, x, xl, t, tl, rl.withOffset(1), ctx);
                // the NaN row (5) and the +inf row (3) are NaN; every other row still matched the reference
                assertTrue(Float.isNaN(out[1 + 5]), ctx + " NaN logit row");
                assertTrue(Float.isNaN(out[1 + 3]), ctx + " +inf logit row");
                assertTrue(Float.isNaN(out[1 + 9]), ctx + " NaN label row");
                float[] sp = Harness.sparse(ce, x, xl, placeRows(rl, y), rl, rl.withOffset(3), ctx);
                assertTrue(Float.isNaN(sp[3 + 5]) && Float.isNaN(sp[3 + 3]), ctx + " sparse NaN/+inf rows");
                assertTrue(Float.isNaN(sp[3 + 6]), ctx + " all −inf row (lse = −inf)");
                assertFalse(Float.isNaN(sp[3 + 9]), ctx + " control row");
                if (c > 1) {
                    assertEquals(INF, sp[3 + 8], ctx + " −inf at the target gives +inf");
                    assertTrue(Float.isFinite(sp[3 + 4]), ctx + " −inf at a non-target class has no effect");
                    assertTrue(Float.isFinite(out[1 + 4]), ctx + " t_c = 0 at x_c = −inf contributes 0");
                } else {
                    assertEquals(0f, sp[3 + 9], ctx + " one class: loss 0");
                }
                assertClose(Math.log(c), sp[3 + 7], ctx + " all 1e8: ln C");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void sigmoidAndBinaryAgainstReference(CrossEntropy ce) {
        float[] xs = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, 1f, -1f, 15f, 17f, 88f, -88f, 89f, -104f, 700f,
            1e4f, -1e4f, 1e8f, -1e8f, 1e30f, -1e30f, 3e38f, -3e38f, INF, Float.NEGATIVE_INFINITY, Float.NaN};
        if (KnownBugs.vectorMeanOverflows(ce)) {
            // known bug D (KnownBugsTest): the vector class-axis mean overflows in float; keep sums in range meanwhile
            xs[20] = 1e30f;
            xs[21] = -1e30f;
        }
        boolean meanTileInf = KnownBugs.vectorMeanTileInfIsNaN(ce);
        if (meanTileInf) {
            // known bug G (KnownBugsTest): the vector mean tile turns ±inf into NaN; no −inf logits and labels
            // in [0, 1] meanwhile, so no loss is infinite (+inf logits then give NaN, as in the reference)
            xs[23] = -1e30f;
        }
        float[] ps = {0f, 1f, Float.MIN_VALUE, 1e-38f, 1e-7f, 1.1e-7f, 0.5f, 1f - 1e-7f, Math.nextDown(1f), 0.999f,
            Float.NaN, 1e-3f};
        // labels outside [0, 1] overflow x·z in the vector kernel (known bug B, KnownBugsTest): in range while it stands
        float[] zs = KnownBugs.vectorSigmoidOverflows(ce) || meanTileInf ? new float[] {0f, 1f, 0.25f, 0.5f}
                : new float[] {0f, 1f, 0.25f, 0.5f, -0.5f, 1.5f};
        for (int c : CLASSES) {
            SplittableRandom rnd = new SplittableRandom(31 * c);
            float[][] xr = new float[15][c];
            float[][] pr = new float[15][c];
            float[][] zr = new float[15][c];
            for (int r = 0; r < 15; r++) {
                for (int j = 0; j < c; j++) {
                    xr[r][j] = xs[rnd.nextInt(xs.length)];
                    pr[r][j] = ps[rnd.nextInt(ps.length)];
                    zr[r][j] = r < 10 ? (rnd.nextBoolean() ? 0f : 1f) : zs[rnd.nextInt(zs.length)];
                    if (xr[r][j] != xr[r][j] && r != 7) {
                        xr[r][j] = 2f;      // NaN only in row 7
                    }
                    if (pr[r][j] != pr[r][j] && r != 7) {
                        pr[r][j] = 0.25f;
                    }
                }
            }
            xr[7][0] = Float.NaN;
            pr[7][0] = Float.NaN;
            for (int k = 0; k < 6; k++) {
                Layout xl = layouts(c)[k];
                String ctx = "C=" + c + " " + xl;
                Layout zl = partner(c, k, 1);
                float[] x = placeByRow(xl, rep(xr));
                float[] p = placeByRow(xl, rep(pr));
                float[] z = placeByRow(zl, rep(zr));
                Layout el = partner(c, k, 2);
                Layout rl = TestSupport.stridedRows(xl.outer(), xl.inner(), 4, 2);
                Harness.sigmoid(ce, x, xl, z, zl, el, ctx);
                float[] m = Harness.sigmoid(ce, x, xl, z, zl, rl, ctx);
                assertTrue(Float.isNaN(m[rl.rowIndex(7)]), ctx + " NaN row mean");
                Harness.binary(ce, p, xl, z, zl, EPS, el, ctx);
                float[] b = Harness.binary(ce, p, xl, z, zl, EPS, rl, ctx);
                assertTrue(Float.isNaN(b[rl.rowIndex(7)]), ctx + " NaN probability row mean");
                for (int r = 0; r < 15; r++) {
                    if (r != 7 && r < 10) {
                        // probabilities in [0, 1] with labels 0/1: always finite
                        assertTrue(Float.isFinite(b[rl.rowIndex(r)]), ctx + " binary row " + r + " finite");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void categoricalFromProbabilitiesAgainstReference(CrossEntropy ce) {
        for (int c : CLASSES) {
            SplittableRandom rnd = new SplittableRandom(77 * c);
            float[][] pr = new float[15][c];
            int[] y = new int[15];
            for (int r = 0; r < 15; r++) {
                y[r] = rnd.nextInt(c);
                for (int j = 0; j < c; j++) {
                    switch (r % 5) {
                        case 0: pr[r][j] = j == y[r] ? 1f : 0f; break;                     // exactly one-hot
                        case 1: pr[r][j] = j == (y[r] + 1) % c ? 1f : 0f; break;           // one-hot on the wrong class
                        case 2: pr[r][j] = rnd.nextInt(3) == 0 ? 0f : rnd.nextFloat(); break; // with exact zeros
                        case 3: pr[r][j] = j == 0 ? 1f : Float.MIN_VALUE; break;           // denormals
                        default: pr[r][j] = rnd.nextFloat() * 1e-30f + 1e-38f; break;      // tiny, unnormalised
                    }
                }
            }
            float[][] tr = denseLabels(c, rnd, y);
            pr[11] = new float[c];          // all zero: Σp = 0 gives NaN (documented)
            pr[12][0] = Float.NaN;
            for (int k = 0; k < 6; k++) {
                Layout pl = layouts(c)[k];
                String ctx = "C=" + c + " " + pl;
                Layout tl = partner(c, k, 1);
                float[] p = placeByRow(pl, rep(pr));
                float[] t = placeByRow(tl, rep(tr));
                Layout rl = Layout.rowsOf(pl).withOffset(2);
                float[] out = Harness.categorical(ce, p, pl, t, tl, EPS, rl, ctx);
                Layout yl = TestSupport.stridedRows(pl.outer(), pl.inner(), 0, 3);
                float[] sp = Harness.sparseCategorical(ce, p, pl, placeRows(yl, rep(y)), yl, EPS, rl, ctx);
                assertTrue(Float.isNaN(sp[rl.rowIndex(11)]) && Float.isNaN(sp[rl.rowIndex(12)]), ctx + " NaN rows");
                // exactly one-hot probabilities: finite, −log(1f − ε) on the right class, −log ε on the wrong one
                double hi = 1f - EPS;
                assertClose(-Math.log(hi), sp[rl.rowIndex(0)], ctx + " one-hot right");
                assertClose(c == 1 ? -Math.log(hi) : -Math.log(EPS), sp[rl.rowIndex(1)], ctx + " one-hot wrong");
                assertTrue(Float.isFinite(out[rl.rowIndex(0)]) && Float.isFinite(out[rl.rowIndex(5)]), ctx + " finite");
            }
        }
    }

    // ---- closed forms (values not from the reference) ---------------------------------------------------

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void hugeEqualLogitsGiveLnC(CrossEntropy ce) {
        for (int c : new int[] {2, 3, 16, 17, 33, 1000}) {
            float[] x = new float[2 * c];
            java.util.Arrays.fill(x, 1e8f);
            java.util.Arrays.fill(x, c, 2 * c, -1e8f);
            float[] t = new float[2 * c];
            t[0] = 1f;
            t[c + c - 1] = 1f;
            float[] out = new float[2];
            ce.softmaxCrossEntropyWithLogits(x, t, c, out);
            assertClose(Math.log(c), out[0], "[1e8 × " + c + "] dense");
            assertClose(Math.log(c), out[1], "[-1e8 × " + c + "] dense");
            ce.sparseSoftmaxCrossEntropyWithLogits(x, new int[] {c - 1, 0}, c, out);
            assertClose(Math.log(c), out[0], "[1e8 × " + c + "] sparse");
            assertClose(Math.log(c), out[1], "[-1e8 × " + c + "] sparse");
        }
        float[] out = new float[1];
        ce.softmaxCrossEntropyWithLogits(new float[] {1e8f, 1e8f}, new float[] {0.5f, 0.5f}, 2, out);
        assertClose(LN2, out[0], "[1e8, 1e8] soft labels");
        ce.softmaxCrossEntropyWithLogits(new float[] {1e8f, 1e8f}, new float[] {0f, 1f}, 2, out);
        assertClose(LN2, out[0], "[1e8, 1e8] e1");
    }

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void zeroLabelAtMinusInfinityContributesNothing(CrossEntropy ce) {
        float ninf = Float.NEGATIVE_INFINITY;
        float[] out = new float[1];
        ce.softmaxCrossEntropyWithLogits(new float[] {0f, ninf, 0f}, new float[] {1f, 0f, 0f}, 3, out);
        assertClose(LN2, out[0], "[0, -inf, 0] e0");
        ce.softmaxCrossEntropyWithLogits(new float[] {0f, ninf, 0f}, new float[] {0f, 1f, 0f}, 3, out);
        assertEquals(INF, out[0], "target at -inf");
        ce.sparseSoftmaxCrossEntropyWithLogits(new float[] {0f, ninf, 0f}, new int[] {2}, 3, out);
        assertClose(LN2, out[0], "sparse [0, -inf, 0] y=2");
        ce.softmaxCrossEntropyWithLogits(new float[] {ninf, ninf}, new float[] {1f, 0f}, 2, out);
        assertTrue(Float.isNaN(out[0]), "all -inf row is NaN (as the reference)");
        // all-zero labels: exactly 0, whatever the logits
        ce.softmaxCrossEntropyWithLogits(new float[] {3f, -1e30f, 1e30f}, new float[3], 3, out);
        assertEquals(0f, out[0], "all-zero labels");
        // negative labels: Σ t_c (lse − x_c) with t = [-1, 2]; lse of [0, 0] is ln 2
        ce.softmaxCrossEntropyWithLogits(new float[] {0f, 0f}, new float[] {-1f, 2f}, 2, out);
        assertClose(LN2, out[0], "negative labels");
        // labels summing to 3: 3 · ln 3 on equal logits
        ce.softmaxCrossEntropyWithLogits(new float[] {5f, 5f, 5f}, new float[] {1f, 1f, 1f}, 3, out);
        assertClose(3 * Math.log(3), out[0], "labels summing to 3");
    }

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void tensorFlowValuesFromTheNotes(CrossEntropy ce) {
        float[] out = new float[3];
        ce.softmaxCrossEntropyWithLogits(new float[] {1, 2, 3, 1, 1, 1}, new float[] {0, 0, 1, 1, 0, 0}, 3, out);
        assertClose(0.40760595, out[0], "TF [1,2,3] e2");
        assertClose(1.0986123, out[1], "TF [1,1,1] e0");
        float[] x = {1000, 0, -1000, 1000, 0, -1000, 1000, 0, -1000};
        float[] t = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        ce.softmaxCrossEntropyWithLogits(x, t, 3, out);
        assertClose(0, out[0], "TF [1000,0,-1000] e0");
        assertClose(1000, out[1], "TF e1");
        assertClose(2000, out[2], "TF e2");
        ce.sparseSoftmaxCrossEntropyWithLogits(x, new int[] {0, 1, 2}, 3, out);
        assertClose(0, out[0], "TF sparse y0");
        assertClose(1000, out[1], "TF sparse y1");
        assertClose(2000, out[2], "TF sparse y2");
        float[] sx = {1000, -1000, 0, 1000, -1000, 2};
        float[] sz = {1, 0, 1, 0, 1, .25f};
        float[] so = new float[6];
        ce.sigmoidCrossEntropyWithLogits(sx, sz, so);
        double[] tf = {0, 0, 0.6931472, 1000, 1000, 1.626928};
        for (int k = 0; k < 6; k++) {
            assertClose(tf[k], so[k], "TF sigmoid " + k);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void probabilitiesExactlyZeroAndOne(CrossEntropy ce) {
        // p and z in {0, 1}, in a 17-element vector so the vector kernels see a tail
        float[] p = new float[17];
        float[] z = new float[17];
        for (int k = 0; k < 17; k++) {
            p[k] = (k & 1);
            z[k] = (k >> 1) & 1;
        }
        float[] out = new float[17];
        Layout l = Layout.vector(17);
        ce.binaryCrossEntropy(p, l, z, l, EPS, out, l);
        for (int k = 0; k < 17; k++) {
            // the documented semantics: p and 1 − p each clipped to [ε, 1−ε]; a wrong certain prediction costs −log ε
            boolean right = (p[k] == 1f) == (z[k] == 1f);
            double expected = right ? -Math.log1p(-(double) EPS) : -Math.log(EPS);
            assertTrue(Float.isFinite(out[k]), "finite at p=" + p[k] + ", z=" + z[k]);
            assertClose(expected, out[k], "binary p=" + p[k] + ", z=" + z[k]);
        }
        assertClose(16.118095, out[2], "p=0, z=1: −log 1e-7 (Keras)");
        assertClose(16.118095, out[1], "p=1, z=0: −log 1e-7 (as p=0, z=1; float32 Keras would give 15.942385)");
        float[] ref = new float[17];
        CrossEntropy.of(Backend.REFERENCE).binaryCrossEntropy(p, l, z, l, EPS, ref, l);
        assertClose(16.118095, ref[1], "REFERENCE backend p=1, z=0");
        double hi = 1f - EPS;
        // categorical with exactly one-hot probabilities
        float[] q = {0, 1, 0, 0, 1, 0};
        float[] t = {0, 1, 0, 1, 0, 0};
        float[] o = new float[2];
        ce.categoricalCrossEntropy(q, Layout.rows(2, 3), t, Layout.rows(2, 3), EPS, o, Layout.vector(2));
        assertClose(-Math.log(hi), o[0], "categorical right class");
        assertClose(-Math.log(EPS), o[1], "categorical wrong class");
    }

    /**
     * Labels of both signs whose terms cancel in the sum over classes (review 2026-12-02: the vector row path added
     * its lanes in float, t = [1000, 1, −1000] gave 4.309911 for 4.309929, t = ±1e8 gave 0).
     */
    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void cancellingLabelsAcrossLanes(CrossEntropy ce) {
        float[] row = {-0.93728465f, -0.86519164f, -0.93728465f, 2.5015259f, 1.0131574f, -0.7246222f, -0.31397897f,
            -1.5291281f, 0.7192028f, -0.56891495f, 1.4108108f, -0.061506934f, 1.0982066f, 0.68867266f, -1.2276589f, -0.22044498f};
        for (int c : new int[] {16, 40, 100}) {
            float[] x = new float[c];
            for (int j = 0; j < c; j++) {
                x[j] = row[j % row.length];
            }
            for (float big : new float[] {1000f, 1e8f}) {
                float[] t = new float[c];
                t[0] = big;
                t[1] = 1f;
                t[2] = -big; // x[2] = x[0]: the big terms cancel exactly, leaving lse − x[1]
                Layout l = Layout.rows(1, c);
                float[] out = new float[1];
                ce.softmaxCrossEntropyWithLogits(x, l, t, l, out, Layout.vector(1));
                double m = Double.NEGATIVE_INFINITY;
                double d = 0;
                for (float v : x) {
                    m = Math.max(m, v);
                }
                for (float v : x) {
                    d += Math.exp(v - m);
                }
                assertClose(m + Math.log(d) - x[1], out[0], TestSupport.name(ce) + " C=" + c + ", labels ±" + big);
            }
        }
    }

    /**
     * A +inf label on the largest logit of a row of finite logits: {@code inf·(lse − x) = +inf} since
     * {@code lse − x = log Σ exp(x_c − m) > 0} (review 2026-12-02: NaN, from {@code inf·(m − x) = inf·0} in the
     * split form {@code Σ t·(m − x) + log d·Σ t}).
     */
    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void infiniteLabelOnTheMaximum(CrossEntropy ce) {
        for (int c : new int[] {2, 3, 17, 40}) {
            for (Layout l : layouts(c)) {
                int rows = l.rows();
                float[][] xv = new float[rows][c];
                float[][] tv = new float[rows][c];
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < c; j++) {
                        xv[r][j] = -0.32f - 3.77f * j / c;
                        tv[r][j] = 0.22f;
                    }
                    tv[r][0] = INF;
                }
                Layout ol = Layout.rowsOf(l);
                float[] out = new float[(int) ol.maxIndex() + 1];
                ce.softmaxCrossEntropyWithLogits(placeByRow(l, xv), l, placeByRow(l, tv), l, out, ol);
                for (int r = 0; r < rows; r++) {
                    assertEquals(INF, out[ol.rowIndex(r)], TestSupport.name(ce) + " C=" + c + " " + l + " row " + r);
                }
            }
        }
    }

    /**
     * Huge labels on the maximum of confident rows, where the loss is the label times a tiny {@code log(1 + d)}
     * (a review, 2026-12-02): (a) t = 1e7, the other C − 1 logits 30 below the maximum (the float64 reference summed
     * {@code 1 + d} and lost 1e-3 of the loss); (b) t = 3e38, the other logits 87 and 88.5 below (terms the vector exp
     * flushes to 0 below e^−87.3; the reference gave 0). Expected values from {@code log1p} in double; every layout
     * family, every backend and the reference.
     */
    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void hugeLabelsOnConfidentRows(CrossEntropy ce) {
        for (int c : new int[] {2, 3, 20, 33, 100, 4097}) {
            for (int pattern = 0; pattern < 2; pattern++) {
                float x0 = pattern == 0 ? 9.5367426e-7f : 0f;
                float label = pattern == 0 ? 1e7f : 3e38f;
                double rest = 0;
                float[] row = new float[c];
                float[] labels = new float[c];
                row[0] = x0;
                labels[0] = label;
                for (int j = 1; j < c; j++) {
                    row[j] = pattern == 0 ? -30.028824f : j == 1 ? -87f : -88.5f;
                    rest += Math.exp((double) row[j] - x0);
                }
                double want = label * Math.log1p(rest);
                for (Layout l : new Layout[] {Layout.rows(21, c), Layout.rows(3, c, 2, c + 1), Layout.channelsFirst(2, c, 19)}) {
                    float[][] xv = new float[l.rows()][];
                    float[][] tv = new float[l.rows()][];
                    java.util.Arrays.fill(xv, row);
                    java.util.Arrays.fill(tv, labels);
                    Layout ol = Layout.rowsOf(l);
                    float[] out = new float[(int) ol.maxIndex() + 1];
                    float[] ref = new float[out.length];
                    ce.softmaxCrossEntropyWithLogits(placeByRow(l, xv), l, placeByRow(l, tv), l, out, ol);
                    CrossEntropy.of(Backend.REFERENCE).softmaxCrossEntropyWithLogits(placeByRow(l, xv), l, placeByRow(l, tv), l, ref, ol);
                    for (int r = 0; r < l.rows(); r++) {
                        String what = TestSupport.name(ce) + " C=" + c + " t=" + label + " " + l + " row " + r;
                        assertClose(want, out[ol.rowIndex(r)], what);
                        assertClose(want, ref[ol.rowIndex(r)], "REFERENCE " + what);
                    }
                }
            }
        }
    }

    /**
     * {@code [N, 2]} with dense labels where {@code x1 − x0} overflows float: the loss is 0 for the larger logit's
     * class and +inf for the other (review 2026-12-02: the pair kernel gave NaN, {@code 0·inf}).
     */
    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void denseTwoClassRowsWithAnOverflowingGap(CrossEntropy ce) {
        float m = Float.MAX_VALUE;
        float[][] x = {{3e38f, -3e38f}, {-3e38f, 3e38f}, {-3e38f, 3e38f}, {m, -m}, {2e38f, -2e38f}, {1f, 2f}};
        float[][] t = {{1, 0}, {0, 1}, {1, 0}, {1, 0}, {1, 0}, {0.5f, 0.5f}};
        double[] want = {0, 0, INF, 0, 0, 0.5 + Math.log1p(Math.exp(-1))};
        for (int rows : new int[] {1, 6, 16, 40}) {
            float[] xs = new float[2 * rows];
            float[] ts = new float[2 * rows];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x[r % x.length], 0, xs, 2 * r, 2);
                System.arraycopy(t[r % t.length], 0, ts, 2 * r, 2);
            }
            float[] out = new float[rows];
            Layout l = Layout.rows(rows, 2);
            ce.softmaxCrossEntropyWithLogits(xs, l, ts, l, out, Layout.rowsOf(l));
            for (int r = 0; r < rows; r++) {
                assertClose(want[r % want.length], out[r], TestSupport.name(ce) + ", " + rows + " rows, row " + r);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void sigmoidClosedForms(CrossEntropy ce) {
        float[] x = {0f, 0f, 0f, 1e8f, -1e8f, 1e8f, -1e8f, 1e30f, -1e30f, 3e38f};
        float[] z = {0f, 1f, 0.3f, 1f, 0f, 0f, 1f, 0.5f, 0.5f, 0f};
        double[] e = {LN2, LN2, LN2, 0, 0, 1e8, 1e8, 5e29, 5e29, 3e38};
        float[] out = new float[x.length];
        ce.sigmoidCrossEntropyWithLogits(x, z, out);
        for (int k = 0; k < x.length; k++) {
            assertClose(e[k], out[k], "sigmoid x=" + x[k] + ", z=" + z[k]);
        }
        assertEquals(ReferenceKernels.sigmoid(3e38f, 0f), 3e38f, 1e32, "reference sanity");
    }
}
