package dev.xent.internal.scalar;

import dev.xent.HalfFloat;
import dev.xent.Layout;
import dev.xent.internal.Kernels;
import dev.xent.internal.LossParams;

/**
 * The portable backend: plain Java loops over any layout, {@code float} inputs and outputs, {@link Math#exp}
 * and {@link Math#log} evaluated in double and sums accumulated in double. Same formulas as the vector
 * backend; used when {@code jdk.incubator.vector} is absent, and by the vector backend for rows and layouts
 * it does not vectorise. The per-row functions are public so the vector backend can finish single rows.
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
        for (int r = 0, rows = xl.rows(); r < rows; r++) {
            out[ol.rowIndex(r)] = softmaxRow(x, xl.rowIndex(r), xl.classStride(), xl.classes(), t, tl.rowIndex(r), tl.classStride());
        }
    }

    @Override
    public void sparseSoftmaxCrossEntropy(float[] x, Layout xl, int[] y, Layout yl, float[] out, Layout ol) {
        for (int r = 0, rows = xl.rows(); r < rows; r++) {
            out[ol.rowIndex(r)] = sparseSoftmaxRow(x, xl.rowIndex(r), xl.classStride(), xl.classes(), y[yl.rowIndex(r)]);
        }
    }

    @Override
    public void sparseSoftmaxCrossEntropy(short[] x, HalfFloat format, Layout xl, int[] y, Layout yl, float[] out, Layout ol) {
        int xs = xl.classStride();
        int classes = xl.classes();
        for (int r = 0, rows = xl.rows(); r < rows; r++) {
            int xb = xl.rowIndex(r);
            float m = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                m = Math.max(m, format.toFloat(x[xb + c * xs]));
            }
            double rest = 0;
            int k = 0;
            for (int c = 0; c < classes; c++) {
                double v = (double) format.toFloat(x[xb + c * xs]) - m;
                if (v == 0) {
                    k++;
                } else {
                    rest += Math.exp(v);
                }
            }
            out[ol.rowIndex(r)] = (float) ((m - format.toFloat(x[xb + y[yl.rowIndex(r)] * xs])) + logCounted(k, rest));
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

    @Override
    public void categoricalCrossEntropy(float[] p, Layout pl, float[] t, Layout tl, float eps, float[] out, Layout ol) {
        for (int r = 0, rows = pl.rows(); r < rows; r++) {
            out[ol.rowIndex(r)] = categoricalRow(p, pl.rowIndex(r), pl.classStride(), pl.classes(), t, tl.rowIndex(r), tl.classStride(), eps);
        }
    }

    @Override
    public void sparseCategoricalCrossEntropy(float[] p, Layout pl, int[] y, Layout yl, float eps, float[] out, Layout ol) {
        for (int r = 0, rows = pl.rows(); r < rows; r++) {
            out[ol.rowIndex(r)] = sparseCategoricalRow(p, pl.rowIndex(r), pl.classStride(), pl.classes(), y[yl.rowIndex(r)], eps);
        }
    }

    @Override
    public float max(float[] x, int offset, int length) {
        return max(x, offset, 1, length);
    }

    @Override
    public double sumExp(float[] x, int offset, int length, float m, int less) {
        return sumExpLess(x, offset, 1, length, m, less);
    }

    /**
     * {@code Σ_c exp(x_c − m) − less} along a strided row, in double, the {@code count} elements equal to {@code m}
     * counted apart: {@code (count − less) + rest}, so that with {@code less = 1} a confident row's {@code rest}
     * keeps its relative precision.
     */
    static double sumExpLess(float[] x, int xb, int xs, int classes, float m, int less) {
        double rest = 0;
        int count = 0;
        for (int c = 0; c < classes; c++) {
            double v = (double) x[xb + c * xs] - m;
            if (v == 0) {
                count++;
            } else {
                rest += Math.exp(v);
            }
        }
        return (count - less) + rest;
    }

    private static void elementwise(boolean probabilities, float[] x, Layout xl, float[] z, Layout zl, float eps,
                                    float[] out, Layout ol) {
        int classes = xl.classes();
        boolean mean = ol.classes() != classes;
        for (int r = 0, rows = xl.rows(); r < rows; r++) {
            int xb = xl.rowIndex(r);
            int zb = zl.rowIndex(r);
            int ob = ol.rowIndex(r);
            if (mean) {
                out[ob] = meanRow(probabilities, x, xb, xl.classStride(), z, zb, zl.classStride(), eps, classes);
            } else {
                for (int c = 0; c < classes; c++) {
                    float xc = x[xb + c * xl.classStride()];
                    float zc = z[zb + c * zl.classStride()];
                    out[ob + c * ol.classStride()] = (float) (probabilities ? binary(xc, zc, eps) : sigmoid(xc, zc));
                }
            }
        }
    }

    // ---- losses with options, fused gradients, building blocks (loops in OptionRows) -------------------------

    @Override
    public double softmaxCrossEntropy(float[] x, Layout xl, float[] t, Layout tl, LossParams p, float[] sw, Layout swl,
                                      double gradScale, float[] losses, Layout ol, float[] lse, Layout lsel, float[] grad, Layout gl) {
        return OptionRows.softmax(x, xl, t, tl, null, null, p, sw, swl, gradScale, losses, ol, lse, lsel, grad, gl);
    }

    @Override
    public double sparseSoftmaxCrossEntropy(float[] x, Layout xl, int[] y, Layout yl, LossParams p, float[] sw, Layout swl,
                                            double gradScale, float[] losses, Layout ol, float[] lse, Layout lsel, float[] grad, Layout gl) {
        return OptionRows.softmax(x, xl, null, null, y, yl, p, sw, swl, gradScale, losses, ol, lse, lsel, grad, gl);
    }

    @Override
    public double sigmoidCrossEntropy(float[] x, Layout xl, float[] z, Layout zl, LossParams p, float[] sw, Layout swl,
                                      double gradScale, float[] losses, Layout ol, float[] grad, Layout gl) {
        return OptionRows.elementwise(false, x, xl, z, zl, p, sw, swl, gradScale, losses, ol, grad, gl);
    }

    @Override
    public double binaryCrossEntropy(float[] prob, Layout pl, float[] z, Layout zl, LossParams p, float[] sw, Layout swl,
                                     double gradScale, float[] losses, Layout ol, float[] grad, Layout gl) {
        return OptionRows.elementwise(true, prob, pl, z, zl, p, sw, swl, gradScale, losses, ol, grad, gl);
    }

    @Override
    public double categoricalCrossEntropy(float[] prob, Layout pl, float[] t, Layout tl, LossParams p, float[] sw, Layout swl,
                                          double gradScale, float[] losses, Layout ol, float[] grad, Layout gl) {
        return OptionRows.categorical(prob, pl, t, tl, null, null, p, sw, swl, gradScale, losses, ol, grad, gl);
    }

    @Override
    public double sparseCategoricalCrossEntropy(float[] prob, Layout pl, int[] y, Layout yl, LossParams p, float[] sw, Layout swl,
                                                double gradScale, float[] losses, Layout ol, float[] grad, Layout gl) {
        return OptionRows.categorical(prob, pl, null, null, y, yl, p, sw, swl, gradScale, losses, ol, grad, gl);
    }

    @Override
    public void logSumExp(float[] x, Layout xl, float softcap, float[] out, Layout ol) {
        OptionRows.normalize(0, x, xl, softcap, out, ol);
    }

    @Override
    public void logSoftmax(float[] x, Layout xl, float softcap, float[] out, Layout ol) {
        OptionRows.normalize(1, x, xl, softcap, out, ol);
    }

    @Override
    public void softmax(float[] x, Layout xl, float softcap, float[] out, Layout ol) {
        OptionRows.normalize(2, x, xl, softcap, out, ol);
    }

    @Override
    public int argmax(float[] x, Layout xl, int[] out, Layout ol, int[] labels, Layout yl, boolean hasIgnore, int ignoreIndex) {
        return OptionRows.argmax(x, xl, out, ol, labels, yl, hasIgnore, ignoreIndex);
    }

    @Override
    public int argmaxMatches(float[] x, Layout xl, float[] t, Layout tl) {
        return OptionRows.argmaxMatches(x, xl, t, tl);
    }

    // ---- one row -------------------------------------------------------------------------------------------

    /** Dense-label softmax cross-entropy of one row: {@code Σ_c t_c·(m − x_c) + log Σ exp(x − m) · Σ_c t_c}, zero-label terms skipped. */
    public static float softmaxRow(float[] x, int xb, int xs, int classes, float[] t, int tb, int ts) {
        float m = max(x, xb, xs, classes);
        // the elements equal to m counted apart, log Σ exp(x − m) = log k + log1p(rest / k), as the reference: a
        // large label multiplies a confident row's log(1 + tiny)
        double rest = 0;
        int k = 0;
        double a = 0;
        double tsum = 0;
        for (int c = 0; c < classes; c++) {
            float xc = x[xb + c * xs];
            double v = (double) xc - m;
            if (v == 0) {
                k++;
            } else {
                rest += Math.exp(v);
            }
            float tc = t[tb + c * ts];
            if (tc != 0f) {
                a += (double) tc * ((double) m - xc);
                tsum += tc;
            }
        }
        double logd = logCounted(k, rest);
        double r = a + logd * tsum;
        if (Double.isNaN(r)) {
            // NaN data, or an infinite label at the maximum (inf·(m − x) = inf·0): the per-class form has no such
            // product, and gives NaN again for NaN data
            r = 0;
            for (int c = 0; c < classes; c++) {
                float tc = t[tb + c * ts];
                if (tc != 0f) {
                    r += tc * (((double) m - x[xb + c * xs]) + logd);
                }
            }
            r = Double.isNaN(logd) || classes == 0 ? Double.NaN : r; // a NaN logit makes the row NaN, whatever the labels
        }
        return (float) r;
    }

    /**
     * Sparse softmax cross-entropy of one row: {@code (m − x_y) + log Σ exp(x − m)}, the log as
     * {@code log1p((k − 1) + rest)} with the elements equal to {@code m} counted apart ({@link #sumExpLess}), so that a confident row's loss {@code log1p(rest)} keeps its relative
     * precision.
     */
    public static float sparseSoftmaxRow(float[] x, int xb, int xs, int classes, int y) {
        float m = max(x, xb, xs, classes);
        return (float) ((m - x[xb + y * xs]) + Math.log1p(sumExpLess(x, xb, xs, classes, m, 1)));
    }

    /**
     * {@code log(k + rest)} as {@code log k + log1p(rest / k)}, {@code k} the elements equal to the row's maximum;
     * {@code log rest} for {@code k = 0} (no classes: −∞; NaN data or an infinite maximum: NaN).
     */
    public static double logCounted(int k, double rest) {
        return k == 0 ? Math.log(rest) : Math.log(k) + Math.log1p(rest / k);
    }

    /** Mean over the classes of the sigmoid ({@code probabilities = false}) or binary cross-entropy of one row. */
    public static float meanRow(boolean probabilities, float[] x, int xb, int xs, float[] z, int zb, int zs, float eps, int classes) {
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            float xc = x[xb + c * xs];
            float zc = z[zb + c * zs];
            sum += probabilities ? binary(xc, zc, eps) : sigmoid(xc, zc);
        }
        return (float) (sum / classes);
    }

    /** {@code max(x,0) − x·z + log1p(exp(−|x|))} in double. */
    public static double sigmoid(float x, float z) {
        return Math.max(x, 0f) - (double) x * z + Math.log1p(Math.exp(-Math.abs((double) x)));
    }

    /**
     * {@code −(z·log p + (1−z)·log(1−p))} with p clipped to {@code [ε, 1−ε]}. The complement is clipped on its own,
     * {@code clip(1 − p, ε, 1−ε)} (the same number in exact arithmetic), because {@code 1 − (1 − ε)} in float is not
     * ε: {@code p = 1, z = 0} gives {@code −log ε} exactly as {@code p = 0, z = 1} does.
     */
    public static double binary(float p, float z, float eps) {
        float hi = 1f - eps;
        float pc = Math.min(Math.max(p, eps), hi);
        double qc = Math.min(Math.max(1.0 - p, eps), hi); // exact: 1f − p rounds, which labels far outside [0, 1] amplify
        return -(z * Math.log(pc) + (1.0 - z) * Math.log(qc));
    }

    /**
     * Keras categorical cross-entropy of one row: {@code −Σ t_c·log clip(p_c / Σp, ε, 1−ε)}, the sum and the quotients
     * in double (Keras forms both in float32: its sum overflows for rows of finite probabilities beyond
     * {@code Float.MAX_VALUE}, where it divides by +inf and returns {@code −Σ t·log ε}, and the rounding of
     * {@code p/Σp} is amplified by labels far outside [0, 1]).
     */
    public static float categoricalRow(float[] p, int pb, int ps, int classes, float[] t, int tb, int ts, float eps) {
        double s = sum(p, pb, ps, classes);
        float hi = 1f - eps;
        double loss = 0;
        for (int c = 0; c < classes; c++) {
            double q = Math.min(Math.max(p[pb + c * ps] / s, eps), hi);
            loss -= t[tb + c * ts] * Math.log(q);
        }
        return (float) loss;
    }

    /** Keras sparse categorical cross-entropy of one row: {@code −log clip(p_y / Σp, ε, 1−ε)}, in double as {@link #categoricalRow}. */
    public static float sparseCategoricalRow(float[] p, int pb, int ps, int classes, int y, float eps) {
        double q = Math.min(Math.max(p[pb + y * ps] / sum(p, pb, ps, classes), eps), 1f - eps);
        return (float) -Math.log(q);
    }

    private static float max(float[] x, int xb, int xs, int classes) {
        float m = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            m = Math.max(m, x[xb + c * xs]);
        }
        return m;
    }

    private static double sum(float[] p, int pb, int ps, int classes) {
        double s = 0;
        for (int c = 0; c < classes; c++) {
            s += p[pb + c * ps];
        }
        return s;
    }
}
