package dev.xent.internal.reference;

import dev.xent.HalfFloat;
import dev.xent.Layout;
import dev.xent.internal.Kernels;
import dev.xent.internal.LossParams;

/**
 * The float64 reference every other backend is validated against: the same formulas as the kernels,
 * with every operation in double precision, inputs widened from float. Slow by design.
 *
 * <p>The {@code double[]} methods return losses in logical order: per row {@code r = n·inner + i} for the
 * row losses, and {@code (n, c, i)} row-major for elementwise losses. The {@link Kernels} methods round
 * the same values to float into a caller's layout (the {@code reference} backend of the CLI).
 */
public final class ReferenceKernels implements Kernels {

    public static final ReferenceKernels INSTANCE = new ReferenceKernels();

    private ReferenceKernels() {
    }

    @Override
    public String name() {
        return "reference";
    }

    /** {@code Σ_c t_c·((m − x_c) + log Σ exp(x_c − m))}; terms with {@code t_c = 0} contribute 0. */
    public static double softmaxRow(float[] x, int xb, int xs, int classes, float[] t, int tb, int ts) {
        double m = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            m = Math.max(m, x[xb + c * xs]);
        }
        // the elements equal to m are counted apart (k), and log Σ exp(x − m) = log k + log1p(rest / k): a confident
        // row's log(1 + tiny) keeps its relative precision, which a large label multiplies (t = 1e7 on the maximum of
        // 4097 classes, the others 30 below: log(1 + d) in double lost 1e-3 of the loss). NaN data, or an infinite m
        // (x − m is NaN for the maximum itself), make rest NaN
        double rest = 0;
        int k = 0;
        for (int c = 0; c < classes; c++) {
            double v = x[xb + c * xs] - m;
            if (v == 0) {
                k++;
            } else {
                rest += Math.exp(v);
            }
        }
        double logd = logCounted(k, rest);
        double loss = 0;
        for (int c = 0; c < classes; c++) {
            double tc = t[tb + c * ts];
            if (tc != 0) {
                loss += tc * ((m - x[xb + c * xs]) + logd);
            }
        }
        return classes == 0 ? Double.NaN : (Double.isNaN(logd) ? Double.NaN : loss);
    }

    /**
     * {@code (m − x_y) + log Σ exp(x_c − m)}, the log as {@code log1p((k − 1) + rest)} with the {@code k} elements
     * equal to {@code m} counted apart ({@link #sumExpLess}): a confident row (the label alone at the maximum) gets {@code log1p(rest)},
     * to its relative precision, where {@code log(1 + rest)} in double kept only about 1e-16 of it absolutely.
     */
    public static double sparseSoftmaxRow(float[] x, int xb, int xs, int classes, int y) {
        double m = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            m = Math.max(m, x[xb + c * xs]);
        }
        return (m - x[xb + y * xs]) + Math.log1p(sumExpLess(x, xb, xs, classes, m, 1));
    }

    /**
     * {@code log(k + rest)} as {@code log k + log1p(rest / k)}; {@code log rest} for {@code k = 0} (no classes: −∞;
     * NaN data or an infinite maximum, where {@code x − m} is NaN and so is {@code rest}: NaN).
     */
    public static double logCounted(int k, double rest) {
        return k == 0 ? Math.log(rest) : Math.log(k) + Math.log1p(rest / k);
    }

    /** {@code max(x,0) − x·z + log1p(exp(−|x|))}. */
    public static double sigmoid(double x, double z) {
        return Math.max(x, 0) - x * z + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /**
     * Keras' upper clip bound {@code 1 − ε}, formed as Keras forms it: in float32 ({@code 1. - epsilon_} with
     * {@code epsilon_} a float32 constant), so 0.99999988 (1 − 2⁻²³) for ε = 1e-7 and exactly 1 for ε below 2⁻²⁵.
     * The bound is part of the semantics, not a rounding to model away: with a label of 100 and a probability of
     * 1, {@code −100·log(1 − ε)} is 1.19e-5 in float32 Keras, 1.00e-5 with a double bound.
     */
    public static double hi(double eps) {
        return 1f - (float) eps;
    }

    /** {@code −(z·log p + (1−z)·log(1−p))}, p clipped to {@code [ε, 1−ε]} (so 1 − p to the same interval). */
    public static double binary(double p, double z, double eps) {
        double pc = Math.min(Math.max(p, eps), hi(eps));
        double qc = Math.min(Math.max(1 - p, eps), hi(eps));
        return -(z * Math.log(pc) + (1 - z) * Math.log(qc));
    }

    /** {@code −Σ t_c·log clip(p_c / Σp, ε, 1−ε)}. */
    public static double categoricalRow(float[] p, int pb, int ps, int classes, float[] t, int tb, int ts, double eps) {
        double s = 0;
        for (int c = 0; c < classes; c++) {
            s += p[pb + c * ps];
        }
        double loss = 0;
        for (int c = 0; c < classes; c++) {
            double q = Math.min(Math.max(p[pb + c * ps] / s, eps), hi(eps));
            loss -= t[tb + c * ts] * Math.log(q);
        }
        return loss;
    }

    /** {@code −log clip(p_y / Σp, ε, 1−ε)}. */
    public static double sparseCategoricalRow(float[] p, int pb, int ps, int classes, int y, double eps) {
        double s = 0;
        for (int c = 0; c < classes; c++) {
            s += p[pb + c * ps];
        }
        return -Math.log(Math.min(Math.max(p[pb + y * ps] / s, eps), hi(eps)));
    }

    // ---- double[] results in logical order -------------------------------------------------------------

    public static double[] softmaxCrossEntropy(float[] x, Layout xl, float[] t, Layout tl) {
        double[] out = new double[xl.rows()];
        for (int r = 0; r < out.length; r++) {
            out[r] = softmaxRow(x, xl.rowIndex(r), xl.classStride(), xl.classes(), t, tl.rowIndex(r), tl.classStride());
        }
        return out;
    }

    public static double[] sparseSoftmaxCrossEntropy(float[] x, Layout xl, int[] y, Layout yl) {
        double[] out = new double[xl.rows()];
        for (int r = 0; r < out.length; r++) {
            out[r] = sparseSoftmaxRow(x, xl.rowIndex(r), xl.classStride(), xl.classes(), y[yl.rowIndex(r)]);
        }
        return out;
    }

    /** Sparse softmax cross-entropy of 16-bit logits, widened exactly and computed in double. */
    public static double[] sparseSoftmaxCrossEntropy(short[] x, HalfFloat format, Layout xl, int[] y, Layout yl) {
        double[] out = new double[xl.rows()];
        for (int r = 0; r < out.length; r++) {
            int xb = xl.rowIndex(r);
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < xl.classes(); c++) {
                m = Math.max(m, format.toFloat(x[xb + c * xl.classStride()]));
            }
            double rest = 0;
            int k = 0;
            for (int c = 0; c < xl.classes(); c++) {
                double v = format.toFloat(x[xb + c * xl.classStride()]) - m;
                if (v == 0) {
                    k++;
                } else {
                    rest += Math.exp(v);
                }
            }
            out[r] = (m - format.toFloat(x[xb + y[yl.rowIndex(r)] * xl.classStride()])) + logCounted(k, rest);
        }
        return out;
    }

    /** Elementwise ({@code mean = false}, {@code (n, c, i)} order) or the mean over the class axis per row. */
    public static double[] sigmoidCrossEntropy(float[] x, Layout xl, float[] z, Layout zl, boolean mean) {
        return elementwise(false, x, xl, z, zl, 0, mean);
    }

    /** Elementwise ({@code mean = false}, {@code (n, c, i)} order) or the mean over the class axis per row. */
    public static double[] binaryCrossEntropy(float[] p, Layout pl, float[] z, Layout zl, double eps, boolean mean) {
        return elementwise(true, p, pl, z, zl, eps, mean);
    }

    public static double[] categoricalCrossEntropy(float[] p, Layout pl, float[] t, Layout tl, double eps) {
        double[] out = new double[pl.rows()];
        for (int r = 0; r < out.length; r++) {
            out[r] = categoricalRow(p, pl.rowIndex(r), pl.classStride(), pl.classes(), t, tl.rowIndex(r), tl.classStride(), eps);
        }
        return out;
    }

    public static double[] sparseCategoricalCrossEntropy(float[] p, Layout pl, int[] y, Layout yl, double eps) {
        double[] out = new double[pl.rows()];
        for (int r = 0; r < out.length; r++) {
            out[r] = sparseCategoricalRow(p, pl.rowIndex(r), pl.classStride(), pl.classes(), y[yl.rowIndex(r)], eps);
        }
        return out;
    }

    private static double[] elementwise(boolean probabilities, float[] x, Layout xl, float[] z, Layout zl,
                                        double eps, boolean mean) {
        int rows = xl.rows();
        int classes = xl.classes();
        int inner = xl.inner();
        double[] out = new double[mean ? rows : Math.toIntExact(xl.size())];
        for (int r = 0; r < rows; r++) {
            int xb = xl.rowIndex(r);
            int zb = zl.rowIndex(r);
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                double xc = x[xb + c * xl.classStride()];
                double zc = z[zb + c * zl.classStride()];
                double l = probabilities ? binary(xc, zc, eps) : sigmoid(xc, zc);
                if (mean) {
                    sum += l;
                } else {
                    int n = r / inner;
                    int i = r - n * inner;
                    out[(n * classes + c) * inner + i] = l;
                }
            }
            if (mean) {
                out[r] = sum / classes;
            }
        }
        return out;
    }

    // ---- Kernels: the same values rounded to float into the caller's layout ----------------------------

    @Override
    public void softmaxCrossEntropy(float[] x, Layout xl, float[] t, Layout tl, float[] out, Layout ol) {
        writeRows(softmaxCrossEntropy(x, xl, t, tl), out, ol);
    }

    @Override
    public void sparseSoftmaxCrossEntropy(float[] x, Layout xl, int[] y, Layout yl, float[] out, Layout ol) {
        writeRows(sparseSoftmaxCrossEntropy(x, xl, y, yl), out, ol);
    }

    @Override
    public void sparseSoftmaxCrossEntropy(short[] x, HalfFloat format, Layout xl, int[] y, Layout yl, float[] out, Layout ol) {
        writeRows(sparseSoftmaxCrossEntropy(x, format, xl, y, yl), out, ol);
    }

    @Override
    public void sigmoidCrossEntropy(float[] x, Layout xl, float[] z, Layout zl, float[] out, Layout ol) {
        boolean mean = ol.classes() != xl.classes();
        write(sigmoidCrossEntropy(x, xl, z, zl, mean), mean, out, ol);
    }

    @Override
    public void binaryCrossEntropy(float[] p, Layout pl, float[] z, Layout zl, float eps, float[] out, Layout ol) {
        boolean mean = ol.classes() != pl.classes();
        write(binaryCrossEntropy(p, pl, z, zl, eps, mean), mean, out, ol);
    }

    @Override
    public void categoricalCrossEntropy(float[] p, Layout pl, float[] t, Layout tl, float eps, float[] out, Layout ol) {
        writeRows(categoricalCrossEntropy(p, pl, t, tl, eps), out, ol);
    }

    @Override
    public void sparseCategoricalCrossEntropy(float[] p, Layout pl, int[] y, Layout yl, float eps, float[] out, Layout ol) {
        writeRows(sparseCategoricalCrossEntropy(p, pl, y, yl, eps), out, ol);
    }

    @Override
    public float max(float[] x, int offset, int length) {
        float m = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < length; k++) {
            m = Math.max(m, x[offset + k]);
        }
        return m;
    }

    @Override
    public double sumExp(float[] x, int offset, int length, float m, int less) {
        return sumExpLess(x, offset, 1, length, m, less);
    }

    /** {@code (count − less) + rest} over a strided row, the elements equal to {@code m} counted apart (see {@link #sparseSoftmaxRow}). */
    static double sumExpLess(float[] x, int xb, int xs, int classes, double m, int less) {
        double rest = 0;
        int count = 0;
        for (int c = 0; c < classes; c++) {
            double v = x[xb + c * xs] - m;
            if (v == 0) {
                count++;
            } else {
                rest += Math.exp(v);
            }
        }
        return (count - less) + rest;
    }

    // ---- losses with options (ReferenceOptions), rounded to float into the caller's layouts --------------

    @Override
    public double softmaxCrossEntropy(float[] x, Layout xl, float[] t, Layout tl, LossParams p, float[] sw, Layout swl,
                                      double gradScale, float[] losses, Layout ol, float[] lse, Layout lsel, float[] grad, Layout gl) {
        return softmaxFamily(x, xl, t, tl, null, null, p, sw, swl, gradScale, losses, ol, lse, lsel, grad, gl);
    }

    @Override
    public double sparseSoftmaxCrossEntropy(float[] x, Layout xl, int[] y, Layout yl, LossParams p, float[] sw, Layout swl,
                                            double gradScale, float[] losses, Layout ol, float[] lse, Layout lsel, float[] grad, Layout gl) {
        return softmaxFamily(x, xl, null, null, y, yl, p, sw, swl, gradScale, losses, ol, lse, lsel, grad, gl);
    }

    private static double softmaxFamily(float[] x, Layout xl, float[] t, Layout tl, int[] y, Layout yl, LossParams p,
                                        float[] sw, Layout swl, double gradScale, float[] losses, Layout ol,
                                        float[] lse, Layout lsel, float[] grad, Layout gl) {
        double[] g = grad == null ? null : new double[Math.toIntExact(xl.size())];
        double[] l = lse == null ? null : new double[xl.rows()];
        double[] v = ReferenceOptions.softmax(x, xl, t, tl, y, yl, p, g, l);
        if (lse != null) {
            writeRows(l, lse, lsel);
        }
        return finishRows(v, xl, sw, swl, gradScale, losses, ol, g, grad, gl);
    }

    @Override
    public double sigmoidCrossEntropy(float[] x, Layout xl, float[] z, Layout zl, LossParams p, float[] sw, Layout swl,
                                      double gradScale, float[] losses, Layout ol, float[] grad, Layout gl) {
        return elementwiseFamily(false, x, xl, z, zl, p, sw, swl, gradScale, losses, ol, grad, gl);
    }

    @Override
    public double binaryCrossEntropy(float[] prob, Layout pl, float[] z, Layout zl, LossParams p, float[] sw, Layout swl,
                                     double gradScale, float[] losses, Layout ol, float[] grad, Layout gl) {
        return elementwiseFamily(true, prob, pl, z, zl, p, sw, swl, gradScale, losses, ol, grad, gl);
    }

    private static double elementwiseFamily(boolean probabilities, float[] x, Layout xl, float[] z, Layout zl, LossParams p,
                                            float[] sw, Layout swl, double gradScale, float[] losses, Layout ol,
                                            float[] grad, Layout gl) {
        double[] g = grad == null ? null : new double[Math.toIntExact(xl.size())];
        double[] v = ReferenceOptions.elementwise(probabilities, x, xl, z, zl, p, g);
        if (losses != null) {
            boolean mean = ol.classes() != xl.classes();
            write(mean ? ReferenceOptions.rowMeans(v, xl) : v, mean, losses, ol);
        }
        double sum = 0;
        for (int r = 0; r < xl.rows(); r++) {
            double s = sw == null ? 1 : sw[swl.rowIndex(r)];
            for (int c = 0; c < xl.classes(); c++) {
                sum += s * v[ReferenceOptions.logical(xl, r, c)];
            }
        }
        writeGradient(g, xl, sw, swl, gradScale, grad, gl);
        return sum;
    }

    @Override
    public double categoricalCrossEntropy(float[] prob, Layout pl, float[] t, Layout tl, LossParams p, float[] sw, Layout swl,
                                          double gradScale, float[] losses, Layout ol, float[] grad, Layout gl) {
        double[] g = grad == null ? null : new double[Math.toIntExact(pl.size())];
        double[] v = ReferenceOptions.categorical(prob, pl, t, tl, null, null, p, g);
        return finishRows(v, pl, sw, swl, gradScale, losses, ol, g, grad, gl);
    }

    @Override
    public double sparseCategoricalCrossEntropy(float[] prob, Layout pl, int[] y, Layout yl, LossParams p, float[] sw, Layout swl,
                                                double gradScale, float[] losses, Layout ol, float[] grad, Layout gl) {
        double[] g = grad == null ? null : new double[Math.toIntExact(pl.size())];
        double[] v = ReferenceOptions.categorical(prob, pl, null, null, y, yl, p, g);
        return finishRows(v, pl, sw, swl, gradScale, losses, ol, g, grad, gl);
    }

    private static double finishRows(double[] v, Layout xl, float[] sw, Layout swl, double gradScale, float[] losses, Layout ol,
                                     double[] g, float[] grad, Layout gl) {
        if (losses != null) {
            writeRows(v, losses, ol);
        }
        double sum = 0;
        for (int r = 0; r < v.length; r++) {
            sum += (sw == null ? 1 : sw[swl.rowIndex(r)]) * v[r];
        }
        writeGradient(g, xl, sw, swl, gradScale, grad, gl);
        return sum;
    }

    private static void writeGradient(double[] g, Layout xl, float[] sw, Layout swl, double gradScale, float[] grad, Layout gl) {
        if (grad == null) {
            return;
        }
        for (int r = 0; r < xl.rows(); r++) {
            double s = sw == null ? 1 : sw[swl.rowIndex(r)];
            for (int c = 0; c < xl.classes(); c++) {
                grad[gl.rowIndex(r) + c * gl.classStride()] = (float) (gradScale * s * g[ReferenceOptions.logical(xl, r, c)]);
            }
        }
    }

    @Override
    public void logSumExp(float[] x, Layout xl, float softcap, float[] out, Layout ol) {
        writeRows(ReferenceOptions.normalize(0, x, xl, softcap), out, ol);
    }

    @Override
    public void logSoftmax(float[] x, Layout xl, float softcap, float[] out, Layout ol) {
        write(ReferenceOptions.normalize(1, x, xl, softcap), false, out, ol);
    }

    @Override
    public void softmax(float[] x, Layout xl, float softcap, float[] out, Layout ol) {
        write(ReferenceOptions.normalize(2, x, xl, softcap), false, out, ol);
    }

    @Override
    public int argmax(float[] x, Layout xl, int[] out, Layout ol, int[] labels, Layout yl, boolean hasIgnore, int ignoreIndex) {
        int[] a = ReferenceOptions.argmax(x, xl);
        int correct = 0;
        for (int r = 0; r < a.length; r++) {
            if (out != null) {
                out[ol.rowIndex(r)] = a[r];
            }
            if (labels != null) {
                int y = labels[yl.rowIndex(r)];
                if (!(hasIgnore && y == ignoreIndex) && y == a[r]) {
                    correct++;
                }
            }
        }
        return correct;
    }

    @Override
    public int argmaxMatches(float[] x, Layout xl, float[] t, Layout tl) {
        int[] a = ReferenceOptions.argmax(x, xl);
        int[] b = ReferenceOptions.argmax(t, tl);
        int correct = 0;
        for (int r = 0; r < a.length; r++) {
            if (a[r] == b[r]) {
                correct++;
            }
        }
        return correct;
    }

    private static void writeRows(double[] values, float[] out, Layout ol) {
        for (int r = 0; r < values.length; r++) {
            out[ol.rowIndex(r)] = (float) values[r];
        }
    }

    private static void write(double[] values, boolean mean, float[] out, Layout ol) {
        if (mean) {
            writeRows(values, out, ol);
            return;
        }
        int k = 0;
        for (int n = 0; n < ol.outer(); n++) {
            for (int c = 0; c < ol.classes(); c++) {
                for (int i = 0; i < ol.inner(); i++) {
                    out[ol.index(n, c, i)] = (float) values[k++];
                }
            }
        }
    }
}
