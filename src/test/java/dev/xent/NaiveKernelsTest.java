package dev.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xent.internal.Kernels;
import dev.xent.internal.naive.NaiveScalarKernels;
import dev.xent.internal.naive.NaiveVectorKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The naive (textbook, unstable) kernels used by the benchmarks: they agree with the stable ones on benign
 * inputs, and return inf or NaN where the stable ones stay finite and correct. The exact float thresholds
 * where the naive forms break are printed (they go in BENCHMARKS.md).
 */
class NaiveKernelsTest {

    private static final CrossEntropy STABLE = CrossEntropy.of(Backend.SCALAR);
    private static final float EPS = 1e-7f;

    static List<Kernels> naive() {
        List<Kernels> k = new ArrayList<>();
        k.add(NaiveScalarKernels.INSTANCE);
        if (CrossEntropy.vectorAvailable()) {
            k.add(NaiveVectorKernels.INSTANCE);
        }
        return k;
    }

    /** Logits layouts: classes last, classes last padded with an offset, channels first, fully strided. */
    static List<Layout> layouts() {
        List<Layout> ls = new ArrayList<>();
        for (int c : new int[] {1, 2, 3, 7, 16, 17, 33, 100, 1000}) {
            ls.add(Layout.rows(5, c));
            ls.add(Layout.rows(3, c, 3, c + 5));
            ls.add(Layout.channelsFirst(2, c, 37));
            ls.add(Layout.of(1, 3, 8 * c + 1, c, 8, 4, 2));
        }
        return ls;
    }

    static Stream<Object[]> cases() {
        List<Object[]> cs = new ArrayList<>();
        for (Kernels k : naive()) {
            for (Layout l : layouts()) {
                cs.add(new Object[] {k, l});
            }
        }
        return cs.stream();
    }

    private static int length(Layout l) {
        return (int) l.maxIndex() + 1 + 3;
    }

    private static float[] gaussian(Random rnd, Layout l, double sigma) {
        float[] a = new float[length(l)];
        for (int k = 0; k < a.length; k++) {
            a[k] = (float) (rnd.nextGaussian() * sigma);
        }
        return a;
    }

    /** Probabilities: a softmax over the class axis of N(0, 1) logits (never near 0, so the clip is inactive). */
    private static float[] probabilities(Random rnd, Layout l) {
        float[] p = gaussian(rnd, l, 1.0);
        for (int r = 0; r < l.rows(); r++) {
            int b = l.rowIndex(r);
            double s = 0;
            for (int c = 0; c < l.classes(); c++) {
                s += Math.exp(p[b + c * l.classStride()]);
            }
            double[] e = new double[l.classes()];
            for (int c = 0; c < l.classes(); c++) {
                e[c] = Math.exp(p[b + c * l.classStride()]) / s;
            }
            for (int c = 0; c < l.classes(); c++) {
                p[b + c * l.classStride()] = (float) e[c];
            }
        }
        return p;
    }

    /** Soft labels (a random distribution) in half the rows, one-hot in the others. */
    private static float[] denseLabels(Random rnd, Layout l) {
        float[] t = new float[length(l)];
        for (int r = 0; r < l.rows(); r++) {
            int b = l.rowIndex(r);
            if (r % 2 == 0) {
                t[b + rnd.nextInt(l.classes()) * l.classStride()] = 1f;
            } else {
                float s = 0;
                float[] w = new float[l.classes()];
                for (int c = 0; c < w.length; c++) {
                    w[c] = rnd.nextFloat();
                    s += w[c];
                }
                for (int c = 0; c < w.length; c++) {
                    t[b + c * l.classStride()] = w[c] / s;
                }
            }
        }
        return t;
    }

    private static int[] sparseLabels(Random rnd, Layout l) {
        int[] y = new int[l.rows()];
        for (int r = 0; r < y.length; r++) {
            y[r] = rnd.nextInt(l.classes());
        }
        return y;
    }

    private static float[] binaryLabels(Random rnd, Layout l) {
        float[] z = new float[length(l)];
        for (int k = 0; k < z.length; k++) {
            z[k] = rnd.nextInt(4) == 0 ? rnd.nextFloat() : rnd.nextInt(2);
        }
        return z;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length);
        for (int k = 0; k < expected.length; k++) {
            double tol = 1e-4 * Math.max(1.0, Math.abs(expected[k]));
            assertEquals(expected[k], actual[k], tol, what + " at " + k);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void agreesWithStableOnBenignInputs(Kernels naive, Layout l) {
        Random rnd = new Random(42 + l.hashCode());
        Layout rows = Layout.rowsOf(l);
        float[] x = gaussian(rnd, l, 3.0);
        float[] t = denseLabels(rnd, l);
        int[] y = sparseLabels(rnd, l);
        float[] z = binaryLabels(rnd, l);
        float[] p = probabilities(rnd, l);
        float[] expected = new float[rows.rows()];
        float[] actual = new float[rows.rows()];

        STABLE.softmaxCrossEntropyWithLogits(x, l, t, l, expected, rows);
        naive.softmaxCrossEntropy(x, l, t, l, actual, rows);
        assertClose(expected, actual, "softmax");

        STABLE.sparseSoftmaxCrossEntropyWithLogits(x, l, y, rows, expected, rows);
        naive.sparseSoftmaxCrossEntropy(x, l, y, rows, actual, rows);
        assertClose(expected, actual, "sparse softmax");

        STABLE.categoricalCrossEntropy(p, l, t, l, EPS, expected, rows);
        naive.categoricalCrossEntropy(p, l, t, l, EPS, actual, rows);
        assertClose(expected, actual, "categorical");

        STABLE.sparseCategoricalCrossEntropy(p, l, y, rows, EPS, expected, rows);
        naive.sparseCategoricalCrossEntropy(p, l, y, rows, EPS, actual, rows);
        assertClose(expected, actual, "sparse categorical");

        // sigmoid and binary: the mean over the class axis, then elementwise into an array shaped like the input
        float[] sx = gaussian(rnd, l, 2.0); // |x| < ~10: float sigma keeps 1e-4 there
        STABLE.sigmoidCrossEntropyWithLogits(sx, l, z, l, expected, rows);
        naive.sigmoidCrossEntropy(sx, l, z, l, actual, rows);
        assertClose(expected, actual, "sigmoid mean");

        float[] pb = gaussian(rnd, l, 1.0); // independent probabilities: σ of N(0, 1)
        for (int k = 0; k < pb.length; k++) {
            pb[k] = (float) (1 / (1 + Math.exp(-pb[k])));
        }
        STABLE.binaryCrossEntropy(pb, l, z, l, EPS, expected, rows);
        naive.binaryCrossEntropy(pb, l, z, l, EPS, actual, rows);
        assertClose(expected, actual, "binary mean");

        float[] ee = new float[length(l)];
        float[] ae = new float[length(l)];
        STABLE.sigmoidCrossEntropyWithLogits(sx, l, z, l, ee, l);
        naive.sigmoidCrossEntropy(sx, l, z, l, ae, l);
        assertClose(ee, ae, "sigmoid elementwise");
        STABLE.binaryCrossEntropy(pb, l, z, l, EPS, ee, l);
        naive.binaryCrossEntropy(pb, l, z, l, EPS, ae, l);
        assertClose(ee, ae, "binary elementwise");
    }

    // ---- where naive breaks -----------------------------------------------------------------------------

    private static float sparse(Kernels k, float[] logits, int label) {
        Layout l = Layout.rows(1, logits.length);
        float[] out = new float[1];
        k.sparseSoftmaxCrossEntropy(logits, l, new int[] {label}, Layout.rowsOf(l), out, Layout.rowsOf(l));
        return out[0];
    }

    private static float dense(Kernels k, float[] logits, float[] labels) {
        Layout l = Layout.rows(1, logits.length);
        float[] out = new float[1];
        k.softmaxCrossEntropy(logits, l, labels, l, out, Layout.rowsOf(l));
        return out[0];
    }

    private static float sigmoid(Kernels k, float x, float z, int lanes) {
        // `lanes` copies in a row, so the vector kernel runs full vectors, not only its masked tail
        float[] xs = new float[lanes];
        float[] zs = new float[lanes];
        java.util.Arrays.fill(xs, x);
        java.util.Arrays.fill(zs, z);
        float[] out = new float[lanes];
        Layout l = Layout.rows(1, lanes);
        k.sigmoidCrossEntropy(xs, l, zs, l, out, l);
        return out[0];
    }

    private static float binary(Kernels k, float p, float z) {
        float[] out = new float[1];
        Layout l = Layout.vector(1);
        k.binaryCrossEntropy(new float[] {p}, l, new float[] {z}, l, EPS, out, l);
        return out[0];
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void naiveSoftmaxOverflowsAtLogit100WhereStableIsExact() {
        float[] x = {100f, 0f, -3f};
        for (Kernels k : naive()) {
            assertFalse(Float.isFinite(sparse(k, x, 0)), k.name());
            assertFalse(Float.isFinite(sparse(k, x, 1)), k.name());
            assertFalse(Float.isFinite(dense(k, x, new float[] {0f, 1f, 0f})), k.name());
        }
        Layout l = Layout.rows(1, 3);
        float[] out = new float[1];
        STABLE.sparseSoftmaxCrossEntropyWithLogits(x, l, new int[] {1}, Layout.rowsOf(l), out, Layout.rowsOf(l));
        assertEquals(100f, out[0], 1e-4f);
        STABLE.sparseSoftmaxCrossEntropyWithLogits(x, l, new int[] {0}, Layout.rowsOf(l), out, Layout.rowsOf(l));
        assertEquals(0f, out[0], 1e-6f);
        STABLE.softmaxCrossEntropyWithLogits(x, l, new float[] {0f, 1f, 0f}, l, out, Layout.rowsOf(l));
        assertEquals(100f, out[0], 1e-4f);
    }

    @Test
    void naiveSoftmaxUnderflowsToNaNForVeryNegativeLogits() {
        float[] x = {-200f, -200f};
        for (Kernels k : naive()) {
            assertTrue(Float.isNaN(sparse(k, x, 0)), k.name()); // 0/0
        }
        Layout l = Layout.rows(1, 2);
        float[] out = new float[1];
        STABLE.sparseSoftmaxCrossEntropyWithLogits(x, l, new int[] {0}, Layout.rowsOf(l), out, Layout.rowsOf(l));
        assertEquals((float) Math.log(2), out[0], 1e-6f);
    }

    @Test
    void naiveSigmoidBreaksForConfidentLogits() {
        Layout l = Layout.vector(4);
        float[] x = {-100f, 100f, -100f, 100f};
        float[] z = {1f, 0f, 0f, 1f};
        float[] out = new float[4];
        STABLE.sigmoidCrossEntropyWithLogits(x, l, z, l, out, l);
        assertEquals(100f, out[0], 1e-4f);
        assertEquals(100f, out[1], 1e-4f);
        assertEquals(0f, out[2], 1e-6f);
        assertEquals(0f, out[3], 1e-6f);
        for (Kernels k : naive()) {
            for (int lanes : new int[] {1, 64}) {
                assertEquals(Float.POSITIVE_INFINITY, sigmoid(k, -100f, 1f, lanes), k.name()); // log σ(−100) = log 0
                assertEquals(Float.POSITIVE_INFINITY, sigmoid(k, 100f, 0f, lanes), k.name());  // log(1 − 1)
                assertTrue(Float.isNaN(sigmoid(k, -100f, 0f, lanes)), k.name());               // 1·log 0 ... 0·log 0
                assertTrue(Float.isNaN(sigmoid(k, 100f, 1f, lanes)), k.name());                // 0·log(1 − 1)
            }
        }
    }

    @Test
    void naiveProbabilityLossesBreakAtZeroAndOne() {
        for (Kernels k : naive()) {
            assertEquals(Float.POSITIVE_INFINITY, binary(k, 0f, 1f), k.name());
            assertEquals(Float.POSITIVE_INFINITY, binary(k, 1f, 0f), k.name());
            assertTrue(Float.isNaN(binary(k, 0f, 0f)), k.name());
            assertTrue(Float.isNaN(binary(k, 1f, 1f)), k.name());
            Layout l = Layout.rows(1, 2);
            float[] out = new float[1];
            k.categoricalCrossEntropy(new float[] {0f, 1f}, l, new float[] {0f, 1f}, l, EPS, out, Layout.rowsOf(l));
            assertTrue(Float.isNaN(out[0]), k.name()); // 0·log 0
        }
        Layout l = Layout.vector(1);
        float[] out = new float[1];
        STABLE.binaryCrossEntropy(new float[] {0f}, l, new float[] {1f}, l, EPS, out, l);
        assertEquals(16.118095f, out[0], 1e-3f);
        STABLE.binaryCrossEntropy(new float[] {1f}, l, new float[] {1f}, l, EPS, out, l);
        assertTrue(Float.isFinite(out[0]) && out[0] < 1e-6f);
        Layout r = Layout.rows(1, 2);
        STABLE.categoricalCrossEntropy(new float[] {0f, 1f}, r, new float[] {0f, 1f}, r, EPS, out, Layout.rowsOf(r));
        assertTrue(Float.isFinite(out[0]) && out[0] < 1e-6f);
    }

    // ---- exact thresholds -------------------------------------------------------------------------------

    /** The float boundary between {@code ok} (at {@code good}) and not ok (at {@code bad}): the first bad value. */
    private static float boundary(float good, float bad, java.util.function.Predicate<Float> ok) {
        assertTrue(ok.test(good), "ok at " + good);
        assertFalse(ok.test(bad), "not ok at " + bad);
        while (Math.abs(Math.nextAfter(good, bad) - bad) > 0) {
            float mid = (float) (((double) good + bad) / 2);
            if (mid == good || mid == bad) {
                break;
            }
            if (ok.test(mid)) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return bad;
    }

    @Test
    void thresholds() {
        StringBuilder sb = new StringBuilder("naive kernel thresholds (first float input whose loss is inf or NaN), java ")
                .append(System.getProperty("java.version")).append('\n');
        for (Kernels k : naive()) {
            float t1 = boundary(80f, 100f, x -> Float.isFinite(sparse(k, new float[] {x, 0f}, 1)));
            float t1000 = boundary(70f, 100f, x -> Float.isFinite(sparse(k, filled(1000, x), 0)));
            float t128k = boundary(60f, 100f, x -> Float.isFinite(sparse(k, filled(128000, x), 0)));
            float lo = boundary(-90f, -120f, x -> Float.isFinite(sparse(k, new float[] {x, x}, 0)));
            float loT = boundary(-90f, -120f, x -> Float.isFinite(sparse(k, new float[] {0f, x}, 1)));
            float sgHi = boundary(10f, 30f, x -> Float.isFinite(sigmoid(k, x, 0f, 64)));
            float sgLo = boundary(-80f, -100f, x -> Float.isFinite(sigmoid(k, x, 1f, 64)));
            sb.append(String.format("  %-13s softmax CE: logits [x, 0] label 1: x >= %s; C = 1000 equal logits: x >= %s;"
                    + " C = 128000 equal logits: x >= %s; [x, x]: x <= %s (NaN); [0, x] label 1: x <= %s (inf)%n",
                    k.name(), t1, t1000, t128k, lo, loT));
            sb.append(String.format("  %-13s sigmoid CE: z = 0: x >= %s (inf; NaN for z = 1); z = 1: x <= %s (inf; NaN for z = 0)%n",
                    k.name(), sgHi, sgLo));
            assertTrue(t1 > 88.7f && t1 < 88.73f, "softmax overflow at " + t1);
            assertTrue(t1000 > 81f && t1000 < 82f, "C=1000 overflow at " + t1000);
            assertTrue(lo < -103f && lo > -105f, "underflow at " + lo);
            assertTrue(sgHi > 16f && sgHi < 17.5f, "sigmoid z=0 at " + sgHi);
            assertTrue(sgLo < -88f && sgLo > -89f, "sigmoid z=1 at " + sgLo);
        }
        System.out.print(sb);
        try {
            java.nio.file.Path p = java.nio.file.Path.of("target", "naive-thresholds-java" + Runtime.version().feature() + ".txt");
            java.nio.file.Files.createDirectories(p.getParent());
            java.nio.file.Files.writeString(p, sb.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void naiveKernelsAreNotABackend() {
        for (Backend b : Backend.values()) {
            assertFalse(b.name().toLowerCase(java.util.Locale.ROOT).contains("naive"));
        }
    }
}
