package dev.xent.jmh;

import dev.xent.Layout;
import java.util.SplittableRandom;

/** Realistic benchmark inputs: Gaussian logits (σ = 3), random labels, probabilities from a softmax or sigmoid of the logits. */
final class Data {

    static final double SIGMA = 3.0;

    private Data() {
    }

    static SplittableRandom random(int classes, String size, String layout) {
        return new SplittableRandom(0x5EEDL ^ (classes * 31L + size.hashCode()) * 31 + layout.hashCode());
    }

    static float[] logits(SplittableRandom rnd, Layout l) {
        float[] x = new float[(int) l.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) (rnd.nextGaussian() * SIGMA);
        }
        return x;
    }

    /** One class per row, uniform. */
    static int[] sparseLabels(SplittableRandom rnd, Layout l) {
        int[] y = new int[l.rows()];
        for (int r = 0; r < y.length; r++) {
            y[r] = rnd.nextInt(l.classes());
        }
        return y;
    }

    /** The class of each row's largest logit (the first of equal ones). */
    static int[] argmaxLabels(float[] x, Layout l) {
        int[] y = new int[l.rows()];
        for (int r = 0; r < y.length; r++) {
            int b = l.rowIndex(r);
            for (int c = 1; c < l.classes(); c++) {
                if (x[b + c * l.classStride()] > x[b + y[r] * l.classStride()]) {
                    y[r] = c;
                }
            }
        }
        return y;
    }

    /** One-hot rows of the given labels, in the logits layout. */
    static float[] oneHot(int[] y, Layout l) {
        float[] t = new float[(int) l.size()];
        for (int r = 0; r < y.length; r++) {
            t[l.rowIndex(r) + y[r] * l.classStride()] = 1f;
        }
        return t;
    }

    /** 0 or 1 per element. */
    static float[] binaryLabels(SplittableRandom rnd, Layout l) {
        float[] z = new float[(int) l.size()];
        for (int k = 0; k < z.length; k++) {
            z[k] = rnd.nextInt(2);
        }
        return z;
    }

    /** Softmax over the class axis (in double), as a model's output. */
    static float[] softmax(float[] x, Layout l) {
        float[] p = new float[x.length];
        int cs = l.classStride();
        for (int r = 0; r < l.rows(); r++) {
            int b = l.rowIndex(r);
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < l.classes(); c++) {
                m = Math.max(m, x[b + c * cs]);
            }
            double s = 0;
            for (int c = 0; c < l.classes(); c++) {
                s += Math.exp(x[b + c * cs] - m);
            }
            for (int c = 0; c < l.classes(); c++) {
                p[b + c * cs] = (float) (Math.exp(x[b + c * cs] - m) / s);
            }
        }
        return p;
    }

    /** Elementwise sigmoid (in double). */
    static float[] sigmoid(float[] x) {
        float[] p = new float[x.length];
        for (int k = 0; k < x.length; k++) {
            p[k] = (float) (1 / (1 + Math.exp(-x[k])));
        }
        return p;
    }
}
