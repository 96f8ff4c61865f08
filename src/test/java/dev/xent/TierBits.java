package dev.xent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The outputs of the vector kernel paths on fixed data (Gaussian logits: the main paths, not their fallbacks for
 * extreme values), as float bits, for {@link TierIndependentBitsTest}: computed once in a JVM that keeps the kernels
 * and the Vector API interpreted ({@code -XX:CompileCommand=exclude}: the Vector API's Java code; {@code -Xint} would
 * switch the vector backend off) and once after C2 has compiled them (its intrinsics), they must be the same bits. {@link #main} prints one line per case for the child JVM.
 */
final class TierBits {

    /** Two daemon threads for the parallel API (the child JVM exits without shutting them down). */
    static final ExecutorService POOL = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "tier-bits");
        thread.setDaemon(true);
        return thread;
    });

    private TierBits() {
    }

    /** Case name → the outputs' bits, in a fixed order. */
    static Map<String, int[]> compute(CrossEntropy ce) {
        Map<String, int[]> out = new LinkedHashMap<>();
        // sparse softmax CE: rows (C ≥ 48), packed tiles (C < 48), pairs, long rows, channels first
        for (int[] shape : new int[][] {{40, 100}, {17, 1000}, {2, 5000}, {64, 10}, {64, 3}, {64, 40}, {64, 2}}) {
            int n = shape[0];
            int c = shape[1];
            SplittableRandom rnd = new SplittableRandom(31L * n + c);
            float[] x = logits(rnd, n * c);
            int[] y = labels(rnd, n, c);
            float[] loss = new float[n];
            ce.sparseSoftmaxCrossEntropyWithLogits(x, Layout.rows(n, c), y, Layout.vector(n), loss, Layout.vector(n));
            out.put("sparse [" + n + ", " + c + "]", bits(loss));
            float[] t = oneHotOrSoft(rnd, y, c);
            ce.softmaxCrossEntropyWithLogits(x, Layout.rows(n, c), t, Layout.rows(n, c), loss, Layout.vector(n));
            out.put("dense [" + n + ", " + c + "]", bits(loss));
            if (c <= 1000) {
                float[] z = binary(rnd, n * c);
                ce.sigmoidCrossEntropyWithLogits(x, Layout.rows(n, c), z, Layout.rows(n, c), loss, Layout.vector(n));
                out.put("sigmoid mean [" + n + ", " + c + "]", bits(loss));
                float[] p = probabilities(rnd, n * c);
                ce.binaryCrossEntropy(p, Layout.rows(n, c), z, Layout.rows(n, c), 1e-7f, loss, Layout.vector(n));
                out.put("binary mean [" + n + ", " + c + "]", bits(loss));
                ce.categoricalCrossEntropy(p, Layout.rows(n, c), t, Layout.rows(n, c), 1e-7f, loss, Layout.vector(n));
                out.put("categorical [" + n + ", " + c + "]", bits(loss));
                ce.sparseCategoricalCrossEntropy(p, Layout.rows(n, c), y, Layout.vector(n), 1e-7f, loss, Layout.vector(n));
                out.put("sparse categorical [" + n + ", " + c + "]", bits(loss));
            }
        }
        for (int[] shape : new int[][] {{100, 37}, {10, 300}, {1000, 20}, {5000, 3}}) {
            int c = shape[0];
            int hw = shape[1];
            SplittableRandom rnd = new SplittableRandom(7L * c + hw);
            float[] x = logits(rnd, c * hw);
            int[] y = labels(rnd, hw, c);
            float[] t = new float[c * hw];
            for (int k = 0; k < hw; k++) {
                t[y[k] * hw + k] = 1f;
            }
            Layout xl = Layout.of(0, 1, c * hw, c, hw, hw, 1);
            Layout pl = Layout.of(0, 1, hw, 1, 1, hw, 1);
            float[] loss = new float[hw];
            ce.sparseSoftmaxCrossEntropyWithLogits(x, xl, y, pl, loss, pl);
            out.put("sparse [1, " + c + ", " + hw + "]", bits(loss));
            ce.softmaxCrossEntropyWithLogits(x, xl, t, xl, loss, pl);
            out.put("dense [1, " + c + ", " + hw + "]", bits(loss));
            if (c <= 1000) {
                float[] p = probabilities(rnd, c * hw);
                ce.categoricalCrossEntropy(p, xl, t, xl, 1e-7f, loss, pl);
                out.put("categorical [1, " + c + ", " + hw + "]", bits(loss));
            }
        }
        // elementwise sigmoid and binary CE
        {
            SplittableRandom rnd = new SplittableRandom(5);
            int n = 1000;
            float[] x = logits(rnd, n);
            float[] z = binary(rnd, n);
            float[] p = probabilities(rnd, n);
            float[] loss = new float[n];
            ce.sigmoidCrossEntropyWithLogits(x, z, loss);
            out.put("sigmoid elementwise", bits(loss));
            ce.binaryCrossEntropy(p, Layout.rows(n, 1), z, Layout.rows(n, 1), 1e-7f, loss, Layout.vector(n));
            out.put("binary elementwise", bits(loss));
        }
        // 16-bit logits
        for (HalfFloat format : HalfFloat.values()) {
            SplittableRandom rnd = new SplittableRandom(format.ordinal());
            int n = 8;
            int c = 1000;
            float[] x = logits(rnd, n * c);
            short[] h = new short[x.length];
            for (int i = 0; i < x.length; i++) {
                h[i] = format.fromFloat(x[i]);
            }
            int[] y = labels(rnd, n, c);
            float[] loss = new float[n];
            ce.sparseSoftmaxCrossEntropyWithLogits(h, format, Layout.rows(n, c), y, Layout.vector(n), loss, Layout.vector(n));
            out.put("sparse " + format + " [" + n + ", " + c + "]", bits(loss));
        }
        // rows of extreme logits (ExtremeValuesTest's patterns: ±∞, NaN, gaps beyond the exp's range, ties) every third
        // row: the fallbacks of the one-pass tiles and rows, and the tiles' redo
        for (int c : new int[] {10, 100, 1000}) {
            SplittableRandom rnd = new SplittableRandom(11L * c);
            float[][] patterns = ExtremeValuesTest.logitRows(c, rnd);
            int n = 48;
            float[] x = logits(rnd, n * c);
            for (int r = 0; r < n; r += 3) {
                System.arraycopy(patterns[(r / 3) % patterns.length], 0, x, r * c, c);
            }
            int[] y = labels(rnd, n, c);
            float[] t = oneHotOrSoft(rnd, y, c);
            float[] loss = new float[n];
            ce.sparseSoftmaxCrossEntropyWithLogits(x, Layout.rows(n, c), y, Layout.vector(n), loss, Layout.vector(n));
            out.put("sparse extreme [" + n + ", " + c + "]", bits(loss));
            ce.softmaxCrossEntropyWithLogits(x, Layout.rows(n, c), t, Layout.rows(n, c), loss, Layout.vector(n));
            out.put("dense extreme [" + n + ", " + c + "]", bits(loss));
            ce.sigmoidCrossEntropyWithLogits(x, Layout.rows(n, c), t, Layout.rows(n, c), loss, Layout.vector(n));
            out.put("sigmoid mean extreme [" + n + ", " + c + "]", bits(loss));
        }
        // the parallel API on two threads: rows split, and the class range of two huge rows split
        {
            SplittableRandom rnd = new SplittableRandom(3);
            ParallelCrossEntropy parallel = ce.parallel(POOL, 2).withMinElements(1);
            int n = 256;
            int c = 100;
            float[] x = logits(rnd, n * c);
            int[] y = labels(rnd, n, c);
            float[] t = oneHotOrSoft(rnd, y, c);
            float[] loss = new float[n];
            parallel.sparseSoftmaxCrossEntropyWithLogits(x, Layout.rows(n, c), y, Layout.vector(n), loss, Layout.vector(n));
            out.put("parallel sparse [" + n + ", " + c + "]", bits(loss));
            parallel.softmaxCrossEntropyWithLogits(x, Layout.rows(n, c), t, Layout.rows(n, c), loss, Layout.vector(n));
            out.put("parallel dense [" + n + ", " + c + "]", bits(loss));
            int huge = 2 * ParallelCrossEntropy.CLASS_CHUNK + 7;
            float[] xh = logits(rnd, 2 * huge);
            int[] yh = labels(rnd, 2, huge);
            float[] lh = new float[2];
            parallel.sparseSoftmaxCrossEntropyWithLogits(xh, Layout.rows(2, huge), yh, Layout.vector(2), lh, Layout.vector(2));
            out.put("parallel sparse class split [2, " + huge + "]", bits(lh));
        }
        // the options path, and the building blocks
        for (int c : new int[] {100, 1000}) {
            SplittableRandom rnd = new SplittableRandom(c);
            int n = 20;
            float[] x = logits(rnd, n * c);
            int[] y = labels(rnd, n, c);
            y[3] = -100;
            float[] loss = new float[n];
            float[] grad = new float[n * c];
            LossOptions options = LossOptions.pytorch().labelSmoothing(0.1f).zLoss(1e-4f).reduction(Reduction.NONE).build();
            ce.sparseSoftmaxCrossEntropyWithLogits(x, Layout.rows(n, c), y, Layout.vector(n), null, null, options,
                    LossOutputs.losses(loss, Layout.vector(n)).withGradient(grad, Layout.rows(n, c)));
            out.put("sparse options [" + n + ", " + c + "]", bits(loss));
            out.put("sparse options gradient [" + n + ", " + c + "]", bits(grad));
            float[] lse = new float[n];
            ce.logSumExp(x, Layout.rows(n, c), lse, Layout.vector(n));
            out.put("logSumExp [" + n + ", " + c + "]", bits(lse));
            ce.logSoftmax(x, Layout.rows(n, c), grad, Layout.rows(n, c));
            out.put("logSoftmax [" + n + ", " + c + "]", bits(grad));
            ce.softmax(x, Layout.rows(n, c), grad, Layout.rows(n, c));
            out.put("softmax [" + n + ", " + c + "]", bits(grad));
        }
        return out;
    }

    static float[] logits(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * 4);
        }
        return x;
    }

    static int[] labels(SplittableRandom rnd, int n, int c) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(c);
        }
        return y;
    }

    /** Even rows one-hot at the label, odd rows soft labels summing to about 1. */
    static float[] oneHotOrSoft(SplittableRandom rnd, int[] y, int c) {
        float[] t = new float[y.length * c];
        for (int r = 0; r < y.length; r++) {
            if (r % 2 == 0) {
                t[r * c + y[r]] = 1f;
            } else {
                for (int j = 0; j < c; j++) {
                    t[r * c + j] = (float) (rnd.nextDouble() * 2 / c);
                }
            }
        }
        return t;
    }

    static float[] binary(SplittableRandom rnd, int n) {
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = i % 3 == 0 ? (float) rnd.nextDouble() : rnd.nextInt(2);
        }
        return z;
    }

    static float[] probabilities(SplittableRandom rnd, int n) {
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) rnd.nextDouble();
        }
        return p;
    }

    static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToIntBits(v[i]);
        }
        return b;
    }

    /** One line per case: the name, a tab, the bits in hex separated by spaces. */
    public static void main(String[] args) {
        CrossEntropy ce = CrossEntropy.of(Backend.VECTOR);
        long until = System.nanoTime() + (args.length > 0 ? Long.parseLong(args[0]) : 0) * 1_000_000L;
        while (System.nanoTime() < until) {
            compute(ce);
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, int[]> e : compute(ce).entrySet()) {
            sb.append(e.getKey()).append('\t');
            for (int b : e.getValue()) {
                sb.append(Integer.toHexString(b)).append(' ');
            }
            sb.append('\n');
        }
        System.out.print(sb);
    }
}
