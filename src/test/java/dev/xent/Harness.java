package dev.xent;

import static dev.xent.TestSupport.assertElements;
import static dev.xent.TestSupport.assertOutsideUntouched;
import static dev.xent.TestSupport.assertRows;
import static dev.xent.TestSupport.assertSameBits;
import static dev.xent.TestSupport.sentinelArray;

import dev.xent.internal.reference.ReferenceKernels;

/**
 * Runs one op on one backend and checks it against the float64 oracle, that nothing outside the losses
 * layout was written and that the inputs are unchanged.
 */
final class Harness {
    private Harness() {
    }

    static final float EPS = KerasLoss.DEFAULT_EPSILON;

    /** Softmax CE with dense labels; returns the losses array. */
    static float[] softmax(CrossEntropy ce, float[] x, Layout xl, float[] t, Layout tl, Layout ol, String ctx) {
        float[] out = sentinelArray(ol, 5);
        float[] x0 = x.clone();
        float[] t0 = t.clone();
        ce.softmaxCrossEntropyWithLogits(x, xl, t, tl, out, ol);
        String c = ctx + " softmax " + TestSupport.name(ce);
        // known bug H (KnownBugsTest): while the vector softmax tile sums in plain float, 2e-5 relative / 1e-5 absolute
        boolean bugH = KnownBugs.vectorSoftmaxTileDrifts(ce);
        assertRows(ReferenceKernels.softmaxCrossEntropy(x0, xl, t0, tl), out, ol,
                bugH ? 2e-5 : TestSupport.REL, bugH ? 1e-5 : TestSupport.ABS, c);
        assertOutsideUntouched(out, ol, c);
        assertSameBits(x0, x, c + " logits");
        assertSameBits(t0, t, c + " labels");
        return out;
    }

    static float[] sparse(CrossEntropy ce, float[] x, Layout xl, int[] y, Layout yl, Layout ol, String ctx) {
        float[] out = sentinelArray(ol, 5);
        float[] x0 = x.clone();
        int[] y0 = y.clone();
        ce.sparseSoftmaxCrossEntropyWithLogits(x, xl, y, yl, out, ol);
        String c = ctx + " sparseSoftmax " + TestSupport.name(ce);
        assertRows(ReferenceKernels.sparseSoftmaxCrossEntropy(x0, xl, y0, yl), out, ol, c);
        assertOutsideUntouched(out, ol, c);
        assertSameBits(x0, x, c + " logits");
        org.junit.jupiter.api.Assertions.assertArrayEquals(y0, y, c + " labels changed");
        return out;
    }

    /** Sigmoid CE; elementwise when {@code ol} has the logits' shape, the per-row mean when it has one class. */
    static float[] sigmoid(CrossEntropy ce, float[] x, Layout xl, float[] z, Layout zl, Layout ol, String ctx) {
        boolean mean = !ol.sameShape(xl);
        float[] out = sentinelArray(ol, 5);
        float[] x0 = x.clone();
        float[] z0 = z.clone();
        ce.sigmoidCrossEntropyWithLogits(x, xl, z, zl, out, ol);
        String c = ctx + " sigmoid" + (mean ? "Mean " : " ") + TestSupport.name(ce);
        double[] ref = ReferenceKernels.sigmoidCrossEntropy(x0, xl, z0, zl, mean);
        // known bug A (KnownBugsTest): while the vector sigmoid cancels in float (error ≈ ulp(x·z)), hold it to
        // 5e-5 relative and 1e-5 absolute (the random logits stay below ~150 in magnitude)
        boolean bugA = KnownBugs.vectorSigmoidCancels(ce);
        double rel = bugA ? 5e-5 : TestSupport.REL;
        double abs = bugA ? 1e-5 : TestSupport.ABS;
        if (mean) {
            assertRows(ref, out, ol, rel, abs, c);
        } else {
            assertElements(ref, out, ol, rel, abs, c);
        }
        assertOutsideUntouched(out, ol, c);
        assertSameBits(x0, x, c + " logits");
        assertSameBits(z0, z, c + " labels");
        return out;
    }

    static float[] binary(CrossEntropy ce, float[] p, Layout pl, float[] z, Layout zl, float eps, Layout ol, String ctx) {
        boolean mean = !ol.sameShape(pl);
        float[] out = sentinelArray(ol, 5);
        float[] p0 = p.clone();
        float[] z0 = z.clone();
        ce.binaryCrossEntropy(p, pl, z, zl, eps, out, ol);
        String c = ctx + " binary" + (mean ? "Mean " : " ") + TestSupport.name(ce);
        double[] ref = TestSupport.binaryOracle(p0, pl, z0, zl, eps, mean);
        if (mean) {
            assertRows(ref, out, ol, c);
        } else {
            assertElements(ref, out, ol, c);
        }
        assertOutsideUntouched(out, ol, c);
        assertSameBits(p0, p, c + " probabilities");
        assertSameBits(z0, z, c + " labels");
        return out;
    }

    static float[] categorical(CrossEntropy ce, float[] p, Layout pl, float[] t, Layout tl, float eps, Layout ol, String ctx) {
        float[] out = sentinelArray(ol, 5);
        float[] p0 = p.clone();
        float[] t0 = t.clone();
        ce.categoricalCrossEntropy(p, pl, t, tl, eps, out, ol);
        String c = ctx + " categorical " + TestSupport.name(ce);
        assertRows(ReferenceKernels.categoricalCrossEntropy(p0, pl, t0, tl, eps), out, ol, c);
        assertOutsideUntouched(out, ol, c);
        assertSameBits(p0, p, c + " probabilities");
        assertSameBits(t0, t, c + " labels");
        return out;
    }

    static float[] sparseCategorical(CrossEntropy ce, float[] p, Layout pl, int[] y, Layout yl, float eps, Layout ol, String ctx) {
        float[] out = sentinelArray(ol, 5);
        float[] p0 = p.clone();
        int[] y0 = y.clone();
        ce.sparseCategoricalCrossEntropy(p, pl, y, yl, eps, out, ol);
        String c = ctx + " sparseCategorical " + TestSupport.name(ce);
        assertRows(ReferenceKernels.sparseCategoricalCrossEntropy(p0, pl, y0, yl, eps), out, ol, c);
        assertOutsideUntouched(out, ol, c);
        assertSameBits(p0, p, c + " probabilities");
        org.junit.jupiter.api.Assertions.assertArrayEquals(y0, y, c + " labels changed");
        return out;
    }
}
