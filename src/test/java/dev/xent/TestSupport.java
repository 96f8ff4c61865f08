package dev.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.xent.internal.reference.ReferenceKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Shared helpers: the backends under test, the tolerance check, layouts, sentinels and the float64 oracle. */
final class TestSupport {
    private TestSupport() {
    }

    /** Accuracy bar of the kernels against the float64 reference: |a − r| ≤ ABS + REL·|r|. */
    static final double REL = 2e-6;
    static final double ABS = 1e-6;

    /** A NaN with a payload no kernel produces: marks array elements that must stay untouched. */
    static final int SENTINEL_BITS = 0x7fc1_2345;
    static final float SENTINEL = Float.intBitsToFloat(SENTINEL_BITS);

    static final String VECTOR_CLASS_RESOURCE = "dev/xent/internal/vector/VectorKernels.class";

    /** Whether the vector backend's class is on the class path (it is once the lead's vector kernels land). */
    static boolean vectorClassPresent() {
        return TestSupport.class.getClassLoader().getResource(VECTOR_CLASS_RESOURCE) != null;
    }

    /**
     * The backends to validate: SCALAR always, VECTOR when the Vector API is usable here and its class is
     * present. (If the class is present but cannot be loaded, {@link BackendSelectionTest} fails.)
     */
    static List<CrossEntropy> backends() {
        List<CrossEntropy> list = new ArrayList<>();
        list.add(CrossEntropy.of(Backend.SCALAR));
        if (CrossEntropy.vectorAvailable() && vectorClassPresent()) {
            try {
                list.add(CrossEntropy.of(Backend.VECTOR));
            } catch (UnsupportedOperationException | LinkageError e) {
                // reported by BackendSelectionTest
            }
        }
        return list;
    }

    /** {@link #backends()} as named JUnit arguments, for {@code @MethodSource("dev.xent.TestSupport#backendArgs")}. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> backendArgs() {
        return backends().stream().map(ce -> org.junit.jupiter.params.provider.Arguments.of(
                org.junit.jupiter.api.Named.of(name(ce), ce)));
    }

    /** {@link #backends()} plus the REFERENCE backend (float64 rounded to float), for layout discipline checks. */
    static List<CrossEntropy> backendsWithReference() {
        List<CrossEntropy> list = backends();
        list.add(CrossEntropy.of(Backend.REFERENCE));
        return list;
    }

    static String name(CrossEntropy ce) {
        return ce.backend() + (ce.backend() == Backend.VECTOR ? " " + ce.species() : "");
    }

    // ---- tolerance ----------------------------------------------------------------------------------------

    /** True when {@code got} passes the accuracy bar against {@code ref} (NaN ⇔ NaN, ±inf equal, else tolerance). */
    static boolean close(double ref, float got, double rel, double abs) {
        if (Double.isNaN(ref)) {
            return Float.isNaN(got);
        }
        if (Double.isInfinite(ref) || Math.abs(ref) > Float.MAX_VALUE) {
            // a value beyond float range can only be represented as the infinity it rounds to
            return got == (float) ref;
        }
        return Math.abs(got - ref) <= abs + rel * Math.abs(ref);
    }

    static void assertClose(double ref, float got, String what) {
        assertClose(ref, got, REL, ABS, what);
    }

    static void assertClose(double ref, float got, double rel, double abs, String what) {
        if (!close(ref, got, rel, abs)) {
            fail(what + ": expected " + ref + " (±" + (abs + rel * Math.abs(ref)) + "), got " + got);
        }
    }

    /** Compares per-row losses {@code out} through {@code ol} with {@code ref[r]}. */
    static void assertRows(double[] ref, float[] out, Layout ol, double rel, double abs, String ctx) {
        assertEquals(ol.rows(), ref.length, ctx + ": reference row count");
        int bad = 0;
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < ref.length; r++) {
            float got = out[ol.rowIndex(r)];
            if (!close(ref[r], got, rel, abs)) {
                if (bad++ < 5) {
                    sb.append("\n  row ").append(r).append(": expected ").append(ref[r]).append(", got ").append(got);
                }
            }
        }
        if (bad > 0) {
            fail(ctx + ": " + bad + " of " + ref.length + " rows off" + sb);
        }
    }

    static void assertRows(double[] ref, float[] out, Layout ol, String ctx) {
        assertRows(ref, out, ol, REL, ABS, ctx);
    }

    /** Compares elementwise losses through {@code ol} with {@code ref} in logical {@code (n, c, i)} row-major order. */
    static void assertElements(double[] ref, float[] out, Layout ol, double rel, double abs, String ctx) {
        assertEquals(ol.size(), ref.length, ctx + ": reference element count");
        int bad = 0;
        StringBuilder sb = new StringBuilder();
        int k = 0;
        for (int n = 0; n < ol.outer(); n++) {
            for (int c = 0; c < ol.classes(); c++) {
                for (int i = 0; i < ol.inner(); i++, k++) {
                    float got = out[ol.index(n, c, i)];
                    if (!close(ref[k], got, rel, abs)) {
                        if (bad++ < 5) {
                            sb.append("\n  (").append(n).append(", ").append(c).append(", ").append(i)
                                    .append("): expected ").append(ref[k]).append(", got ").append(got);
                        }
                    }
                }
            }
        }
        if (bad > 0) {
            fail(ctx + ": " + bad + " of " + ref.length + " elements off" + sb);
        }
    }

    static void assertElements(double[] ref, float[] out, Layout ol, String ctx) {
        assertElements(ref, out, ol, REL, ABS, ctx);
    }

    // ---- sentinels and input integrity ------------------------------------------------------------------

    /** An output array with room for {@code ol} plus {@code extra} elements, every element the sentinel. */
    static float[] sentinelArray(Layout ol, int extra) {
        float[] out = new float[(int) (ol.maxIndex() + 1) + extra];
        Arrays.fill(out, SENTINEL);
        return out;
    }

    /** Every element of {@code out} not addressed by {@code ol} still holds the sentinel. */
    static void assertOutsideUntouched(float[] out, Layout ol, String ctx) {
        boolean[] mine = new boolean[out.length];
        for (int n = 0; n < ol.outer(); n++) {
            for (int c = 0; c < ol.classes(); c++) {
                for (int i = 0; i < ol.inner(); i++) {
                    mine[ol.index(n, c, i)] = true;
                }
            }
        }
        for (int k = 0; k < out.length; k++) {
            if (!mine[k] && Float.floatToRawIntBits(out[k]) != SENTINEL_BITS) {
                fail(ctx + ": element " + k + " outside the losses layout " + ol + " was written: " + out[k]);
            }
        }
    }

    /** Every element of {@code out} still holds the sentinel (nothing written at all). */
    static void assertAllUntouched(float[] out, String ctx) {
        for (int k = 0; k < out.length; k++) {
            if (Float.floatToRawIntBits(out[k]) != SENTINEL_BITS) {
                fail(ctx + ": element " + k + " was written (" + out[k] + ") although the call failed");
            }
        }
    }

    static void assertSameBits(float[] before, float[] after, String ctx) {
        assertEquals(before.length, after.length);
        for (int k = 0; k < before.length; k++) {
            if (Float.floatToRawIntBits(before[k]) != Float.floatToRawIntBits(after[k])) {
                fail(ctx + ": input element " + k + " changed from " + before[k] + " to " + after[k]);
            }
        }
    }

    // ---- building inputs ----------------------------------------------------------------------------------

    /** A buffer holding {@code l} plus {@code extra} trailing elements, every element {@code fill} (the gaps stay so). */
    static float[] buffer(Layout l, int extra, float fill) {
        float[] a = new float[(int) (l.maxIndex() + 1) + extra];
        Arrays.fill(a, fill);
        return a;
    }

    static int[] intBuffer(Layout l, int extra, int fill) {
        int[] a = new int[(int) (l.maxIndex() + 1) + extra];
        Arrays.fill(a, fill);
        return a;
    }

    /** Writes logical values {@code v} ((n, c, i) row-major) through {@code l}. */
    static void put(float[] a, Layout l, float[] v) {
        int k = 0;
        for (int n = 0; n < l.outer(); n++) {
            for (int c = 0; c < l.classes(); c++) {
                for (int i = 0; i < l.inner(); i++) {
                    a[l.index(n, c, i)] = v[k++];
                }
            }
        }
    }

    /** Writes one int per row {@code r} through per-row layout {@code l}. */
    static void putRows(int[] a, Layout l, int[] v) {
        for (int r = 0; r < l.rows(); r++) {
            a[l.rowIndex(r)] = v[r];
        }
    }

    /** A buffer for {@code l} with gaps set to NaN (a kernel reading a gap poisons its result) and the logical values written. */
    static float[] place(Layout l, float[] logical) {
        float[] a = buffer(l, 3, Float.NaN);
        put(a, l, logical);
        return a;
    }

    /** Places per-row class vectors: {@code rowValues[r][c]} goes to element (n, c, i) of row r = n·inner + i. */
    static float[] placeByRow(Layout l, float[][] rowValues) {
        float[] a = buffer(l, 3, Float.NaN);
        for (int r = 0; r < l.rows(); r++) {
            int b = l.rowIndex(r);
            for (int c = 0; c < l.classes(); c++) {
                a[b + c * l.classStride()] = rowValues[r][c];
            }
        }
        return a;
    }

    static int[] placeRows(Layout l, int[] logical) {
        int[] a = intBuffer(l, 3, Integer.MIN_VALUE);
        putRows(a, l, logical);
        return a;
    }

    /** A dense per-row layout {@code [n, 1, inner]}. */
    static Layout rowsLayout(int n, int inner) {
        return Layout.of(0, n, inner, 1, 1, inner, 1);
    }

    /** A per-row layout {@code [n, 1, inner]} at {@code offset}, rows {@code stride} apart in both axes (not contiguous). */
    static Layout stridedRows(int n, int inner, int offset, int stride) {
        return Layout.of(offset, n, inner * stride + 1, 1, 7, inner, stride);
    }

    static Layout denseLike(Layout l) {
        return Layout.of(0, l.outer(), l.classes() * l.inner(), l.classes(), l.inner(), l.inner(), 1);
    }

    // ---- the float64 oracle for the probability forms ------------------------------------------------------

    /** Binary cross-entropy from probabilities, the float64 reference (p and 1 − p each clipped to [ε, 1−ε]). */
    static double binaryOracle(float p, float z, float eps) {
        return ReferenceKernels.binary(p, z, eps);
    }

    /** The reference over a layout: elementwise in (n, c, i) order, or the per-row mean over the class axis. */
    static double[] binaryOracle(float[] p, Layout pl, float[] z, Layout zl, float eps, boolean mean) {
        return ReferenceKernels.binaryCrossEntropy(p, pl, z, zl, eps, mean);
    }

    // ---- random data --------------------------------------------------------------------------------------

    static float gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double v = rnd.nextDouble();
        return (float) (Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v));
    }

    static void assertTrueMsg(boolean b, String msg) {
        assertTrue(b, msg);
    }
}
