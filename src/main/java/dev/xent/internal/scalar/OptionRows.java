package dev.xent.internal.scalar;

import dev.xent.Layout;
import dev.xent.internal.LossParams;

/**
 * The scalar loops of the losses with options, fused gradients and serving building blocks: {@code float}
 * inputs and outputs, {@code exp}, {@code log} and {@code tanh} in double, sums in double. Public and static so the
 * vector backend can finish single rows and tails with them. Nothing here allocates.
 */
public final class OptionRows {
    private OptionRows() {
    }

    /** {@code cap·tanh(x/cap)} rounded to float, or {@code x} when {@code cap == 0}. */
    public static float cap(float x, float cap) {
        return cap == 0f ? x : (float) (cap * Math.tanh(x / (double) cap));
    }

    /** {@code d cap(x) / dx = 1 − tanh²(x/cap)}, 1 when {@code cap == 0}. */
    public static double capSlope(float x, float cap) {
        if (cap == 0f) {
            return 1;
        }
        double th = Math.tanh(x / (double) cap);
        return 1 - th * th;
    }

    static double sampleWeight(float[] sw, Layout swl, int r) {
        return sw == null ? 1 : sw[swl.rowIndex(r)];
    }

    static float rowMax(float[] x, int xb, int xs, int classes, float cap) {
        float m = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            m = Math.max(m, cap(x[xb + c * xs], cap));
        }
        return m;
    }

    /**
     * Target weight {@code T_c} of a softmax-family row: dense ({@code t != null}) {@code w_c·(t_c(1−ls) + ls/C)},
     * sparse {@code w_c·ls/C + [c = y](1−ls)·w_y}.
     */
    public static double target(LossParams p, int classes, float[] t, int tb, int ts, int y, int c) {
        double ls = p.labelSmoothing;
        double w = p.classWeight(c);
        if (t != null) {
            double tc = t[tb + c * ts];
            return ls == 0 ? w * tc : w * (tc * (1 - ls) + ls / classes);
        }
        double v = ls == 0 ? 0 : w * ls / classes;
        return c == y ? v + (1 - ls) * w : v;
    }

    // ---- softmax family from logits --------------------------------------------------------------------

    /**
     * One softmax-family row (dense labels when {@code t != null}, else sparse label {@code y}); writes the lse to
     * {@code lse[li]} when {@code lse != null} and the gradient times {@code k} when {@code grad != null}; returns the loss.
     */
    public static float softmaxRow(float[] x, int xb, int xs, int classes, float[] t, int tb, int ts, int y,
                                   LossParams p, double k, float[] lse, int li, float[] grad, int gb, int gs) {
        float cap = p.softcap;
        float m = rowMax(x, xb, xs, classes, cap);
        double rest = 0;
        int kCount = 0;
        double a = 0;
        double tsum = 0;
        for (int c = 0; c < classes; c++) {
            float xc = cap(x[xb + c * xs], cap);
            double v = (double) xc - m;
            if (v == 0) {
                kCount++;
            } else {
                rest += Math.exp(v);
            }
            double tc = target(p, classes, t, tb, ts, y, c);
            if (tc != 0) {
                a += tc * ((double) m - xc);
                tsum += tc;
            }
        }
        double d = kCount + rest;
        double logd = ScalarKernels.logCounted(kCount, rest);
        double l = m + logd;
        if (lse != null) {
            lse[li] = (float) l;
        }
        double loss = a + logd * tsum;
        double coef = tsum;
        if (p.zLoss != 0f) {
            loss += p.zLoss * l * l;
            coef += 2.0 * p.zLoss * l;
        }
        if (grad != null) {
            for (int c = 0; c < classes; c++) {
                float raw = x[xb + c * xs];
                float xc = cap(raw, cap);
                double sm = Math.exp((double) xc - m) / d;
                double tc = target(p, classes, t, tb, ts, y, c);
                grad[gb + c * gs] = (float) (k * (sm * coef - tc) * capSlope(raw, cap));
            }
        }
        return (float) loss;
    }

    public static double softmax(float[] x, Layout xl, float[] t, Layout tl, int[] y, Layout yl, LossParams p,
                                 float[] sw, Layout swl, double gradScale, float[] losses, Layout ol,
                                 float[] lse, Layout lsel, float[] grad, Layout gl) {
        double sum = 0;
        int classes = xl.classes();
        for (int r = 0, rows = xl.rows(); r < rows; r++) {
            double s = sampleWeight(sw, swl, r);
            int label = y == null ? -1 : y[yl.rowIndex(r)];
            float l;
            if (y != null && p.ignored(label)) {
                l = 0f;
                if (lse != null) {
                    softmaxRow(x, xl.rowIndex(r), xl.classStride(), classes, null, 0, 0, 0, p, 0, lse, lsel.rowIndex(r), null, 0, 0);
                }
                if (grad != null) {
                    int gb = gl.rowIndex(r);
                    for (int c = 0; c < classes; c++) {
                        grad[gb + c * gl.classStride()] = 0f;
                    }
                }
            } else {
                l = softmaxRow(x, xl.rowIndex(r), xl.classStride(), classes, t, t == null ? 0 : tl.rowIndex(r),
                        t == null ? 0 : tl.classStride(), label, p, gradScale * s,
                        lse, lse == null ? 0 : lsel.rowIndex(r), grad, grad == null ? 0 : gl.rowIndex(r), grad == null ? 0 : gl.classStride());
            }
            if (losses != null) {
                losses[ol.rowIndex(r)] = l;
            }
            sum += s * l;
        }
        return sum;
    }

    // ---- sigmoid and binary, elementwise -----------------------------------------------------------------

    /** {@code max(x,0) − x·z + log1p(e^−|x|) + (q−1)·z·softplus(−x)}. */
    public static double sigmoidLoss(double x, double z, double q) {
        double sp = Math.log1p(Math.exp(-Math.abs(x)));
        double l = Math.max(x, 0) - x * z + sp;
        if (q != 1) {
            l += (q - 1) * z * (sp + Math.max(-x, 0));
        }
        return l;
    }

    /** {@code σ(x) − z − (q−1)·z·σ(−x)}. */
    public static double sigmoidGrad(double x, double z, double q) {
        double e = Math.exp(-Math.abs(x));
        double sig = x >= 0 ? 1 / (1 + e) : e / (1 + e);
        double sigNeg = x >= 0 ? e / (1 + e) : 1 / (1 + e);
        double g = sig - z;
        if (q != 1) {
            g -= (q - 1) * z * sigNeg;
        }
        return Double.isNaN(x) ? Double.NaN : g;
    }

    /** {@code −(q·z·L1 + (1−z)·L0)} with the Keras clip or the PyTorch clamp of {@code p}. */
    public static double binaryLoss(float prob, double z, double q, LossParams p) {
        double l1;
        double l0;
        if (p.logClamp) {
            l1 = Math.max(Math.log(prob), -100);
            l0 = Math.max(Math.log1p(-(double) prob), -100);
        } else {
            float eps = p.epsilon;
            float hi = 1f - eps;
            l1 = Math.log(Math.min(Math.max(prob, eps), hi));
            l0 = Math.log(Math.min(Math.max(1.0 - prob, eps), hi)); // exact complement, as ScalarKernels.binary
        }
        return -(q * z * l1 + (1 - z) * l0) + 0.0;   // + 0.0: no −0 losses
    }

    /** The derivative of {@link #binaryLoss} with respect to {@code p}: 0 where a log is clipped or clamped. */
    public static double binaryGrad(float prob, double z, double q, LossParams p) {
        if (Float.isNaN(prob)) {
            return Double.NaN;
        }
        double g1;
        double g0;
        if (p.logClamp) {
            g1 = Math.log(prob) >= -100 ? 1.0 / prob : 0;
            double om = 1 - (double) prob;
            g0 = Math.log1p(-(double) prob) >= -100 ? -1.0 / om : 0;
        } else {
            float eps = p.epsilon;
            float hi = 1f - eps;
            g1 = prob >= eps && prob <= hi ? 1.0 / prob : 0;
            float om = 1f - prob;
            g0 = om >= eps && om <= hi ? -1.0 / om : 0;
        }
        return -(q * z * g1 + (1 - z) * g0);
    }

    public static double elementwise(boolean probabilities, float[] x, Layout xl, float[] z, Layout zl, LossParams p,
                                     float[] sw, Layout swl, double gradScale, float[] losses, Layout ol,
                                     float[] grad, Layout gl) {
        int classes = xl.classes();
        boolean mean = losses != null && ol.classes() != classes;
        double ls = p.labelSmoothing;
        float cap = probabilities ? 0f : p.softcap;
        double sum = 0;
        for (int r = 0, rows = xl.rows(); r < rows; r++) {
            double s = sampleWeight(sw, swl, r);
            int xb = xl.rowIndex(r);
            int zb = zl.rowIndex(r);
            double rowSum = 0;
            double rowMean = 0;
            for (int c = 0; c < classes; c++) {
                int xi = xb + c * xl.classStride();
                float raw = x[xi];
                double zc = z[zb + c * zl.classStride()];
                if (ls != 0) {
                    zc = zc * (1 - ls) + 0.5 * ls;
                }
                double w = p.classWeight(c);
                double q = p.posWeight(c);
                double l;
                double g = 0;
                if (probabilities) {
                    l = w * binaryLoss(raw, zc, q, p);
                    if (grad != null) {
                        g = w * binaryGrad(raw, zc, q, p);
                    }
                } else {
                    float xc = cap(raw, cap);
                    l = w * sigmoidLoss(xc, zc, q);
                    if (grad != null) {
                        g = w * sigmoidGrad(xc, zc, q) * capSlope(raw, cap);
                    }
                }
                float lf = (float) l;
                rowSum += lf;
                rowMean += l;
                if (losses != null && !mean) {
                    losses[ol.rowIndex(r) + c * ol.classStride()] = lf;
                }
                if (grad != null) {
                    grad[gl.rowIndex(r) + c * gl.classStride()] = (float) (gradScale * s * g);
                }
            }
            if (mean) {
                losses[ol.rowIndex(r)] = (float) (rowMean / classes);
            }
            sum += s * rowSum;
        }
        return sum;
    }

    // ---- categorical from probabilities ----------------------------------------------------------------

    public static float categoricalRow(float[] pr, int pb, int ps, int classes, float[] t, int tb, int ts, int y,
                                       LossParams p, double k, float[] grad, int gb, int gs) {
        double s0 = 0;
        for (int c = 0; c < classes; c++) {
            s0 += pr[pb + c * ps];
        }
        // the sum and the quotients in double, as ScalarKernels.categoricalRow
        double sum = s0;
        float eps = p.epsilon;
        float hi = 1f - eps;
        double loss = 0;
        double tu = 0;
        for (int c = 0; c < classes; c++) {
            double tc = target(p, classes, t, tb, ts, y, c);
            if (tc == 0) {
                continue;
            }
            double q = pr[pb + c * ps] / sum;
            double lc;
            boolean u;
            if (p.logClamp) {
                double lq = Math.log(q);
                u = lq >= -100;
                lc = Math.max(lq, -100);
            } else {
                u = q >= eps && q <= hi;
                lc = Math.log(Math.min(Math.max(q, eps), hi));
            }
            loss -= tc * lc;
            if (u) {
                tu += tc;
            }
        }
        if (grad != null) {
            for (int c = 0; c < classes; c++) {
                double q = pr[pb + c * ps] / sum;
                double tc = target(p, classes, t, tb, ts, y, c);
                double own = 0;
                if (tc != 0) {
                    if (p.logClamp) {
                        own = Math.log(q) >= -100 ? tc / q : 0;
                    } else {
                        own = q >= eps && q <= hi ? tc / q : 0;
                    }
                }
                double g = (tu - own) / sum;
                grad[gb + c * gs] = (float) (Double.isNaN(q) ? Double.NaN : k * g);
            }
        }
        return (float) loss;
    }

    public static double categorical(float[] pr, Layout pl, float[] t, Layout tl, int[] y, Layout yl, LossParams p,
                                     float[] sw, Layout swl, double gradScale, float[] losses, Layout ol,
                                     float[] grad, Layout gl) {
        double sum = 0;
        int classes = pl.classes();
        for (int r = 0, rows = pl.rows(); r < rows; r++) {
            double s = sampleWeight(sw, swl, r);
            int label = y == null ? -1 : y[yl.rowIndex(r)];
            float l;
            if (y != null && p.ignored(label)) {
                l = 0f;
                if (grad != null) {
                    int gb = gl.rowIndex(r);
                    for (int c = 0; c < classes; c++) {
                        grad[gb + c * gl.classStride()] = 0f;
                    }
                }
            } else {
                l = categoricalRow(pr, pl.rowIndex(r), pl.classStride(), classes, t, t == null ? 0 : tl.rowIndex(r),
                        t == null ? 0 : tl.classStride(), label, p, gradScale * s,
                        grad, grad == null ? 0 : gl.rowIndex(r), grad == null ? 0 : gl.classStride());
            }
            if (losses != null) {
                losses[ol.rowIndex(r)] = l;
            }
            sum += s * l;
        }
        return sum;
    }

    // ---- building blocks ---------------------------------------------------------------------------------

    /** 0: lse per row, 1: log-softmax, 2: softmax. */
    public static void normalize(int what, float[] x, Layout xl, float cap, float[] out, Layout ol) {
        int classes = xl.classes();
        int xs = xl.classStride();
        for (int r = 0, rows = xl.rows(); r < rows; r++) {
            int xb = xl.rowIndex(r);
            float m = rowMax(x, xb, xs, classes, cap);
            double rest = 0;
            int k = 0;
            for (int c = 0; c < classes; c++) {
                double v = (double) cap(x[xb + c * xs], cap) - m;
                if (v == 0) {
                    k++;
                } else {
                    rest += Math.exp(v);
                }
            }
            double d = k + rest;
            double logd = ScalarKernels.logCounted(k, rest);
            int ob = ol.rowIndex(r);
            if (what == 0) {
                out[ob] = (float) (m + logd);
                continue;
            }
            for (int c = 0; c < classes; c++) {
                double v = (double) cap(x[xb + c * xs], cap) - m;
                out[ob + c * ol.classStride()] = (float) (what == 1 ? v - logd : Math.exp(v) / d);
            }
        }
    }

    /** First index of the largest value (a NaN counts as the largest), −1 for no classes. */
    public static int argmaxRow(float[] x, int xb, int xs, int classes) {
        if (classes == 0) {
            return -1;
        }
        int best = 0;
        float bv = x[xb];
        for (int c = 1; c < classes && !Float.isNaN(bv); c++) {
            float v = x[xb + c * xs];
            if (v > bv || Float.isNaN(v)) {
                best = c;
                bv = v;
            }
        }
        return best;
    }

    public static int argmax(float[] x, Layout xl, int[] out, Layout ol, int[] labels, Layout yl, boolean hasIgnore, int ignoreIndex) {
        int correct = 0;
        for (int r = 0, rows = xl.rows(); r < rows; r++) {
            int a = argmaxRow(x, xl.rowIndex(r), xl.classStride(), xl.classes());
            if (out != null) {
                out[ol.rowIndex(r)] = a;
            }
            if (labels != null) {
                int y = labels[yl.rowIndex(r)];
                if (!(hasIgnore && y == ignoreIndex) && y == a) {
                    correct++;
                }
            }
        }
        return correct;
    }

    public static int argmaxMatches(float[] x, Layout xl, float[] t, Layout tl) {
        int correct = 0;
        for (int r = 0, rows = xl.rows(); r < rows; r++) {
            if (argmaxRow(x, xl.rowIndex(r), xl.classStride(), xl.classes())
                    == argmaxRow(t, tl.rowIndex(r), tl.classStride(), tl.classes())) {
                correct++;
            }
        }
        return correct;
    }
}
