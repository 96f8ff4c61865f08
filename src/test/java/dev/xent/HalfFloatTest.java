package dev.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.xent.internal.reference.ReferenceKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** bfloat16 and float16 logits: the conversions, and the kernels against the float64 reference of the widened values. */
@Tag("backend")
class HalfFloatTest {

    /** IEEE binary16 decoded from its definition, independently of {@link HalfFloat#toFloat}. */
    private static double float16Value(int h) {
        int sign = (h >> 15) & 1;
        int e = (h >> 10) & 0x1f;
        int m = h & 0x3ff;
        double v;
        if (e == 0x1f) {
            v = m == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (e == 0) {
            v = Math.scalb((double) m, -24);
        } else {
            v = Math.scalb(1.0 + m / 1024.0, e - 15);
        }
        return sign == 1 ? -v : v;
    }

    @Test
    void everyFloat16PatternWidensExactly() {
        for (int h = 0; h < 0x10000; h++) {
            double want = float16Value(h);
            float got = HalfFloat.FLOAT16.toFloat((short) h);
            if (Double.isNaN(want)) {
                assertTrue(Float.isNaN(got), "pattern " + Integer.toHexString(h));
            } else {
                assertEquals(want, got, 0.0, "pattern " + Integer.toHexString(h));
                assertEquals(h >> 15, Float.floatToRawIntBits(got) >>> 31, "sign of " + Integer.toHexString(h));
            }
        }
    }

    @Test
    void everyBfloat16PatternIsTheTopHalfOfAFloat() {
        for (int h = 0; h < 0x10000; h++) {
            float got = HalfFloat.BFLOAT16.toFloat((short) h);
            assertEquals(h << 16, Float.floatToRawIntBits(got), "pattern " + Integer.toHexString(h));
        }
    }

    @Test
    void roundingToHalfIsToTheNearestValue() {
        for (HalfFloat f : HalfFloat.values()) {
            for (int h = 0; h < 0x10000; h++) {
                float v = f.toFloat((short) h);
                if (!Float.isNaN(v)) {
                    assertEquals(v, f.toFloat(f.fromFloat(v)), 0f, f + " round trip of " + Integer.toHexString(h));
                }
            }
            SplittableRandom rnd = new SplittableRandom(11);
            for (int k = 0; k < 200_000; k++) {
                float v = (float) (rnd.nextGaussian() * Math.scalb(1.0, rnd.nextInt(-30, 20)));
                short h = f.fromFloat(v);
                double got = f.toFloat(h);
                if (Double.isInfinite(got)) {
                    continue;
                }
                double below = f.toFloat((short) (h - 1));
                double above = f.toFloat((short) (h + 1));
                double err = Math.abs(got - v);
                assertTrue(Double.isNaN(below) || err <= Math.abs(below - v), f + " " + v + " → " + got + ", neighbour " + below);
                assertTrue(Double.isNaN(above) || err <= Math.abs(above - v), f + " " + v + " → " + got + ", neighbour " + above);
            }
            assertTrue(Float.isNaN(f.toFloat(f.fromFloat(Float.NaN))), f + " NaN");
        }
        assertEquals(Float.POSITIVE_INFINITY, HalfFloat.FLOAT16.toFloat(HalfFloat.FLOAT16.fromFloat(70000f)));
        assertEquals(0x3c00, HalfFloat.FLOAT16.fromFloat(1f));
        assertEquals((short) 0x3f80, HalfFloat.BFLOAT16.fromFloat(1f));
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        List<Backend> backends = new ArrayList<>(List.of(Backend.SCALAR, Backend.REFERENCE));
        if (CrossEntropy.vectorAvailable()) {
            backends.add(Backend.VECTOR);
        }
        for (Backend b : backends) {
            for (HalfFloat f : HalfFloat.values()) {
                for (int c : new int[] {1, 5, 16, 31, 32, 33, 63, 100, 1000, 1025, 4097, 70_001}) {
                    out.add(Arguments.of(b, f, c));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} C={2}")
    @MethodSource("cases")
    void sparseSoftmaxMatchesTheReferenceOfTheWidenedValues(Backend backend, HalfFloat format, int classes) {
        int rows = classes > 10_000 ? 2 : 9;
        int rowStride = classes + 3; // padded rows, at an offset
        int offset = 5;
        Layout xl = Layout.rows(rows, classes, offset, rowStride);
        SplittableRandom rnd = new SplittableRandom(classes * 7L + format.ordinal());
        short[] x = new short[offset + rows * rowStride];
        for (int k = 0; k < x.length; k++) {
            x[k] = format.fromFloat((float) (rnd.nextGaussian() * 4));
        }
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = rnd.nextInt(classes);
        }
        if (rows > 3) {
            x[offset + 3 * rowStride + classes / 2] = format.fromFloat(Float.NaN); // row 3 only
            x[offset + 2 * rowStride] = format.fromFloat(Float.NEGATIVE_INFINITY);   // an impossible class in row 2
            y[2] = classes > 1 ? 1 : 0;
        }
        Layout rl = Layout.rowsOf(xl);
        double[] ref = ReferenceKernels.sparseSoftmaxCrossEntropy(x, format, xl, y, rl);
        float[] out = new float[rows];
        CrossEntropy.of(backend).sparseSoftmaxCrossEntropyWithLogits(x, format, xl, y, rl, out, rl);
        for (int r = 0; r < rows; r++) {
            if (Double.isNaN(ref[r])) {
                assertTrue(Float.isNaN(out[r]), "row " + r + " should be NaN, got " + out[r]);
            } else if (Math.abs(out[r] - ref[r]) > 1e-6 + 2e-6 * Math.abs(ref[r])) {
                fail("row " + r + ": got " + out[r] + ", reference " + ref[r]);
            }
        }
        if (rows > 3) {
            assertTrue(Float.isNaN(out[3]), "the NaN row");
            assertTrue(!Float.isNaN(out[4]), "the row after the NaN row");
        }
    }

    @Test
    void badArgumentsNameTheArgument() {
        CrossEntropy ce = CrossEntropy.get();
        Layout xl = Layout.rows(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ce.sparseSoftmaxCrossEntropyWithLogits(new short[6], null, xl, new int[2], Layout.rowsOf(xl), new float[2], Layout.rowsOf(xl)));
        assertTrue(e.getMessage().contains("format"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ce.sparseSoftmaxCrossEntropyWithLogits(new short[5], HalfFloat.BFLOAT16, xl, new int[2], Layout.rowsOf(xl), new float[2], Layout.rowsOf(xl)));
        assertTrue(e.getMessage().contains("logits"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ce.sparseSoftmaxCrossEntropyWithLogits(new short[6], HalfFloat.FLOAT16, xl, new int[] {0, 3}, Layout.rowsOf(xl), new float[2], Layout.rowsOf(xl)));
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("3"), e.getMessage());
    }
}
