package dev.xent.internal.naive;

import dev.xent.Layout;
import dev.xent.internal.Kernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The textbook, <em>numerically unstable</em> formulas of {@link NaiveScalarKernels} on the Vector API, for
 * benchmarks and tests only (not reachable from the public API). Along the class axis when
 * {@code classStride == 1} (masked tail, the mask from an iota compare); across the inner axis when
 * {@code innerStride == 1} and the classes are strided (channels-first); the naive scalar code otherwise.
 * Sparse categorical CE ({@code −log p_y}) has no class-axis work and always runs the scalar code.
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

    /** A full vector at {@code off}, or the lanes of {@code m} (zero elsewhere) in the tail block. */
    private static FloatVector load(float[] a, int off, boolean full, VectorMask<Float> m) {
        return full ? FloatVector.fromArray(S, a, off) : FloatVector.fromArray(S, a, off, m);
    }

    private static void store(FloatVector v, float[] a, int off, boolean full, VectorMask<Float> m) {
        if (full) {
            v.intoArray(a, off);
        } else {
            for (int j = 0; j < L; j++) { // a masked store boxes on JDK 17
                if (m.laneIsSet(j)) {
                    a[off + j] = v.lane(j);
                }
            }
        }
    }

    private static boolean alongClasses(Layout a, Layout b) {
        return a.classStride() == 1 && b.classStride() == 1;
    }

    private static boolean acrossInner(Layout a, Layout b, Layout o) {
        return a.innerStride() == 1 && b.innerStride() == 1 && o.innerStride() == 1;
    }

    // ---- softmax, dense labels --------------------------------------------------------------------------

    @Override
    public void softmaxCrossEntropy(float[] x, Layout xl, float[] t, Layout tl, float[] out, Layout ol) {
        int classes = xl.classes();
        if (alongClasses(xl, tl)) {
            int rows = xl.rows();
            for (int r = 0; r < rows; r++) {
                int xb = xl.rowIndex(r);
                int tb = tl.rowIndex(r);
                float s = sumExp(x, xb, classes);
                FloatVector sv = FloatVector.broadcast(S, s);
                FloatVector acc = FloatVector.zero(S);
                int c = 0;
                for (int bound = S.loopBound(classes); c < bound; c += L) {
                    FloatVector e = FloatVector.fromArray(S, x, xb + c).lanewise(VectorOperators.EXP);
                    FloatVector tv = FloatVector.fromArray(S, t, tb + c);
                    acc = tv.fma(e.div(sv).lanewise(VectorOperators.LOG), acc);
                }
                if (c < classes) {
                    VectorMask<Float> m = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) (classes - c));
                    FloatVector e = FloatVector.fromArray(S, x, xb + c, m).lanewise(VectorOperators.EXP);
                    FloatVector tv = FloatVector.fromArray(S, t, tb + c, m);
                    acc = acc.add(tv.mul(e.div(sv).lanewise(VectorOperators.LOG)), m);
                }
                out[ol.rowIndex(r)] = -acc.reduceLanes(VectorOperators.ADD);
            }
        } else if (acrossInner(xl, tl, ol) && xl.classStride() != 1) {
            int inner = xl.inner();
            int xcs = xl.classStride();
            int tcs = tl.classStride();
            for (int n = 0; n < xl.outer(); n++) {
                for (int i = 0; i < inner; i += L) {
                    VectorMask<Float> m = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) (inner - i));
                    boolean full = i + L <= inner;
                    int xb = xl.index(n, 0, i);
                    int tb = tl.index(n, 0, i);
                    FloatVector s = FloatVector.zero(S);
                    for (int c = 0; c < classes; c++) {
                        s = s.add(load(x, xb + c * xcs, full, m).lanewise(VectorOperators.EXP));
                    }
                    FloatVector acc = FloatVector.zero(S);
                    for (int c = 0; c < classes; c++) {
                        FloatVector e = load(x, xb + c * xcs, full, m).lanewise(VectorOperators.EXP);
                        FloatVector tv = load(t, tb + c * tcs, full, m);
                        acc = tv.fma(e.div(s).lanewise(VectorOperators.LOG), acc);
                    }
                    store(acc.neg(), out, ol.index(n, 0, i), full, m);
                }
            }
        } else {
            super.softmaxCrossEntropy(x, xl, t, tl, out, ol);
        }
    }

    /** {@code Σ exp(x)} over {@code classes} contiguous logits at {@code xb}, in float lanes. */
    private static float sumExp(float[] x, int xb, int classes) {
        FloatVector acc = FloatVector.zero(S);
        int c = 0;
        for (int bound = S.loopBound(classes); c < bound; c += L) {
            acc = acc.add(FloatVector.fromArray(S, x, xb + c).lanewise(VectorOperators.EXP));
        }
        if (c < classes) {
            VectorMask<Float> m = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) (classes - c));
            acc = acc.add(FloatVector.fromArray(S, x, xb + c, m).lanewise(VectorOperators.EXP), m);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    // ---- sparse softmax ---------------------------------------------------------------------------------

    @Override
    public void sparseSoftmaxCrossEntropy(float[] x, Layout xl, int[] y, Layout yl, float[] out, Layout ol) {
        int classes = xl.classes();
        int xcs = xl.classStride();
        if (xcs == 1) {
            int rows = xl.rows();
            for (int r = 0; r < rows; r++) {
                int xb = xl.rowIndex(r);
                float s = sumExp(x, xb, classes);
                out[ol.rowIndex(r)] = -log(exp(x[xb + y[yl.rowIndex(r)]]) / s);
            }
        } else if (xl.innerStride() == 1 && ol.innerStride() == 1) {
            int inner = xl.inner();
            for (int n = 0; n < xl.outer(); n++) {
                for (int i = 0; i < inner; i += L) {
                    VectorMask<Float> m = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) (inner - i));
                    boolean full = i + L <= inner;
                    int xb = xl.index(n, 0, i);
                    FloatVector s = FloatVector.zero(S);
                    for (int c = 0; c < classes; c++) {
                        s = s.add(load(x, xb + c * xcs, full, m).lanewise(VectorOperators.EXP));
                    }
                    // the sums go through the output; then one scalar exp and log per row for the label's term
                    int ob = ol.index(n, 0, i);
                    store(s, out, ob, full, m);
                    int lanes = Math.min(L, inner - i);
                    for (int j = 0; j < lanes; j++) {
                        int yv = y[yl.index(n, 0, i + j)];
                        out[ob + j] = -log(exp(x[xb + j + yv * xcs]) / out[ob + j]);
                    }
                }
            }
        } else {
            super.sparseSoftmaxCrossEntropy(x, xl, y, yl, out, ol);
        }
    }

    // ---- sigmoid and binary (elementwise or the mean over the class axis) ---------------------------------

    @Override
    public void sigmoidCrossEntropy(float[] x, Layout xl, float[] z, Layout zl, float[] out, Layout ol) {
        elementwiseVector(false, x, xl, z, zl, out, ol);
    }

    @Override
    public void binaryCrossEntropy(float[] p, Layout pl, float[] z, Layout zl, float eps, float[] out, Layout ol) {
        elementwiseVector(true, p, pl, z, zl, out, ol);
    }

    private static FloatVector loss(boolean probabilities, FloatVector x, FloatVector z) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector p = probabilities ? x : one.div(x.neg().lanewise(VectorOperators.EXP).add(one));
        FloatVector a = z.mul(p.lanewise(VectorOperators.LOG));
        FloatVector b = one.sub(z).mul(one.sub(p).lanewise(VectorOperators.LOG));
        return a.add(b).neg();
    }

    private static void elementwiseVector(boolean probabilities, float[] x, Layout xl, float[] z, Layout zl,
                                          float[] out, Layout ol) {
        int classes = xl.classes();
        boolean mean = ol.classes() != classes;
        if (alongClasses(xl, zl) && (mean || ol.classStride() == 1)) {
            int rows = xl.rows();
            for (int r = 0; r < rows; r++) {
                int xb = xl.rowIndex(r);
                int zb = zl.rowIndex(r);
                int ob = ol.rowIndex(r);
                FloatVector acc = FloatVector.zero(S);
                int c = 0;
                for (int bound = S.loopBound(classes); c < bound; c += L) {
                    FloatVector l = loss(probabilities, FloatVector.fromArray(S, x, xb + c), FloatVector.fromArray(S, z, zb + c));
                    if (mean) {
                        acc = acc.add(l);
                    } else {
                        l.intoArray(out, ob + c);
                    }
                }
                if (c < classes) {
                    VectorMask<Float> m = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) (classes - c));
                    FloatVector l = loss(probabilities, FloatVector.fromArray(S, x, xb + c, m), FloatVector.fromArray(S, z, zb + c, m));
                    if (mean) {
                        acc = acc.add(l, m);
                    } else {
                        l.intoArray(out, ob + c, m);
                    }
                }
                if (mean) {
                    out[ob] = acc.reduceLanes(VectorOperators.ADD) / classes;
                }
            }
        } else if (acrossInner(xl, zl, ol) && xl.classStride() != 1) {
            int inner = xl.inner();
            int xcs = xl.classStride();
            int zcs = zl.classStride();
            int ocs = ol.classStride();
            for (int n = 0; n < xl.outer(); n++) {
                for (int i = 0; i < inner; i += L) {
                    VectorMask<Float> m = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) (inner - i));
                    boolean full = i + L <= inner;
                    int xb = xl.index(n, 0, i);
                    int zb = zl.index(n, 0, i);
                    int ob = ol.index(n, 0, i);
                    FloatVector acc = FloatVector.zero(S);
                    for (int c = 0; c < classes; c++) {
                        FloatVector l = loss(probabilities, load(x, xb + c * xcs, full, m),
                                load(z, zb + c * zcs, full, m));
                        if (mean) {
                            acc = acc.add(l);
                        } else {
                            store(l, out, ob + c * ocs, full, m);
                        }
                    }
                    if (mean) {
                        store(acc.div(classes), out, ob, full, m);
                    }
                }
            }
        } else {
            elementwise(probabilities, x, xl, z, zl, out, ol);
        }
    }

    // ---- categorical from probabilities ---------------------------------------------------------------------

    @Override
    public void categoricalCrossEntropy(float[] p, Layout pl, float[] t, Layout tl, float eps, float[] out, Layout ol) {
        int classes = pl.classes();
        if (alongClasses(pl, tl)) {
            int rows = pl.rows();
            for (int r = 0; r < rows; r++) {
                int pb = pl.rowIndex(r);
                int tb = tl.rowIndex(r);
                FloatVector acc = FloatVector.zero(S);
                int c = 0;
                for (int bound = S.loopBound(classes); c < bound; c += L) {
                    FloatVector lp = FloatVector.fromArray(S, p, pb + c).lanewise(VectorOperators.LOG);
                    acc = FloatVector.fromArray(S, t, tb + c).fma(lp, acc);
                }
                if (c < classes) {
                    VectorMask<Float> m = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) (classes - c));
                    FloatVector lp = FloatVector.fromArray(S, p, pb + c, m).lanewise(VectorOperators.LOG);
                    acc = acc.add(FloatVector.fromArray(S, t, tb + c, m).mul(lp), m);
                }
                out[ol.rowIndex(r)] = -acc.reduceLanes(VectorOperators.ADD);
            }
        } else if (acrossInner(pl, tl, ol) && pl.classStride() != 1) {
            int inner = pl.inner();
            int pcs = pl.classStride();
            int tcs = tl.classStride();
            for (int n = 0; n < pl.outer(); n++) {
                for (int i = 0; i < inner; i += L) {
                    VectorMask<Float> m = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) (inner - i));
                    boolean full = i + L <= inner;
                    int pb = pl.index(n, 0, i);
                    int tb = tl.index(n, 0, i);
                    FloatVector acc = FloatVector.zero(S);
                    for (int c = 0; c < classes; c++) {
                        FloatVector lp = load(p, pb + c * pcs, full, m).lanewise(VectorOperators.LOG);
                        acc = load(t, tb + c * tcs, full, m).fma(lp, acc);
                    }
                    store(acc.neg(), out, ol.index(n, 0, i), full, m);
                }
            }
        } else {
            super.categoricalCrossEntropy(p, pl, t, tl, eps, out, ol);
        }
    }
}
