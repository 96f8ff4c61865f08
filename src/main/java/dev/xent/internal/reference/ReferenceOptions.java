package dev.xent.internal.reference;

import static dev.xent.internal.reference.ReferenceKernels.hi;

import dev.xent.Layout;
import dev.xent.internal.LossParams;

/**
 * The float64 reference of the losses with options, their gradients and the serving building blocks: every
 * operation in double, inputs widened from float, results in logical order (per row {@code r = n·inner + i};
 * per element {@code (n, c, i)} row-major). Gradients are {@code ∂l/∂x} of each row's (or element's) own loss,
 * unscaled (no sample weight, no reduction factor). Slow and allocating by design.
 */
public final class ReferenceOptions {
    private ReferenceOptions() {
    }

    static double cap(double x, double cap) {
        return cap == 0 ? x : cap * Math.tanh(x / cap);
    }

    static double capSlope(double x, double cap) {
        if (cap == 0) {
            return 1;
        }
        double th = Math.tanh(x / cap);
        return 1 - th * th;
    }

    static int logical(Layout l, int r, int c) {
        int n = r / l.inner();
        int i = r - n * l.inner();
        return (n * l.classes() + c) * l.inner() + i;
    }

    /** T_c of a softmax-family row (see {@link LossParams}). */
    static double target(LossParams p, int classes, float[] t, int tb, int ts, int y, int c) {
        double ls = p.labelSmoothing;
        double w = p.classWeights == null ? 1 : p.classWeights[c];
        if (t != null) {
            return w * (t[tb + c * ts] * (1 - ls) + ls / classes);
        }
        double wy = p.classWeights == null ? 1 : p.classWeights[y];
        return w * ls / classes + (c == y ? (1 - ls) * wy : 0);
    }

    /**
     * Softmax family from logits (dense {@code t} or sparse {@code y}): per-row losses; fills {@code grad}
     * (logical order, may be null) and {@code lse} (per row, may be null). Ignored rows: loss 0, gradient 0.
     */
    public static double[] softmax(float[] x, Layout xl, float[] t, Layout tl, int[] y, Layout yl, LossParams p,
                                   double[] grad, double[] lse) {
        int rows = xl.rows();
        int classes = xl.classes();
        double[] out = new double[rows];
        double[] xc = new double[classes];
        for (int r = 0; r < rows; r++) {
            int xb = xl.rowIndex(r);
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                xc[c] = cap(x[xb + c * xl.classStride()], p.softcap);
                m = Math.max(m, xc[c]);
            }
            double rest = 0;
            int k = 0;
            for (int c = 0; c < classes; c++) {
                double v = xc[c] - m;
                if (v == 0) {
                    k++;
                } else {
                    rest += Math.exp(v);
                }
            }
            double d = k + rest;
            double logd = ReferenceKernels.logCounted(k, rest);
            double l = m + logd;
            if (Double.isNaN(m)) {
                l = Double.NaN;
            }
            if (lse != null) {
                lse[r] = l;
            }
            int label = y == null ? -1 : y[yl.rowIndex(r)];
            if (y != null && p.ignored(label)) {
                continue;   // loss 0, gradient 0
            }
            int tb = t == null ? 0 : tl.rowIndex(r);
            int ts = t == null ? 0 : tl.classStride();
            double loss = 0;
            double tsum = 0;
            for (int c = 0; c < classes; c++) {
                double tc = target(p, classes, t, tb, ts, label, c);
                if (tc != 0) {
                    loss += tc * ((m - xc[c]) + logd);
                    tsum += tc;
                }
            }
            if (Double.isNaN(logd) || Double.isNaN(l)) {
                loss = Double.NaN;
            }
            loss += p.zLoss * l * l;
            out[r] = loss;
            if (grad != null) {
                double coef = tsum + 2 * p.zLoss * l;
                for (int c = 0; c < classes; c++) {
                    double sm = Math.exp(xc[c] - m) / d;
                    double tc = target(p, classes, t, tb, ts, label, c);
                    grad[logical(xl, r, c)] = (sm * coef - tc) * capSlope(x[xb + c * xl.classStride()], p.softcap);
                }
            }
        }
        return out;
    }

    static double sigmoidLoss(double x, double z, double q) {
        // −[q·z·log σ(x) + (1−z)·log(1−σ(x))] with log σ(x) = −softplus(−x), log(1−σ(x)) = −softplus(x)
        return q * z * softplus(-x) + (1 - z) * softplus(x);
    }

    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    static double sigma(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    static double binaryLoss(double prob, double z, double q, LossParams p) {
        double l1;
        double l0;
        if (p.logClamp) {
            l1 = Math.max(Math.log(prob), -100);
            l0 = Math.max(Math.log1p(-prob), -100);
        } else {
            double eps = p.epsilon;
            l1 = Math.log(Math.min(Math.max(prob, eps), hi(eps)));
            l0 = Math.log(Math.min(Math.max(1 - prob, eps), hi(eps)));
        }
        return -(q * z * l1 + (1 - z) * l0) + 0.0;
    }

    static double binaryGrad(double prob, double z, double q, LossParams p) {
        if (Double.isNaN(prob)) {
            return Double.NaN;
        }
        double g1;
        double g0;
        if (p.logClamp) {
            g1 = Math.log(prob) >= -100 ? 1 / prob : 0;
            g0 = Math.log1p(-prob) >= -100 ? -1 / (1 - prob) : 0;
        } else {
            double eps = p.epsilon;
            g1 = prob >= eps && prob <= hi(eps) ? 1 / prob : 0;
            g0 = 1 - prob >= eps && 1 - prob <= hi(eps) ? -1 / (1 - prob) : 0;
        }
        return -(q * z * g1 + (1 - z) * g0);
    }

    /** Sigmoid ({@code probabilities = false}) or binary losses per element, logical order; fills {@code grad}. */
    public static double[] elementwise(boolean probabilities, float[] x, Layout xl, float[] z, Layout zl, LossParams p,
                                       double[] grad) {
        int rows = xl.rows();
        int classes = xl.classes();
        double[] out = new double[Math.toIntExact(xl.size())];
        double ls = p.labelSmoothing;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < classes; c++) {
                double raw = x[xl.rowIndex(r) + c * xl.classStride()];
                double zc = z[zl.rowIndex(r) + c * zl.classStride()] * (1 - ls) + 0.5 * ls;
                double w = p.classWeights == null ? 1 : p.classWeights[c];
                double q = p.posWeights == null ? p.posWeight : p.posWeights[c];
                int k = logical(xl, r, c);
                if (probabilities) {
                    out[k] = w * binaryLoss(raw, zc, q, p);
                    if (grad != null) {
                        grad[k] = w * binaryGrad(raw, zc, q, p);
                    }
                } else {
                    double xc = cap(raw, p.softcap);
                    out[k] = w * sigmoidLoss(xc, zc, q);
                    if (grad != null) {
                        grad[k] = w * (sigma(xc) - zc - (q - 1) * zc * sigma(-xc)) * capSlope(raw, p.softcap);
                    }
                }
            }
        }
        return out;
    }

    /** Per-row means over the class axis of {@link #elementwise} values. */
    public static double[] rowMeans(double[] elements, Layout xl) {
        double[] out = new double[xl.rows()];
        for (int r = 0; r < out.length; r++) {
            double s = 0;
            for (int c = 0; c < xl.classes(); c++) {
                s += elements[logical(xl, r, c)];
            }
            out[r] = s / xl.classes();
        }
        return out;
    }

    /** Categorical from probabilities (dense {@code t} or sparse {@code y}); fills {@code grad} (w.r.t. the probabilities). */
    public static double[] categorical(float[] pr, Layout pl, float[] t, Layout tl, int[] y, Layout yl, LossParams p,
                                       double[] grad) {
        int rows = pl.rows();
        int classes = pl.classes();
        double[] out = new double[rows];
        double eps = p.epsilon;
        for (int r = 0; r < rows; r++) {
            int label = y == null ? -1 : y[yl.rowIndex(r)];
            if (y != null && p.ignored(label)) {
                continue;
            }
            int pb = pl.rowIndex(r);
            double s = 0;
            for (int c = 0; c < classes; c++) {
                s += pr[pb + c * pl.classStride()];
            }
            int tb = t == null ? 0 : tl.rowIndex(r);
            int ts = t == null ? 0 : tl.classStride();
            double loss = 0;
            double tu = 0;
            double[] own = new double[classes];
            for (int c = 0; c < classes; c++) {
                double tc = target(p, classes, t, tb, ts, label, c);
                if (tc == 0) {
                    continue;
                }
                double q = pr[pb + c * pl.classStride()] / s;
                double lc;
                boolean u;
                if (p.logClamp) {
                    u = Math.log(q) >= -100;
                    lc = Math.max(Math.log(q), -100);
                } else {
                    u = q >= eps && q <= hi(eps);
                    lc = Math.log(Math.min(Math.max(q, eps), hi(eps)));
                }
                loss -= tc * lc;
                if (u) {
                    tu += tc;
                    own[c] = tc / q;
                }
            }
            out[r] = loss;
            if (grad != null) {
                for (int c = 0; c < classes; c++) {
                    grad[logical(pl, r, c)] = Double.isNaN(s) ? Double.NaN : (tu - own[c]) / s;
                }
            }
        }
        return out;
    }

    /** 0: lse per row; 1: log-softmax, 2: softmax, logical order. */
    public static double[] normalize(int what, float[] x, Layout xl, double softcap) {
        int rows = xl.rows();
        int classes = xl.classes();
        double[] out = new double[what == 0 ? rows : Math.toIntExact(xl.size())];
        for (int r = 0; r < rows; r++) {
            int xb = xl.rowIndex(r);
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                m = Math.max(m, cap(x[xb + c * xl.classStride()], softcap));
            }
            double rest = 0;
            int k = 0;
            for (int c = 0; c < classes; c++) {
                double v = cap(x[xb + c * xl.classStride()], softcap) - m;
                if (v == 0) {
                    k++;
                } else {
                    rest += Math.exp(v);
                }
            }
            double d = k + rest;
            double logd = ReferenceKernels.logCounted(k, rest);
            if (what == 0) {
                out[r] = m + logd;
                continue;
            }
            for (int c = 0; c < classes; c++) {
                double v = cap(x[xb + c * xl.classStride()], softcap) - m;
                out[logical(xl, r, c)] = what == 1 ? v - logd : Math.exp(v) / d;
            }
        }
        return out;
    }

    /** First index of the maximum per row (NaN counts as the largest), −1 for no classes. */
    public static int[] argmax(float[] x, Layout xl) {
        int[] out = new int[xl.rows()];
        for (int r = 0; r < out.length; r++) {
            int best = -1;
            double bv = 0;
            for (int c = 0; c < xl.classes(); c++) {
                double v = x[xl.rowIndex(r) + c * xl.classStride()];
                if (best < 0 || (!Double.isNaN(bv) && (v > bv || Double.isNaN(v)))) {
                    best = c;
                    bv = v;
                }
            }
            out[r] = best;
        }
        return out;
    }
}
