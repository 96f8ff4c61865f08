package dev.xent;

import static dev.xent.TestSupport.gaussian;
import static dev.xent.TestSupport.place;
import static dev.xent.TestSupport.placeRows;
import static dev.xent.TestSupport.stridedRows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * All six ops (seven with the sigmoid/binary mean forms) on random shapes and layouts, every backend,
 * against the float64 reference: class counts 1 … 262144, classes-last rows (dense, padded, offset),
 * channels-first with odd inner sizes, classes contiguous with a strided inner axis, a general strided
 * layout (neither stride 1), N = 0; labels and losses with their own offsets and strides. Gaps between
 * the logical elements of every input hold NaN, so a kernel that reads outside its layout is caught.
 */
@Tag("backend")
class RandomLayoutTest {

    enum Kind { DENSE_ROWS, PADDED_ROWS, CHANNELS_FIRST, CLASS_CONTIGUOUS, GENERAL }

    static final int[] CLASS_COUNTS = {1, 2, 3, 15, 16, 17, 31, 33, 100, 1000, 4097};
    static final int[] INNER_SIZES = {1, 3, 15, 17, 100};
    static final int ELEMENT_BUDGET = 60_000;

    record Case(int id, int n, int c, int inner, Kind logits, Kind labels, Kind losses, boolean stridedRowOut, float scale) {
        @Override
        public String toString() {
            return "case " + id + " [N=" + n + ", C=" + c + ", inner=" + inner + "] logits " + logits + ", labels "
                    + labels + ", elementwise losses " + losses + ", row outputs " + (stridedRowOut ? "strided" : "dense")
                    + ", scale " + scale;
        }
    }

    static Layout layout(Kind k, int n, int c, int inner, SplittableRandom rnd) {
        int off = 1 + rnd.nextInt(40);
        switch (k) {
            case DENSE_ROWS:
                return inner == 1 ? Layout.rows(n, c) : Layout.channelsFirst(n, c, inner);
            case PADDED_ROWS:
                // mostly narrow padding (gathered tiles), sometimes wider than the vector code gathers
                return inner == 1 ? Layout.rows(n, c, off, c + 1 + (rnd.nextInt(4) == 0 ? 300 : rnd.nextInt(20)))
                        : Layout.channelsFirst(n, c, inner).withOffset(off);
            case CHANNELS_FIRST:
                return Layout.channelsFirst(n, c, inner).withOffset(rnd.nextBoolean() ? 0 : off);
            case CLASS_CONTIGUOUS:
                return Layout.of(off, n, c * inner + 5, c, 1, inner, c);
            case GENERAL: {
                int cs = 2 * inner + 3;
                return Layout.of(off, n, c * cs + 1, c, cs, inner, 2);
            }
            default:
                throw new AssertionError(k);
        }
    }

    static List<Case> cases() {
        SplittableRandom rnd = new SplittableRandom(20261130L);
        List<Case> cases = new ArrayList<>();
        Kind[] kinds = Kind.values();
        float[] scales = {1f, 4f, 20f};
        int id = 0;
        for (int c : CLASS_COUNTS) {
            for (Kind k : kinds) {
                boolean rowsOnly = k == Kind.DENSE_ROWS || k == Kind.PADDED_ROWS;
                int inner = rowsOnly ? 1 : INNER_SIZES[rnd.nextInt(INNER_SIZES.length)];
                while (inner > 1 && c * inner > ELEMENT_BUDGET) {
                    inner = inner == 100 ? 17 : inner == 17 ? 15 : inner == 15 ? 3 : 1;
                }
                // small class counts get enough rows for full and overlapping vector tiles at 512 bits
                int maxN = Math.max(1, Math.min(c < 40 ? 40 : 9, ELEMENT_BUDGET / (c * inner)));
                int n = 1 + rnd.nextInt(maxN);
                cases.add(new Case(id++, n, c, inner, k, kinds[rnd.nextInt(kinds.length)],
                        kinds[rnd.nextInt(kinds.length)], rnd.nextBoolean(), scales[rnd.nextInt(3)]));
            }
        }
        // N = 0 (no rows) with and without an inner axis
        cases.add(new Case(id++, 0, 5, 1, Kind.PADDED_ROWS, Kind.GENERAL, Kind.DENSE_ROWS, true, 1f));
        cases.add(new Case(id++, 0, 17, 3, Kind.CHANNELS_FIRST, Kind.CLASS_CONTIGUOUS, Kind.GENERAL, false, 1f));
        // inner = 0 (an empty spatial axis): no rows either
        cases.add(new Case(id++, 2, 4, 0, Kind.CHANNELS_FIRST, Kind.CHANNELS_FIRST, Kind.CHANNELS_FIRST, false, 1f));
        // large class counts, few rows
        cases.add(new Case(id++, 3, 65536 + 5, 1, Kind.PADDED_ROWS, Kind.DENSE_ROWS, Kind.GENERAL, true, 4f));
        cases.add(new Case(id++, 2, 262144, 1, Kind.DENSE_ROWS, Kind.PADDED_ROWS, Kind.DENSE_ROWS, false, 20f));
        cases.add(new Case(id++, 1, 65536 + 5, 3, Kind.CHANNELS_FIRST, Kind.GENERAL, Kind.CLASS_CONTIGUOUS, true, 1f));
        return cases;
    }

    @Test
    void caseListCoversTheRequiredShapes() {
        List<Case> cases = cases();
        for (int c : CLASS_COUNTS) {
            assertTrue(cases.stream().anyMatch(k -> k.c() == c && k.n() > 0), "C = " + c);
        }
        for (int inner : new int[] {3, 15, 17, 100}) {
            assertTrue(cases.stream().anyMatch(k -> k.inner() == inner && k.n() > 0 && k.logits() == Kind.CHANNELS_FIRST),
                    "channels-first inner = " + inner);
        }
        assertTrue(cases.stream().anyMatch(k -> k.n() == 0));
        assertTrue(cases.stream().anyMatch(k -> k.c() == 262144));
    }

    @TestFactory
    Stream<DynamicTest> allOpsOnRandomLayouts() {
        List<DynamicTest> tests = new ArrayList<>();
        for (CrossEntropy ce : TestSupport.backends()) {
            for (Case k : cases()) {
                tests.add(DynamicTest.dynamicTest(TestSupport.name(ce) + " " + k, () -> run(ce, k)));
            }
        }
        return tests.stream();
    }

    static void run(CrossEntropy ce, Case k) {
        SplittableRandom rnd = new SplittableRandom(1_000_003L * k.id() + 17);
        int n = k.n();
        int c = k.c();
        int inner = k.inner();
        int size = n * c * inner;
        int rows = n * inner;
        Layout xl = layout(k.logits(), n, c, inner, rnd);
        Layout tl = layout(k.labels(), n, c, inner, rnd);
        Layout el = layout(k.losses(), n, c, inner, rnd);
        Layout yl = k.stridedRowOut() ? stridedRows(n, inner, 3, 2) : TestSupport.rowsLayout(n, inner);
        Layout ol = k.stridedRowOut() ? stridedRows(n, inner, 11, 3) : TestSupport.rowsLayout(n, inner).withOffset(2);
        String ctx = k.toString();

        // logits: gaussian · scale, every third row shifted by a large constant (shift invariance)
        float[] xv = new float[size];
        float[] tv = new float[size];
        float[] zv = new float[size];
        float[] pv = new float[size];
        float[] qv = new float[size];
        int[] yv = new int[rows];
        for (int r = 0; r < rows; r++) {
            int nn = r / Math.max(inner, 1);
            int ii = r - nn * inner;
            float shift = r % 3 == 2 ? 1000f * (rnd.nextBoolean() ? 1 : -1) : 0f;
            int mode = rnd.nextInt(4); // 0 one-hot, 1 soft, 2 sparse soft, 3 soft normalised
            yv[r] = rnd.nextInt(c);
            double tsum = 0;
            for (int cc = 0; cc < c; cc++) {
                int e = (nn * c + cc) * inner + ii;
                xv[e] = gaussian(rnd) * k.scale() + shift;
                float t;
                switch (mode) {
                    case 0: t = cc == yv[r] ? 1f : 0f; break;
                    case 1: t = rnd.nextFloat(); break;
                    case 2: t = rnd.nextInt(4) == 0 ? rnd.nextFloat() : 0f; break;
                    default: t = rnd.nextFloat(); tsum += t; break;
                }
                tv[e] = t;
                int zr = rnd.nextInt(10);
                zv[e] = zr < 3 ? 0f : zr < 6 ? 1f : rnd.nextFloat();
                int pr = rnd.nextInt(50);
                pv[e] = pr == 0 ? 0f : pr == 1 ? 1f : rnd.nextFloat();
                qv[e] = pr == 2 ? 0f : (float) (1.0 - rnd.nextDouble()) * (mode == 3 ? 1f : 3f);
            }
            if (mode == 3 && tsum > 0) {
                for (int cc = 0; cc < c; cc++) {
                    int e = (nn * c + cc) * inner + ii;
                    tv[e] = (float) (tv[e] / tsum);
                }
            }
        }
        float[] x = place(xl, xv);
        float[] t = place(tl, tv);
        float[] z = place(tl, zv);
        float[] p = place(xl, pv);
        float[] q = place(xl, qv);
        int[] y = placeRows(yl, yv);

        Harness.softmax(ce, x, xl, t, tl, ol, ctx);
        Harness.sparse(ce, x, xl, y, yl, ol, ctx);
        Harness.sigmoid(ce, x, xl, z, tl, el, ctx);
        Harness.sigmoid(ce, x, xl, z, tl, ol, ctx);
        Harness.binary(ce, p, xl, z, tl, Harness.EPS, el, ctx);
        Harness.binary(ce, p, xl, z, tl, Harness.EPS, ol, ctx);
        Harness.binary(ce, p, xl, z, tl, 0.01f, ol, ctx + " eps=0.01");
        Harness.categorical(ce, q, xl, t, tl, Harness.EPS, ol, ctx);
        Harness.sparseCategorical(ce, q, xl, y, yl, Harness.EPS, ol, ctx);
        Harness.sparseCategorical(ce, q, xl, y, yl, 1e-3f, ol, ctx + " eps=1e-3");
    }

    /** Inputs may broadcast (stride 0): one label row shared by every n, logits repeated along the inner axis. */
    @TestFactory
    Stream<DynamicTest> broadcastInputs() {
        List<DynamicTest> tests = new ArrayList<>();
        for (CrossEntropy ce : TestSupport.backends()) {
            for (int c : new int[] {1, 3, 17, 40}) {
                for (int inner : new int[] {1, 5, 18}) {
                    tests.add(DynamicTest.dynamicTest(TestSupport.name(ce) + " C=" + c + " inner=" + inner, () -> {
                        SplittableRandom rnd = new SplittableRandom(c * 100 + inner);
                        int n = 3;
                        int size = n * c * inner;
                        float[] xv = new float[size];
                        float[] pv = new float[size];
                        float[] tv = new float[size];
                        for (int k = 0; k < size; k++) {
                            xv[k] = gaussian(rnd) * 3;
                            pv[k] = 0.05f + 0.9f * rnd.nextFloat();
                            tv[k] = rnd.nextFloat();
                        }
                        int[] yv = new int[n * inner];
                        for (int r = 0; r < yv.length; r++) {
                            yv[r] = rnd.nextInt(c);
                        }
                        Layout xb = Layout.of(2, n, c, c, 1, inner, 0);              // logits shared along inner
                        Layout xc = Layout.of(1, n, inner, c, 0, inner, 1);          // every class the same logit
                        Layout tb = Layout.of(3, n, 0, c, inner, inner, 1);          // one label block for all n
                        Layout yb = Layout.of(0, n, 0, 1, 1, inner, 1);              // sparse labels shared by all n
                        Layout ol = TestSupport.rowsLayout(n, inner).withOffset(1);
                        Layout el = Layout.channelsFirst(n, c, inner).withOffset(4);
                        String ctx = "broadcast C=" + c + " inner=" + inner;
                        for (Layout xl : new Layout[] {xb, xc}) {
                            float[] x = place(xl, xv);
                            float[] p = place(xl, pv);
                            float[] t = place(tb, tv);
                            int[] y = placeRows(yb, yv);
                            Harness.softmax(ce, x, xl, t, tb, ol, ctx);
                            Harness.sparse(ce, x, xl, y, yb, ol, ctx);
                            Harness.sigmoid(ce, x, xl, t, tb, el, ctx);
                            Harness.sigmoid(ce, x, xl, t, tb, ol, ctx);
                            Harness.binary(ce, p, xl, t, tb, Harness.EPS, el, ctx);
                            Harness.binary(ce, p, xl, t, tb, Harness.EPS, ol, ctx);
                            Harness.categorical(ce, p, xl, t, tb, Harness.EPS, ol, ctx);
                            Harness.sparseCategorical(ce, p, xl, y, yb, Harness.EPS, ol, ctx);
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }
}
