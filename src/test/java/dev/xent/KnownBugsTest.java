package dev.xent;

import static dev.xent.TestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Strict reproducers of library bugs found by this suite. Each is {@code @Disabled} so the branch stays
 * green; remove the annotation once the bug is fixed (the broad tests then tighten themselves, see
 * {@link KnownBugs}).
 */
class KnownBugsTest {

    static CrossEntropy vector() {
        assumeTrue(CrossEntropy.vectorAvailable() && TestSupport.vectorClassPresent(), "no vector backend");
        return CrossEntropy.of(Backend.VECTOR);
    }

    @Test
    @Disabled("bug A: VectorKernels.loss() forms max(x,0) − x·z in float; x = 1000, z = 0.9999 gives 0.10003662, "
            + "float64 reference 0.1000165939 (rel. error 2e-4 > 2e-6; x = 20, z = 0.99: 0.20000076 vs 0.19999981); use an FMA or the scalar kernel's double product")
    void vectorSigmoidDoesNotCancel() {
        CrossEntropy ce = vector();
        float[] x = new float[40];
        float[] z = new float[40];
        Arrays.fill(x, 1000f);
        Arrays.fill(z, 0.9999f);
        float[] out = new float[40];
        ce.sigmoidCrossEntropyWithLogits(x, z, out);
        double ref = 1000.0 - 1000.0 * (double) 0.9999f + Math.log1p(Math.exp(-1000.0));
        for (int k = 0; k < 40; k++) {
            assertClose(ref, out[k], "x=1000, z=0.9999, element " + k);
        }
    }

    @Test
    @Disabled("bug B: VectorKernels.loss() overflows x·z in float for labels outside [0, 1]: x = 3e38, z = 1.5 gives "
            + "-Infinity (reference -1.5e38); a row mean over [x=-inf z=1, x=3e38 z=1.5] gives NaN instead of +Infinity")
    void vectorSigmoidDoesNotOverflowInTheProduct() {
        CrossEntropy ce = vector();
        float[] x = new float[16];
        float[] z = new float[16];
        Arrays.fill(x, 3e38f);
        Arrays.fill(z, 1.5f);
        float[] out = new float[16];
        ce.sigmoidCrossEntropyWithLogits(x, z, out);
        assertClose(-1.5e38, out[0], "x=3e38, z=1.5");
        float[] m = new float[1];
        ce.sigmoidCrossEntropyWithLogits(new float[] {Float.NEGATIVE_INFINITY, 3e38f}, Layout.rows(1, 2),
                new float[] {1f, 1.5f}, Layout.rows(1, 2), m, Layout.vector(1));
        assertEquals(Float.POSITIVE_INFINITY, m[0], "mean of [+inf, -1.5e38]");
    }

    @Test
    @Disabled("bug C: the REFERENCE backend (ReferenceKernels.binary) clips p to [eps, 1-eps] in double, but "
            + "CrossEntropy.binaryCrossEntropy documents the clip in float (as Keras float32, and as SCALAR/VECTOR do): "
            + "p = 1, z = 0, eps = 1e-7 gives 16.118095 (-log 1e-7) instead of 15.942385 (-log(1 - (1f - 1e-7f)))")
    void referenceBackendClipsInFloatAsDocumented() {
        CrossEntropy ce = CrossEntropy.of(Backend.REFERENCE);
        float[] out = new float[1];
        Layout l = Layout.vector(1);
        ce.binaryCrossEntropy(new float[] {1f}, l, new float[] {0f}, l, 1e-7f, out, l);
        assertClose(-Math.log(1.0 - (1f - 1e-7f)), out[0], "p=1, z=0");
    }

    @Test
    @Disabled("bug D: VectorKernels.rowMean()/meanTile() accumulate the mean over the class axis in float lanes: "
            + "two finite losses of 3e38 (x = -3e38, z = 1) give a mean of +Infinity instead of 3e38 "
            + "(classes-last and channels-first paths; SCALAR sums in double)")
    void vectorMeanDoesNotOverflow() {
        CrossEntropy ce = vector();
        float[] x = new float[16];
        float[] z = new float[16];
        Arrays.fill(x, -3e38f);
        Arrays.fill(z, 1f);
        float[] m = new float[1];
        ce.sigmoidCrossEntropyWithLogits(x, Layout.rows(1, 2), z, Layout.rows(1, 2), m, Layout.vector(1));
        assertClose(3e38, m[0], "classes-last mean of two 3e38 losses");
        Layout cf = Layout.channelsFirst(1, 2, 8);
        float[] m8 = new float[8];
        ce.sigmoidCrossEntropyWithLogits(x, cf, z, cf, m8, Layout.rowsOf(cf));
        assertClose(3e38, m8[0], "channels-first mean of two 3e38 losses");
    }

    @Test
    @Disabled("bug E: SCALAR and VECTOR softmax CE with dense labels form (m - x_c) in float before weighting it by t_c, "
            + "so labels of mixed sign (documented as legal) lose the cancellation: x = [0.59228516, -10000.517, -10000.613], "
            + "t = [0, 1, -1] gives -0.095703125, float64 reference -0.0966796875 (abs. error 9.8e-4); "
            + "ScalarKernels.softmaxRow needs (double) m - xc")
    void mixedSignLabelsKeepTheirPrecision() {
        float[] x = {0.59228516f, -10000.517f, -10000.613f};
        float[] t = {0f, 1f, -1f};
        double exact = (double) x[2] - x[1];   // Σ t_c (lse − x_c) with t = [0, 1, -1] is x_2 − x_1
        assertEquals(dev.xent.internal.reference.ReferenceKernels.softmaxRow(x, 0, 1, 3, t, 0, 1), exact, 1e-12);
        for (CrossEntropy ce : TestSupport.backends()) {
            float[] out = new float[1];
            ce.softmaxCrossEntropyWithLogits(x, t, 3, out);
            assertClose(exact, out[0], TestSupport.name(ce));
        }
    }

    @Test
    @Disabled("bug F (minor): Layout.channelsFirst(1, 65536, 65536) throws ArithmeticException (Math.multiplyExact) "
            + "instead of an IllegalArgumentException naming the arguments, unlike Layout.of(int[], int) for the same shape")
    void channelsFirstOverflowIsAnIllegalArgument() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Layout.channelsFirst(1, 65536, 65536));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("65536"), e.getMessage());
    }
}
