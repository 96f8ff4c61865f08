package dev.xent.internal.scalar;

import dev.xent.Layout;
import dev.xent.internal.Kernels;

/**
 * The portable backend: plain Java loops over any layout, {@code float} inputs and outputs, {@link Math#exp}
 * and {@link Math#log} evaluated in double and sums accumulated in double. Same formulas as the vector
 * backend; used when {@code jdk.incubator.vector} is absent, and by the vector backend for layouts it
 * cannot vectorise (neither the class axis nor the inner axis contiguous).
 */
public class ScalarKernels implements Kernels {

    public static final ScalarKernels INSTANCE = new ScalarKernels();

    protected ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void softmaxCrossEntropy(float[] x, Layout xl, float[] t, Layout tl, float[] out, Layout ol) {
        int rows = xl.rows();
        for (int r = 0; r < rows; r++) {
            out[ol.rowIndex(r)] = softmaxRow(x, xl.rowIndex(r), xl.classStride(), xl.classes(), t, tl.rowIndex(r), tl.classStride());
        }
    }

    /** Dense-label softmax cross-entropy of one row of {@code classes} logits at {@code xb} with stride {@code xs}. */
    public static float softmaxRow(float[] x, int xb, int xs, int classes, float[] t, int tb, int ts) {
        float m = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            m = Math.max(m, x[xb + c * xs]);
        }
        double d = 0;
        double a = 0;
        double tsum = 0;
        for (int c = 0; c < classes; c++) {
            float xc = x[xb + c * xs];
            d += Math.exp(xc - m);
            float tc = t[tb + c * ts];
            if (tc != 0f) {
                a += (double) tc * (m - xc);
                tsum += tc;
            }
        }
        return (float) (a + Math.log(d) * tsum);
    }

    @Override
    public void sparseSoftmaxCrossEntropy(float[] x, Layout xl, int[] y, Layout yl, float[] out, Layout ol) {
        int rows = xl.rows();
        int xs = xl.classStride();
        int classes = xl.classes();
        for (int r = 0; r < rows; r++) {
            int xb = xl.rowIndex(r);
            float m = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                m = Math.max(m, x[xb + c * xs]);
            }
            double d = 0;
            for (int c = 0; c < classes; c++) {
                d += Math.exp(x[xb + c * xs] - m);
            }
            float xy = x[xb + y[yl.rowIndex(r)] * xs];
            out[ol.rowIndex(r)] = (float) ((m - xy) + Math.log(d));
        }
    }

    @Override
    public void sigmoidCrossEntropy(float[] x, Layout xl, float[] z, Layout zl, float[] out, Layout ol) {
        elementwise(false, x, xl, z, zl, 0f, out, ol);
    }

    @Override
    public void binaryCrossEntropy(float[] p, Layout pl, float[] z, Layout zl, float eps, float[] out, Layout ol) {
        elementwise(true, p, pl, z, zl, eps, out, ol);
    }

    private static void elementwise(boolean probabilities, float[] x, Layout xl, float[] z, Layout zl, float eps,
                                    float[] out, Layout ol) {
        int rows = xl.rows();
        int classes = xl.classes();
        int xs = xl.classStride();
        int zs = zl.classStride();
        boolean mean = ol.classes() != classes;
        for (int r = 0; r < rows; r++) {
            int xb = xl.rowIndex(r);
            int zb = zl.rowIndex(r);
            int ob = ol.rowIndex(r);
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                float xc = x[xb + c * xs];
                float zc = z[zb + c * zs];
                double l = probabilities ? binary(xc, zc, eps) : sigmoid(xc, zc);
                if (mean) {
                    sum += l;
                } else {
                    out[ob + c * ol.classStride()] = (float) l;
                }
            }
            if (mean) {
                out[ob] = (float) (sum / classes);
            }
        }
    }

    /** {@code max(x,0) − x·z + log1p(exp(−|x|))} in double. */
    public static double sigmoid(float x, float z) {
        return Math.max(x, 0f) - (double) x * z + Math.log1p(Math.exp(-Math.abs((double) x)));
    }

    /** {@code −(z·log p + (1−z)·log(1−p))} with p clipped to {@code [ε, 1−ε]} (in float, as Keras). */
    public static double binary(float p, float z, float eps) {
        float pc = Math.min(Math.max(p, eps), 1f - eps);
        return -(z * Math.log(pc) + (1.0 - z) * Math.log(1.0 - pc));
    }

    @Override
    public void categoricalCrossEntropy(float[] p, Layout pl, float[] t, Layout tl, float eps, float[] out, Layout ol) {
        int rows = pl.rows();
        int classes = pl.classes();
        int ps = pl.classStride();
        int ts = tl.classStride();
        float hi = 1f - eps;
        for (int r = 0; r < rows; r++) {
            int pb = pl.rowIndex(r);
            int tb = tl.rowIndex(r);
            float s = rowSum(p, pb, ps, classes);
            double loss = 0;
            for (int c = 0; c < classes; c++) {
                float q = Math.min(Math.max(p[pb + c * ps] / s, eps), hi);
                loss -= t[tb + c * ts] * Math.log(q);
            }
            out[ol.rowIndex(r)] = (float) loss;
        }
    }

    @Override
    public void sparseCategoricalCrossEntropy(float[] p, Layout pl, int[] y, Layout yl, float eps, float[] out, Layout ol) {
        int rows = pl.rows();
        int classes = pl.classes();
        int ps = pl.classStride();
        float hi = 1f - eps;
        for (int r = 0; r < rows; r++) {
            int pb = pl.rowIndex(r);
            float s = rowSum(p, pb, ps, classes);
            float q = Math.min(Math.max(p[pb + y[yl.rowIndex(r)] * ps] / s, eps), hi);
            out[ol.rowIndex(r)] = (float) -Math.log(q);
        }
    }

    private static float rowSum(float[] p, int pb, int ps, int classes) {
        double s = 0;
        for (int c = 0; c < classes; c++) {
            s += p[pb + c * ps];
        }
        return (float) s;
    }
}
