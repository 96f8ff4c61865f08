package dev.xent.internal.naive;

import dev.xent.HalfFloat;
import dev.xent.Layout;
import dev.xent.internal.scalar.ScalarKernels;

/**
 * The textbook, <em>numerically unstable</em> cross-entropy formulas in plain float loops, kept only to show
 * in benchmarks and tests what stability costs and buys. Not reachable from the public API (there is no
 * {@link dev.xent.Backend} for it); never use it for real work.
 *
 * <p>Same loop structure and layouts as {@link dev.xent.internal.scalar.ScalarKernels}, but everything is in
 * {@code float} (each {@link Math#exp}/{@link Math#log} rounded to float, float sums), as a straightforward
 * float implementation would be, so it breaks at the same thresholds as {@link NaiveVectorKernels}:
 * <ul>
 *   <li>softmax CE: {@code s = Σ exp(x)} without the max shift, loss {@code −Σ_c t_c·log(exp(x_c)/s)}
 *       over every class (a zero label times {@code log 0} is NaN);</li>
 *   <li>sparse softmax CE: {@code −log(exp(x_y)/s)};</li>
 *   <li>sigmoid CE: {@code −(z·log σ(x) + (1−z)·log(1−σ(x)))} with {@code σ(x) = 1/(1+exp(−x))};</li>
 *   <li>binary, categorical and sparse categorical CE from probabilities: no clipping, no renormalisation:
 *       {@code −(z·log p + (1−z)·log(1−p))}, {@code −Σ t·log p}, {@code −log p_y}; epsilon is ignored.</li>
 * </ul>
 * The options, gradients and building blocks have no naive form: they are inherited, stable, from
 * {@link ScalarKernels}.
 */
public class NaiveScalarKernels extends ScalarKernels {

    public static final NaiveScalarKernels INSTANCE = new NaiveScalarKernels();

    protected NaiveScalarKernels() {
    }

    @Override
    public String name() {
        return "naive-scalar";
    }

    static float exp(float x) {
        return (float) Math.exp(x);
    }

    static float log(float x) {
        return (float) Math.log(x);
    }

    @Override
    public void softmaxCrossEntropy(float[] x, Layout xl, float[] t, Layout tl, float[] out, Layout ol) {
        int rows = xl.rows();
        for (int r = 0; r < rows; r++) {
            out[ol.rowIndex(r)] = softmaxRow(x, xl.rowIndex(r), xl.classStride(), xl.classes(), t, tl.rowIndex(r), tl.classStride());
        }
    }

    /** Textbook dense-label softmax cross-entropy of one row: {@code −Σ_c t_c·log(exp(x_c)/Σ exp(x))}, in float. */
    public static float softmaxRow(float[] x, int xb, int xs, int classes, float[] t, int tb, int ts) {
        float s = 0f;
        for (int c = 0; c < classes; c++) {
            s += exp(x[xb + c * xs]);
        }
        float a = 0f;
        for (int c = 0; c < classes; c++) {
            a += t[tb + c * ts] * log(exp(x[xb + c * xs]) / s);
        }
        return -a;
    }

    @Override
    public void sparseSoftmaxCrossEntropy(float[] x, Layout xl, int[] y, Layout yl, float[] out, Layout ol) {
        int rows = xl.rows();
        int xs = xl.classStride();
        int classes = xl.classes();
        for (int r = 0; r < rows; r++) {
            int xb = xl.rowIndex(r);
            float s = 0f;
            for (int c = 0; c < classes; c++) {
                s += exp(x[xb + c * xs]);
            }
            float xy = x[xb + y[yl.rowIndex(r)] * xs];
            out[ol.rowIndex(r)] = -log(exp(xy) / s);
        }
    }

    /** The 16-bit form: each logit widened to float, then the same textbook formula. */
    @Override
    public void sparseSoftmaxCrossEntropy(short[] x, HalfFloat format, Layout xl, int[] y, Layout yl, float[] out, Layout ol) {
        int rows = xl.rows();
        int xs = xl.classStride();
        int classes = xl.classes();
        for (int r = 0; r < rows; r++) {
            int xb = xl.rowIndex(r);
            float s = 0f;
            for (int c = 0; c < classes; c++) {
                s += exp(format.toFloat(x[xb + c * xs]));
            }
            float xy = format.toFloat(x[xb + y[yl.rowIndex(r)] * xs]);
            out[ol.rowIndex(r)] = -log(exp(xy) / s);
        }
    }

    /** Plain maximum ({@code Math.max}: NaN if any is NaN, {@code −inf} when empty); the naive forms do not use it. */
    @Override
    public float max(float[] x, int offset, int length) {
        float m = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < length; k++) {
            m = Math.max(m, x[offset + k]);
        }
        return m;
    }

    /** {@code Σ exp(x − m) − less} in float, as the rest of this class (no elements counted apart). */
    @Override
    public double sumExp(float[] x, int offset, int length, float m, int less) {
        float s = 0f;
        for (int k = 0; k < length; k++) {
            s += exp(x[offset + k] - m);
        }
        return s - less;
    }

    @Override
    public void sigmoidCrossEntropy(float[] x, Layout xl, float[] z, Layout zl, float[] out, Layout ol) {
        elementwise(false, x, xl, z, zl, out, ol);
    }

    @Override
    public void binaryCrossEntropy(float[] p, Layout pl, float[] z, Layout zl, float eps, float[] out, Layout ol) {
        elementwise(true, p, pl, z, zl, out, ol);
    }

    static void elementwise(boolean probabilities, float[] x, Layout xl, float[] z, Layout zl, float[] out, Layout ol) {
        int rows = xl.rows();
        int classes = xl.classes();
        int xs = xl.classStride();
        int zs = zl.classStride();
        boolean mean = ol.classes() != classes;
        for (int r = 0; r < rows; r++) {
            int xb = xl.rowIndex(r);
            int zb = zl.rowIndex(r);
            int ob = ol.rowIndex(r);
            float sum = 0f;
            for (int c = 0; c < classes; c++) {
                float xc = x[xb + c * xs];
                float zc = z[zb + c * zs];
                float l = probabilities ? naiveBinary(xc, zc) : naiveSigmoid(xc, zc);
                if (mean) {
                    sum += l;
                } else {
                    out[ob + c * ol.classStride()] = l;
                }
            }
            if (mean) {
                out[ob] = sum / classes;
            }
        }
    }

    /** {@code −(z·log σ(x) + (1−z)·log(1−σ(x)))}, {@code σ(x) = 1/(1+exp(−x))}, in float. */
    public static float naiveSigmoid(float x, float z) {
        float p = 1f / (1f + exp(-x));
        return naiveBinary(p, z);
    }

    /** {@code −(z·log p + (1−z)·log(1−p))} in float, unclipped. */
    public static float naiveBinary(float p, float z) {
        return -(z * log(p) + (1f - z) * log(1f - p));
    }

    @Override
    public void categoricalCrossEntropy(float[] p, Layout pl, float[] t, Layout tl, float eps, float[] out, Layout ol) {
        int rows = pl.rows();
        int classes = pl.classes();
        int ps = pl.classStride();
        int ts = tl.classStride();
        for (int r = 0; r < rows; r++) {
            int pb = pl.rowIndex(r);
            int tb = tl.rowIndex(r);
            float loss = 0f;
            for (int c = 0; c < classes; c++) {
                loss -= t[tb + c * ts] * log(p[pb + c * ps]);
            }
            out[ol.rowIndex(r)] = loss;
        }
    }

    @Override
    public void sparseCategoricalCrossEntropy(float[] p, Layout pl, int[] y, Layout yl, float eps, float[] out, Layout ol) {
        int rows = pl.rows();
        int ps = pl.classStride();
        for (int r = 0; r < rows; r++) {
            out[ol.rowIndex(r)] = -log(p[pl.rowIndex(r) + y[yl.rowIndex(r)] * ps]);
        }
    }
}
