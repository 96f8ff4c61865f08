package dev.xent.internal.vector;

import dev.xent.Layout;
import dev.xent.internal.scalar.ScalarKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD backend on {@code jdk.incubator.vector}.
 *
 * <p>Two vector paths per loss:
 * <ul>
 *   <li><b>class axis contiguous</b> ({@code classStride == 1}): one row at a time, vectorised along the
 *       classes, the tail of the row under a mask; lanes are reduced at the end of the row.</li>
 *   <li><b>class axis strided, inner axis contiguous</b> ({@code innerStride == 1}, e.g. NCHW with the class
 *       axis 1): {@code L} neighbouring rows at a time, one per lane, vectorised across the inner positions;
 *       the maximum and the sums are taken vertically over the classes, so there are no gathers and no
 *       horizontal reductions; the tail of the inner axis under a mask.</li>
 * </ul>
 * Any other layout (neither axis contiguous, or labels and outputs whose layouts do not allow the same
 * path) runs on the inherited scalar code, which computes the same formulas.
 *
 * <p>The species is {@link FloatVector#SPECIES_PREFERRED} unless the system property
 * {@code xent.vector.bits} is 64, 128, 256 or 512 (the tests run every width this way). It is read once,
 * into a {@code static final} constant, as C2 needs.
 */
public final class VectorKernels extends ScalarKernels {

    public static final VectorKernels INSTANCE = new VectorKernels();

    static final VectorSpecies<Float> S = chooseSpecies();
    static final VectorSpecies<Integer> SI = S.withLanes(int.class);
    static final int L = S.length();

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    /**
     * Classes summed in float lanes before the partial sum is added into a double: bounds the rounding
     * error of a row sum by about {@code BLOCK / L} float roundings whatever the row length.
     */
    static final int BLOCK = 1024;

    /** Classes summed vertically in a tile before the block sum is folded, compensated, into the tile total. */
    static final int TILE_BLOCK = 64;

    private VectorKernels() {
    }

    private static VectorSpecies<Float> chooseSpecies() {
        String bits = System.getProperty("xent.vector.bits", "").trim();
        switch (bits) {
            case "":
                return FloatVector.SPECIES_PREFERRED;
            case "64":
                return FloatVector.SPECIES_64;
            case "128":
                return FloatVector.SPECIES_128;
            case "256":
                return FloatVector.SPECIES_256;
            case "512":
                return FloatVector.SPECIES_512;
            default:
                throw new IllegalArgumentException("-Dxent.vector.bits=" + bits + " is not one of 64, 128, 256, 512");
        }
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public String species() {
        return S.toString();
    }

    /** The inner-axis path pays off once a row tile fills a good part of a vector. */
    private static boolean innerPath(Layout l) {
        return l.classStride() != 1 && l.innerStride() == 1 && l.inner() >= 2;
    }

    /** Per-row arrays (labels, losses) that go with an inner-path tile: L neighbouring rows are contiguous. */
    private static boolean rowsContiguous(Layout rows) {
        return rows.innerStride() == 1;
    }

    // =====================================================================================================
    // softmax cross-entropy, dense labels
    // =====================================================================================================

    @Override
    public void softmaxCrossEntropy(float[] x, Layout xl, float[] t, Layout tl, float[] out, Layout ol) {
        if (xl.classStride() == 1 && (tl.classStride() == 1 || tl.classes() == 1)) {
            int rows = xl.rows();
            int classes = xl.classes();
            for (int r = 0; r < rows; r++) {
                out[ol.rowIndex(r)] = softmaxRow(x, xl.rowIndex(r), classes, t, tl.rowIndex(r));
            }
        } else if (innerPath(xl) && tl.innerStride() == 1 && rowsContiguous(ol)) {
            for (int n = 0; n < xl.outer(); n++) {
                for (int i = 0; i < xl.inner(); i += L) {
                    softmaxTile(x, xl, t, tl, out, ol, n, i);
                }
            }
        } else {
            super.softmaxCrossEntropy(x, xl, t, tl, out, ol);
        }
    }

    private static float softmaxRow(float[] x, int xb, int classes, float[] t, int tb) {
        float m = rowMax(x, xb, classes);
        FloatVector vm = FloatVector.broadcast(S, m);
        double d = 0;
        double a = 0;
        double ts = 0;
        for (int c0 = 0; c0 < classes; c0 += BLOCK) {
            int end = Math.min(classes, c0 + BLOCK);
            FloatVector dv = FloatVector.zero(S);
            FloatVector av = FloatVector.zero(S);
            FloatVector tv = FloatVector.zero(S);
            int c = c0;
            for (int bound = c0 + S.loopBound(end - c0); c < bound; c += L) {
                FloatVector v = FloatVector.fromArray(S, x, xb + c);
                FloatVector t1 = FloatVector.fromArray(S, t, tb + c);
                dv = dv.add(v.sub(vm).lanewise(VectorOperators.EXP));
                av = av.add(t1.mul(vm.sub(v)), t1.compare(VectorOperators.NE, 0f));
                tv = tv.add(t1);
            }
            if (c < end) {
                VectorMask<Float> mask = S.indexInRange(c, end);
                FloatVector v = FloatVector.fromArray(S, x, xb + c, mask);
                FloatVector t1 = FloatVector.fromArray(S, t, tb + c, mask);
                dv = dv.add(v.sub(vm).lanewise(VectorOperators.EXP), mask);
                av = av.add(t1.mul(vm.sub(v)), t1.compare(VectorOperators.NE, 0f).and(mask));
                tv = tv.add(t1, mask);
            }
            d += dv.reduceLanes(VectorOperators.ADD);
            a += av.reduceLanes(VectorOperators.ADD);
            ts += tv.reduceLanes(VectorOperators.ADD);
        }
        return (float) (a + Math.log(d) * ts);
    }

    private static void softmaxTile(float[] x, Layout xl, float[] t, Layout tl, float[] out, Layout ol, int n, int i) {
        int classes = xl.classes();
        int xs = xl.classStride();
        int ts = tl.classStride();
        int xb = xl.index(n, 0, i);
        int tb = tl.index(n, 0, i);
        VectorMask<Float> mask = S.indexInRange(i, xl.inner());
        boolean full = mask.allTrue();
        FloatVector vm = FloatVector.broadcast(S, NEG_INF);
        for (int c = 0; c < classes; c++) {
            vm = vm.max(load(x, xb + c * xs, mask, full));
        }
        // sums over blocks of TILE_BLOCK classes, each block folded into the totals with compensation
        FloatVector d = FloatVector.zero(S);
        FloatVector dc = d;
        FloatVector a = d;
        FloatVector ac = d;
        FloatVector tsum = d;
        FloatVector tc = d;
        for (int c0 = 0; c0 < classes; c0 += TILE_BLOCK) {
            int end = Math.min(classes, c0 + TILE_BLOCK);
            FloatVector db = FloatVector.zero(S);
            FloatVector ab = db;
            FloatVector tb1 = db;
            for (int c = c0; c < end; c++) {
                FloatVector v = load(x, xb + c * xs, mask, full);
                FloatVector tv = load(t, tb + c * ts, mask, full);
                db = db.add(v.sub(vm).lanewise(VectorOperators.EXP));
                ab = ab.add(tv.mul(vm.sub(v)), tv.compare(VectorOperators.NE, 0f));
                tb1 = tb1.add(tv);
            }
            FloatVector y = db.sub(dc);
            FloatVector sum = d.add(y);
            dc = sum.sub(d).sub(y);
            d = sum;
            y = ab.sub(ac);
            sum = a.add(y);
            ac = sum.sub(a).sub(y);
            a = sum;
            y = tb1.sub(tc);
            sum = tsum.add(y);
            tc = sum.sub(tsum).sub(y);
            tsum = sum;
        }
        FloatVector loss = a.add(d.lanewise(VectorOperators.LOG).mul(tsum));
        store(loss, out, ol, n * xl.inner() + i, mask, full);
    }

    // =====================================================================================================
    // sparse softmax cross-entropy
    // =====================================================================================================

    @Override
    public void sparseSoftmaxCrossEntropy(float[] x, Layout xl, int[] y, Layout yl, float[] out, Layout ol) {
        if (xl.classStride() == 1) {
            int rows = xl.rows();
            int classes = xl.classes();
            for (int r = 0; r < rows; r++) {
                int xb = xl.rowIndex(r);
                float m = rowMax(x, xb, classes);
                float d = rowSumExp(x, xb, classes, m);
                out[ol.rowIndex(r)] = (float) ((m - x[xb + y[yl.rowIndex(r)]]) + Math.log(d));
            }
        } else if (innerPath(xl) && rowsContiguous(yl) && rowsContiguous(ol)) {
            for (int n = 0; n < xl.outer(); n++) {
                for (int i = 0; i < xl.inner(); i += L) {
                    sparseSoftmaxTile(x, xl, y, yl, out, ol, n, i);
                }
            }
        } else {
            super.sparseSoftmaxCrossEntropy(x, xl, y, yl, out, ol);
        }
    }

    private static void sparseSoftmaxTile(float[] x, Layout xl, int[] y, Layout yl, float[] out, Layout ol, int n, int i) {
        int classes = xl.classes();
        int xs = xl.classStride();
        int xb = xl.index(n, 0, i);
        int r = n * xl.inner() + i;
        VectorMask<Float> mask = S.indexInRange(i, xl.inner());
        boolean full = mask.allTrue();
        IntVector yv = full ? IntVector.fromArray(SI, y, yl.rowIndex(r))
                : IntVector.fromArray(SI, y, yl.rowIndex(r), SI.indexInRange(i, xl.inner()));
        FloatVector vm = FloatVector.broadcast(S, NEG_INF);
        for (int c = 0; c < classes; c++) {
            vm = vm.max(load(x, xb + c * xs, mask, full));
        }
        FloatVector d = FloatVector.zero(S);
        FloatVector dc = d;
        FloatVector xy = d;
        for (int c0 = 0; c0 < classes; c0 += TILE_BLOCK) {
            int end = Math.min(classes, c0 + TILE_BLOCK);
            FloatVector db = FloatVector.zero(S);
            for (int c = c0; c < end; c++) {
                FloatVector v = load(x, xb + c * xs, mask, full);
                db = db.add(v.sub(vm).lanewise(VectorOperators.EXP));
                xy = xy.blend(v, yv.compare(VectorOperators.EQ, c).cast(S));
            }
            FloatVector t = db.sub(dc);
            FloatVector sum = d.add(t);
            dc = sum.sub(d).sub(t);
            d = sum;
        }
        FloatVector loss = vm.sub(xy).add(d.lanewise(VectorOperators.LOG));
        store(loss, out, ol, r, mask, full);
    }

    // =====================================================================================================
    // sigmoid cross-entropy and binary cross-entropy from probabilities (elementwise or mean over classes)
    // =====================================================================================================

    @Override
    public void sigmoidCrossEntropy(float[] x, Layout xl, float[] z, Layout zl, float[] out, Layout ol) {
        if (!elementwise(false, x, xl, z, zl, 0f, out, ol)) {
            super.sigmoidCrossEntropy(x, xl, z, zl, out, ol);
        }
    }

    @Override
    public void binaryCrossEntropy(float[] p, Layout pl, float[] z, Layout zl, float eps, float[] out, Layout ol) {
        if (!elementwise(true, p, pl, z, zl, eps, out, ol)) {
            super.binaryCrossEntropy(p, pl, z, zl, eps, out, ol);
        }
    }

    /** Runs the elementwise losses on a vector path if the layouts allow one; false if they do not. */
    private static boolean elementwise(boolean probabilities, float[] x, Layout xl, float[] z, Layout zl, float eps,
                                       float[] out, Layout ol) {
        int classes = xl.classes();
        boolean mean = ol.classes() != classes;
        if (!mean) {
            if (xl.classStride() == 1 && zl.classStride() == 1 && ol.classStride() == 1) {
                for (int r = 0, rows = xl.rows(); r < rows; r++) {
                    run(probabilities, x, xl.rowIndex(r), z, zl.rowIndex(r), eps, out, ol.rowIndex(r), classes);
                }
                return true;
            }
            if (xl.innerStride() == 1 && zl.innerStride() == 1 && ol.innerStride() == 1 && xl.inner() > 1) {
                for (int n = 0; n < xl.outer(); n++) {
                    for (int c = 0; c < classes; c++) {
                        run(probabilities, x, xl.index(n, c, 0), z, zl.index(n, c, 0), eps, out, ol.index(n, c, 0), xl.inner());
                    }
                }
                return true;
            }
            return false;
        }
        if (xl.classStride() == 1 && zl.classStride() == 1) {
            for (int r = 0, rows = xl.rows(); r < rows; r++) {
                out[ol.rowIndex(r)] = rowMean(probabilities, x, xl.rowIndex(r), z, zl.rowIndex(r), eps, classes);
            }
            return true;
        }
        if (innerPath(xl) && zl.innerStride() == 1 && rowsContiguous(ol)) {
            for (int n = 0; n < xl.outer(); n++) {
                for (int i = 0; i < xl.inner(); i += L) {
                    meanTile(probabilities, x, xl, z, zl, eps, out, ol, n, i);
                }
            }
            return true;
        }
        return false;
    }

    /** The elementwise loss of one vector. */
    private static FloatVector loss(boolean probabilities, FloatVector v, FloatVector zv, float eps) {
        if (probabilities) {
            FloatVector pc = v.max(eps).min(1f - eps);
            FloatVector one = FloatVector.broadcast(S, 1f);
            return zv.mul(pc.lanewise(VectorOperators.LOG))
                    .add(one.sub(zv).mul(one.sub(pc).lanewise(VectorOperators.LOG)))
                    .neg();
        }
        FloatVector softplus = v.lanewise(VectorOperators.ABS).neg().lanewise(VectorOperators.EXP)
                .lanewise(VectorOperators.LOG1P);
        return v.max(0f).sub(v.mul(zv)).add(softplus);
    }

    private static void run(boolean probabilities, float[] x, int xb, float[] z, int zb, float eps, float[] out, int ob, int len) {
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += L) {
            loss(probabilities, FloatVector.fromArray(S, x, xb + k), FloatVector.fromArray(S, z, zb + k), eps)
                    .intoArray(out, ob + k);
        }
        if (k < len) {
            VectorMask<Float> mask = S.indexInRange(k, len);
            loss(probabilities, FloatVector.fromArray(S, x, xb + k, mask), FloatVector.fromArray(S, z, zb + k, mask), eps)
                    .intoArray(out, ob + k, mask);
        }
    }

    private static float rowMean(boolean probabilities, float[] x, int xb, float[] z, int zb, float eps, int classes) {
        double sum = 0;
        for (int c0 = 0; c0 < classes; c0 += BLOCK) {
            int end = Math.min(classes, c0 + BLOCK);
            FloatVector acc = FloatVector.zero(S);
            int c = c0;
            for (int bound = c0 + S.loopBound(end - c0); c < bound; c += L) {
                acc = acc.add(loss(probabilities, FloatVector.fromArray(S, x, xb + c), FloatVector.fromArray(S, z, zb + c), eps));
            }
            if (c < end) {
                VectorMask<Float> mask = S.indexInRange(c, end);
                acc = acc.add(loss(probabilities, FloatVector.fromArray(S, x, xb + c, mask),
                        FloatVector.fromArray(S, z, zb + c, mask), eps), mask);
            }
            sum += acc.reduceLanes(VectorOperators.ADD);
        }
        return (float) (sum / classes);
    }

    private static void meanTile(boolean probabilities, float[] x, Layout xl, float[] z, Layout zl, float eps,
                                 float[] out, Layout ol, int n, int i) {
        int classes = xl.classes();
        int xb = xl.index(n, 0, i);
        int zb = zl.index(n, 0, i);
        VectorMask<Float> mask = S.indexInRange(i, xl.inner());
        boolean full = mask.allTrue();
        FloatVector acc = FloatVector.zero(S);
        FloatVector comp = acc;
        for (int c0 = 0; c0 < classes; c0 += TILE_BLOCK) {
            int end = Math.min(classes, c0 + TILE_BLOCK);
            FloatVector block = FloatVector.zero(S);
            for (int c = c0; c < end; c++) {
                block = block.add(loss(probabilities, load(x, xb + c * xl.classStride(), mask, full),
                        load(z, zb + c * zl.classStride(), mask, full), eps));
            }
            FloatVector t = block.sub(comp);
            FloatVector sum = acc.add(t);
            comp = sum.sub(acc).sub(t);
            acc = sum;
        }
        store(acc.div(classes), out, ol, n * xl.inner() + i, mask, full);
    }

    // =====================================================================================================
    // categorical and sparse categorical cross-entropy from probabilities
    // =====================================================================================================

    @Override
    public void categoricalCrossEntropy(float[] p, Layout pl, float[] t, Layout tl, float eps, float[] out, Layout ol) {
        if (pl.classStride() == 1 && (tl.classStride() == 1 || tl.classes() == 1)) {
            int rows = pl.rows();
            int classes = pl.classes();
            for (int r = 0; r < rows; r++) {
                out[ol.rowIndex(r)] = categoricalRow(p, pl.rowIndex(r), classes, t, tl.rowIndex(r), eps);
            }
        } else if (innerPath(pl) && tl.innerStride() == 1 && rowsContiguous(ol)) {
            for (int n = 0; n < pl.outer(); n++) {
                for (int i = 0; i < pl.inner(); i += L) {
                    categoricalTile(p, pl, t, tl, eps, out, ol, n, i);
                }
            }
        } else {
            super.categoricalCrossEntropy(p, pl, t, tl, eps, out, ol);
        }
    }

    private static float categoricalRow(float[] p, int pb, int classes, float[] t, int tb, float eps) {
        FloatVector vs = FloatVector.broadcast(S, rowSum(p, pb, classes));
        double loss = 0;
        for (int c0 = 0; c0 < classes; c0 += BLOCK) {
            int end = Math.min(classes, c0 + BLOCK);
            FloatVector acc = FloatVector.zero(S);
            int c = c0;
            for (int bound = c0 + S.loopBound(end - c0); c < bound; c += L) {
                FloatVector q = FloatVector.fromArray(S, p, pb + c).div(vs).max(eps).min(1f - eps);
                acc = acc.add(FloatVector.fromArray(S, t, tb + c).mul(q.lanewise(VectorOperators.LOG)));
            }
            if (c < end) {
                VectorMask<Float> mask = S.indexInRange(c, end);
                FloatVector q = FloatVector.fromArray(S, p, pb + c, mask).div(vs).max(eps).min(1f - eps);
                acc = acc.add(FloatVector.fromArray(S, t, tb + c, mask).mul(q.lanewise(VectorOperators.LOG)), mask);
            }
            loss -= acc.reduceLanes(VectorOperators.ADD);
        }
        return (float) loss;
    }

    private static void categoricalTile(float[] p, Layout pl, float[] t, Layout tl, float eps, float[] out, Layout ol,
                                        int n, int i) {
        int classes = pl.classes();
        int ps = pl.classStride();
        int pb = pl.index(n, 0, i);
        int tb = tl.index(n, 0, i);
        VectorMask<Float> mask = S.indexInRange(i, pl.inner());
        boolean full = mask.allTrue();
        FloatVector s = columnSum(p, pb, ps, classes, mask, full);
        FloatVector acc = FloatVector.zero(S);
        FloatVector comp = acc;
        for (int c0 = 0; c0 < classes; c0 += TILE_BLOCK) {
            int end = Math.min(classes, c0 + TILE_BLOCK);
            FloatVector block = FloatVector.zero(S);
            for (int c = c0; c < end; c++) {
                FloatVector q = load(p, pb + c * ps, mask, full).div(s).max(eps).min(1f - eps);
                block = block.add(load(t, tb + c * tl.classStride(), mask, full).mul(q.lanewise(VectorOperators.LOG)));
            }
            FloatVector y = block.sub(comp);
            FloatVector sum = acc.add(y);
            comp = sum.sub(acc).sub(y);
            acc = sum;
        }
        store(acc.neg(), out, ol, n * pl.inner() + i, mask, full);
    }

    @Override
    public void sparseCategoricalCrossEntropy(float[] p, Layout pl, int[] y, Layout yl, float eps, float[] out, Layout ol) {
        if (pl.classStride() == 1) {
            int rows = pl.rows();
            int classes = pl.classes();
            for (int r = 0; r < rows; r++) {
                int pb = pl.rowIndex(r);
                float s = rowSum(p, pb, classes);
                float q = Math.min(Math.max(p[pb + y[yl.rowIndex(r)]] / s, eps), 1f - eps);
                out[ol.rowIndex(r)] = (float) -Math.log(q);
            }
        } else if (innerPath(pl) && rowsContiguous(yl) && rowsContiguous(ol)) {
            for (int n = 0; n < pl.outer(); n++) {
                for (int i = 0; i < pl.inner(); i += L) {
                    sparseCategoricalTile(p, pl, y, yl, eps, out, ol, n, i);
                }
            }
        } else {
            super.sparseCategoricalCrossEntropy(p, pl, y, yl, eps, out, ol);
        }
    }

    private static void sparseCategoricalTile(float[] p, Layout pl, int[] y, Layout yl, float eps, float[] out, Layout ol,
                                              int n, int i) {
        int classes = pl.classes();
        int ps = pl.classStride();
        int pb = pl.index(n, 0, i);
        int r = n * pl.inner() + i;
        VectorMask<Float> mask = S.indexInRange(i, pl.inner());
        boolean full = mask.allTrue();
        IntVector yv = full ? IntVector.fromArray(SI, y, yl.rowIndex(r))
                : IntVector.fromArray(SI, y, yl.rowIndex(r), SI.indexInRange(i, pl.inner()));
        FloatVector py = FloatVector.zero(S);
        for (int c = 0; c < classes; c++) {
            py = py.blend(load(p, pb + c * ps, mask, full), yv.compare(VectorOperators.EQ, c).cast(S));
        }
        FloatVector q = py.div(columnSum(p, pb, ps, classes, mask, full)).max(eps).min(1f - eps);
        store(q.lanewise(VectorOperators.LOG).neg(), out, ol, r, mask, full);
    }

    // =====================================================================================================
    // shared row passes and tile loads/stores
    // =====================================================================================================

    /** {@code max_c x[xb + c]}, NaN if any element is NaN. */
    static float rowMax(float[] x, int xb, int classes) {
        FloatVector m0 = FloatVector.broadcast(S, NEG_INF);
        FloatVector m1 = m0;
        int c = 0;
        int bound2 = classes - 2 * L;
        for (; c <= bound2; c += 2 * L) {
            m0 = m0.max(FloatVector.fromArray(S, x, xb + c));
            m1 = m1.max(FloatVector.fromArray(S, x, xb + c + L));
        }
        if (c + L <= classes) {
            m0 = m0.max(FloatVector.fromArray(S, x, xb + c));
            c += L;
        }
        if (c < classes) {
            VectorMask<Float> mask = S.indexInRange(c, classes);
            m1 = m1.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, x, xb + c, mask), mask);
        }
        return m0.max(m1).reduceLanes(VectorOperators.MAX);
    }

    /** {@code Σ_c exp(x[xb + c] − m)}: float lanes within a block of {@link #BLOCK} classes, blocks added in double. */
    static float rowSumExp(float[] x, int xb, int classes, float m) {
        if (classes <= BLOCK) {
            return sumExpBlock(x, xb, classes, m);
        }
        double d = 0;
        for (int c0 = 0; c0 < classes; c0 += BLOCK) {
            d += sumExpBlock(x, xb + c0, Math.min(BLOCK, classes - c0), m);
        }
        return (float) d;
    }

    private static float sumExpBlock(float[] x, int xb, int len, float m) {
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int c = 0;
        for (int bound2 = len - 2 * L; c <= bound2; c += 2 * L) {
            s0 = s0.add(FloatVector.fromArray(S, x, xb + c).sub(vm).lanewise(VectorOperators.EXP));
            s1 = s1.add(FloatVector.fromArray(S, x, xb + c + L).sub(vm).lanewise(VectorOperators.EXP));
        }
        if (c + L <= len) {
            s0 = s0.add(FloatVector.fromArray(S, x, xb + c).sub(vm).lanewise(VectorOperators.EXP));
            c += L;
        }
        if (c < len) {
            VectorMask<Float> mask = S.indexInRange(c, len);
            s1 = s1.add(FloatVector.fromArray(S, x, xb + c, mask).sub(vm).lanewise(VectorOperators.EXP), mask);
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    /** {@code Σ_c p[pb + c]}: float lanes within a block of {@link #BLOCK} classes, blocks added in double. */
    static float rowSum(float[] p, int pb, int classes) {
        double total = 0;
        for (int c0 = 0; c0 < classes; c0 += BLOCK) {
            int end = Math.min(classes, c0 + BLOCK);
            FloatVector s0 = FloatVector.zero(S);
            int c = c0;
            for (int bound = c0 + S.loopBound(end - c0); c < bound; c += L) {
                s0 = s0.add(FloatVector.fromArray(S, p, pb + c));
            }
            if (c < end) {
                VectorMask<Float> mask = S.indexInRange(c, end);
                s0 = s0.add(FloatVector.fromArray(S, p, pb + c, mask), mask);
            }
            total += s0.reduceLanes(VectorOperators.ADD);
        }
        return (float) total;
    }

    /** {@code Σ_c p[pb + c·ps + lane]} over the classes, in blocks of {@link #TILE_BLOCK} folded with compensation. */
    private static FloatVector columnSum(float[] p, int pb, int ps, int classes, VectorMask<Float> mask, boolean full) {
        FloatVector s = FloatVector.zero(S);
        FloatVector comp = s;
        for (int c0 = 0; c0 < classes; c0 += TILE_BLOCK) {
            int end = Math.min(classes, c0 + TILE_BLOCK);
            FloatVector block = FloatVector.zero(S);
            for (int c = c0; c < end; c++) {
                block = block.add(load(p, pb + c * ps, mask, full));
            }
            FloatVector y = block.sub(comp);
            FloatVector sum = s.add(y);
            comp = sum.sub(s).sub(y);
            s = sum;
        }
        return s;
    }

    private static FloatVector load(float[] a, int index, VectorMask<Float> mask, boolean full) {
        return full ? FloatVector.fromArray(S, a, index) : FloatVector.fromArray(S, a, index, mask);
    }

    /** Stores the losses of the rows {@code r .. r+L} (under the mask) into a per-row layout whose inner stride is 1. */
    private static void store(FloatVector v, float[] out, Layout ol, int r, VectorMask<Float> mask, boolean full) {
        int ob = ol.rowIndex(r);
        if (full) {
            v.intoArray(out, ob);
        } else {
            v.intoArray(out, ob, mask);
        }
    }
}
