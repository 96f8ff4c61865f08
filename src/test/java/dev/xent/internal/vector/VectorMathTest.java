package dev.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The hand-written vector exp and log1p against {@link Math#exp} and {@link Math#log1p} (float64), on a sample of
 * every binade of their domains and on the special values. The accuracy bounds are the ones measured on every float
 * of the domain (1.05 and 1.59 ulp, see {@link VectorMath}); the sample here repeats that check at every vector width.
 */
@Tag("backend")
class VectorMathTest {

    static final int L = VectorKernels.L;

    /** |got − want| in ulps of the float nearest to want (subnormal results: ulps of the smallest normal). */
    static double ulps(float got, double want) {
        float w = (float) want;
        return Math.abs(got - want) / Math.ulp(Math.abs(w) < Float.MIN_NORMAL ? Float.MIN_NORMAL : w);
    }

    /** Every {@code got[i]} within {@code bound} ulp of {@code ref(v[i])}, and the worst at least 0.4 (the sample is not trivial). */
    static void assertWithinUlps(String name, float[] v, float[] got, java.util.function.DoubleUnaryOperator ref, double bound) {
        double worst = 0;
        for (int i = 0; i < v.length; i++) {
            double want = ref.applyAsDouble(v[i]);
            double u = ulps(got[i], want);
            assertTrue(u <= bound, name + "(" + v[i] + ") = " + got[i] + ", float64 gives " + want + ": " + u + " ulp");
            worst = Math.max(worst, u);
        }
        assertTrue(worst > 0.4, name + ": the sample reached the rounding error, worst " + worst);
    }

    static float[] exp(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i + L <= v.length; i += L) {
            VectorMath.expNonPositive(FloatVector.fromArray(VectorKernels.S, v, i)).intoArray(out, i);
        }
        return out;
    }

    static float[] log1p(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i + L <= v.length; i += L) {
            VectorMath.log1pUnit(FloatVector.fromArray(VectorKernels.S, v, i)).intoArray(out, i);
        }
        return out;
    }

    /** Floats from {@code from} up to {@code to} (bit patterns of one sign) in steps, padded to whole vectors. */
    static float[] sample(float from, float to, int step) {
        int a = Float.floatToRawIntBits(from);
        int b = Float.floatToRawIntBits(to);
        int n = Math.abs(b - a) / step + 1;
        float[] v = new float[(n + L - 1) / L * L];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(a + Integer.signum(b - a) * Math.min(i * step, Math.abs(b - a)));
        }
        return v;
    }

    @Test
    void expWithinOneUlpOnItsDomain() {
        float[] v = sample(-0f, VectorMath.EXP_UNDERFLOW, 2111);
        assertWithinUlps("exp", v, exp(v), Math::exp, 1.05);
    }

    @Test
    void expWithinOneUlpUpTo88() {
        // the sums shifted by the label's logit (sparse rows and tiles) take exp on (0, 88.38); n = 127 up there
        float[] v = sample(Float.MIN_VALUE, 88f, 2111);
        assertWithinUlps("exp", v, exp(v), Math::exp, 1.05);
    }

    @Test
    void expSpecialValues() {
        float[] v = new float[L];
        float[] in = {0f, -0f, Float.NEGATIVE_INFINITY, Float.NaN, -87.31f, -1000f, -Float.MAX_VALUE, -1e-30f};
        float[] want = {1f, 1f, 0f, Float.NaN, 0f, 0f, 0f, 1f};
        for (int k = 0; k < in.length; k += Math.min(L, in.length)) {
            int n = Math.min(L, in.length - k);
            java.util.Arrays.fill(v, 0f);
            System.arraycopy(in, k, v, 0, n);
            float[] got = exp(v);
            for (int j = 0; j < n; j++) {
                assertEquals(want[k + j], got[j], 0f, "exp(" + in[k + j] + ")");
            }
        }
    }

    @Test
    void log1pWithinOnePointSixUlpOnTheUnitInterval() {
        float[] v = sample(Float.MIN_VALUE, 1f, 1931);
        assertWithinUlps("log1p", v, log1p(v), Math::log1p, 1.59);
    }

    @Test
    void log1pSpecialValues() {
        float[] v = new float[L];
        float[] in = {0f, 1f, Float.NaN, 1e-30f};
        double[] want = {0, Math.log(2), Double.NaN, 1e-30f};
        for (int k = 0; k < in.length; k += Math.min(L, in.length)) {
            int n = Math.min(L, in.length - k);
            java.util.Arrays.fill(v, 0f);
            System.arraycopy(in, k, v, 0, n);
            float[] got = log1p(v);
            for (int j = 0; j < n; j++) {
                if (Double.isNaN(want[k + j])) {
                    assertTrue(Float.isNaN(got[j]), "log1p(NaN) = " + got[j]);
                } else {
                    assertEquals((float) want[k + j], got[j], Math.ulp((float) want[k + j]), "log1p(" + in[k + j] + ")");
                }
            }
        }
    }

    static float[] log(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i + L <= v.length; i += L) {
            VectorMath.logNormal(FloatVector.fromArray(VectorKernels.S, v, i)).intoArray(out, i);
        }
        return out;
    }

    @Test
    void logWithinOneUlpOnThePositiveNormalFloats() {
        float[] v = sample(Float.MIN_NORMAL, Float.MAX_VALUE, 4099);
        assertWithinUlps("log", v, log(v), Math::log, 0.87);
    }

    @Test
    void logAtTheEndsOfItsDomain() {
        float[] in = {1f, Float.MIN_NORMAL, Float.MAX_VALUE, 0.5f, 2f, 1e-7f, 1f - 1e-7f};
        float[] v = new float[(in.length + L - 1) / L * L];
        java.util.Arrays.fill(v, 1f);
        System.arraycopy(in, 0, v, 0, in.length);
        float[] got = log(v);
        assertEquals(0f, got[0], "log(1)");
        for (int i = 1; i < in.length; i++) {
            float want = (float) Math.log(in[i]);
            assertEquals(want, got[i], Math.ulp(want), "log(" + in[i] + ")");
        }
    }
}
