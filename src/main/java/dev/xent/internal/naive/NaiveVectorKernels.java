package dev.xent.internal.naive;

import dev.xent.Layout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The textbook, <em>numerically unstable</em> formulas of {@link NaiveScalarKernels} on the Vector API, for
 * benchmarks and tests only (not reachable from the public API). Built like the stable vector kernels so that a
 * comparison measures the formulas and nothing else: along the class axis when {@code classStride == 1} and
 * {@code C ≥ L} (the row tail is one more vector ending at the last class, its already counted lanes zeroed);
 * across the inner axis when {@code innerStride == 1}, the classes strided and {@code inner ≥ L} (the last tile
 * overlaps the one before); the naive scalar code otherwise. No helper takes or returns a vector (such helpers
 * get compiled on their own and box), nothing allocates. Sparse categorical CE ({@code −log p_y}) has no
 * class-axis work and always runs the scalar code.
 */
public final class NaiveVectorKernels extends NaiveScalarKernels {

    public static final NaiveVectorKernels INSTANCE = new NaiveVectorKernels();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final float[] IOTA = new float[L];

    static {
        for (int j = 0; j < L; j++) {
            IOTA[j] = j;
        }
    }

    private NaiveVectorKernels() {
    }

    @Override
    public String name() {
        return "naive-vector";
    }

    @Override
    public String species() {
        return S.toString();
    }

    private static boolean rows(Layout xl, Layout tl) {
        return xl.classStride() == 1 && (tl == null || tl.classStride() == 1) && xl.classes() >= L;
    }

    private static boolean tiles(Layout xl, Layout tl, Layout ol) {
        return xl.classStride() != 1 && xl.innerStride() == 1 && xl.inner() >= L
                && (tl == null || tl.innerStride() == 1) && ol.innerStride() == 1;
    }

    /** {@code Σ exp(x)} over a contiguous row, {@code classes ≥ L}, in float lanes. */
    private static float sumExp(float[] x, int xb, int classes) {
        FloatVector acc = FloatVector.zero(S);
        for (int c = 0; c < classes; c += L) {
            FloatVector e = FloatVector.fromArray(S, x, xb + Math.min(c, classes - L)).lanewise(VectorOperators.EXP);
            acc = acc.add(FloatVector.zero(S).blend(e, FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.GE, (float) (L - Math.min(L, classes - c)))));
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    // ---- softmax, dense labels: −Σ t·log(exp(x)/s) over every class -------------------------------------

    @Override
    public void softmaxCrossEntropy(float[] x, Layout xl, float[] t, Layout tl, float[] out, Layout ol) {
        int classes = xl.classes();
        if (rows(xl, tl)) {
            for (int r = 0, rows = xl.rows(); r < rows; r++) {
                int xb = xl.rowIndex(r);
                int tb = tl.rowIndex(r);
                FloatVector sv = FloatVector.broadcast(S, sumExp(x, xb, classes));
                FloatVector acc = FloatVector.zero(S);
                for (int c = 0; c < classes; c += L) {
                    int k = Math.min(c, classes - L);
                    FloatVector e = FloatVector.fromArray(S, x, xb + k).lanewise(VectorOperators.EXP);
                    FloatVector l = FloatVector.fromArray(S, t, tb + k).mul(e.div(sv).lanewise(VectorOperators.LOG));
                    acc = acc.add(FloatVector.zero(S).blend(l, FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.GE, (float) (L - Math.min(L, classes - c)))));
                }
                out[ol.rowIndex(r)] = -acc.reduceLanes(VectorOperators.ADD);
            }
        } else if (tiles(xl, tl, ol)) {
            int inner = xl.inner();
            for (int n = 0; n < xl.outer(); n++) {
                for (int i0 = 0; ; i0 += L) {
                    int i = Math.min(i0, inner - L);
                    int xb = xl.index(n, 0, i);
                    int tb = tl.index(n, 0, i);
                    FloatVector s = FloatVector.zero(S);
                    for (int c = 0; c < classes; c++) {
                        s = s.add(FloatVector.fromArray(S, x, xb + c * xl.classStride()).lanewise(VectorOperators.EXP));
                    }
                    FloatVector acc = FloatVector.zero(S);
                    for (int c = 0; c < classes; c++) {
                        FloatVector e = FloatVector.fromArray(S, x, xb + c * xl.classStride()).lanewise(VectorOperators.EXP);
                        acc = FloatVector.fromArray(S, t, tb + c * tl.classStride()).fma(e.div(s).lanewise(VectorOperators.LOG), acc);
                    }
                    acc.neg().intoArray(out, ol.index(n, 0, i));
                    if (i == inner - L) {
                        break;
                    }
                }
            }
        } else {
            super.softmaxCrossEntropy(x, xl, t, tl, out, ol);
        }
    }

    // ---- sparse softmax: −log(exp(x_y)/s) ----------------------------------------------------------------

    @Override
    public void sparseSoftmaxCrossEntropy(float[] x, Layout xl, int[] y, Layout yl, float[] out, Layout ol) {
        int classes = xl.classes();
        if (rows(xl, null)) {
            for (int r = 0, rows = xl.rows(); r < rows; r++) {
                int xb = xl.rowIndex(r);
                out[ol.rowIndex(r)] = -log(exp(x[xb + y[yl.rowIndex(r)]]) / sumExp(x, xb, classes));
            }
        } else if (tiles(xl, null, ol)) {
            int inner = xl.inner();
            for (int n = 0; n < xl.outer(); n++) {
                for (int i0 = 0; ; i0 += L) {
                    int i = Math.min(i0, inner - L);
                    int xb = xl.index(n, 0, i);
                    FloatVector s = FloatVector.zero(S);
                    for (int c = 0; c < classes; c++) {
                        s = s.add(FloatVector.fromArray(S, x, xb + c * xl.classStride()).lanewise(VectorOperators.EXP));
                    }
                    // the sums go through the output, then one scalar exp and log per row for the label's term
                    int ob = ol.index(n, 0, i);
                    s.intoArray(out, ob);
                    for (int j = 0; j < L; j++) {
                        int yv = y[yl.index(n, 0, i + j)];
                        out[ob + j] = -log(exp(x[xb + j + yv * xl.classStride()]) / out[ob + j]);
                    }
                    if (i == inner - L) {
                        break;
                    }
                }
            }
        } else {
            super.sparseSoftmaxCrossEntropy(x, xl, y, yl, out, ol);
        }
    }

    // ---- sigmoid (−z·log σ − (1−z)·log(1−σ)) and binary (no clip), elementwise or the mean over classes ---

    @Override
    public void sigmoidCrossEntropy(float[] x, Layout xl, float[] z, Layout zl, float[] out, Layout ol) {
        if (!vectorElementwise(false, x, xl, z, zl, out, ol)) {
            super.sigmoidCrossEntropy(x, xl, z, zl, out, ol);
        }
    }

    @Override
    public void binaryCrossEntropy(float[] p, Layout pl, float[] z, Layout zl, float eps, float[] out, Layout ol) {
        if (!vectorElementwise(true, p, pl, z, zl, out, ol)) {
            super.binaryCrossEntropy(p, pl, z, zl, eps, out, ol);
        }
    }

    private static boolean vectorElementwise(boolean probabilities, float[] x, Layout xl, float[] z, Layout zl, float[] out, Layout ol) {
        int classes = xl.classes();
        boolean mean = ol.classes() != classes;
        FloatVector one = FloatVector.broadcast(S, 1f);
        if (rows(xl, zl) && (mean || ol.classStride() == 1)) {
            for (int r = 0, rows = xl.rows(); r < rows; r++) {
                int xb = xl.rowIndex(r);
                int zb = zl.rowIndex(r);
                int ob = ol.rowIndex(r);
                FloatVector acc = FloatVector.zero(S);
                for (int c = 0; c < classes; c += L) {
                    int k = Math.min(c, classes - L);
                    FloatVector v = FloatVector.fromArray(S, x, xb + k);
                    FloatVector zv = FloatVector.fromArray(S, z, zb + k);
                    FloatVector p = probabilities ? v : one.div(v.neg().lanewise(VectorOperators.EXP).add(one));
                    FloatVector l = zv.mul(p.lanewise(VectorOperators.LOG)).add(one.sub(zv).mul(one.sub(p).lanewise(VectorOperators.LOG))).neg();
                    if (mean) {
                        acc = acc.add(FloatVector.zero(S).blend(l, FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.GE, (float) (L - Math.min(L, classes - c)))));
                    } else {
                        l.intoArray(out, ob + k);
                    }
                }
                if (mean) {
                    out[ob] = acc.reduceLanes(VectorOperators.ADD) / classes;
                }
            }
            return true;
        }
        if (tiles(xl, zl, ol)) {
            int inner = xl.inner();
            for (int n = 0; n < xl.outer(); n++) {
                for (int i0 = 0; ; i0 += L) {
                    int i = Math.min(i0, inner - L);
                    int xb = xl.index(n, 0, i);
                    int zb = zl.index(n, 0, i);
                    int ob = ol.index(n, 0, i);
                    FloatVector acc = FloatVector.zero(S);
                    for (int c = 0; c < classes; c++) {
                        FloatVector v = FloatVector.fromArray(S, x, xb + c * xl.classStride());
                        FloatVector zv = FloatVector.fromArray(S, z, zb + c * zl.classStride());
                        FloatVector p = probabilities ? v : one.div(v.neg().lanewise(VectorOperators.EXP).add(one));
                        FloatVector l = zv.mul(p.lanewise(VectorOperators.LOG)).add(one.sub(zv).mul(one.sub(p).lanewise(VectorOperators.LOG))).neg();
                        if (mean) {
                            acc = acc.add(l);
                        } else {
                            l.intoArray(out, ob + c * ol.classStride());
                        }
                    }
                    if (mean) {
                        acc.div(classes).intoArray(out, ob);
                    }
                    if (i == inner - L) {
                        break;
                    }
                }
            }
            return true;
        }
        return false;
    }

    // ---- categorical from probabilities: −Σ t·log p ---------------------------------------------------------

    @Override
    public void categoricalCrossEntropy(float[] p, Layout pl, float[] t, Layout tl, float eps, float[] out, Layout ol) {
        int classes = pl.classes();
        if (rows(pl, tl)) {
            for (int r = 0, rows = pl.rows(); r < rows; r++) {
                int pb = pl.rowIndex(r);
                int tb = tl.rowIndex(r);
                FloatVector acc = FloatVector.zero(S);
                for (int c = 0; c < classes; c += L) {
                    int k = Math.min(c, classes - L);
                    FloatVector l = FloatVector.fromArray(S, t, tb + k).mul(FloatVector.fromArray(S, p, pb + k).lanewise(VectorOperators.LOG));
                    acc = acc.add(FloatVector.zero(S).blend(l, FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.GE, (float) (L - Math.min(L, classes - c)))));
                }
                out[ol.rowIndex(r)] = -acc.reduceLanes(VectorOperators.ADD);
            }
        } else if (tiles(pl, tl, ol)) {
            int inner = pl.inner();
            for (int n = 0; n < pl.outer(); n++) {
                for (int i0 = 0; ; i0 += L) {
                    int i = Math.min(i0, inner - L);
                    int pb = pl.index(n, 0, i);
                    int tb = tl.index(n, 0, i);
                    FloatVector acc = FloatVector.zero(S);
                    for (int c = 0; c < classes; c++) {
                        FloatVector lp = FloatVector.fromArray(S, p, pb + c * pl.classStride()).lanewise(VectorOperators.LOG);
                        acc = FloatVector.fromArray(S, t, tb + c * tl.classStride()).fma(lp, acc);
                    }
                    acc.neg().intoArray(out, ol.index(n, 0, i));
                    if (i == inner - L) {
                        break;
                    }
                }
            }
        } else {
            super.categoricalCrossEntropy(p, pl, t, tl, eps, out, ol);
        }
    }
}
