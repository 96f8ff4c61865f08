package dev.xent.internal.vector;

import dev.xent.HalfFloat;
import dev.xent.Layout;
import dev.xent.internal.LossParams;
import dev.xent.internal.scalar.ScalarKernels;
import static dev.xent.internal.vector.VectorMath.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD backend on {@code jdk.incubator.vector}.
 *
 * <p>Three ways through a batch, chosen per call from the layouts:
 * <ul>
 *   <li><b>rows</b> (class axis contiguous, {@code C ≥ L}): one row at a time, vectorised along the classes.
 *       The row tail is one more full vector ending at the last class, its lanes that were already counted
 *       masked out of the sums (the maximum does not mind counting them twice).</li>
 *   <li><b>tiles</b>: {@code L} rows at once, one per lane, the maximum and the sums taken vertically over the
 *       classes, so there are no horizontal reductions. Lane {@code j} of class {@code c} is at
 *       {@code base + c·classStride + j·laneStride}. With the class axis strided and the inner axis contiguous
 *       (NCHW, class axis 1) the lanes are neighbouring inner positions and the loads are plain loads; with
 *       few classes ({@code C < L}, class axis last) the lanes are neighbouring rows, gathered
 *       ({@code laneStride = rowStride}), so a 16-lane vector does not run mostly empty. The last tile
 *       overlaps the one before it rather than running under a mask; overlapping rows get the same values.</li>
 *   <li>anything else (neither axis contiguous, strides too wide to gather, a short batch at the very end of an
 *       array) runs on the inherited scalar code, which computes the same formulas.</li>
 * </ul>
 * Nothing here allocates: no masks from {@code indexInRange}, no masked stores and no {@code LOG1P} (each
 * of which boxes on JDK 17), no lambdas.
 *
 * <p>exp, log1p and log are {@link VectorMath}'s FMA polynomials, written out at each use ({@code exN}, {@code lpN},
 * {@code lgN} locals, each marked by a comment) rather than called: C2 inlines a method of ours only while the
 * caller is under its node budget ({@code NodeCountInliningCutoff}), and a kernel loop with two or three of these
 * calls is over it; the call then stays a call and boxes its vectors. The Vector API's own methods are force-inlined
 * and do not have that limit. For the same reason the per-row helpers with such loops are kept either small or
 * above 325 bytecodes ({@code FreqInlineSize}), so that a caller never inlines one into its own budget, and loops
 * that differ in how they load (plain or gathered) are separate loops.
 *
 * <p>Few classes, class axis last (tiles of L rows): sparse softmax CE of {@code [N, 2]} splits two plain loads
 * into the two classes with constant lane shuffles (about 17 elements/ns, against about 2.3 for gathers) and takes
 * the softplus of the logit gap; for {@code 2 < C < L}, and for tiles across the inner axis, it takes one pass
 * shifted by a logit of the row (the label's, or the first class's with the label's applied at the end), capped so
 * that nothing overflows unseen: lanes out of the safe range come back NaN and are recomputed by the two-pass tile.
 *
 * <p>Sums along a row are kept in float lanes for a block of classes ({@link #BLOCK}, or {@link #PLAIN_BLOCK} and
 * {@link #TERM_BLOCK} for sums of loss terms: at most 8 additions per lane, 9 with a row's last partial vector) and
 * then added in double; vertical sums in a tile are compensated (Kahan). Either way the rounding error does not grow with the number of classes. Loss
 * terms are summed in float only when they all have one sign (dense-label softmax and categorical CE: labels
 * non-negative; sigmoid and binary means: terms non-negative), checked by or-ing their bits; a row or tile lane with a
 * sign bit set takes the scalar row in double, where terms of both signs may cancel without losing the result.
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
    /** The same vector size in 16-bit lanes (2L): one load of half-precision logits gives two float vectors. */
    static final VectorSpecies<Short> SS = S.withLanes(short.class);

    /**
     * Classes summed in float lanes before the partial sum is added in double (row path): 64 vectors, 1024 classes at
     * 16 lanes, so that each lane adds the same number of terms per block (32 per accumulator) at every width (a fixed
     * 1024 classes made that 256 at 64 bits, where a confident row's others' sum lost 2.4e-6 of itself).
     */
    static final int BLOCK = 64 * L;
    /**
     * Classes per float block of {@link #rowSumExpShifted}: 16 vectors, so each of its two accumulators adds 8 terms
     * per block at every width (a lane holding a large term loses at most 2^−24 of it per addition, 4.8e-7 per block).
     */
    static final int PLAIN_BLOCK = 16 * L;

    /**
     * Rows of sparse softmax CE with at least this many classes sum the other classes' terms without counting ties
     * ({@link #rowSumExpOthers}); shorter rows count them ({@link #rowSumExpShifted}). 512 at 16 lanes.
     */
    static final int OTHERS_MIN_CLASSES = 2 * PLAIN_BLOCK;
    /**
     * Classes per float block of {@link #rowSumExpOthers}: 32 vectors in four accumulators, 8 terms per lane and
     * accumulator per block as in {@link #PLAIN_BLOCK}, with half the blocks (each block is a call).
     */
    static final int OTHERS_BLOCK = 32 * L;

    /**
     * Classes whose loss terms (dense softmax, categorical CE, sigmoid and binary means) are summed in one float
     * accumulator before the sum goes to double: 8 additions per lane at every width.
     */
    static final int TERM_BLOCK = 8 * L;
    /**
     * Sparse softmax CE with the class axis last and fewer classes than this runs in packed tiles (L rows per tile):
     * below it one row per call costs more than the gathers (JDK 25, 16 lanes: C = 32 row path 0.66 elements/ns,
     * tiles 0.83; C = 48 equal at 0.87; C = 56 row path 0.95, tiles 0.80).
     */
    static final int PACKED_SPARSE_CLASSES = 3 * L;
    /**
     * The same for softmax CE with dense labels (JDK 25, 16 lanes, tiles against the row path: C = 16 and 20 1.6×
     * faster, 24 1.17×, 28 1.11×; the row path wins from 32, by 1.22×).
     */
    static final int PACKED_DENSE_CLASSES = 2 * L;
    /**
     * Dense-label softmax rows, tiles and pairs with {@code Σt·C} above this take the scalar row, in double (pairs
     * from a label sum of 2^128 / 2^86 = 4.4e12). A float {@code x − m} is rounded by up to half an ulp, 1.9e-6 for
     * {@code x − m} in [−64, −32], which puts the term {@code exp(x − m)} off by up to 1.9e-6 of itself; in a
     * confident row such terms make the whole loss {@code Σt·log1p(d)}, and with {@code Σt·C} above about 5e14 that
     * loss exceeds 7, where the float steps after it break the {@code 1e-6 + 2e-6·|ref|} bar (review 2026-12-02: 2.0e-6 at {@code t = 1e28}; 3.9e-6 at 2.5e29 with terms below
     * e^−64). Labels that sum to 1 per row stay far below it.
     */
    static final double LARGE_LABELS = 1e13;
    /** The widest lane stride a tile gathers with. */
    static final int MAX_LANE_STRIDE = 256;
    /**
     * Binary CE takes one log for a vector whose labels are all 0 or 1 (the same bits as the two-log form); after a
     * vector with another label, this many vectors of the same run, row or tile skip the check (soft labels, as after
     * label smoothing, come in whole batches: a check per vector cost them about 10 %).
     */
    static final int SOFT_SKIP = 32;

    private static final int[][] LANE_MAPS = laneMaps();
    private static final float[] IOTA = iota();
    /** {@code 2j} and {@code 2j + 1}: the element of the half vector that lane j of the low/high float vector holds. */
    private static final float[] EVEN = scaled(0);
    private static final float[] ODD = scaled(1);
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;
    /**
     * Lane {@code i} to lane {@code i XOR h}, {@code h = L/2, L/4, L/8, L/16} (for fewer lanes the later ones are not
     * used; {@link #chooseSpecies} keeps L ≤ 16): a vector added to each swap in turn holds the sum of its lanes, added in one fixed order, in every lane.
     * The kernels sum their float lanes so instead of by {@code reduceLanes(ADD)}, whose order is left to the
     * implementation (sequential in the Vector API's Java code and in JDK 17's C2, a tree in JDK 25's C2), so that a loss
     * has the same bits interpreted and compiled (README, Determinism; {@code TierIndependentBitsTest}). Constants, so
     * that C2 folds each shuffle (an array of shuffles walked in a loop cost 15–20 % at C = 100). Counts of maxima,
     * exact in any order, keep {@code reduceLanes}.
     */
    private static final VectorShuffle<Float> SWAP_HALVES = laneSwap(2);
    private static final VectorShuffle<Float> SWAP_QUARTERS = laneSwap(4);
    private static final VectorShuffle<Float> SWAP_EIGHTHS = laneSwap(8);
    private static final VectorShuffle<Float> SWAP_SIXTEENTHS = laneSwap(16);
    /** Lane j takes lane (2j) mod L, resp. (2j + 1) mod L: class 0 and class 1 of row j of a [N, 2] block. */
    private static final VectorShuffle<Float> PAIR_FIRST = VectorShuffle.fromArray(S, pairLanes(0), 0);
    private static final VectorShuffle<Float> PAIR_SECOND = VectorShuffle.fromArray(S, pairLanes(1), 0);

    // operation codes for the shared tile and row drivers
    private static final int SOFTMAX = 0;
    private static final int SPARSE_SOFTMAX = 1;
    private static final int SIGMOID_MEAN = 2;
    private static final int BINARY_MEAN = 3;
    private static final int CATEGORICAL = 4;
    private static final int SPARSE_CATEGORICAL = 5;

    private VectorKernels() {
    }

    private static VectorSpecies<Float> chooseSpecies() {
        String bits = System.getProperty("xent.vector.bits", "").trim();
        switch (bits) {
            case "":
                // at most 16 lanes: the fixed-order lane sums take four swap steps (SWAP_HALVES … SWAP_SIXTEENTHS);
                // wider vectors (SVE at 1024 or 2048 bits) run at 512 bits
                return FloatVector.SPECIES_PREFERRED.length() > 16 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
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

    private static int[][] laneMaps() {
        int lanes = chooseSpecies().length();
        int[][] maps = new int[MAX_LANE_STRIDE + 1][lanes];
        for (int s = 0; s <= MAX_LANE_STRIDE; s++) {
            for (int j = 0; j < lanes; j++) {
                maps[s][j] = j * s;
            }
        }
        return maps;
    }

    private static float[] iota() {
        float[] a = new float[chooseSpecies().length()];
        for (int j = 0; j < a.length; j++) {
            a[j] = j;
        }
        return a;
    }

    /** Lane {@code i} to lane {@code i XOR (L / parts)}; the identity when {@code parts > L}. */
    private static VectorShuffle<Float> laneSwap(int parts) {
        VectorSpecies<Float> species = chooseSpecies();
        int lanes = species.length();
        int h = lanes / parts;
        int[] map = new int[lanes];
        for (int j = 0; j < lanes; j++) {
            map[j] = j ^ h;
        }
        return VectorShuffle.fromArray(species, map, 0);
    }

    private static int[] pairLanes(int add) {
        int lanes = chooseSpecies().length();
        int[] a = new int[lanes];
        for (int j = 0; j < lanes; j++) {
            a[j] = (2 * j + add) % lanes;
        }
        return a;
    }

    private static float[] scaled(int add) {
        float[] a = iota();
        for (int j = 0; j < a.length; j++) {
            a[j] = 2 * a[j] + add;
        }
        return a;
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public String species() {
        return S.toString();
    }

    // =====================================================================================================
    // entry points
    // =====================================================================================================

    @Override
    public void softmaxCrossEntropy(float[] x, Layout xl, float[] t, Layout tl, float[] out, Layout ol) {
        if (!run(SOFTMAX, x, xl, t, tl, null, null, 0f, out, ol)) {
            super.softmaxCrossEntropy(x, xl, t, tl, out, ol);
        }
    }

    @Override
    public void sparseSoftmaxCrossEntropy(float[] x, Layout xl, int[] y, Layout yl, float[] out, Layout ol) {
        if (!run(SPARSE_SOFTMAX, x, xl, null, null, y, yl, 0f, out, ol)) {
            super.sparseSoftmaxCrossEntropy(x, xl, y, yl, out, ol);
        }
    }

    /**
     * 16-bit logits, class axis contiguous and {@code C ≥ 2L}: each load of 2L halves is reinterpreted as L ints
     * whose low and high 16 bits are two elements, widened with shifts and masks (bfloat16) or the float16
     * exponent rebias (no conversion instructions, which box on JDK 17). The sum does not care which element sits
     * in which lane. As {@link #sparseRows}: one pass shifted by the label's logit with the elements equal to it
     * counted apart ({@link #bf16RowSumExpShifted}, {@link #f16RowSumExpShifted}), the loss {@code log1p(d − 1)} in
     * double; a row beyond {@link #SHIFTED_SUM_LIMIT} (a logit about 85.2 above the label's), with +∞, −∞ at the label
     * or NaN takes the maximum ({@link #halfRowMax}) and a second pass. Other layouts run on the scalar code.
     */
    @Override
    public void sparseSoftmaxCrossEntropy(short[] x, HalfFloat format, Layout xl, int[] y, Layout yl, float[] out, Layout ol) {
        int classes = xl.classes();
        if (xl.classStride() != 1 || classes < 2 * L) {
            super.sparseSoftmaxCrossEntropy(x, format, xl, y, yl, out, ol);
            return;
        }
        boolean bf16 = format == HalfFloat.BFLOAT16;
        for (int r = 0, rows = xl.rows(); r < rows; r++) {
            int xb = xl.rowIndex(r);
            float xy = format.toFloat(x[xb + y[yl.rowIndex(r)]]);
            double u = bf16 ? bf16RowSumExpShifted(x, xb, classes, xy) : f16RowSumExpShifted(x, xb, classes, xy);
            double loss;
            if (u <= SHIFTED_SUM_LIMIT) {
                // log1p(u) from the double log: exact to a few ulp of the double (d − 1 is exact)
                double d = 1 + u;
                loss = d == 1 ? u : Math.log(d) * (u / (d - 1));
            } else {
                // as sparseRows: a logit far above the label's, +∞, −∞ at the label, or NaN take two passes
                float m = halfRowMax(x, xb, classes, format);
                double d = bf16 ? bf16RowSumExp(x, xb, classes, m) : f16RowSumExp(x, xb, classes, m);
                loss = (m - xy) + Math.log(d);
            }
            out[ol.rowIndex(r)] = (float) loss;
        }
    }

    @Override
    public void sigmoidCrossEntropy(float[] x, Layout xl, float[] z, Layout zl, float[] out, Layout ol) {
        boolean done = ol.classes() == xl.classes()
                ? elementwise(false, x, xl, z, zl, 0f, out, ol)
                : run(SIGMOID_MEAN, x, xl, z, zl, null, null, 0f, out, ol);
        if (!done) {
            super.sigmoidCrossEntropy(x, xl, z, zl, out, ol);
        }
    }

    @Override
    public void binaryCrossEntropy(float[] p, Layout pl, float[] z, Layout zl, float eps, float[] out, Layout ol) {
        if (!(eps >= Float.MIN_NORMAL)) {
            // ε = 0 or subnormal: clipped probabilities can be 0 or subnormal, which the vector log (logNormal) does
            // not take; the scalar loops give these (rare) calls the same answers
            super.binaryCrossEntropy(p, pl, z, zl, eps, out, ol);
            return;
        }
        boolean done = ol.classes() == pl.classes()
                ? elementwise(true, p, pl, z, zl, eps, out, ol)
                : run(BINARY_MEAN, p, pl, z, zl, null, null, eps, out, ol);
        if (!done) {
            super.binaryCrossEntropy(p, pl, z, zl, eps, out, ol);
        }
    }

    @Override
    public void categoricalCrossEntropy(float[] p, Layout pl, float[] t, Layout tl, float eps, float[] out, Layout ol) {
        if (!(eps >= Float.MIN_NORMAL)) {
            // ε = 0 or subnormal: clipped probabilities can be 0 or subnormal, which the vector log (logNormal) does
            // not take; the scalar loops give these (rare) calls the same answers
            super.categoricalCrossEntropy(p, pl, t, tl, eps, out, ol);
            return;
        }
        if (!run(CATEGORICAL, p, pl, t, tl, null, null, eps, out, ol)) {
            super.categoricalCrossEntropy(p, pl, t, tl, eps, out, ol);
        }
    }

    @Override
    public void sparseCategoricalCrossEntropy(float[] p, Layout pl, int[] y, Layout yl, float eps, float[] out, Layout ol) {
        if (!(eps >= Float.MIN_NORMAL)) {
            // as categoricalCrossEntropy: the vector log (logNormal) does not take 0 or subnormal probabilities
            super.sparseCategoricalCrossEntropy(p, pl, y, yl, eps, out, ol);
            return;
        }
        if (!run(SPARSE_CATEGORICAL, p, pl, null, null, y, yl, eps, out, ol)) {
            super.sparseCategoricalCrossEntropy(p, pl, y, yl, eps, out, ol);
        }
    }

    @Override
    public float max(float[] x, int offset, int length) {
        return length >= L ? rowMax(x, offset, length) : super.max(x, offset, length);
    }

    @Override
    public double sumExp(float[] x, int offset, int length, float m, int less) {
        return length >= L ? rowSumExp(x, offset, length, m, less) : super.sumExp(x, offset, length, m, less);
    }

    // =====================================================================================================
    // sparse softmax with options and the fused gradient (rows with the class axis contiguous, no soft-cap)
    // =====================================================================================================

    /**
     * The training path: class weights, ignore index, label smoothing and z-loss as {@link ScalarKernels}
     * (the same per-row formulas), with the gradient {@code k·(softmax·coef − T)} written in one more pass over the
     * row. The gradient may overwrite the logits: the label's logit is read first, and the last (overlapping)
     * vector of a row is computed before anything of the row is written. Soft-capping, strided classes, short rows
     * and strided gradients run on the scalar code.
     */
    @Override
    public double sparseSoftmaxCrossEntropy(float[] x, Layout xl, int[] y, Layout yl, LossParams p, float[] sw, Layout swl,
                                            double gradScale, float[] losses, Layout ol, float[] lse, Layout lsel,
                                            float[] grad, Layout gl) {
        int classes = xl.classes();
        if (p.softcap != 0f || xl.classStride() != 1 || classes < L || (grad != null && gl.classStride() != 1)) {
            return super.sparseSoftmaxCrossEntropy(x, xl, y, yl, p, sw, swl, gradScale, losses, ol, lse, lsel, grad, gl);
        }
        float[] w = p.classWeights;
        double ls = p.labelSmoothing;
        double smooth = ls / classes;                           // T_c = w_c·ls/C, plus (1 − ls)·w_y at the label
        double weightSum = ls == 0 ? 0 : p.classWeightSum(classes);
        int bound = S.loopBound(classes);
        double total = 0;
        for (int r = 0, rows = xl.rows(); r < rows; r++) {
            int xb = xl.rowIndex(r);
            int label = y[yl.rowIndex(r)];
            double sr = sw == null ? 1 : sw[swl.rowIndex(r)];
            float m = rowMax(x, xb, classes);
            // d − 1 from the counted sum, log d as its log1p (logRowSumExp): a confident row's log1p(rest) to its
            // relative precision
            double u = rowSumExp(x, xb, classes, m, 1);
            double d = 1 + u;
            double logd = d == 1 ? u : Math.log(d) * (u / (d - 1));
            if (lse != null) {
                lse[lsel.rowIndex(r)] = (float) (m + logd);
            }
            int gb = grad == null ? 0 : gl.rowIndex(r);
            if (p.ignored(label)) {
                if (grad != null) {
                    FloatVector zero = FloatVector.zero(S);
                    for (int c = 0; c < bound; c += L) {
                        zero.intoArray(grad, gb + c);
                    }
                    zero.intoArray(grad, gb + classes - L);
                }
                if (losses != null) {
                    losses[ol.rowIndex(r)] = 0f;
                }
                continue;
            }
            float xy = x[xb + label];
            double wy = p.classWeight(label);
            double a = (1 - ls) * wy * ((double) m - xy);
            double tsum = (1 - ls) * wy;
            if (ls != 0) {
                a += smooth * weightedGap(x, xb, classes, m, w);
                tsum += smooth * weightSum;
            }
            double lseValue = m + logd;
            double loss = a + logd * tsum;
            double coef = tsum;
            if (p.zLoss != 0f) {
                loss += p.zLoss * lseValue * lseValue;
                coef += 2.0 * p.zLoss * lseValue;
            }
            float l = (float) loss;
            if (losses != null) {
                losses[ol.rowIndex(r)] = l;
            }
            total += sr * l;
            if (grad != null) {
                double k = gradScale * sr;
                FloatVector vm = FloatVector.broadcast(S, m);
                FloatVector scale = FloatVector.broadcast(S, (float) (k * coef / d));
                FloatVector off = FloatVector.broadcast(S, (float) (k * smooth));
                int lastAt = classes - L;
                // two loops rather than a choice inside one: a branch that merges vectors makes C2 box them
                if (w == null) {
                    // ex1 = exp(FloatVector.fromArray(S, x, xb + lastAt).sub(vm)): VectorMath.expNonPositive written out
                    FloatVector ex1a = FloatVector.fromArray(S, x, xb + lastAt).sub(vm);
                    FloatVector ex1t = ex1a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                    FloatVector ex1n = ex1t.sub(EXP_SHIFTER);
                    FloatVector ex1r = ex1n.lanewise(VectorOperators.FMA, -LN2_LO, ex1n.lanewise(VectorOperators.FMA, -LN2_HI, ex1a));
                    FloatVector ex1q = ex1r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex1r, Q3)
                            .lanewise(VectorOperators.FMA, ex1r, Q2).lanewise(VectorOperators.FMA, ex1r, Q1).lanewise(VectorOperators.FMA, ex1r, 1f);
                    FloatVector ex1 = ex1q.lanewise(VectorOperators.FMA, ex1r, 1f)
                            .mul(ex1t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                            .blend(0f, ex1a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                    FloatVector lastV = ex1.mul(scale).sub(off);
                    for (int c = 0; c < bound; c += L) {
                        // ex2 = exp(FloatVector.fromArray(S, x, xb + c).sub(vm)): VectorMath.expNonPositive written out
                        FloatVector ex2a = FloatVector.fromArray(S, x, xb + c).sub(vm);
                        FloatVector ex2t = ex2a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                        FloatVector ex2n = ex2t.sub(EXP_SHIFTER);
                        FloatVector ex2r = ex2n.lanewise(VectorOperators.FMA, -LN2_LO, ex2n.lanewise(VectorOperators.FMA, -LN2_HI, ex2a));
                        FloatVector ex2q = ex2r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex2r, Q3)
                                .lanewise(VectorOperators.FMA, ex2r, Q2).lanewise(VectorOperators.FMA, ex2r, Q1).lanewise(VectorOperators.FMA, ex2r, 1f);
                        FloatVector ex2 = ex2q.lanewise(VectorOperators.FMA, ex2r, 1f)
                                .mul(ex2t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                                .blend(0f, ex2a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                        ex2.mul(scale).sub(off).intoArray(grad, gb + c);
                    }
                    lastV.intoArray(grad, gb + lastAt);
                } else {
                    // ex3 = exp(FloatVector.fromArray(S, x, xb + lastAt).sub(vm)): VectorMath.expNonPositive written out
                    FloatVector ex3a = FloatVector.fromArray(S, x, xb + lastAt).sub(vm);
                    FloatVector ex3t = ex3a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                    FloatVector ex3n = ex3t.sub(EXP_SHIFTER);
                    FloatVector ex3r = ex3n.lanewise(VectorOperators.FMA, -LN2_LO, ex3n.lanewise(VectorOperators.FMA, -LN2_HI, ex3a));
                    FloatVector ex3q = ex3r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex3r, Q3)
                            .lanewise(VectorOperators.FMA, ex3r, Q2).lanewise(VectorOperators.FMA, ex3r, Q1).lanewise(VectorOperators.FMA, ex3r, 1f);
                    FloatVector ex3 = ex3q.lanewise(VectorOperators.FMA, ex3r, 1f)
                            .mul(ex3t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                            .blend(0f, ex3a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                    FloatVector lastV = ex3.mul(scale)
                            .sub(off.mul(FloatVector.fromArray(S, w, lastAt)));
                    for (int c = 0; c < bound; c += L) {
                        // ex4 = exp(FloatVector.fromArray(S, x, xb + c).sub(vm)): VectorMath.expNonPositive written out
                        FloatVector ex4a = FloatVector.fromArray(S, x, xb + c).sub(vm);
                        FloatVector ex4t = ex4a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                        FloatVector ex4n = ex4t.sub(EXP_SHIFTER);
                        FloatVector ex4r = ex4n.lanewise(VectorOperators.FMA, -LN2_LO, ex4n.lanewise(VectorOperators.FMA, -LN2_HI, ex4a));
                        FloatVector ex4q = ex4r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex4r, Q3)
                                .lanewise(VectorOperators.FMA, ex4r, Q2).lanewise(VectorOperators.FMA, ex4r, Q1).lanewise(VectorOperators.FMA, ex4r, 1f);
                        FloatVector ex4 = ex4q.lanewise(VectorOperators.FMA, ex4r, 1f)
                                .mul(ex4t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                                .blend(0f, ex4a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                        ex4.mul(scale)
                                .sub(off.mul(FloatVector.fromArray(S, w, c))).intoArray(grad, gb + c);
                    }
                    lastV.intoArray(grad, gb + lastAt);
                }
                // the label's element, in double as the scalar code forms it
                double ty = smooth * (w == null ? 1 : w[label]) + (1 - ls) * wy;
                grad[gb + label] = (float) (k * (Math.exp((double) xy - m) / d * coef - ty));
            }
        }
        return total;
    }

    /** {@code Σ_c w_c·(m − x_c)} (w = 1 without class weights; terms with {@code w_c = 0} are 0 even for x = −inf), in double. */
    private static double weightedGap(float[] x, int xb, int classes, float m, float[] w) {
        FloatVector vm = FloatVector.broadcast(S, m);
        double total = 0;
        for (int c0 = 0; c0 < classes; c0 += BLOCK) {
            int end = Math.min(classes, c0 + BLOCK);
            FloatVector acc = FloatVector.zero(S);
            if (w == null) {
                for (int c = c0; c < end; c += L) {
                    FloatVector gap = vm.sub(FloatVector.fromArray(S, x, xb + Math.min(c, classes - L)));
                    acc = acc.add(FloatVector.zero(S).blend(gap, FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.GE, (float) (L - Math.min(L, classes - c)))));
                }
            } else {
                for (int c = c0; c < end; c += L) {
                    int k = Math.min(c, classes - L);
                    FloatVector wv = FloatVector.fromArray(S, w, k);
                    FloatVector gap = vm.sub(FloatVector.fromArray(S, x, xb + k)).mul(wv).blend(0f, wv.compare(VectorOperators.EQ, 0f));
                    acc = acc.add(FloatVector.zero(S).blend(gap, FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.GE, (float) (L - Math.min(L, classes - c)))));
                }
            }
            FloatVector lanes0 = acc;
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes0 = lanes0.add(lanes0.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes0 = lanes0.add(lanes0.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes0 = lanes0.add(lanes0.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes0 = lanes0.add(lanes0.rearrange(SWAP_SIXTEENTHS));
            }
            total += lanes0.lane(0);
        }
        return total;
    }

    // =====================================================================================================
    // building blocks: log-sum-exp, log-softmax, softmax (rows with the class axis contiguous, no soft-cap)
    // =====================================================================================================

    @Override
    public void logSumExp(float[] x, Layout xl, float softcap, float[] out, Layout ol) {
        int classes = xl.classes();
        if (softcap != 0f || xl.classStride() != 1 || classes < L) {
            super.logSumExp(x, xl, softcap, out, ol);
            return;
        }
        for (int r = 0, rows = xl.rows(); r < rows; r++) {
            int xb = xl.rowIndex(r);
            float m = rowMax(x, xb, classes);
            out[ol.rowIndex(r)] = (float) (m + logRowSumExp(x, xb, classes, m));
        }
    }

    /**
     * {@code log Σ_c exp(x[xb + c] − m)} for the row's maximum {@code m}, as {@code log1p(d − 1)} with
     * {@code d − 1 = (k − 1) + rest}, the k maxima counted apart ({@link #rowSumExp} with {@code less = 1}), log1p in
     * Goldberg's form from the double log: a confident row's {@code log1p(rest)} keeps its relative precision, which
     * the log of the sum rounded in double did not (1e-5 relative at a loss of 1e-11, up to 100 % below 1e-16, where
     * {@code 1 + rest} rounds to 1). NaN data or an infinite logit make
     * {@code d − 1} NaN, and so the result.
     */
    private static double logRowSumExp(float[] x, int xb, int classes, float m) {
        double u = rowSumExp(x, xb, classes, m, 1);
        double d = 1 + u;
        return d == 1 ? u : Math.log(d) * (u / (d - 1));
    }

    @Override
    public void logSoftmax(float[] x, Layout xl, float softcap, float[] out, Layout ol) {
        if (!normalizeRows(true, x, xl, softcap, out, ol)) {
            super.logSoftmax(x, xl, softcap, out, ol);
        }
    }

    @Override
    public void softmax(float[] x, Layout xl, float softcap, float[] out, Layout ol) {
        if (!normalizeRows(false, x, xl, softcap, out, ol)) {
            super.softmax(x, xl, softcap, out, ol);
        }
    }

    /**
     * {@code (x − m) − log d} ({@code log = true}) or {@code exp(x − m) / d} per element of contiguous rows. The
     * output may be the logits themselves: the last vector of a row, which overlaps the one before, is computed
     * before anything of the row is written (log-softmax) or from a copy of its logits taken before (softmax) and
     * stored last.
     */
    private static boolean normalizeRows(boolean log, float[] x, Layout xl, float softcap, float[] out, Layout ol) {
        int classes = xl.classes();
        if (softcap != 0f || xl.classStride() != 1 || ol.classStride() != 1 || classes < L) {
            return false;
        }
        float[] tail = log ? null : SOFTMAX_TAIL.get();
        for (int r = 0, rows = xl.rows(); r < rows; r++) {
            int xb = xl.rowIndex(r);
            int ob = ol.rowIndex(r);
            float m = rowMax(x, xb, classes);
            if (log) {
                writeLogSoftmaxRow(x, xb, classes, m, (float) logRowSumExp(x, xb, classes, m), out, ob);
            } else {
                writeSoftmaxRow(x, xb, classes, m, (float) (1.0 / rowSumExp(x, xb, classes, m, 0)), out, ob, tail);
            }
        }
        return true;
    }

    /** {@code out = (x − m) − log d} along one contiguous row; the overlapping last vector is computed first, stored last. */
    private static void writeLogSoftmaxRow(float[] x, int xb, int classes, float m, float logD, float[] out, int ob) {
        int bound = S.loopBound(classes);
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector logd = FloatVector.broadcast(S, logD);
        FloatVector last = FloatVector.fromArray(S, x, xb + classes - L).sub(vm).sub(logd);
        for (int c = 0; c < bound; c += L) {
            FloatVector.fromArray(S, x, xb + c).sub(vm).sub(logd).intoArray(out, ob + c);
        }
        last.intoArray(out, ob + classes - L);
    }

    /**
     * {@code out = exp(x − m)·(1/d)} along one contiguous row. The overlapping last vector's logits are copied into
     * {@code tail} (L floats) first, so that an output written over the logits does not change them, and computed after
     * the loop: a vector computed before the loop and stored after it made C2 on JDK 17 leave the whole loop to the Vector
     * API's Java code (6 MB per call at 256K logits). Separate methods keep each within C2's inlining budget.
     */
    private static void writeSoftmaxRow(float[] x, int xb, int classes, float m, float invD, float[] out, int ob,
                                        float[] tail) {
        int bound = S.loopBound(classes);
        System.arraycopy(x, xb + classes - L, tail, 0, L);
        for (int c = 0; c < bound; c += L) {
            // ex6 = exp(FloatVector.fromArray(S, x, xb + c).sub(m)): VectorMath.expNonPositive written out
            FloatVector ex6a = FloatVector.fromArray(S, x, xb + c).sub(m);
            FloatVector ex6t = ex6a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex6n = ex6t.sub(EXP_SHIFTER);
            FloatVector ex6r = ex6n.lanewise(VectorOperators.FMA, -LN2_LO, ex6n.lanewise(VectorOperators.FMA, -LN2_HI, ex6a));
            FloatVector ex6q = ex6r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex6r, Q3)
                    .lanewise(VectorOperators.FMA, ex6r, Q2).lanewise(VectorOperators.FMA, ex6r, Q1).lanewise(VectorOperators.FMA, ex6r, 1f);
            FloatVector ex6 = ex6q.lanewise(VectorOperators.FMA, ex6r, 1f)
                    .mul(ex6t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, ex6a.compare(VectorOperators.LT, EXP_UNDERFLOW));
            ex6.mul(invD).intoArray(out, ob + c);
        }
        // ex5 = exp(FloatVector.fromArray(S, tail, 0).sub(m)): VectorMath.expNonPositive written out
        FloatVector ex5a = FloatVector.fromArray(S, tail, 0).sub(m);
        FloatVector ex5t = ex5a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
        FloatVector ex5n = ex5t.sub(EXP_SHIFTER);
        FloatVector ex5r = ex5n.lanewise(VectorOperators.FMA, -LN2_LO, ex5n.lanewise(VectorOperators.FMA, -LN2_HI, ex5a));
        FloatVector ex5q = ex5r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex5r, Q3)
                .lanewise(VectorOperators.FMA, ex5r, Q2).lanewise(VectorOperators.FMA, ex5r, Q1).lanewise(VectorOperators.FMA, ex5r, 1f);
        FloatVector ex5 = ex5q.lanewise(VectorOperators.FMA, ex5r, 1f)
                .mul(ex5t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                .blend(0f, ex5a.compare(VectorOperators.LT, EXP_UNDERFLOW));
        ex5.mul(invD).intoArray(out, ob + classes - L);
    }

    /** Per-thread copies of a row's last L logits for {@link #writeSoftmaxRow}. */
    private static final ThreadLocal<float[]> SOFTMAX_TAIL = ThreadLocal.withInitial(() -> new float[L]);

    // =====================================================================================================
    // drivers: choose rows or tiles, walk the batch
    // =====================================================================================================

    /**
     * Runs a per-row loss through the row or tile path; returns false (nothing written) when neither fits the
     * layouts. {@code t} are the dense labels (or {@code z}), {@code y} the integer labels; one of them is null.
     */
    private static boolean run(int op, float[] x, Layout xl, float[] t, Layout tl, int[] y, Layout yl, float eps,
                               float[] out, Layout ol) {
        int classes = xl.classes();
        int rows = xl.rows();
        // sparse softmax CE packs rows of fewer than 3L classes into tiles, dense-label softmax CE rows of fewer than
        // 2L: a row of one to three vectors pays lane reductions, calls and a log per row (sparse C = 16: 0.34
        // elements/ns; packed tiles 0.76)
        boolean packed = xl.inner() == 1 && (classes < L || op == SPARSE_SOFTMAX && classes < PACKED_SPARSE_CLASSES
                || op == SOFTMAX && classes < PACKED_DENSE_CLASSES);
        // the class axis first with fewer positions than a vector (a tile would run mostly empty, and the scalar code
        // where its last loads would pass the array's end): each position's row copied, then the row path, so it
        // gets the bits of the same row with the class axis last
        boolean rowCopies = xl.classStride() != 1 && xl.inner() < L
                && classes >= (op == SPARSE_SOFTMAX ? PACKED_SPARSE_CLASSES : PACKED_DENSE_CLASSES);
        if (op == SPARSE_SOFTMAX && (xl.classStride() == 1 && classes >= L && !packed || rowCopies)) {
            sparseRows(x, xl, y, yl, out, ol);
            return true;
        }
        if (op == SOFTMAX && (xl.classStride() == 1 && classes >= L && !packed || rowCopies)) {
            softmaxRows(x, xl, t, tl, out, ol);
            return true;
        }
        if (xl.classStride() == 1 && classes >= L && !packed) {
            // labels not contiguous along the classes: each row's labels copied into a per-thread row, so that the
            // row takes the vector row formula whatever the labels' layout
            int ts = t == null ? 1 : tl.classStride();
            float[] labelRow = ts == 1 ? null : rowOf(LABEL_ROW, classes);
            for (int r = 0; r < rows; r++) {
                float[] tr = t;
                int tb = t == null ? 0 : tl.rowIndex(r);
                if (labelRow != null) {
                    copyRow(t, tb, ts, classes, labelRow);
                    tr = labelRow;
                    tb = 0;
                }
                out[ol.rowIndex(r)] = row(op, x, xl.rowIndex(r), classes, tr, tb, y == null ? 0 : y[yl.rowIndex(r)], eps);
            }
            return true;
        }
        if (packed && (xl.classStride() == 1 || classes == 2 && (op == SPARSE_SOFTMAX || op == SOFTMAX))) {
            // (rows of two classes in any layout through the pair kernels' padded copy)
            return packedTiles(op, x, xl, t, tl, y, yl, eps, out, ol);
        }
        if (xl.innerStride() == 1 && xl.inner() >= 2) {
            return innerTiles(op, x, xl, t, tl, y, yl, eps, out, ol);
        }
        return false;
    }

    /** Few classes, class axis last: lanes are neighbouring rows, {@code rowStride} apart. */
    private static boolean packedTiles(int op, float[] x, Layout xl, float[] t, Layout tl, int[] y, Layout yl, float eps,
                                       float[] out, Layout ol) {
        int rows = xl.rows();
        int xls = xl.outerStride();
        int tls = t == null ? 0 : tl.outerStride();
        int yls = y == null ? 0 : yl.outerStride();
        int ols = ol.outerStride();
        int classes = xl.classes();
        int xs = xl.classStride(); // 1, or any for [N, 2] softmax (the padded copy)
        int ts = t == null ? 0 : tl.classStride();
        int xb = xl.offset();
        int tb = t == null ? 0 : tl.offset();
        int yb = y == null ? 0 : yl.offset();
        int ob = ol.offset();
        if (classes == 2 && (op == SPARSE_SOFTMAX || op == SOFTMAX)) {
            // [N, 2]: the pair kernels, on the arrays themselves when rows, labels and losses are contiguous, otherwise
            // (and for fewer rows than a tile) up to L rows at a time through a padded copy: one formula for every layout
            boolean contiguous = xs == 1 && xls == 2 && ols == 1 && (op == SPARSE_SOFTMAX ? yls == 1 : ts == 1 && tls == 2);
            if (contiguous && rows >= L) {
                if (op == SPARSE_SOFTMAX) {
                    sparsePairs(x, xb, 1, y, yb, out, ob, rows);
                } else {
                    softmaxPairs(x, xb, 1, t, tb, 1, out, ob, rows);
                }
                return true;
            }
            for (int r = 0; r < rows; r += L) {
                smallPairs(op, x, xb + r * xls, xs, xls, t, tb + r * tls, ts, tls, y, yb + r * yls, yls, out, ob + r * ols, ols,
                        Math.min(L, rows - r));
            }
            return true;
        }
        if (rows < L || xls > MAX_LANE_STRIDE || tls > MAX_LANE_STRIDE || yls > MAX_LANE_STRIDE) {
            // fewer rows than a tile, or rows too far apart to gather: up to L rows at a time through a padded copy
            for (int r = 0; r < rows; r += L) {
                smallTile(op, x, xb + r * xls, xs, xls, classes, t, tb + r * tls, ts, tls, y, yb + r * yls, yls, eps,
                        out, ob + r * ols, ols, Math.min(L, rows - r));
            }
            return true;
        }
        for (int r0 = 0; ; r0 += L) {
            int r = Math.min(r0, rows - L);
            tile(op, x, xb + r * xls, xs, xls, classes, t, tb + r * tls, ts, tls, y, yb + r * yls, yls, eps,
                    out, ob + r * ols, ols, L);
            if (r == rows - L) {
                return true;
            }
        }
    }

    /** Per-thread copies of fewer than L packed rows, padded to L rows, for {@link #smallTile}. */
    private static final class TileScratch {
        final float[] x = new float[L * PACKED_SPARSE_CLASSES];
        final float[] t = new float[L * PACKED_SPARSE_CLASSES];
        final int[] y = new int[L];
        final float[] out = new float[L];
    }

    private static final ThreadLocal<TileScratch> TILE_SCRATCH = ThreadLocal.withInitial(TileScratch::new);

    /**
     * {@code 0 ≤ rows ≤ L} packed rows in any layout: the full tile on a compact copy padded to L rows
     * (logits or probabilities 1, labels 0), so that a row gets the bits it gets in a larger batch (a partial tile
     * would take the two-pass sparse formula, and reading past the rows may leave the array).
     */
    private static void smallTile(int op, float[] x, int xb, int xs, int xls, int classes, float[] t, int tb, int ts,
                                  int tls, int[] y, int yb, int yls, float eps, float[] out, int ob, int ols, int rows) {
        if (rows == 0) {
            return;
        }
        TileScratch sc = TILE_SCRATCH.get();
        java.util.Arrays.fill(sc.x, 1f);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < classes; c++) {
                sc.x[r * classes + c] = x[xb + r * xls + c * xs];
            }
        }
        if (t != null) {
            java.util.Arrays.fill(sc.t, 0f);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < classes; c++) {
                    sc.t[r * classes + c] = t[tb + r * tls + c * ts];
                }
            }
        }
        if (y != null) {
            java.util.Arrays.fill(sc.y, 0);
            for (int r = 0; r < rows; r++) {
                sc.y[r] = y[yb + r * yls];
            }
        }
        tile(op, sc.x, 0, 1, classes, classes, t == null ? null : sc.t, 0, 1, classes, y == null ? null : sc.y, 0, 1,
                eps, sc.out, 0, 1, L);
        for (int r = 0; r < rows; r++) {
            out[ob + r * ols] = sc.out[r];
        }
    }

    /** Per-thread copies of fewer than L rows of {@code [N, 2]}, padded to L rows, for {@link #smallPairs}. */
    private static final class PairScratch {
        final float[] x = new float[2 * L];
        final float[] t = new float[2 * L];
        final int[] y = new int[L];
        final float[] out = new float[L];
    }

    private static final ThreadLocal<PairScratch> PAIR_SCRATCH = ThreadLocal.withInitial(PairScratch::new);

    /**
     * {@code 0 < rows ≤ L} rows of {@code [N, 2]} in any layout (class axis last): the pair kernel on a compact copy
     * padded with zeros to L rows, so that a row gets the same bits in a batch of any size and whatever the strides of
     * rows, labels and losses (a tile would compute another formula).
     */
    private static void smallPairs(int op, float[] x, int xb, int xs, int xls, float[] t, int tb, int ts, int tls, int[] y,
                                   int yb, int yls, float[] out, int ob, int ols, int rows) {
        PairScratch p = PAIR_SCRATCH.get();
        java.util.Arrays.fill(p.x, 0f);
        for (int r = 0; r < rows; r++) {
            p.x[2 * r] = x[xb + r * xls];
            p.x[2 * r + 1] = x[xb + r * xls + xs];
        }
        if (op == SPARSE_SOFTMAX) {
            java.util.Arrays.fill(p.y, 0);
            for (int r = 0; r < rows; r++) {
                p.y[r] = y[yb + r * yls];
            }
            sparsePairs(p.x, 0, 1, p.y, 0, p.out, 0, L);
        } else {
            java.util.Arrays.fill(p.t, 0f);
            for (int r = 0; r < rows; r++) {
                p.t[2 * r] = t[tb + r * tls];
                p.t[2 * r + 1] = t[tb + r * tls + ts];
            }
            softmaxPairs(p.x, 0, 1, p.t, 0, 1, p.out, 0, L);
        }
        for (int r = 0; r < rows; r++) {
            out[ob + r * ols] = p.out[r];
        }
    }

    /** Class axis strided, inner axis contiguous: lanes are neighbouring inner positions. */
    private static boolean innerTiles(int op, float[] x, Layout xl, float[] t, Layout tl, int[] y, Layout yl, float eps,
                                      float[] out, Layout ol) {
        int inner = xl.inner();
        int tls = t == null ? 0 : tl.innerStride();
        int yls = y == null ? 0 : yl.innerStride();
        int ols = ol.innerStride();
        int classes = xl.classes();
        int xs = xl.classStride();
        int ts = t == null ? 0 : tl.classStride();
        if (classes == 2 && xs != 1 && (op == SPARSE_SOFTMAX || op == SOFTMAX && ts != 1)) {
            // two class planes: the pair kernels of [N, 2] on plain loads of each plane (the same formula, so a
            // position gets the bits of the same row with the class axis last); partial runs through the padded copy
            boolean contiguous = ols == 1 && (op == SPARSE_SOFTMAX ? yls == 1 : tls == 1);
            for (int n = 0; n < xl.outer(); n++) {
                int xb = xl.index(n, 0, 0);
                int tb = t == null ? 0 : tl.index(n, 0, 0);
                int yb = y == null ? 0 : yl.index(n, 0, 0);
                int ob = ol.index(n, 0, 0);
                if (contiguous && inner >= L) {
                    if (op == SPARSE_SOFTMAX) {
                        sparsePairs(x, xb, xs, y, yb, out, ob, inner);
                    } else {
                        softmaxPairs(x, xb, xs, t, tb, ts, out, ob, inner);
                    }
                    continue;
                }
                for (int i = 0; i < inner; i += L) {
                    smallPairs(op, x, xb + i, xs, 1, t, tb + i * tls, ts, tls, y, yb + i * yls, yls, out, ob + i * ols, ols,
                            Math.min(L, inner - i));
                }
            }
            return true;
        }
        if (tls > MAX_LANE_STRIDE || yls > MAX_LANE_STRIDE || ols > MAX_LANE_STRIDE) {
            return false; // (the pairs above copy what they cannot load)
        }
        if (inner < L) {
            // one partial tile per n; an n whose idle lanes would read past an array end runs on the scalar code
            for (int n = 0; n < xl.outer(); n++) {
                int xb = xl.index(n, 0, 0);
                int tb = t == null ? 0 : tl.index(n, 0, 0);
                int yb = y == null ? 0 : yl.index(n, 0, 0);
                int ob = ol.index(n, 0, 0);
                if (partialFits(x, xb, xs, 1, classes, t, tb, ts, tls, y, yb, yls)) {
                    tile(op, x, xb, xs, 1, classes, t, tb, ts, tls, y, yb, yls, eps, out, ob, ols, inner);
                } else {
                    // the scalar rows in place (slices of the layouts for the scalar backend cost 120 B per call)
                    for (int j = 0; j < inner; j++) {
                        out[ob + j * ols] = scalarRow(op, x, xb + j, xs, classes, t, tb + j * tls, ts,
                                y == null ? 0 : y[yb + j * yls], eps);
                    }
                }
            }
            return true;
        }
        for (int n = 0; n < xl.outer(); n++) {
            if (op == SPARSE_SOFTMAX && yls == 1 && classes > SHIFT_CLASS_BLOCK) {
                sparseInnerShiftTiles(x, xl.index(n, 0, 0), xs, inner, classes, y, yl.index(n, 0, 0), out, ol.index(n, 0, 0), ols);
                continue;
            }
            if (op == CATEGORICAL && tls == 1) {
                categoricalInnerTiles(x, xl.index(n, 0, 0), xs, inner, classes, t, tl.index(n, 0, 0), ts, eps, out,
                        ol.index(n, 0, 0), ols);
                continue;
            }
            if (op == SOFTMAX && tls == 1) {
                softmaxInnerTiles(x, xl.index(n, 0, 0), xs, inner, classes, t, tl.index(n, 0, 0), ts, out,
                        ol.index(n, 0, 0), ols);
                continue;
            }
            for (int i0 = 0; ; i0 += L) {
                int i = Math.min(i0, inner - L);
                tile(op, x, xl.index(n, 0, i), xs, 1, classes, t, t == null ? 0 : tl.index(n, 0, i), ts, tls,
                        y, y == null ? 0 : yl.index(n, 0, i), yls, eps, out, ol.index(n, 0, i), ols, L);
                if (i == inner - L) {
                    break;
                }
            }
        }
        return true;
    }

    /**
     * The scalar backend's row for one op (the function its batch loops call, so the same bits): logits or
     * probabilities from {@code xb}, classes {@code xs} apart, dense labels from {@code tb} ({@code ts} apart) or the
     * sparse {@code label}; for {@code SIGMOID_MEAN} and {@code BINARY_MEAN} the mean over the classes.
     */
    private static float scalarRow(int op, float[] x, int xb, int xs, int classes, float[] t, int tb, int ts, int label,
                                   float eps) {
        switch (op) {
            case SOFTMAX:
                return ScalarKernels.softmaxRow(x, xb, xs, classes, t, tb, ts);
            case SPARSE_SOFTMAX:
                return ScalarKernels.sparseSoftmaxRow(x, xb, xs, classes, label);
            case SIGMOID_MEAN:
                return ScalarKernels.meanRow(false, x, xb, xs, t, tb, ts, 0f, classes);
            case BINARY_MEAN:
                return ScalarKernels.meanRow(true, x, xb, xs, t, tb, ts, eps, classes);
            case CATEGORICAL:
                return ScalarKernels.categoricalRow(x, xb, xs, classes, t, tb, ts, eps);
            case SPARSE_CATEGORICAL:
                return ScalarKernels.sparseCategoricalRow(x, xb, xs, classes, label, eps);
            default:
                throw new AssertionError(op);
        }
    }

    /** The scalar code for one op, for the parts of a batch that no vector path covers. */
    private static void scalar(int op, float[] x, Layout xl, float[] t, Layout tl, int[] y, Layout yl, float eps,
                               float[] out, Layout ol) {
        ScalarKernels k = ScalarKernels.INSTANCE;
        switch (op) {
            case SOFTMAX:
                k.softmaxCrossEntropy(x, xl, t, tl, out, ol);
                break;
            case SPARSE_SOFTMAX:
                k.sparseSoftmaxCrossEntropy(x, xl, y, yl, out, ol);
                break;
            case SIGMOID_MEAN:
                k.sigmoidCrossEntropy(x, xl, t, tl, out, ol);
                break;
            case BINARY_MEAN:
                k.binaryCrossEntropy(x, xl, t, tl, eps, out, ol);
                break;
            case CATEGORICAL:
                k.categoricalCrossEntropy(x, xl, t, tl, eps, out, ol);
                break;
            case SPARSE_CATEGORICAL:
                k.sparseCategoricalCrossEntropy(x, xl, y, yl, eps, out, ol);
                break;
            default:
                throw new AssertionError(op);
        }
    }

    /** Whether all L lanes of a tile starting at these bases read inside their arrays. */
    private static boolean partialFits(float[] x, int xb, int xs, int xls, int classes, float[] t, int tb, int ts, int tls,
                                       int[] y, int yb, int yls) {
        long last = (long) (L - 1);
        if (xb + last * xls + (long) (classes - 1) * xs >= x.length) {
            return false;
        }
        if (t != null && tb + last * tls + (long) (classes - 1) * ts >= t.length) {
            return false;
        }
        return y == null || yb + last * yls < y.length;
    }

    private static float row(int op, float[] x, int xb, int classes, float[] t, int tb, int y, float eps) {
        switch (op) {
            case SIGMOID_MEAN:
                return sigmoidMeanRow(x, xb, t, tb, classes);
            case BINARY_MEAN:
                return binaryMeanRow(x, xb, t, tb, eps, classes);
            case CATEGORICAL:
                return categoricalRow(x, xb, classes, t, tb, eps);
            case SPARSE_CATEGORICAL: {
                float sum = rowSum(x, xb, classes);
                if (!Float.isFinite(sum)) {
                    return ScalarKernels.sparseCategoricalRow(x, xb, 1, classes, y, eps); // divides by the double sum
                }
                float q = Math.min(Math.max(x[xb + y] / sum, eps), 1f - eps);
                return (float) -Math.log(q);
            }
            default:
                throw new AssertionError(op);
        }
    }

    /** Per-thread lanes of {@link #sparseRows} and {@link #softmaxRows}: four groups of L parts, then L losses. */
    private static final ThreadLocal<float[]> ROW_GROUP = ThreadLocal.withInitial(() -> new float[5 * L]);

    /**
     * Sparse softmax CE along contiguous classes, {@code classes ≥ L}, in groups of L rows: one pass per row, the sum
     * {@code d = Σ exp(x_c − x_y) ≥ 1} shifted by the label's logit ({@link #rowSumExpShifted}, from
     * {@link #OTHERS_MIN_CLASSES} classes {@link #rowSumExpOthers}; no maximum pass, which
     * with its lane reduction was 10–30 % of a row of 100 to 1000 classes), then the L losses {@code log d} in one
     * vector, with the float log1p of {@code d − 1} for {@code d < 2} and the float log of {@code d} above
     * ({@link VectorMath#log1pUnit}, {@link VectorMath#logNormal}; {@code Math.log} per row was about 15 % of a row of
     * 100 classes). The elements equal to {@code x_y} are counted apart and {@code d − 1 = (k − 1) + rest} comes in
     * double (from {@link #OTHERS_MIN_CLASSES} classes only the label's own term is left out): below {@code d = 2}
     * the label holds the maximum alone (a confident row, whose loss may be 1e-9) and {@code log1p(rest)} keeps its
     * relative precision; from {@code d = 2} the loss exceeds log 2. A row with a logit
     * more than about 85.2 above its label's ({@code d − 1} above {@link #SHIFTED_SUM_LIMIT}; from 88.38 the exp's
     * exponent check), +∞, −∞ at the label, or NaN takes two passes shifted by its maximum {@code m} ({@link #rowMax};
     * loss {@code (m − x_y) + log d}, the sum by {@link #rowSumExp}; these rows are rare, and the plain sum they took
     * for labels not at the maximum, two operations per vector cheaper, was removed). −∞ elsewhere (a masked class) stays on the one
     * pass (its term is 0).
     * Every part is non-negative; the float steps add about 2 ulp. A row's loss does not depend on the group it
     * falls in: a group of fewer rows fills its other lanes with {@code d = 1}. Classes not contiguous (the class
     * axis first with fewer positions than L, classes interleaved with another tensor) are copied into a per-thread
     * row first ({@link #copyRow}), so such a row gets the bits of the same row stored contiguously.
     */
    private static void sparseRows(float[] x, Layout xl, int[] y, Layout yl, float[] out, Layout ol) {
        int classes = xl.classes();
        int rows = xl.rows();
        int xs = xl.classStride();
        float[] logitRow = xs == 1 ? null : rowOf(LOGIT_ROW, classes);
        float[] g = ROW_GROUP.get();
        for (int r0 = 0; r0 < rows; r0 += L) {
            int n = Math.min(L, rows - r0);
            for (int i = 0; i < L; i++) {
                double d = 1;
                double u = 0; // d − 1
                float shift = 0f;
                if (i < n) {
                    float[] xr = x;
                    int xb = xl.rowIndex(r0 + i);
                    if (logitRow != null) {
                        copyRow(x, xb, xs, classes, logitRow);
                        xb = 0;
                        xr = logitRow;
                    }
                    int label = y[yl.rowIndex(r0 + i)];
                    float xy = xr[xb + label];
                    u = classes < OTHERS_MIN_CLASSES ? rowSumExpShifted(xr, xb, classes, xy)
                            : Math.abs(xy) <= Float.MAX_VALUE ? rowSumExpOthers(xr, xb, classes, label)
                            : Double.NaN; // a non-finite label: two passes
                    if (u <= SHIFTED_SUM_LIMIT) {
                        d = u + 1;
                    } else {
                        // a logit more than about 85.2 above the label's (the sum beyond the limit; from 88.38 its
                        // exponent), +∞, −∞ at the label, or NaN: two passes, shifted by the maximum
                        float m = rowMax(xr, xb, classes);
                        shift = m - xy;
                        u = rowSumExp(xr, xb, classes, m, 1);
                        d = u + 1;
                    }
                }
                g[i] = 1f;
                g[L + i] = shift;
                g[2 * L + i] = (float) d;
                g[3 * L + i] = (float) u;
            }
            boolean direct = n == L && ol.inner() == 1 && ol.outerStride() == 1;
            groupLosses(g, direct ? out : g, direct ? ol.rowIndex(r0) : 4 * L);
            if (!direct) {
                for (int i = 0; i < n; i++) {
                    out[ol.rowIndex(r0 + i)] = g[4 * L + i];
                }
            }
        }
    }

    /**
     * The L losses of a {@link #sparseRows} or {@link #softmaxRows} group from its parts in {@code g}: four groups of
     * L lanes {@code a, b, d, u}, {@code loss = a·log d + b} with {@code log d} the float log1p of {@code u = d − 1}
     * below {@code d = 2} and the float log of {@code d} above, into {@code out[ob..ob + L)}. {@code d} is at least 1
     * or NaN (a NaN in a sparse row): {@code d − d} carries the NaN the log polynomial would not. A method of its own,
     * so that no vector lives in the drivers' loops over rows, whose calls C2 does not inline.
     */
    private static void groupLosses(float[] g, float[] out, int ob) {
        FloatVector d = FloatVector.fromArray(S, g, 2 * L);
        FloatVector u = FloatVector.fromArray(S, g, 3 * L);
        // lg31 = log(d): VectorMath.logNormal written out
        IntVector lg31bits = d.reinterpretAsInts();
        IntVector lg31k = lg31bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
        FloatVector lg31f = lg31bits.sub(lg31k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
        FloatVector lg31kf = lg31k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
        FloatVector lg31f2 = lg31f.mul(lg31f);
        FloatVector lg31p = lg31f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg31f, P5)
                .lanewise(VectorOperators.FMA, lg31f, P4).lanewise(VectorOperators.FMA, lg31f, P3).lanewise(VectorOperators.FMA, lg31f, P2)
                .lanewise(VectorOperators.FMA, lg31f, P1).lanewise(VectorOperators.FMA, lg31f, P0);
        FloatVector lg31l1 = lg31p.mul(lg31f).lanewise(VectorOperators.FMA, lg31f2, lg31f2.mul(-0.5f)).add(lg31f);
        FloatVector lg31 = lg31kf.lanewise(VectorOperators.FMA, LN2_HI, lg31kf.lanewise(VectorOperators.FMA, LN2_LO, lg31l1));
        // lp27 = log1p(u): VectorMath.log1pUnit written out
        FloatVector lp27t2 = u.mul(u);
        FloatVector lp27 = u.lanewise(VectorOperators.FMA, R7, R6).lanewise(VectorOperators.FMA, u, R5).lanewise(VectorOperators.FMA, u, R4)
                .lanewise(VectorOperators.FMA, u, R3).lanewise(VectorOperators.FMA, u, R2).lanewise(VectorOperators.FMA, u, R1).lanewise(VectorOperators.FMA, u, R0)
                .lanewise(VectorOperators.FMA, lp27t2, u);
        FloatVector.fromArray(S, g, 0).lanewise(VectorOperators.FMA, lg31.blend(lp27, d.compare(VectorOperators.LT, 2f)), FloatVector.fromArray(S, g, L))
                .add(d.sub(d)).intoArray(out, ob);
    }

    private static void tile(int op, float[] x, int xb, int xs, int xls, int classes, float[] t, int tb, int ts, int tls,
                             int[] y, int yb, int yls, float eps, float[] out, int ob, int ols, int count) {
        switch (op) {
            case SOFTMAX:
                // the maximum pass, the sums and the loss in three methods, their state through a per-thread array:
                // in one method, JDK 17 boxed a vector per tile with the class axis first (15.7 KB per call at
                // [1, 100, 2621], 1.6 KB at [1, 1000, 262])
                float[] g = TILE_STATES.get();
                float[] kept = xls == 1 || classes > PACKED_DENSE_CLASSES ? null : TILE_LOGITS.get();
                // plain loads and gathers in separate methods: with both in one method (its profile from the class axis
                // first, then gathers for the class axis last), JDK 17 left the gathers to the Vector API's Java code in
                // some JVMs (491 KB per call at [4096, 10] after a few channels-first calls)
                if (xls == 1) {
                    softmaxTileMaxContiguous(x, xb, xs, 0, classes, g, 0);
                } else {
                    softmaxTileMax(x, xb, xs, xls, classes, kept, g);
                }
                if (xls == 1 && tls == 1) {
                    softmaxTileContiguous(x, xb, xs, 0, classes, t, tb, ts, g, 0);
                } else {
                    softmaxTile(x, xb, xs, xls, classes, t, tb, ts, tls, kept, g);
                }
                softmaxTileLoss(g, 0, classes, out, ob, ols, count);
                tileRedo(SOFTMAX, x, xb, xs, xls, classes, t, tb, ts, tls, eps, out, ob, ols, count);
                break;
            case SPARSE_SOFTMAX:
                if (count == L && (xls == 1 && yls == 1 || xs == 1)) {
                    // one pass; lanes whose sums left the safe range come back NaN and are refilled by two passes;
                    // losses not contiguous: through a per-thread vector's worth, so the formula does not depend on
                    // the output layout
                    float[] o = ols == 1 ? out : LANE_OUT.get();
                    int oo = ols == 1 ? ob : 0;
                    boolean all = xls == 1 && yls == 1 ? sparseInnerShiftTile(x, xb, xs, classes, y, yb, o, oo)
                            : sparseRowsShiftTile(x, xb, xls, classes, y, yb, yls, o, oo);
                    if (!all) {
                        sparseSoftmaxTile(x, xb, xs, xls, classes, y, yb, yls, o, oo, 1, count, true);
                    }
                    if (ols != 1) {
                        for (int j = 0; j < L; j++) {
                            out[ob + j * ols] = o[j];
                        }
                    }
                } else {
                    sparseSoftmaxTile(x, xb, xs, xls, classes, y, yb, yls, out, ob, ols, count, false);
                }
                break;
            case SIGMOID_MEAN:
                if (sigmoidMeanTile(x, xb, xs, xls, classes, t, tb, ts, tls, out, ob, ols, count)) {
                    tileRedo(SIGMOID_MEAN, x, xb, xs, xls, classes, t, tb, ts, tls, eps, out, ob, ols, count);
                }
                break;
            case BINARY_MEAN:
                if (binaryMeanTile(x, xb, xs, xls, classes, t, tb, ts, tls, eps, out, ob, ols, count)) {
                    tileRedo(BINARY_MEAN, x, xb, xs, xls, classes, t, tb, ts, tls, eps, out, ob, ols, count);
                }
                break;
            case CATEGORICAL:
                categoricalTile(x, xb, xs, xls, classes, t, tb, ts, tls, eps, out, ob, ols, count);
                break;
            case SPARSE_CATEGORICAL:
                sparseCategoricalTile(x, xb, xs, xls, classes, y, yb, yls, eps, out, ob, ols, count);
                break;
            default:
                throw new AssertionError(op);
        }
    }

    // =====================================================================================================
    // row path: one row, vectorised along contiguous classes, C ≥ L
    // =====================================================================================================

    // Every row loop below walks the row in vectors of L classes, in blocks of BLOCK classes whose float lane sums
    // are added in double. The last vector of a row that is not a multiple of L ends at the last class and overlaps
    // the one before; its lanes that were already counted (iota < L − rem) are zeroed before they are summed.
    // The losses are written out where they are used: a method of ours that takes or returns a vector is compiled
    // on its own once it is hot, is then too big to inline, and boxes its vectors.

    /**
     * The shift {@code m} for one row: the largest element, {@code classes ≥ L}. Lanes keep the larger of two values
     * by compare-and-blend, which skips NaN (Java's MAX propagates it at several times the cost); a row with a NaN
     * still gets a NaN loss, from {@code exp(NaN − m)} in the sum. Four accumulators hide the latency.
     */
    static float rowMax(float[] x, int xb, int classes) {
        FloatVector m0 = FloatVector.fromArray(S, x, xb + classes - L);
        FloatVector m1 = m0;
        FloatVector m2 = m0;
        FloatVector m3 = m0;
        int c = 0;
        for (int bound4 = classes - 4 * L; c <= bound4; c += 4 * L) {
            FloatVector v0 = FloatVector.fromArray(S, x, xb + c);
            FloatVector v1 = FloatVector.fromArray(S, x, xb + c + L);
            FloatVector v2 = FloatVector.fromArray(S, x, xb + c + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, x, xb + c + 3 * L);
            m0 = m0.blend(v0, v0.compare(VectorOperators.GT, m0));
            m1 = m1.blend(v1, v1.compare(VectorOperators.GT, m1));
            m2 = m2.blend(v2, v2.compare(VectorOperators.GT, m2));
            m3 = m3.blend(v3, v3.compare(VectorOperators.GT, m3));
        }
        for (; c + L <= classes; c += L) {
            FloatVector v0 = FloatVector.fromArray(S, x, xb + c);
            m0 = m0.blend(v0, v0.compare(VectorOperators.GT, m0));
        }
        m0 = m0.blend(m1, m1.compare(VectorOperators.GT, m0));
        m2 = m2.blend(m3, m3.compare(VectorOperators.GT, m2));
        return m0.blend(m2, m2.compare(VectorOperators.GT, m0)).reduceLanes(VectorOperators.MAX);
    }

    /**
     * {@code Σ_c exp(x[xb + c] − m)}, {@code classes ≥ L}: two float accumulators per block of {@link #BLOCK}
     * classes, blocks added in double. The last vector of a row that is not a multiple of L ends at the last class;
     * its lanes that were already counted become −∞ (exp 0). The elements equal to {@code m}
     * (exp(0) = 1 exactly) are counted per lane in a second accumulator instead of added to a float lane: a lane that
     * held a 1 rounded every small term added to it to a multiple of 2^−24, which cost a confident row's small loss
     * its relative precision (2.03e-6 for 2.06e-6 at C = 1000). The lanes' sums and the counts are added in double
     * apart, and the result is {@code (Σ counts − less) + Σ lanes}: {@code less = 0} gives {@code d}, {@code less = 1}
     * gives {@code d − 1}, which for a confident row (one element at {@code m}) is the others' sum to its relative
     * precision, where {@code d} in double keeps it only to about 1e-16 absolutely ({@link #logRowSumExp}).
     *
     * <p>This method is deliberately more than 325 bytecodes (C2's {@code FreqInlineSize}): it is compiled on its
     * own and called once per row, never inlined into a caller whose other loops would exhaust C2's node budget
     * (on JDK 17 that left a vector reinterpretation un-intrinsified and boxing).
     */
    static double rowSumExp(float[] x, int xb, int classes, float m, int less) {
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        double rest = 0;
        double count = 0;
        for (int c0 = 0; c0 < classes; c0 += BLOCK) {
            int end = Math.min(classes, c0 + BLOCK);
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            FloatVector k0 = s0; // the elements equal to m, counted per lane
            int c = c0;
            for (; c + 2 * L <= end; c += 2 * L) {
                // ex1 = exp(FloatVector.fromArray(S, x, xb + c).sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex1a = FloatVector.fromArray(S, x, xb + c).sub(vm);
                FloatVector ex1t = ex1a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex1n = ex1t.sub(EXP_SHIFTER);
                FloatVector ex1r = ex1n.lanewise(VectorOperators.FMA, -LN2_LO, ex1n.lanewise(VectorOperators.FMA, -LN2_HI, ex1a));
                FloatVector ex1q = ex1r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex1r, Q3)
                        .lanewise(VectorOperators.FMA, ex1r, Q2).lanewise(VectorOperators.FMA, ex1r, Q1).lanewise(VectorOperators.FMA, ex1r, 1f);
                FloatVector ex1 = ex1q.lanewise(VectorOperators.FMA, ex1r, 1f)
                        .mul(ex1t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex1a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                VectorMask<Float> top1 = ex1a.compare(VectorOperators.EQ, 0f);
                s0 = s0.add(ex1.blend(zero, top1));
                k0 = k0.add(zero.blend(one, top1));
                // ex2 = exp(FloatVector.fromArray(S, x, xb + c + L).sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex2a = FloatVector.fromArray(S, x, xb + c + L).sub(vm);
                FloatVector ex2t = ex2a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex2n = ex2t.sub(EXP_SHIFTER);
                FloatVector ex2r = ex2n.lanewise(VectorOperators.FMA, -LN2_LO, ex2n.lanewise(VectorOperators.FMA, -LN2_HI, ex2a));
                FloatVector ex2q = ex2r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex2r, Q3)
                        .lanewise(VectorOperators.FMA, ex2r, Q2).lanewise(VectorOperators.FMA, ex2r, Q1).lanewise(VectorOperators.FMA, ex2r, 1f);
                FloatVector ex2 = ex2q.lanewise(VectorOperators.FMA, ex2r, 1f)
                        .mul(ex2t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex2a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                VectorMask<Float> top2 = ex2a.compare(VectorOperators.EQ, 0f);
                s1 = s1.add(ex2.blend(zero, top2));
                k0 = k0.add(zero.blend(one, top2));
            }
            for (; c < end; c += L) {
                VectorMask<Float> counted = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) (L - Math.min(L, classes - c)));
                FloatVector a = FloatVector.fromArray(S, x, xb + Math.min(c, classes - L)).sub(vm).blend(NEG_INF, counted);
                // ex3 = exp(a): VectorMath.expNonPositive written out
                FloatVector ex3t = a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex3n = ex3t.sub(EXP_SHIFTER);
                FloatVector ex3r = ex3n.lanewise(VectorOperators.FMA, -LN2_LO, ex3n.lanewise(VectorOperators.FMA, -LN2_HI, a));
                FloatVector ex3q = ex3r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex3r, Q3)
                        .lanewise(VectorOperators.FMA, ex3r, Q2).lanewise(VectorOperators.FMA, ex3r, Q1).lanewise(VectorOperators.FMA, ex3r, 1f);
                FloatVector ex3 = ex3q.lanewise(VectorOperators.FMA, ex3r, 1f)
                        .mul(ex3t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                VectorMask<Float> top3 = a.compare(VectorOperators.EQ, 0f);
                s0 = s0.add(ex3.blend(zero, top3));
                k0 = k0.add(zero.blend(one, top3));
            }
            FloatVector lanes1 = s0.add(s1);
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes1 = lanes1.add(lanes1.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes1 = lanes1.add(lanes1.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes1 = lanes1.add(lanes1.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes1 = lanes1.add(lanes1.rearrange(SWAP_SIXTEENTHS));
            }
            rest += lanes1.lane(0);
            count += k0.reduceLanes(VectorOperators.ADD);
        }
        return (count - less) + rest;
    }

    /**
     * The largest {@code d − 1} of {@link #rowSumExpShifted} that {@link #sparseRows} takes ({@code exp(85.2)}: every
     * float step stays finite, the loss's float conversion too); a larger one takes the two-pass row.
     */
    static final double SHIFTED_SUM_LIMIT = 1e37;

    /**
     * The bits of {@code EXP_SHIFTER + 127}: an exp whose {@code t = n + EXP_SHIFTER} (rounded {@code a·log2 e} plus the
     * shifter, all of one float exponent) has larger bits would build a {@code 2^n} beyond the float exponent (n = 128
     * gives +∞; from 129 the biased exponent wraps into the sign bit and the term is lost). +∞ and NaNs with the sign
     * bit clear have larger bits too; −∞ and every {@code n ≤ 127} smaller ones; a NaN with the sign bit set has
     * negative bits, but reaches the sum as NaN through the exp's multiplication by {@code 2^n}.
     */
    static final int EXP_MAX_BITS = Float.floatToRawIntBits(EXP_SHIFTER) + 127;
    /**
     * {@link #EXP_MAX_BITS} as a float: for the tiles, which compare their lanes' largest such bits as floats (the same
     * order for these positive floats; NaN bits compare false, −∞ and other negative bits below).
     */
    static final float EXP_MAX = Float.intBitsToFloat(EXP_MAX_BITS);

    /**
     * {@link #rowSumExp} shifted by a logit {@code m} of the row that need not be the largest ({@link #sparseRows}: the
     * label's), minus 1: {@code Σ_c exp(x[xb + c] − m) − 1 = (k − 1) + rest}, the k elements equal to {@code m} counted
     * apart from the others' sum {@code rest} (each block's float sums added in double, the count added once at the
     * end), so that with the label's logit alone at the maximum {@code rest} keeps its relative precision down to the
     * smallest losses. A term whose exponent {@code n} exceeds 127 (a logit more than 127.5·ln 2 ≈ 88.38 above
     * {@code m}, +∞, or a NaN with the sign bit clear) is found by an integer maximum of the exps'
     * {@code n + EXP_SHIFTER} bits (one operation per vector, where capping the argument cost 15–20 % of the row) and
     * makes the result +∞; a NaN of the other sign comes out as NaN; the caller takes these rows, and results above
     * {@link #SHIFTED_SUM_LIMIT}, in two passes. Blocks of {@link #PLAIN_BLOCK} classes:
     * each lane adds 8 terms per block and accumulator (the last block's tail up to two more), then 16 lanes are
     * reduced in float: the float steps err by at most about 14·2^−24 ≈ 8e-7 of {@code rest} in the worst case (a lane
     * holding a large term rounds the small ones added after it), so a loss {@code log1p(rest)} with {@code rest ≤ 1}
     * keeps about 1e-6 relative, and a loss above log 2 about 8e-7 absolute. A copy of {@link #rowSumExp} with the
     * check, the smaller blocks and the count apart rather than flags: the method is compiled on its own (above C2's
     * {@code FreqInlineSize}), and its other callers shift by the maximum.
     */
    static double rowSumExpShifted(float[] x, int xb, int classes, float m) {
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        // the terms not counted and the count apart (a count of 1 in the sum would round each later block's rest)
        double rest = 0;
        double count = 0;
        for (int c0 = 0; c0 < classes; c0 += PLAIN_BLOCK) {
            int end = Math.min(classes, c0 + PLAIN_BLOCK);
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            FloatVector k0 = s0; // the elements equal to m, counted per lane
            IntVector nmax = IntVector.zero(SI); // the largest bits of the exps' n + EXP_SHIFTER (one float exponent)
            int c = c0;
            for (; c + 2 * L <= end; c += 2 * L) {
                FloatVector a1 = FloatVector.fromArray(S, x, xb + c).sub(vm);
                // ex1 = exp(a1): VectorMath.expNonPositive written out
                FloatVector ex1t = a1.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex1n = ex1t.sub(EXP_SHIFTER);
                FloatVector ex1r = ex1n.lanewise(VectorOperators.FMA, -LN2_LO, ex1n.lanewise(VectorOperators.FMA, -LN2_HI, a1));
                FloatVector ex1q = ex1r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex1r, Q3)
                        .lanewise(VectorOperators.FMA, ex1r, Q2).lanewise(VectorOperators.FMA, ex1r, Q1).lanewise(VectorOperators.FMA, ex1r, 1f);
                FloatVector ex1 = ex1q.lanewise(VectorOperators.FMA, ex1r, 1f)
                        .mul(ex1t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, a1.compare(VectorOperators.LT, EXP_UNDERFLOW));
                nmax = nmax.max(ex1t.reinterpretAsInts());
                VectorMask<Float> top1 = a1.compare(VectorOperators.EQ, 0f);
                s0 = s0.add(ex1.blend(zero, top1));
                k0 = k0.add(zero.blend(one, top1));
                FloatVector a2 = FloatVector.fromArray(S, x, xb + c + L).sub(vm);
                // ex2 = exp(a2): VectorMath.expNonPositive written out
                FloatVector ex2t = a2.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex2n = ex2t.sub(EXP_SHIFTER);
                FloatVector ex2r = ex2n.lanewise(VectorOperators.FMA, -LN2_LO, ex2n.lanewise(VectorOperators.FMA, -LN2_HI, a2));
                FloatVector ex2q = ex2r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex2r, Q3)
                        .lanewise(VectorOperators.FMA, ex2r, Q2).lanewise(VectorOperators.FMA, ex2r, Q1).lanewise(VectorOperators.FMA, ex2r, 1f);
                FloatVector ex2 = ex2q.lanewise(VectorOperators.FMA, ex2r, 1f)
                        .mul(ex2t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, a2.compare(VectorOperators.LT, EXP_UNDERFLOW));
                nmax = nmax.max(ex2t.reinterpretAsInts());
                VectorMask<Float> top2 = a2.compare(VectorOperators.EQ, 0f);
                s1 = s1.add(ex2.blend(zero, top2));
                k0 = k0.add(zero.blend(one, top2));
            }
            for (; c < end; c += L) {
                VectorMask<Float> counted = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) (L - Math.min(L, classes - c)));
                FloatVector a = FloatVector.fromArray(S, x, xb + Math.min(c, classes - L)).sub(vm).blend(NEG_INF, counted);
                // ex3 = exp(a): VectorMath.expNonPositive written out
                FloatVector ex3t = a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex3n = ex3t.sub(EXP_SHIFTER);
                FloatVector ex3r = ex3n.lanewise(VectorOperators.FMA, -LN2_LO, ex3n.lanewise(VectorOperators.FMA, -LN2_HI, a));
                FloatVector ex3q = ex3r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex3r, Q3)
                        .lanewise(VectorOperators.FMA, ex3r, Q2).lanewise(VectorOperators.FMA, ex3r, Q1).lanewise(VectorOperators.FMA, ex3r, 1f);
                FloatVector ex3 = ex3q.lanewise(VectorOperators.FMA, ex3r, 1f)
                        .mul(ex3t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                nmax = nmax.max(ex3t.reinterpretAsInts());
                VectorMask<Float> top3 = a.compare(VectorOperators.EQ, 0f);
                s0 = s0.add(ex3.blend(zero, top3));
                k0 = k0.add(zero.blend(one, top3));
            }
            if (nmax.reduceLanes(VectorOperators.MAX) > EXP_MAX_BITS) {
                // n above 127: 2^n does not fit the exponent (a logit more than 127.5·ln 2 ≈ 88.38 above m, +∞, or a
                // NaN with the sign bit clear; other NaNs reach the sum)
                return Double.POSITIVE_INFINITY;
            }
            FloatVector lanes2 = s0.add(s1);
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes2 = lanes2.add(lanes2.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes2 = lanes2.add(lanes2.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes2 = lanes2.add(lanes2.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes2 = lanes2.add(lanes2.rearrange(SWAP_SIXTEENTHS));
            }
            rest += lanes2.lane(0);
            count += k0.reduceLanes(VectorOperators.ADD);
        }
        return (count - 1) + rest;
    }

    /**
     * {@link #rowSumExpShifted} for rows of at least {@link #OTHERS_MIN_CLASSES} classes: shifted by the logit
     * {@code m = x[xb + y]} of the row's label {@code y}, without the label's own term,
     * {@code Σ_{c ≠ y} exp(x[xb + c] − m) = d − 1}. Only the label's own term needs to stay out of the float lanes for
     * a confident row's precision (its exact 1 would round the others at 2^−24); another element equal to {@code m}
     * makes {@code d − 1 ≥ 1} and the loss at least log 2, so ties are added like any term instead of being counted
     * (a compare, two blends and an add per vector fewer than {@link #rowSumExpShifted}: on JDK 17 1.1–1.3× faster at
     * C ≥ 1000; on JDK 25 the same at C ≥ 1000 and slower at C = 100, where the loops before and after the label's pair
     * end at a different place in every row: BENCHMARKS, ninth round). Blocks of {@link #OTHERS_BLOCK} classes, four
     * vectors per step into four accumulators; the four vectors holding the label take its lane −∞, and a row's last
     * vectors (fewer than four) the lanes an overlapping last load already counted, both one vector at a time into a
     * fifth accumulator; every other vector is a plain load, exp and add. {@code m} must be finite (the caller takes a
     * non-finite label in two passes). The exponent check, the +∞ and NaN results and the error bound (at most 8 terms
     * per lane and accumulator per block) are those of {@link #rowSumExpShifted}.
     */
    static double rowSumExpOthers(float[] x, int xb, int classes, int y) {
        float m = x[xb + y];
        double total = 0;
        for (int c0 = 0; c0 < classes; c0 += OTHERS_BLOCK) {
            float block = blockSumExpOthers(x, xb, classes, y, m, c0, Math.min(classes, c0 + OTHERS_BLOCK));
            if (block == Float.POSITIVE_INFINITY) {
                return Double.POSITIVE_INFINITY;
            }
            total += block;
        }
        return total;
    }

    /**
     * One block {@code [c0, end)} of {@link #rowSumExpOthers}: the float lanes' sum, added in a fixed order, or +∞ when
     * an exponent exceeds the float's. Its own method, called per block: with the blocks' loop around these loops and
     * the fixed-order lane sum at its end, C2 on JDK 17 left the last loop's vector operations to the Vector API's Java
     * code (350 KB per call at {@code [262, 1000]}). The masked vectors (the label's four, the last) come after the
     * plain quads, in one loop, into a fifth accumulator (at most 7 terms per lane), so that no accumulator adds more
     * than 8 terms per lane and the method holds five written-out exps.
     */
    private static float blockSumExpOthers(float[] x, int xb, int classes, int y, float m, int c0, int end) {
        FloatVector vm = FloatVector.broadcast(S, m);
        // the start of the label's four vectors, or the block's end
        int labelQuad = y >= c0 && y < end ? y - (y - c0) % (4 * L) : end;
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector s4 = s0; // the masked vectors' own accumulator
        IntVector nmax = IntVector.zero(SI); // the largest bits of the exps' n + EXP_SHIFTER (one float exponent)
        // the block's whole quads but the label's (a loop without a branch: on JDK 17 one skipping the label's quad
        // boxed the accumulators)
        int quads = (end - c0) / (4 * L);
        int labelIndex = (labelQuad - c0) / (4 * L); // quads when the label is not in a whole quad
        int plainQuads = labelIndex < quads ? quads - 1 : quads;
        for (int i = 0; i < plainQuads; i++) {
            int c = c0 + 4 * L * (i < labelIndex ? i : i + 1);
            FloatVector a1 = FloatVector.fromArray(S, x, xb + c).sub(vm);
            // ex1 = exp(a1): VectorMath.expNonPositive written out
            FloatVector ex1t = a1.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex1n = ex1t.sub(EXP_SHIFTER);
            FloatVector ex1r = ex1n.lanewise(VectorOperators.FMA, -LN2_LO, ex1n.lanewise(VectorOperators.FMA, -LN2_HI, a1));
            FloatVector ex1q = ex1r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex1r, Q3)
                    .lanewise(VectorOperators.FMA, ex1r, Q2).lanewise(VectorOperators.FMA, ex1r, Q1).lanewise(VectorOperators.FMA, ex1r, 1f);
            FloatVector ex1 = ex1q.lanewise(VectorOperators.FMA, ex1r, 1f)
                    .mul(ex1t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, a1.compare(VectorOperators.LT, EXP_UNDERFLOW));
            nmax = nmax.max(ex1t.reinterpretAsInts());
            s0 = s0.add(ex1);
            FloatVector a2 = FloatVector.fromArray(S, x, xb + c + L).sub(vm);
            // ex2 = exp(a2): VectorMath.expNonPositive written out
            FloatVector ex2t = a2.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex2n = ex2t.sub(EXP_SHIFTER);
            FloatVector ex2r = ex2n.lanewise(VectorOperators.FMA, -LN2_LO, ex2n.lanewise(VectorOperators.FMA, -LN2_HI, a2));
            FloatVector ex2q = ex2r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex2r, Q3)
                    .lanewise(VectorOperators.FMA, ex2r, Q2).lanewise(VectorOperators.FMA, ex2r, Q1).lanewise(VectorOperators.FMA, ex2r, 1f);
            FloatVector ex2 = ex2q.lanewise(VectorOperators.FMA, ex2r, 1f)
                    .mul(ex2t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, a2.compare(VectorOperators.LT, EXP_UNDERFLOW));
            nmax = nmax.max(ex2t.reinterpretAsInts());
            s1 = s1.add(ex2);
            FloatVector a3 = FloatVector.fromArray(S, x, xb + c + 2 * L).sub(vm);
            // ex3 = exp(a3): VectorMath.expNonPositive written out
            FloatVector ex3t = a3.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex3n = ex3t.sub(EXP_SHIFTER);
            FloatVector ex3r = ex3n.lanewise(VectorOperators.FMA, -LN2_LO, ex3n.lanewise(VectorOperators.FMA, -LN2_HI, a3));
            FloatVector ex3q = ex3r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex3r, Q3)
                    .lanewise(VectorOperators.FMA, ex3r, Q2).lanewise(VectorOperators.FMA, ex3r, Q1).lanewise(VectorOperators.FMA, ex3r, 1f);
            FloatVector ex3 = ex3q.lanewise(VectorOperators.FMA, ex3r, 1f)
                    .mul(ex3t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, a3.compare(VectorOperators.LT, EXP_UNDERFLOW));
            nmax = nmax.max(ex3t.reinterpretAsInts());
            s2 = s2.add(ex3);
            FloatVector a4 = FloatVector.fromArray(S, x, xb + c + 3 * L).sub(vm);
            // ex4 = exp(a4): VectorMath.expNonPositive written out
            FloatVector ex4t = a4.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex4n = ex4t.sub(EXP_SHIFTER);
            FloatVector ex4r = ex4n.lanewise(VectorOperators.FMA, -LN2_LO, ex4n.lanewise(VectorOperators.FMA, -LN2_HI, a4));
            FloatVector ex4q = ex4r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex4r, Q3)
                    .lanewise(VectorOperators.FMA, ex4r, Q2).lanewise(VectorOperators.FMA, ex4r, Q1).lanewise(VectorOperators.FMA, ex4r, 1f);
            FloatVector ex4 = ex4q.lanewise(VectorOperators.FMA, ex4r, 1f)
                    .mul(ex4t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, a4.compare(VectorOperators.LT, EXP_UNDERFLOW));
            nmax = nmax.max(ex4t.reinterpretAsInts());
            s3 = s3.add(ex4);
        }
        int c = c0 + 4 * L * quads; // the block's last vectors, fewer than four
        // one vector at a time into a fifth accumulator (at most 7 terms per lane): the label's four vectors (its
        // lane −∞), then the block's last, fewer than four (only the row's last block has them: OTHERS_BLOCK is a
        // multiple of 4·L; lanes an overlapping last load already counted −∞, vectors past the row's end wholly).
        // A loop that added them to the four accumulators in rotation boxed them on JDK 17 in 2 of 5 runs at 256 bits
        int labelVectors = labelQuad < end ? 4 : 0;
        int tail = labelQuad == c ? end : c; // the last vectors' start, or end when they hold the label
        int vectors = labelVectors + (end - tail + L - 1) / L;
        for (int v = 0; v < vectors; v++) {
            int cv = v < labelVectors ? labelQuad + v * L : tail + (v - labelVectors) * L;
            FloatVector lane = FloatVector.fromArray(S, IOTA, 0);
            int k5 = Math.min(cv, classes - L);
            FloatVector a5 = FloatVector.fromArray(S, x, xb + k5).sub(vm)
                    .blend(NEG_INF, lane.compare(VectorOperators.LT, (float) (cv - k5)))
                    .blend(NEG_INF, lane.compare(VectorOperators.EQ, (float) (y - k5)));
            // ex5 = exp(a5): VectorMath.expNonPositive written out
            FloatVector ex5t = a5.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex5n = ex5t.sub(EXP_SHIFTER);
            FloatVector ex5r = ex5n.lanewise(VectorOperators.FMA, -LN2_LO, ex5n.lanewise(VectorOperators.FMA, -LN2_HI, a5));
            FloatVector ex5q = ex5r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex5r, Q3)
                    .lanewise(VectorOperators.FMA, ex5r, Q2).lanewise(VectorOperators.FMA, ex5r, Q1).lanewise(VectorOperators.FMA, ex5r, 1f);
            FloatVector ex5 = ex5q.lanewise(VectorOperators.FMA, ex5r, 1f)
                    .mul(ex5t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, a5.compare(VectorOperators.LT, EXP_UNDERFLOW));
            nmax = nmax.max(ex5t.reinterpretAsInts());
            s4 = s4.add(ex5);
        }
        if (nmax.reduceLanes(VectorOperators.MAX) > EXP_MAX_BITS) {
            // n above 127: 2^n does not fit the exponent (a logit more than 127.5·ln 2 ≈ 88.38 above m, +∞, or a
            // NaN with the sign bit clear; other NaNs reach the sum)
            return Float.POSITIVE_INFINITY;
        }
        FloatVector lanes3 = s0.add(s1).add(s2.add(s3)).add(s4);
        // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
        lanes3 = lanes3.add(lanes3.rearrange(SWAP_HALVES));
        if (L >= 4) {
            lanes3 = lanes3.add(lanes3.rearrange(SWAP_QUARTERS));
        }
        if (L >= 8) {
            lanes3 = lanes3.add(lanes3.rearrange(SWAP_EIGHTHS));
        }
        if (L >= 16) {
            lanes3 = lanes3.add(lanes3.rearrange(SWAP_SIXTEENTHS));
        }
        return lanes3.lane(0);
    }

    /** {@code Σ_c p[pb + c]}, {@code classes ≥ L}, summed as {@link #rowSumExp}. */
    static float rowSum(float[] p, int pb, int classes) {
        int bound = S.loopBound(classes);
        double total = 0;
        for (int c0 = 0; c0 < bound; c0 += BLOCK) {
            int end = Math.min(bound, c0 + BLOCK);
            FloatVector s0 = FloatVector.zero(S);
            for (int c = c0; c < end; c += L) {
                s0 = s0.add(FloatVector.fromArray(S, p, pb + c));
            }
            FloatVector lanes4 = s0;
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes4 = lanes4.add(lanes4.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes4 = lanes4.add(lanes4.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes4 = lanes4.add(lanes4.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes4 = lanes4.add(lanes4.rearrange(SWAP_SIXTEENTHS));
            }
            total += lanes4.lane(0);
        }
        if (bound < classes) {
            FloatVector v = FloatVector.fromArray(S, p, pb + classes - L);
            VectorMask<Float> added = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.GE, (float) (L - (classes - bound)));
            FloatVector lanes5 = FloatVector.zero(S).blend(v, added);
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes5 = lanes5.add(lanes5.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes5 = lanes5.add(lanes5.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes5 = lanes5.add(lanes5.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes5 = lanes5.add(lanes5.rearrange(SWAP_SIXTEENTHS));
            }
            total += lanes5.lane(0);
        }
        return (float) total;
    }

    /**
     * Dense-label softmax CE along contiguous classes, {@code classes ≥ L}, in groups of L rows: each row's maximum
     * {@code m} ({@link #rowMax}) and sums ({@link #softmaxRowSums}), then the L losses
     * {@code Σt · log(k + d) + Σ t·(m − x)} in one vector, with the float log1p of {@code (k − 1) + d} (taken in
     * double: exactly d for a single maximum) below 2 and the float log of {@code k + d} above, as in
     * {@link #sparseRows}, by {@link #groupLosses} (with a {@code Math.log} and a {@code Math.log1p} per row, C = 100
     * ran 1.2–1.4× slower). A row the sums do not take (a label with its sign bit set, NaN or infinite data, a sum
     * beyond float range, labels summing above {@link #LARGE_LABELS}{@code / C}) is the scalar row's, in double, and
     * enters the group as {@code Σt = 0}. Logits or labels not contiguous along the classes are copied into
     * per-thread rows first, so that every row takes the same formula.
     */
    private static void softmaxRows(float[] x, Layout xl, float[] t, Layout tl, float[] out, Layout ol) {
        int classes = xl.classes();
        int rows = xl.rows();
        int ts = tl.classStride();
        int xs = xl.classStride();
        float[] labelRow = ts == 1 ? null : rowOf(LABEL_ROW, classes);
        float[] logitRow = xs == 1 ? null : rowOf(LOGIT_ROW, classes);
        float[] g = ROW_GROUP.get();
        for (int r0 = 0; r0 < rows; r0 += L) {
            int n = Math.min(L, rows - r0);
            for (int i = 0; i < L; i++) {
                if (i >= n) {
                    g[i] = 0f;
                    g[L + i] = 0f;
                    g[2 * L + i] = 1f;
                    g[3 * L + i] = 0f;
                    continue;
                }
                float[] tr = t;
                int tb = tl.rowIndex(r0 + i);
                if (labelRow != null) {
                    copyRow(t, tb, ts, classes, labelRow);
                    tr = labelRow;
                    tb = 0;
                }
                float[] xr = x;
                int xb = xl.rowIndex(r0 + i);
                if (logitRow != null) {
                    copyRow(x, xb, xs, classes, logitRow);
                    xb = 0;
                    xr = logitRow;
                }
                if (!softmaxRowSums(xr, xb, classes, tr, tb, rowMax(xr, xb, classes), g, i)) {
                    g[i] = 0f;
                    g[L + i] = ScalarKernels.softmaxRow(xr, xb, 1, classes, tr, tb, 1);
                    g[2 * L + i] = 1f;
                    g[3 * L + i] = 0f;
                }
            }
            boolean direct = n == L && ol.inner() == 1 && ol.outerStride() == 1;
            groupLosses(g, direct ? out : g, direct ? ol.rowIndex(r0) : 4 * L);
            if (!direct) {
                for (int i = 0; i < n; i++) {
                    out[ol.rowIndex(r0 + i)] = g[4 * L + i];
                }
            }
        }
    }

    /**
     * The sums of one dense-label softmax row whose labels are all non-negative, in one pass after the maximum
     * {@code m}: {@code Σt}, {@code Σ t·(m − x)}, and {@code Σ exp(x − m) = k + d} with the k elements equal to
     * {@code m} counted apart (exp(0) = 1 exactly), so that a confident row's small {@code d} keeps its relative
     * precision. Every term of each sum is non-negative, so plain float lane sums (folded into double every
     * {@link #TERM_BLOCK} classes: at most 9 additions per lane) lose nothing to cancellation. The last vector of a
     * row that is not a multiple of L ends at the last class and joins the last block: its lanes already counted
     * get t = 0 and x − m = −∞ for the exp. Stores {@code Σt}, {@code Σ t·(m − x)}, {@code k + d} and
     * {@code (k − 1) + d} as floats into lane {@code i} of the four groups of {@code g}; returns false (nothing
     * stored) when a label has its sign bit set (labels of both signs cancel), a part is not finite, or
     * {@code Σt·C > }{@link #LARGE_LABELS}. Compiled on its own, as
     * {@link #rowSumExp}.
     */
    static boolean softmaxRowSums(float[] x, int xb, int classes, float[] t, int tb, float m, float[] g, int i) {
        // a label with its sign bit set sends the row to the scalar code: the labels' bits are or-ed per block (a vector
        // carried across the blocks was boxed in every iteration on JDK 17)
        boolean negative = false;
        double d = 0;
        double maxima = 0;
        double a = 0;
        double ts = 0;
        int full = classes - classes % L;
        for (int c0 = 0; c0 < full; c0 += TERM_BLOCK) {
            int end = Math.min(full, c0 + TERM_BLOCK);
            // no vector lives across the blocks (with one that did, JDK 17 boxed a vector per row from C = 2048)
            FloatVector vm = FloatVector.broadcast(S, m);
            FloatVector zero = FloatVector.zero(S);
            FloatVector one = FloatVector.broadcast(S, 1f);
            IntVector signs = IntVector.zero(SI);
            FloatVector d0 = zero;
            FloatVector k0 = zero; // the elements equal to m, counted per lane
            FloatVector a0 = zero; // Σ t·(x − m) ≤ 0
            FloatVector t0 = zero;
            int c = c0;
            for (; c + L <= end; c += L) {
                FloatVector w1 = FloatVector.fromArray(S, t, tb + c);
                // ex20 = exp(FloatVector.fromArray(S, x, xb + c).sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex20a = FloatVector.fromArray(S, x, xb + c).sub(vm);
                FloatVector ex20t = ex20a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex20n = ex20t.sub(EXP_SHIFTER);
                FloatVector ex20r = ex20n.lanewise(VectorOperators.FMA, -LN2_LO, ex20n.lanewise(VectorOperators.FMA, -LN2_HI, ex20a));
                FloatVector ex20q = ex20r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex20r, Q3)
                        .lanewise(VectorOperators.FMA, ex20r, Q2).lanewise(VectorOperators.FMA, ex20r, Q1).lanewise(VectorOperators.FMA, ex20r, 1f);
                FloatVector ex20 = ex20q.lanewise(VectorOperators.FMA, ex20r, 1f)
                        .mul(ex20t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex20a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                VectorMask<Float> top1 = ex20a.compare(VectorOperators.EQ, 0f);
                d0 = d0.add(ex20.blend(zero, top1));
                k0 = k0.add(zero.blend(one, top1));
                a0 = w1.lanewise(VectorOperators.FMA, ex20a, a0);
                t0 = t0.add(w1);
                signs = signs.or(w1.reinterpretAsInts());
            }
            if (end == full && full < classes) {
                int k = classes - L;
                VectorMask<Float> counted = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) (L - (classes - full)));
                FloatVector w3 = FloatVector.fromArray(S, t, tb + k).blend(0f, counted);
                FloatVector s3 = FloatVector.fromArray(S, x, xb + k).sub(vm);
                FloatVector a3 = s3.blend(NEG_INF, counted);
                // ex22 = exp(a3): VectorMath.expNonPositive written out
                FloatVector ex22t = a3.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex22n = ex22t.sub(EXP_SHIFTER);
                FloatVector ex22r = ex22n.lanewise(VectorOperators.FMA, -LN2_LO, ex22n.lanewise(VectorOperators.FMA, -LN2_HI, a3));
                FloatVector ex22q = ex22r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex22r, Q3)
                        .lanewise(VectorOperators.FMA, ex22r, Q2).lanewise(VectorOperators.FMA, ex22r, Q1).lanewise(VectorOperators.FMA, ex22r, 1f);
                FloatVector ex22 = ex22q.lanewise(VectorOperators.FMA, ex22r, 1f)
                        .mul(ex22t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, a3.compare(VectorOperators.LT, EXP_UNDERFLOW));
                VectorMask<Float> top3 = a3.compare(VectorOperators.EQ, 0f);
                d0 = d0.add(ex22.blend(zero, top3));
                k0 = k0.add(zero.blend(one, top3));
                a0 = w3.lanewise(VectorOperators.FMA, s3, a0);
                t0 = t0.add(w3);
                signs = signs.or(w3.reinterpretAsInts());
            }
            FloatVector lanes6 = d0;
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes6 = lanes6.add(lanes6.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes6 = lanes6.add(lanes6.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes6 = lanes6.add(lanes6.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes6 = lanes6.add(lanes6.rearrange(SWAP_SIXTEENTHS));
            }
            d += lanes6.lane(0);
            maxima += k0.reduceLanes(VectorOperators.ADD);
            FloatVector lanes7 = a0;
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes7 = lanes7.add(lanes7.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes7 = lanes7.add(lanes7.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes7 = lanes7.add(lanes7.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes7 = lanes7.add(lanes7.rearrange(SWAP_SIXTEENTHS));
            }
            a += lanes7.lane(0);
            FloatVector lanes8 = t0;
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes8 = lanes8.add(lanes8.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes8 = lanes8.add(lanes8.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes8 = lanes8.add(lanes8.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes8 = lanes8.add(lanes8.rearrange(SWAP_SIXTEENTHS));
            }
            ts += lanes8.lane(0);
            negative |= signs.compare(VectorOperators.LT, 0).anyTrue();
        }
        if (negative || ts * classes > LARGE_LABELS) {
            return false;
        }
        float fts = (float) ts;
        float fa = (float) -a;
        float fd = (float) (maxima + d);
        if (!(Float.isFinite(fts) && Float.isFinite(fa) && Float.isFinite(fd))) {
            return false;
        }
        g[i] = fts;
        g[L + i] = fa;
        g[2 * L + i] = fd;
        g[3 * L + i] = (float) ((maxima - 1) + d);
        return true;
    }

    /**
     * Mean sigmoid CE of one row, {@code classes ≥ L}, each term scaled by {@code 1/C} so finite losses cannot
     * overflow; a row {@link #sigmoidMeanRowSum} does not take (a negative term: labels outside [0, 1]) is the scalar
     * row's, in double.
     */
    private static float sigmoidMeanRow(float[] x, int xb, float[] z, int zb, int classes) {
        double r = sigmoidMeanRowSum(x, xb, z, zb, classes);
        return r == r ? (float) r : ScalarKernels.meanRow(false, x, xb, 1, z, zb, 1, 0f, classes);
    }

    /**
     * {@code Σ (max(x, 0) − x·z + log1p(exp(−|x|)))/C} for one row: with labels in [0, 1] every term is
     * non-negative, so plain float lane sums (folded into double every {@link #TERM_BLOCK} classes, at most 8
     * additions per lane) lose nothing to cancellation. Returns NaN when a term has its sign bit set (a NaN row
     * gives NaN from the scalar row too). Compiled on its own, as {@link #rowSumExp}.
     */
    static double sigmoidMeanRowSum(float[] x, int xb, float[] z, int zb, int classes) {
        float inv = 1f / classes;
        // a term with its sign bit set sends the row to the scalar code: the terms' bits are or-ed per block (a vector
        // carried across the blocks was boxed in every iteration on JDK 17)
        boolean negative = false;
        double sum = 0;
        for (int c0 = 0; c0 < classes; c0 += TERM_BLOCK) {
            int end = Math.min(classes, c0 + TERM_BLOCK);
            IntVector signs = IntVector.zero(SI);
            FloatVector acc = FloatVector.zero(S);
            int c = c0;
            for (; c + L <= end; c += L) {
                FloatVector vex23 = FloatVector.fromArray(S, x, xb + c);
                FloatVector zex23 = FloatVector.fromArray(S, z, zb + c);
                // ex23 = exp(vex23.lanewise(VectorOperators.ABS).neg()): VectorMath.expNonPositive written out
                FloatVector ex23a = vex23.lanewise(VectorOperators.ABS).neg();
                FloatVector ex23t = ex23a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex23n = ex23t.sub(EXP_SHIFTER);
                FloatVector ex23r = ex23n.lanewise(VectorOperators.FMA, -LN2_LO, ex23n.lanewise(VectorOperators.FMA, -LN2_HI, ex23a));
                FloatVector ex23q = ex23r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex23r, Q3)
                        .lanewise(VectorOperators.FMA, ex23r, Q2).lanewise(VectorOperators.FMA, ex23r, Q1).lanewise(VectorOperators.FMA, ex23r, 1f);
                FloatVector ex23 = ex23q.lanewise(VectorOperators.FMA, ex23r, 1f)
                        .mul(ex23t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex23a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                // lp24 = log1p(ex23): VectorMath.log1pUnit written out
                FloatVector lp24t2 = ex23.mul(ex23);
                FloatVector lp24 = ex23.lanewise(VectorOperators.FMA, R7, R6).lanewise(VectorOperators.FMA, ex23, R5).lanewise(VectorOperators.FMA, ex23, R4)
                        .lanewise(VectorOperators.FMA, ex23, R3).lanewise(VectorOperators.FMA, ex23, R2).lanewise(VectorOperators.FMA, ex23, R1).lanewise(VectorOperators.FMA, ex23, R0)
                        .lanewise(VectorOperators.FMA, lp24t2, ex23);
                // (max(x,0) − x·z + log1p)/C with x scaled first, so a finite mean cannot overflow on the way
                FloatVector sex23 = vex23.mul(inv);
                FloatVector lex23 = sex23.neg().lanewise(VectorOperators.FMA, zex23, sex23.blend(0f, sex23.compare(VectorOperators.LT, 0f))).add(lp24.mul(inv));
                acc = acc.add(lex23);
                signs = signs.or(lex23.reinterpretAsInts());
            }
            if (c < end) {
                // the last vector of a row that is not a multiple of L ends at the last class; its lanes already
                // counted add 0
                VectorMask<Float> counted = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) (L - Math.min(L, classes - c)));
                FloatVector vex25 = FloatVector.fromArray(S, x, xb + classes - L);
                FloatVector zex25 = FloatVector.fromArray(S, z, zb + classes - L);
                // ex25 = exp(vex25.lanewise(VectorOperators.ABS).neg()): VectorMath.expNonPositive written out
                FloatVector ex25a = vex25.lanewise(VectorOperators.ABS).neg();
                FloatVector ex25t = ex25a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex25n = ex25t.sub(EXP_SHIFTER);
                FloatVector ex25r = ex25n.lanewise(VectorOperators.FMA, -LN2_LO, ex25n.lanewise(VectorOperators.FMA, -LN2_HI, ex25a));
                FloatVector ex25q = ex25r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex25r, Q3)
                        .lanewise(VectorOperators.FMA, ex25r, Q2).lanewise(VectorOperators.FMA, ex25r, Q1).lanewise(VectorOperators.FMA, ex25r, 1f);
                FloatVector ex25 = ex25q.lanewise(VectorOperators.FMA, ex25r, 1f)
                        .mul(ex25t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex25a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                // lp26 = log1p(ex25): VectorMath.log1pUnit written out
                FloatVector lp26t2 = ex25.mul(ex25);
                FloatVector lp26 = ex25.lanewise(VectorOperators.FMA, R7, R6).lanewise(VectorOperators.FMA, ex25, R5).lanewise(VectorOperators.FMA, ex25, R4)
                        .lanewise(VectorOperators.FMA, ex25, R3).lanewise(VectorOperators.FMA, ex25, R2).lanewise(VectorOperators.FMA, ex25, R1).lanewise(VectorOperators.FMA, ex25, R0)
                        .lanewise(VectorOperators.FMA, lp26t2, ex25);
                // (max(x,0) − x·z + log1p)/C with x scaled first, so a finite mean cannot overflow on the way
                FloatVector sex25 = vex25.mul(inv);
                FloatVector lex25 = sex25.neg().lanewise(VectorOperators.FMA, zex25, sex25.blend(0f, sex25.compare(VectorOperators.LT, 0f))).add(lp26.mul(inv));
                lex25 = lex25.blend(0f, counted);
                acc = acc.add(lex25);
                signs = signs.or(lex25.reinterpretAsInts());
            }
            FloatVector lanes9 = acc;
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes9 = lanes9.add(lanes9.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes9 = lanes9.add(lanes9.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes9 = lanes9.add(lanes9.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes9 = lanes9.add(lanes9.rearrange(SWAP_SIXTEENTHS));
            }
            sum += lanes9.lane(0);
            negative |= signs.compare(VectorOperators.LT, 0).anyTrue();
        }
        return negative ? Double.NaN : sum;
    }

    /** Mean binary CE from probabilities of one row, {@code classes ≥ L}, scaled and summed as {@link #sigmoidMeanRow}. */
    private static float binaryMeanRow(float[] p, int pb, float[] z, int zb, float eps, int classes) {
        double r = binaryMeanRowSum(p, pb, z, zb, eps, classes);
        return r == r ? (float) r : ScalarKernels.meanRow(true, p, pb, 1, z, zb, 1, eps, classes);
    }

    /**
     * {@code −Σ (z·log p + (1 − z)·log(1 − p))/C} with p and 1 − p clipped to {@code [ε, 1 − ε]}, summed as
     * {@link #sigmoidMeanRowSum} (every term non-negative for labels in [0, 1]); NaN when a term has its sign bit set.
     */
    static double binaryMeanRowSum(float[] p, int pb, float[] z, int zb, float eps, int classes) {
        float inv = 1f / classes;
        float hi = 1f - eps;
        // a term with its sign bit set sends the row to the scalar code: the terms' bits are or-ed per block (a vector
        // carried across the blocks was boxed in every iteration on JDK 17)
        boolean negative = false;
        double sum = 0;
        int skip = 0; // vectors left before the labels are checked again (see SOFT_SKIP)
        for (int c0 = 0; c0 < classes; c0 += TERM_BLOCK) {
            int end = Math.min(classes, c0 + TERM_BLOCK);
            IntVector signs = IntVector.zero(SI);
            FloatVector acc = FloatVector.zero(S);
            int c = c0;
            for (; c + L <= end; c += L) {
                FloatVector vlg24 = FloatVector.fromArray(S, p, pb + c);
                FloatVector zlg24 = FloatVector.fromArray(S, z, zb + c);
                // clip to [eps, hi] by compare and blend (Java's MAX/MIN cost several instructions each for NaN); NaN stays NaN
                VectorMask<Float> zero = zlg24.compare(VectorOperators.EQ, 0f);
                if (skip > 0) {
                    skip--;
                } else if (!zero.or(zlg24.compare(VectorOperators.EQ, 1f)).allTrue()) {
                    skip = SOFT_SKIP;
                } else {
                    // hard labels: the one log of the side the label picks, to the bit (see binaryRun)
                    FloatVector w0 = vlg24.blend(vlg24.neg().add(1f), zero);
                    FloatVector w = w0.blend(eps, w0.compare(VectorOperators.LT, eps)).blend(hi, w0.compare(VectorOperators.GT, hi));
                    // lg29 = log(w): VectorMath.logNormal written out
                    IntVector lg29bits = w.reinterpretAsInts();
                    IntVector lg29k = lg29bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                    FloatVector lg29f = lg29bits.sub(lg29k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                    FloatVector lg29kf = lg29k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                    FloatVector lg29f2 = lg29f.mul(lg29f);
                    FloatVector lg29p = lg29f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg29f, P5)
                            .lanewise(VectorOperators.FMA, lg29f, P4).lanewise(VectorOperators.FMA, lg29f, P3).lanewise(VectorOperators.FMA, lg29f, P2)
                            .lanewise(VectorOperators.FMA, lg29f, P1).lanewise(VectorOperators.FMA, lg29f, P0);
                    FloatVector lg29l1 = lg29p.mul(lg29f).lanewise(VectorOperators.FMA, lg29f2, lg29f2.mul(-0.5f)).add(lg29f);
                    FloatVector lg29 = lg29kf.lanewise(VectorOperators.FMA, LN2_HI, lg29kf.lanewise(VectorOperators.FMA, LN2_LO, lg29l1));
                    FloatVector hard = lg29.mul(-inv).blend(Float.NaN, w.compare(VectorOperators.NE, w));
                    acc = acc.add(hard);
                    signs = signs.or(hard.reinterpretAsInts());
                    continue;
                }
                FloatVector pclg24 = vlg24.blend(eps, vlg24.compare(VectorOperators.LT, eps)).blend(hi, vlg24.compare(VectorOperators.GT, hi));
                FloatVector qclg240 = vlg24.neg().add(1f);
                FloatVector qclg24 = qclg240.blend(eps, qclg240.compare(VectorOperators.LT, eps)).blend(hi, qclg240.compare(VectorOperators.GT, hi));
                // lg24 = log(pclg24): VectorMath.logNormal written out
                IntVector lg24bits = pclg24.reinterpretAsInts();
                IntVector lg24k = lg24bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                FloatVector lg24f = lg24bits.sub(lg24k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                FloatVector lg24kf = lg24k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                FloatVector lg24f2 = lg24f.mul(lg24f);
                FloatVector lg24p = lg24f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg24f, P5)
                        .lanewise(VectorOperators.FMA, lg24f, P4).lanewise(VectorOperators.FMA, lg24f, P3).lanewise(VectorOperators.FMA, lg24f, P2)
                        .lanewise(VectorOperators.FMA, lg24f, P1).lanewise(VectorOperators.FMA, lg24f, P0);
                FloatVector lg24l1 = lg24p.mul(lg24f).lanewise(VectorOperators.FMA, lg24f2, lg24f2.mul(-0.5f)).add(lg24f);
                FloatVector lg24 = lg24kf.lanewise(VectorOperators.FMA, LN2_HI, lg24kf.lanewise(VectorOperators.FMA, LN2_LO, lg24l1));
                // lg25 = log(qclg24): VectorMath.logNormal written out
                IntVector lg25bits = qclg24.reinterpretAsInts();
                IntVector lg25k = lg25bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                FloatVector lg25f = lg25bits.sub(lg25k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                FloatVector lg25kf = lg25k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                FloatVector lg25f2 = lg25f.mul(lg25f);
                FloatVector lg25p = lg25f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg25f, P5)
                        .lanewise(VectorOperators.FMA, lg25f, P4).lanewise(VectorOperators.FMA, lg25f, P3).lanewise(VectorOperators.FMA, lg25f, P2)
                        .lanewise(VectorOperators.FMA, lg25f, P1).lanewise(VectorOperators.FMA, lg25f, P0);
                FloatVector lg25l1 = lg25p.mul(lg25f).lanewise(VectorOperators.FMA, lg25f2, lg25f2.mul(-0.5f)).add(lg25f);
                FloatVector lg25 = lg25kf.lanewise(VectorOperators.FMA, LN2_HI, lg25kf.lanewise(VectorOperators.FMA, LN2_LO, lg25l1));
                FloatVector omzlg24 = zlg24.neg().add(1f);
                FloatVector llg24 = zlg24.mul(lg24).add(omzlg24.mul(lg25)).mul(-inv).blend(Float.NaN, pclg24.compare(VectorOperators.NE, pclg24));
                acc = acc.add(llg24);
                // a label outside [0, 1] (z or 1 − z with its sign bit set): the two terms cancel, the row is the scalar's
                signs = signs.or(llg24.reinterpretAsInts()).or(zlg24.add(0f).reinterpretAsInts()).or(omzlg24.reinterpretAsInts());
            }
            if (c < end) {
                // the last vector of a row that is not a multiple of L ends at the last class; its lanes already
                // counted add 0
                VectorMask<Float> counted = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) (L - Math.min(L, classes - c)));
                FloatVector vlg26 = FloatVector.fromArray(S, p, pb + classes - L);
                FloatVector zlg26 = FloatVector.fromArray(S, z, zb + classes - L);
                // clip to [eps, hi] by compare and blend (Java's MAX/MIN cost several instructions each for NaN); NaN stays NaN
                FloatVector pclg26 = vlg26.blend(eps, vlg26.compare(VectorOperators.LT, eps)).blend(hi, vlg26.compare(VectorOperators.GT, hi));
                FloatVector qclg260 = vlg26.neg().add(1f);
                FloatVector qclg26 = qclg260.blend(eps, qclg260.compare(VectorOperators.LT, eps)).blend(hi, qclg260.compare(VectorOperators.GT, hi));
                // lg26 = log(pclg26): VectorMath.logNormal written out
                IntVector lg26bits = pclg26.reinterpretAsInts();
                IntVector lg26k = lg26bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                FloatVector lg26f = lg26bits.sub(lg26k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                FloatVector lg26kf = lg26k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                FloatVector lg26f2 = lg26f.mul(lg26f);
                FloatVector lg26p = lg26f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg26f, P5)
                        .lanewise(VectorOperators.FMA, lg26f, P4).lanewise(VectorOperators.FMA, lg26f, P3).lanewise(VectorOperators.FMA, lg26f, P2)
                        .lanewise(VectorOperators.FMA, lg26f, P1).lanewise(VectorOperators.FMA, lg26f, P0);
                FloatVector lg26l1 = lg26p.mul(lg26f).lanewise(VectorOperators.FMA, lg26f2, lg26f2.mul(-0.5f)).add(lg26f);
                FloatVector lg26 = lg26kf.lanewise(VectorOperators.FMA, LN2_HI, lg26kf.lanewise(VectorOperators.FMA, LN2_LO, lg26l1));
                // lg27 = log(qclg26): VectorMath.logNormal written out
                IntVector lg27bits = qclg26.reinterpretAsInts();
                IntVector lg27k = lg27bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                FloatVector lg27f = lg27bits.sub(lg27k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                FloatVector lg27kf = lg27k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                FloatVector lg27f2 = lg27f.mul(lg27f);
                FloatVector lg27p = lg27f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg27f, P5)
                        .lanewise(VectorOperators.FMA, lg27f, P4).lanewise(VectorOperators.FMA, lg27f, P3).lanewise(VectorOperators.FMA, lg27f, P2)
                        .lanewise(VectorOperators.FMA, lg27f, P1).lanewise(VectorOperators.FMA, lg27f, P0);
                FloatVector lg27l1 = lg27p.mul(lg27f).lanewise(VectorOperators.FMA, lg27f2, lg27f2.mul(-0.5f)).add(lg27f);
                FloatVector lg27 = lg27kf.lanewise(VectorOperators.FMA, LN2_HI, lg27kf.lanewise(VectorOperators.FMA, LN2_LO, lg27l1));
                FloatVector omzlg26 = zlg26.neg().add(1f);
                FloatVector llg26 = zlg26.mul(lg26).add(omzlg26.mul(lg27)).mul(-inv).blend(Float.NaN, pclg26.compare(VectorOperators.NE, pclg26));
                llg26 = llg26.blend(0f, counted);
                acc = acc.add(llg26);
                signs = signs.or(llg26.reinterpretAsInts()).or(zlg26.add(0f).reinterpretAsInts()).or(omzlg26.reinterpretAsInts());
            }
            FloatVector lanes10 = acc;
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes10 = lanes10.add(lanes10.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes10 = lanes10.add(lanes10.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes10 = lanes10.add(lanes10.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes10 = lanes10.add(lanes10.rearrange(SWAP_SIXTEENTHS));
            }
            sum += lanes10.lane(0);
            negative |= signs.compare(VectorOperators.LT, 0).anyTrue();
        }
        return negative ? Double.NaN : sum;
    }

    /**
     * Keras categorical CE of one row, {@code classes ≥ L}: {@code Σp} by {@link #rowSum}, then
     * {@link #categoricalRowLoss}; a row it does not take (a label with its sign bit set, a sum that is 0 or not
     * finite, a loss beyond float range) is the scalar row's, which divides by the double sum.
     */
    private static float categoricalRow(float[] p, int pb, int classes, float[] t, int tb, float eps) {
        float sum = rowSum(p, pb, classes);
        // a finite, non-zero sum: every p is finite, and p / sum is never 0/0, so no NaN reaches the log below
        float r = Float.isFinite(sum) && sum != 0f ? (float) categoricalRowLoss(p, pb, classes, t, tb, eps, sum) : Float.NaN;
        return Float.isFinite(r) ? r : ScalarKernels.categoricalRow(p, pb, 1, classes, t, tb, 1, eps);
    }

    /**
     * {@code −Σ t·log(clip(p / sum, ε, 1 − ε))} for one row whose labels are all non-negative: every term then has
     * one sign (the clipped log is negative), so plain float lane sums (folded into double every {@link #TERM_BLOCK}
     * classes, at most 8 additions per lane) lose nothing to cancellation. Returns NaN when a
     * label has its sign bit set. Compiled on its own, as {@link #rowSumExp}.
     */
    static double categoricalRowLoss(float[] p, int pb, int classes, float[] t, int tb, float eps, float sum) {
        FloatVector vs = FloatVector.broadcast(S, sum);
        float hi = 1f - eps;
        FloatVector zero = FloatVector.zero(S);
        // a label with its sign bit set sends the row to the scalar code: the labels' bits are or-ed per block (a vector
        // carried across the blocks was boxed in every iteration on JDK 17)
        boolean negative = false;
        double loss = 0;
        for (int c0 = 0; c0 < classes; c0 += TERM_BLOCK) {
            int end = Math.min(classes, c0 + TERM_BLOCK);
            IntVector signs = IntVector.zero(SI);
            FloatVector acc0 = zero;
            int c = c0;
            for (; c + L <= end; c += L) {
                // clip to [eps, hi] by compare and blend (Java's MAX/MIN cost several instructions each for NaN)
                FloatVector q1 = FloatVector.fromArray(S, p, pb + c).div(vs);
                FloatVector c1 = q1.blend(eps, q1.compare(VectorOperators.LT, eps)).blend(hi, q1.compare(VectorOperators.GT, hi));
                // lg21 = log(c1): VectorMath.logNormal written out
                IntVector lg21bits = c1.reinterpretAsInts();
                IntVector lg21k = lg21bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                FloatVector lg21f = lg21bits.sub(lg21k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                FloatVector lg21kf = lg21k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                FloatVector lg21f2 = lg21f.mul(lg21f);
                FloatVector lg21p = lg21f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg21f, P5)
                        .lanewise(VectorOperators.FMA, lg21f, P4).lanewise(VectorOperators.FMA, lg21f, P3).lanewise(VectorOperators.FMA, lg21f, P2)
                        .lanewise(VectorOperators.FMA, lg21f, P1).lanewise(VectorOperators.FMA, lg21f, P0);
                FloatVector lg21l1 = lg21p.mul(lg21f).lanewise(VectorOperators.FMA, lg21f2, lg21f2.mul(-0.5f)).add(lg21f);
                FloatVector lg21 = lg21kf.lanewise(VectorOperators.FMA, LN2_HI, lg21kf.lanewise(VectorOperators.FMA, LN2_LO, lg21l1));
                FloatVector w1 = FloatVector.fromArray(S, t, tb + c);
                acc0 = w1.lanewise(VectorOperators.FMA, lg21, acc0);
                signs = signs.or(w1.reinterpretAsInts());
            }
            for (; c < end; c += L) {
                // the last vector of a row that is not a multiple of L ends at the last class: its lanes already
                // counted get t = 0
                int k = Math.min(c, classes - L);
                VectorMask<Float> counted = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) (L - Math.min(L, classes - c)));
                FloatVector q3 = FloatVector.fromArray(S, p, pb + k).div(vs);
                FloatVector c3 = q3.blend(eps, q3.compare(VectorOperators.LT, eps)).blend(hi, q3.compare(VectorOperators.GT, hi));
                // lg23 = log(c3): VectorMath.logNormal written out
                IntVector lg23bits = c3.reinterpretAsInts();
                IntVector lg23k = lg23bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                FloatVector lg23f = lg23bits.sub(lg23k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                FloatVector lg23kf = lg23k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                FloatVector lg23f2 = lg23f.mul(lg23f);
                FloatVector lg23p = lg23f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg23f, P5)
                        .lanewise(VectorOperators.FMA, lg23f, P4).lanewise(VectorOperators.FMA, lg23f, P3).lanewise(VectorOperators.FMA, lg23f, P2)
                        .lanewise(VectorOperators.FMA, lg23f, P1).lanewise(VectorOperators.FMA, lg23f, P0);
                FloatVector lg23l1 = lg23p.mul(lg23f).lanewise(VectorOperators.FMA, lg23f2, lg23f2.mul(-0.5f)).add(lg23f);
                FloatVector lg23 = lg23kf.lanewise(VectorOperators.FMA, LN2_HI, lg23kf.lanewise(VectorOperators.FMA, LN2_LO, lg23l1));
                FloatVector w3 = FloatVector.fromArray(S, t, tb + k).blend(0f, counted);
                acc0 = w3.lanewise(VectorOperators.FMA, lg23, acc0);
                signs = signs.or(w3.reinterpretAsInts());
            }
            FloatVector lanes11 = acc0;
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes11 = lanes11.add(lanes11.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes11 = lanes11.add(lanes11.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes11 = lanes11.add(lanes11.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes11 = lanes11.add(lanes11.rearrange(SWAP_SIXTEENTHS));
            }
            loss -= lanes11.lane(0);
            negative |= signs.compare(VectorOperators.LT, 0).anyTrue();
        }
        return negative ? Double.NaN : loss;
    }

    // ---- 16-bit logits: 2L elements per load, two float vectors (low and high halves of each int lane) ----

    /**
     * The largest of a row of 16-bit floats, compared as integers: both formats are sign-magnitude, so flipping the
     * magnitude bits of the negative ones gives keys whose signed order is the order of the values (a positive NaN
     * becomes the maximum, a negative one is skipped; either way {@code exp(NaN − m)} makes the loss NaN).
     * Only the winner is widened.
     */
    private static float halfRowMax(short[] x, int xb, int classes, HalfFloat format) {
        int w = 2 * L;
        ShortVector m = ShortVector.broadcast(SS, Short.MIN_VALUE);
        for (int c = 0; c < classes; c += w) {
            ShortVector h = ShortVector.fromArray(SS, x, xb + Math.min(c, classes - w));
            m = m.max(h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.ASHR, 15).lanewise(VectorOperators.AND, (short) 0x7fff)));
        }
        short key = m.reduceLanes(VectorOperators.MAX);
        return format.toFloat((short) (key ^ ((key >> 15) & 0x7fff)));
    }

    private static double bf16RowSumExp(short[] x, int xb, int classes, float m) {
        int w = 2 * L;
        FloatVector vm = FloatVector.broadcast(S, m);
        double total = 0;
        for (int c0 = 0; c0 < classes; c0 += BLOCK) {
            int end = Math.min(classes, c0 + BLOCK);
            FloatVector acc = FloatVector.zero(S);
            for (int c = c0; c < end; c += w) {
                int k = Math.min(c, classes - w);
                IntVector iv = ShortVector.fromArray(SS, x, xb + k).reinterpretAsInts();
                // ex11 = exp(iv.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex11a = iv.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().sub(vm);
                FloatVector ex11t = ex11a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex11n = ex11t.sub(EXP_SHIFTER);
                FloatVector ex11r = ex11n.lanewise(VectorOperators.FMA, -LN2_LO, ex11n.lanewise(VectorOperators.FMA, -LN2_HI, ex11a));
                FloatVector ex11q = ex11r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex11r, Q3)
                        .lanewise(VectorOperators.FMA, ex11r, Q2).lanewise(VectorOperators.FMA, ex11r, Q1).lanewise(VectorOperators.FMA, ex11r, 1f);
                FloatVector ex11 = ex11q.lanewise(VectorOperators.FMA, ex11r, 1f)
                        .mul(ex11t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex11a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                FloatVector lo = ex11;
                // ex12 = exp(iv.lanewise(VectorOperators.AND, 0xffff0000).reinterpretAsFloats().sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex12a = iv.lanewise(VectorOperators.AND, 0xffff0000).reinterpretAsFloats().sub(vm);
                FloatVector ex12t = ex12a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex12n = ex12t.sub(EXP_SHIFTER);
                FloatVector ex12r = ex12n.lanewise(VectorOperators.FMA, -LN2_LO, ex12n.lanewise(VectorOperators.FMA, -LN2_HI, ex12a));
                FloatVector ex12q = ex12r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex12r, Q3)
                        .lanewise(VectorOperators.FMA, ex12r, Q2).lanewise(VectorOperators.FMA, ex12r, Q1).lanewise(VectorOperators.FMA, ex12r, 1f);
                FloatVector ex12 = ex12q.lanewise(VectorOperators.FMA, ex12r, 1f)
                        .mul(ex12t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex12a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                FloatVector hi = ex12;
                // the overlapping last load: elements already counted (index < 2L − rem) are dropped; all kept elsewhere
                float first = (float) (w - Math.min(w, classes - c));
                acc = acc.add(FloatVector.zero(S).blend(lo, FloatVector.fromArray(S, EVEN, 0).compare(VectorOperators.GE, first)))
                        .add(FloatVector.zero(S).blend(hi, FloatVector.fromArray(S, ODD, 0).compare(VectorOperators.GE, first)));
            }
            FloatVector lanes12 = acc;
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes12 = lanes12.add(lanes12.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes12 = lanes12.add(lanes12.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes12 = lanes12.add(lanes12.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes12 = lanes12.add(lanes12.rearrange(SWAP_SIXTEENTHS));
            }
            total += lanes12.lane(0);
        }
        return total;
    }

    private static double f16RowSumExp(short[] x, int xb, int classes, float m) {
        int w = 2 * L;
        FloatVector vm = FloatVector.broadcast(S, m);
        double total = 0;
        for (int c0 = 0; c0 < classes; c0 += BLOCK) {
            int end = Math.min(classes, c0 + BLOCK);
            FloatVector acc = FloatVector.zero(S);
            for (int c = c0; c < end; c += w) {
                int k = Math.min(c, classes - w);
                IntVector iv = ShortVector.fromArray(SS, x, xb + k).reinterpretAsInts();
                IntVector h = iv.lanewise(VectorOperators.AND, 0xffff);
                IntVector em = h.lanewise(VectorOperators.AND, 0x7fff);
                IntVector bits = em.lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts()
                        .blend(em.lanewise(VectorOperators.LSHL, 13).lanewise(VectorOperators.OR, 0x7f800000), em.compare(VectorOperators.GE, 0x7c00));
                // ex13 = exp(bits.lanewise(VectorOperators.OR, h.lanewise(VectorOperators.AND, 0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex13a = bits.lanewise(VectorOperators.OR, h.lanewise(VectorOperators.AND, 0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().sub(vm);
                FloatVector ex13t = ex13a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex13n = ex13t.sub(EXP_SHIFTER);
                FloatVector ex13r = ex13n.lanewise(VectorOperators.FMA, -LN2_LO, ex13n.lanewise(VectorOperators.FMA, -LN2_HI, ex13a));
                FloatVector ex13q = ex13r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex13r, Q3)
                        .lanewise(VectorOperators.FMA, ex13r, Q2).lanewise(VectorOperators.FMA, ex13r, Q1).lanewise(VectorOperators.FMA, ex13r, 1f);
                FloatVector ex13 = ex13q.lanewise(VectorOperators.FMA, ex13r, 1f)
                        .mul(ex13t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex13a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                FloatVector lo = ex13;
                h = iv.lanewise(VectorOperators.LSHR, 16);
                em = h.lanewise(VectorOperators.AND, 0x7fff);
                bits = em.lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts()
                        .blend(em.lanewise(VectorOperators.LSHL, 13).lanewise(VectorOperators.OR, 0x7f800000), em.compare(VectorOperators.GE, 0x7c00));
                // ex14 = exp(bits.lanewise(VectorOperators.OR, h.lanewise(VectorOperators.AND, 0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex14a = bits.lanewise(VectorOperators.OR, h.lanewise(VectorOperators.AND, 0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().sub(vm);
                FloatVector ex14t = ex14a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex14n = ex14t.sub(EXP_SHIFTER);
                FloatVector ex14r = ex14n.lanewise(VectorOperators.FMA, -LN2_LO, ex14n.lanewise(VectorOperators.FMA, -LN2_HI, ex14a));
                FloatVector ex14q = ex14r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex14r, Q3)
                        .lanewise(VectorOperators.FMA, ex14r, Q2).lanewise(VectorOperators.FMA, ex14r, Q1).lanewise(VectorOperators.FMA, ex14r, 1f);
                FloatVector ex14 = ex14q.lanewise(VectorOperators.FMA, ex14r, 1f)
                        .mul(ex14t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex14a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                FloatVector hi = ex14;
                float first = (float) (w - Math.min(w, classes - c));
                acc = acc.add(FloatVector.zero(S).blend(lo, FloatVector.fromArray(S, EVEN, 0).compare(VectorOperators.GE, first)))
                        .add(FloatVector.zero(S).blend(hi, FloatVector.fromArray(S, ODD, 0).compare(VectorOperators.GE, first)));
            }
            FloatVector lanes13 = acc;
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes13 = lanes13.add(lanes13.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes13 = lanes13.add(lanes13.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes13 = lanes13.add(lanes13.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes13 = lanes13.add(lanes13.rearrange(SWAP_SIXTEENTHS));
            }
            total += lanes13.lane(0);
        }
        return total;
    }

    /**
     * {@link #rowSumExpShifted} of a row of bfloat16 logits (2L halves per load, widened in registers as in
     * {@link #bf16RowSumExp}): {@code Σ_c exp(x_c − m) − 1 = (k − 1) + rest} with the k elements equal to {@code m}
     * counted apart, blocks of {@link #PLAIN_BLOCK} classes (8 terms per lane and accumulator), +∞ for a term whose
     * exponent leaves the float range (the same integer maximum of the exps' bits). {@code classes ≥ 2L}.
     */
    private static double bf16RowSumExpShifted(short[] x, int xb, int classes, float m) {
        int w = 2 * L;
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        double rest = 0;
        double count = 0;
        for (int c0 = 0; c0 < classes; c0 += PLAIN_BLOCK) {
            int end = Math.min(classes, c0 + PLAIN_BLOCK);
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            FloatVector k0 = s0; // the elements equal to m, counted per lane
            IntVector nmax = IntVector.zero(SI); // the largest bits of the exps' n + EXP_SHIFTER
            int c = c0;
            for (; c + w <= end; c += w) {
                IntVector iv = ShortVector.fromArray(SS, x, xb + c).reinterpretAsInts();
                // ex45 = exp(iv.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex45a = iv.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().sub(vm);
                FloatVector ex45t = ex45a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex45n = ex45t.sub(EXP_SHIFTER);
                FloatVector ex45r = ex45n.lanewise(VectorOperators.FMA, -LN2_LO, ex45n.lanewise(VectorOperators.FMA, -LN2_HI, ex45a));
                FloatVector ex45q = ex45r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex45r, Q3)
                        .lanewise(VectorOperators.FMA, ex45r, Q2).lanewise(VectorOperators.FMA, ex45r, Q1).lanewise(VectorOperators.FMA, ex45r, 1f);
                FloatVector ex45 = ex45q.lanewise(VectorOperators.FMA, ex45r, 1f)
                        .mul(ex45t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex45a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                nmax = nmax.max(ex45t.reinterpretAsInts());
                VectorMask<Float> top45 = ex45a.compare(VectorOperators.EQ, 0f);
                s0 = s0.add(ex45.blend(zero, top45));
                k0 = k0.add(zero.blend(one, top45));
                // ex46 = exp(iv.lanewise(VectorOperators.AND, 0xffff0000).reinterpretAsFloats().sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex46a = iv.lanewise(VectorOperators.AND, 0xffff0000).reinterpretAsFloats().sub(vm);
                FloatVector ex46t = ex46a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex46n = ex46t.sub(EXP_SHIFTER);
                FloatVector ex46r = ex46n.lanewise(VectorOperators.FMA, -LN2_LO, ex46n.lanewise(VectorOperators.FMA, -LN2_HI, ex46a));
                FloatVector ex46q = ex46r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex46r, Q3)
                        .lanewise(VectorOperators.FMA, ex46r, Q2).lanewise(VectorOperators.FMA, ex46r, Q1).lanewise(VectorOperators.FMA, ex46r, 1f);
                FloatVector ex46 = ex46q.lanewise(VectorOperators.FMA, ex46r, 1f)
                        .mul(ex46t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex46a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                nmax = nmax.max(ex46t.reinterpretAsInts());
                VectorMask<Float> top46 = ex46a.compare(VectorOperators.EQ, 0f);
                s1 = s1.add(ex46.blend(zero, top46));
                k0 = k0.add(zero.blend(one, top46));
            }
            for (; c < end; c += w) {
                // the overlapping last load: elements already counted (index < 2L − rem) become −∞ (exp 0, not counted)
                float first = (float) (w - Math.min(w, classes - c));
                IntVector iv = ShortVector.fromArray(SS, x, xb + classes - w).reinterpretAsInts();
                // ex47 = exp(iv.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().sub(vm).blend(NEG_INF, FloatVector.fromArray(S, EVEN, 0).compare(VectorOperators.LT, first))): VectorMath.expNonPositive written out
                FloatVector ex47a = iv.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().sub(vm).blend(NEG_INF, FloatVector.fromArray(S, EVEN, 0).compare(VectorOperators.LT, first));
                FloatVector ex47t = ex47a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex47n = ex47t.sub(EXP_SHIFTER);
                FloatVector ex47r = ex47n.lanewise(VectorOperators.FMA, -LN2_LO, ex47n.lanewise(VectorOperators.FMA, -LN2_HI, ex47a));
                FloatVector ex47q = ex47r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex47r, Q3)
                        .lanewise(VectorOperators.FMA, ex47r, Q2).lanewise(VectorOperators.FMA, ex47r, Q1).lanewise(VectorOperators.FMA, ex47r, 1f);
                FloatVector ex47 = ex47q.lanewise(VectorOperators.FMA, ex47r, 1f)
                        .mul(ex47t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex47a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                nmax = nmax.max(ex47t.reinterpretAsInts());
                VectorMask<Float> top47 = ex47a.compare(VectorOperators.EQ, 0f);
                s0 = s0.add(ex47.blend(zero, top47));
                k0 = k0.add(zero.blend(one, top47));
                // ex48 = exp(iv.lanewise(VectorOperators.AND, 0xffff0000).reinterpretAsFloats().sub(vm).blend(NEG_INF, FloatVector.fromArray(S, ODD, 0).compare(VectorOperators.LT, first))): VectorMath.expNonPositive written out
                FloatVector ex48a = iv.lanewise(VectorOperators.AND, 0xffff0000).reinterpretAsFloats().sub(vm).blend(NEG_INF, FloatVector.fromArray(S, ODD, 0).compare(VectorOperators.LT, first));
                FloatVector ex48t = ex48a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex48n = ex48t.sub(EXP_SHIFTER);
                FloatVector ex48r = ex48n.lanewise(VectorOperators.FMA, -LN2_LO, ex48n.lanewise(VectorOperators.FMA, -LN2_HI, ex48a));
                FloatVector ex48q = ex48r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex48r, Q3)
                        .lanewise(VectorOperators.FMA, ex48r, Q2).lanewise(VectorOperators.FMA, ex48r, Q1).lanewise(VectorOperators.FMA, ex48r, 1f);
                FloatVector ex48 = ex48q.lanewise(VectorOperators.FMA, ex48r, 1f)
                        .mul(ex48t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex48a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                nmax = nmax.max(ex48t.reinterpretAsInts());
                VectorMask<Float> top48 = ex48a.compare(VectorOperators.EQ, 0f);
                s1 = s1.add(ex48.blend(zero, top48));
                k0 = k0.add(zero.blend(one, top48));
            }
            if (nmax.reduceLanes(VectorOperators.MAX) > EXP_MAX_BITS) {
                return Double.POSITIVE_INFINITY; // as rowSumExpShifted
            }
            FloatVector lanes14 = s0.add(s1);
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes14 = lanes14.add(lanes14.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes14 = lanes14.add(lanes14.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes14 = lanes14.add(lanes14.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes14 = lanes14.add(lanes14.rearrange(SWAP_SIXTEENTHS));
            }
            rest += lanes14.lane(0);
            count += k0.reduceLanes(VectorOperators.ADD);
        }
        return (count - 1) + rest;
    }

    /**
     * {@link #rowSumExpShifted} of a row of float16 logits (2L halves per load, widened in registers as in
     * {@link #f16RowSumExp}): {@code Σ_c exp(x_c − m) − 1 = (k − 1) + rest} with the k elements equal to {@code m}
     * counted apart, blocks of {@link #PLAIN_BLOCK} classes (8 terms per lane and accumulator), +∞ for a term whose
     * exponent leaves the float range (the same integer maximum of the exps' bits). {@code classes ≥ 2L}.
     */
    private static double f16RowSumExpShifted(short[] x, int xb, int classes, float m) {
        int w = 2 * L;
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        double rest = 0;
        double count = 0;
        for (int c0 = 0; c0 < classes; c0 += PLAIN_BLOCK) {
            int end = Math.min(classes, c0 + PLAIN_BLOCK);
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            FloatVector k0 = s0; // the elements equal to m, counted per lane
            IntVector nmax = IntVector.zero(SI); // the largest bits of the exps' n + EXP_SHIFTER
            int c = c0;
            for (; c + w <= end; c += w) {
                IntVector iv = ShortVector.fromArray(SS, x, xb + c).reinterpretAsInts();
                IntVector hlo = iv.lanewise(VectorOperators.AND, 0xffff);
                IntVector hloem = hlo.lanewise(VectorOperators.AND, 0x7fff);
                IntVector hlobits = hloem.lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts()
                        .blend(hloem.lanewise(VectorOperators.LSHL, 13).lanewise(VectorOperators.OR, 0x7f800000), hloem.compare(VectorOperators.GE, 0x7c00));
                // ex49 = exp(hlobits.lanewise(VectorOperators.OR, hlo.lanewise(VectorOperators.AND, 0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex49a = hlobits.lanewise(VectorOperators.OR, hlo.lanewise(VectorOperators.AND, 0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().sub(vm);
                FloatVector ex49t = ex49a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex49n = ex49t.sub(EXP_SHIFTER);
                FloatVector ex49r = ex49n.lanewise(VectorOperators.FMA, -LN2_LO, ex49n.lanewise(VectorOperators.FMA, -LN2_HI, ex49a));
                FloatVector ex49q = ex49r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex49r, Q3)
                        .lanewise(VectorOperators.FMA, ex49r, Q2).lanewise(VectorOperators.FMA, ex49r, Q1).lanewise(VectorOperators.FMA, ex49r, 1f);
                FloatVector ex49 = ex49q.lanewise(VectorOperators.FMA, ex49r, 1f)
                        .mul(ex49t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex49a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                nmax = nmax.max(ex49t.reinterpretAsInts());
                VectorMask<Float> top49 = ex49a.compare(VectorOperators.EQ, 0f);
                s0 = s0.add(ex49.blend(zero, top49));
                k0 = k0.add(zero.blend(one, top49));
                IntVector hhi = iv.lanewise(VectorOperators.LSHR, 16);
                IntVector hhiem = hhi.lanewise(VectorOperators.AND, 0x7fff);
                IntVector hhibits = hhiem.lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts()
                        .blend(hhiem.lanewise(VectorOperators.LSHL, 13).lanewise(VectorOperators.OR, 0x7f800000), hhiem.compare(VectorOperators.GE, 0x7c00));
                // ex50 = exp(hhibits.lanewise(VectorOperators.OR, hhi.lanewise(VectorOperators.AND, 0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex50a = hhibits.lanewise(VectorOperators.OR, hhi.lanewise(VectorOperators.AND, 0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().sub(vm);
                FloatVector ex50t = ex50a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex50n = ex50t.sub(EXP_SHIFTER);
                FloatVector ex50r = ex50n.lanewise(VectorOperators.FMA, -LN2_LO, ex50n.lanewise(VectorOperators.FMA, -LN2_HI, ex50a));
                FloatVector ex50q = ex50r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex50r, Q3)
                        .lanewise(VectorOperators.FMA, ex50r, Q2).lanewise(VectorOperators.FMA, ex50r, Q1).lanewise(VectorOperators.FMA, ex50r, 1f);
                FloatVector ex50 = ex50q.lanewise(VectorOperators.FMA, ex50r, 1f)
                        .mul(ex50t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex50a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                nmax = nmax.max(ex50t.reinterpretAsInts());
                VectorMask<Float> top50 = ex50a.compare(VectorOperators.EQ, 0f);
                s1 = s1.add(ex50.blend(zero, top50));
                k0 = k0.add(zero.blend(one, top50));
            }
            for (; c < end; c += w) {
                // the overlapping last load: elements already counted (index < 2L − rem) become −∞ (exp 0, not counted)
                float first = (float) (w - Math.min(w, classes - c));
                IntVector iv = ShortVector.fromArray(SS, x, xb + classes - w).reinterpretAsInts();
                IntVector hlo = iv.lanewise(VectorOperators.AND, 0xffff);
                IntVector hloem = hlo.lanewise(VectorOperators.AND, 0x7fff);
                IntVector hlobits = hloem.lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts()
                        .blend(hloem.lanewise(VectorOperators.LSHL, 13).lanewise(VectorOperators.OR, 0x7f800000), hloem.compare(VectorOperators.GE, 0x7c00));
                // ex51 = exp(hlobits.lanewise(VectorOperators.OR, hlo.lanewise(VectorOperators.AND, 0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().sub(vm).blend(NEG_INF, FloatVector.fromArray(S, EVEN, 0).compare(VectorOperators.LT, first))): VectorMath.expNonPositive written out
                FloatVector ex51a = hlobits.lanewise(VectorOperators.OR, hlo.lanewise(VectorOperators.AND, 0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().sub(vm).blend(NEG_INF, FloatVector.fromArray(S, EVEN, 0).compare(VectorOperators.LT, first));
                FloatVector ex51t = ex51a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex51n = ex51t.sub(EXP_SHIFTER);
                FloatVector ex51r = ex51n.lanewise(VectorOperators.FMA, -LN2_LO, ex51n.lanewise(VectorOperators.FMA, -LN2_HI, ex51a));
                FloatVector ex51q = ex51r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex51r, Q3)
                        .lanewise(VectorOperators.FMA, ex51r, Q2).lanewise(VectorOperators.FMA, ex51r, Q1).lanewise(VectorOperators.FMA, ex51r, 1f);
                FloatVector ex51 = ex51q.lanewise(VectorOperators.FMA, ex51r, 1f)
                        .mul(ex51t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex51a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                nmax = nmax.max(ex51t.reinterpretAsInts());
                VectorMask<Float> top51 = ex51a.compare(VectorOperators.EQ, 0f);
                s0 = s0.add(ex51.blend(zero, top51));
                k0 = k0.add(zero.blend(one, top51));
                IntVector hhi = iv.lanewise(VectorOperators.LSHR, 16);
                IntVector hhiem = hhi.lanewise(VectorOperators.AND, 0x7fff);
                IntVector hhibits = hhiem.lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts()
                        .blend(hhiem.lanewise(VectorOperators.LSHL, 13).lanewise(VectorOperators.OR, 0x7f800000), hhiem.compare(VectorOperators.GE, 0x7c00));
                // ex52 = exp(hhibits.lanewise(VectorOperators.OR, hhi.lanewise(VectorOperators.AND, 0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().sub(vm).blend(NEG_INF, FloatVector.fromArray(S, ODD, 0).compare(VectorOperators.LT, first))): VectorMath.expNonPositive written out
                FloatVector ex52a = hhibits.lanewise(VectorOperators.OR, hhi.lanewise(VectorOperators.AND, 0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().sub(vm).blend(NEG_INF, FloatVector.fromArray(S, ODD, 0).compare(VectorOperators.LT, first));
                FloatVector ex52t = ex52a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex52n = ex52t.sub(EXP_SHIFTER);
                FloatVector ex52r = ex52n.lanewise(VectorOperators.FMA, -LN2_LO, ex52n.lanewise(VectorOperators.FMA, -LN2_HI, ex52a));
                FloatVector ex52q = ex52r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex52r, Q3)
                        .lanewise(VectorOperators.FMA, ex52r, Q2).lanewise(VectorOperators.FMA, ex52r, Q1).lanewise(VectorOperators.FMA, ex52r, 1f);
                FloatVector ex52 = ex52q.lanewise(VectorOperators.FMA, ex52r, 1f)
                        .mul(ex52t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex52a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                nmax = nmax.max(ex52t.reinterpretAsInts());
                VectorMask<Float> top52 = ex52a.compare(VectorOperators.EQ, 0f);
                s1 = s1.add(ex52.blend(zero, top52));
                k0 = k0.add(zero.blend(one, top52));
            }
            if (nmax.reduceLanes(VectorOperators.MAX) > EXP_MAX_BITS) {
                return Double.POSITIVE_INFINITY; // as rowSumExpShifted
            }
            FloatVector lanes15 = s0.add(s1);
            // the lanes added in a fixed order, not reduceLanes's (Determinism); the steps for fewer lanes fold away
            lanes15 = lanes15.add(lanes15.rearrange(SWAP_HALVES));
            if (L >= 4) {
                lanes15 = lanes15.add(lanes15.rearrange(SWAP_QUARTERS));
            }
            if (L >= 8) {
                lanes15 = lanes15.add(lanes15.rearrange(SWAP_EIGHTHS));
            }
            if (L >= 16) {
                lanes15 = lanes15.add(lanes15.rearrange(SWAP_SIXTEENTHS));
            }
            rest += lanes15.lane(0);
            count += k0.reduceLanes(VectorOperators.ADD);
        }
        return (count - 1) + rest;
    }

    // =====================================================================================================
    // tile path: L rows, one per lane, vertical over the classes. Lane j of class c is at
    // base + c·classStride + j·laneStride: a plain load for lane stride 1, a gather otherwise. Everything is
    // written out inside each tile function (no helper takes or returns a vector, see above).
    // =====================================================================================================

    /**
     * Integer labels are compared as float lanes holding their bit patterns: int-to-float mask casts and
     * conversions box on JDK 17, reinterpretation does not. Labels are validated to {@code [0, C)}, and an array
     * cannot hold a tile row with {@code C ≥ 0x7f800000} classes, so no pattern is a NaN and equal bits are equal
     * floats (the JVM never flushes subnormals).
     */
    private static float labelBits(int c) {
        return Float.intBitsToFloat(c);
    }

    /** Per-thread logits of one dense softmax tile, gathered in the maximum pass and read again in the sum pass. */
    private static final ThreadLocal<float[]> TILE_LOGITS = ThreadLocal.withInitial(() -> new float[PACKED_DENSE_CLASSES * L]);

    /**
     * The maximum pass of a dense softmax tile with the class axis last or labels strided (called from {@link #tile}):
     * each lane's largest logit into {@code g[0..L)}, skipping NaN (which reaches the loss through exp); gathered logits
     * ({@code kept} not null) are kept for the second pass ({@link #softmaxTile}) in a per-thread tile (a gather costs
     * several loads). Contiguous positions take {@link #softmaxTileMaxContiguous}.
     */
    private static void softmaxTileMax(float[] x, int xb, int xs, int xls, int classes, float[] kept, float[] g) {
        int[] xmap = LANE_MAPS[xls];
        java.util.Arrays.fill(g, 0, L, NEG_INF);
        for (int c0 = 0; c0 < classes; c0 += SHIFT_CLASS_BLOCK) {
            int c1 = Math.min(classes, c0 + SHIFT_CLASS_BLOCK);
            FloatVector vm = FloatVector.fromArray(S, g, 0);
            for (int c = c0; c < c1; c++) {
                int i = xb + c * xs;
                FloatVector v = xls == 1 ? FloatVector.fromArray(S, x, i) : FloatVector.fromArray(S, x, i, xmap, 0);
                if (kept != null) {
                    v.intoArray(kept, c * L);
                }
                vm = vm.blend(v, v.compare(VectorOperators.GT, vm));
            }
            vm.intoArray(g, 0);
        }
    }

    /** Floats of one tile's state in {@link #TILE_STATES} (dense softmax: 9 vectors; categorical: 5). */
    private static final int TILE_STATE = 9 * L;

    /**
     * Per thread: the state of up to {@link #SHIFT_CHUNK} tiles, {@link #TILE_STATE} floats each, L floats per value.
     * Dense softmax: the maximum, the sums d, k, Σt, Σt·(x − m), the labels' or-ed bits, and the compensations of d,
     * Σt·(x − m) and Σt. Categorical CE: Σp and its compensation, Σ t·log q and its compensation, the or-ed bits of
     * the probabilities and labels. The passes walk blocks of {@link #SHIFT_CLASS_BLOCK} classes and keep their state
     * here between blocks: with the vectors live across a whole row of 1000 classes, JDK 17 boxed them (dense softmax:
     * 1.6 KB per call at {@code [1, 1000, 262]}, 15.7 KB at {@code [1, 100, 2621]}; categorical: 1.6 MB and 15.7 KB).
     */
    private static final ThreadLocal<float[]> TILE_STATES =
            ThreadLocal.withInitial(() -> new float[TILE_STATE * VectorKernels.SHIFT_CHUNK]);

    /**
     * The compensated sums of a dense softmax tile after {@link #softmaxTileMax}, in blocks of classes, into
     * {@code g[L..9L)} for {@link #softmaxTileLoss}; the same additions in the same order as in one loop over every
     * class. For the class axis last or strided labels (called from {@link #tile}); contiguous positions and labels take
     * {@link #softmaxTileContiguous}.
     */
    private static void softmaxTile(float[] x, int xb, int xs, int xls, int classes, float[] t, int tb, int ts, int tls,
                                    float[] kept, float[] g) {
        int[] xmap = LANE_MAPS[xls];
        int[] tmap = LANE_MAPS[tls];
        java.util.Arrays.fill(g, L, TILE_STATE, 0f);
        for (int c0 = 0; c0 < classes; c0 += SHIFT_CLASS_BLOCK) {
            int c1 = Math.min(classes, c0 + SHIFT_CLASS_BLOCK);
            FloatVector vm = FloatVector.fromArray(S, g, 0);
            FloatVector zero = FloatVector.zero(S);
            FloatVector one = FloatVector.broadcast(S, 1f);
            FloatVector d = FloatVector.fromArray(S, g, L);
            FloatVector dc = FloatVector.fromArray(S, g, 6 * L);
            // the elements equal to the maximum (exp(0) = 1 each), counted apart from the sum
            FloatVector kv = FloatVector.fromArray(S, g, 2 * L);
            FloatVector ahi = FloatVector.fromArray(S, g, 4 * L); // Σ t·(x − m) ≤ 0
            FloatVector alo = FloatVector.fromArray(S, g, 7 * L);
            FloatVector thi = FloatVector.fromArray(S, g, 3 * L);
            FloatVector tlo = FloatVector.fromArray(S, g, 8 * L);
            // the labels' bits, or-ed: a sign bit sends the lane to the scalar row
            IntVector signs = FloatVector.fromArray(S, g, 5 * L).reinterpretAsInts();
            for (int c = c0; c < c1; c++) {
                int i = xb + c * xs;
                int k = tb + c * ts;
                FloatVector v = kept != null ? FloatVector.fromArray(S, kept, c * L)
                        : xls == 1 ? FloatVector.fromArray(S, x, i) : FloatVector.fromArray(S, x, i, xmap, 0);
                FloatVector tv = tls == 1 ? FloatVector.fromArray(S, t, k) : FloatVector.fromArray(S, t, k, tmap, 0);
                // compensated (Kahan) sums of the exponentials (each in [0, 1]), of the labels and of t·(x − m): with
                // non-negative labels every term of a sum has one sign, and the error does not grow with C
                // ex15 = exp(v.sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex15a = v.sub(vm);
                FloatVector ex15t = ex15a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex15n = ex15t.sub(EXP_SHIFTER);
                FloatVector ex15r = ex15n.lanewise(VectorOperators.FMA, -LN2_LO, ex15n.lanewise(VectorOperators.FMA, -LN2_HI, ex15a));
                FloatVector ex15q = ex15r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex15r, Q3)
                        .lanewise(VectorOperators.FMA, ex15r, Q2).lanewise(VectorOperators.FMA, ex15r, Q1).lanewise(VectorOperators.FMA, ex15r, 1f);
                FloatVector ex15 = ex15q.lanewise(VectorOperators.FMA, ex15r, 1f)
                        .mul(ex15t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex15a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                VectorMask<Float> top = ex15a.compare(VectorOperators.EQ, 0f);
                kv = kv.add(zero.blend(one, top));
                FloatVector u = ex15.blend(zero, top).sub(dc);
                FloatVector sum = d.add(u);
                dc = sum.sub(d).sub(u);
                d = sum;
                u = tv.sub(tlo);
                sum = thi.add(u);
                tlo = sum.sub(thi).sub(u);
                thi = sum;
                u = tv.mul(ex15a).sub(alo);
                sum = ahi.add(u);
                alo = sum.sub(ahi).sub(u);
                ahi = sum;
                signs = signs.or(tv.reinterpretAsInts());
            }
            d.intoArray(g, L);
            kv.intoArray(g, 2 * L);
            thi.intoArray(g, 3 * L);
            ahi.intoArray(g, 4 * L);
            signs.reinterpretAsFloats().intoArray(g, 5 * L);
            dc.intoArray(g, 6 * L);
            alo.intoArray(g, 7 * L);
            tlo.intoArray(g, 8 * L);
        }
    }

    /**
     * {@link #softmaxTileMax} for contiguous positions ({@code [N, C, H·W]}), classes {@code [from, to)}, for
     * {@link #softmaxInnerTiles}: no gathers, so the general method's profile is the per-tile paths' alone.
     */
    private static void softmaxTileMaxContiguous(float[] x, int xb, int xs, int from, int to, float[] g, int gi) {
        if (from == 0) {
            java.util.Arrays.fill(g, gi, gi + L, NEG_INF);
        }
        for (int c0 = from; c0 < to; c0 += SHIFT_CLASS_BLOCK) {
            int c1 = Math.min(to, c0 + SHIFT_CLASS_BLOCK);
            FloatVector vm = FloatVector.fromArray(S, g, gi);
            for (int c = c0; c < c1; c++) {
                FloatVector v = FloatVector.fromArray(S, x, xb + c * xs);
                vm = vm.blend(v, v.compare(VectorOperators.GT, vm));
            }
            vm.intoArray(g, gi);
        }
    }

    /**
     * {@link #softmaxTile} for contiguous positions and labels ({@code [N, C, H·W]}, the class axis first) over classes
     * {@code [from, to)}: four classes per step, the terms of each sum (all of one sign) added pairwise, then once into
     * its compensated sum (a Kahan step per class and sum was 12 of the about 33 operations per class); the last 1–3
     * classes of a row class by class. Its own method, as {@link #softmaxTileMaxContiguous}: the general tile's
     * gathers beside it, or calls of the general tile from here as well as from {@link #tile}, made C2 on JDK 17 box
     * vectors in some runs (a vector per block; the class-last tile's gathers, 491 KB per call at {@code [4096, 10]}
     * after channels-first calls). The blocks are multiples of 4 classes, so every tile adds in the same order; the
     * bits differ in the last place from those of {@link #softmaxTile}.
     */
    private static void softmaxTileContiguous(float[] x, int xb, int xs, int from, int to, float[] t, int tb, int ts,
                                              float[] g, int gi) {
        if (from == 0) {
            java.util.Arrays.fill(g, gi + L, gi + TILE_STATE, 0f);
        }
        for (int c0 = from; c0 < to; c0 += SHIFT_CLASS_BLOCK) {
            int c1 = Math.min(to, c0 + SHIFT_CLASS_BLOCK);
            FloatVector vm = FloatVector.fromArray(S, g, gi);
            FloatVector d = FloatVector.fromArray(S, g, gi + L);
            FloatVector dc = FloatVector.fromArray(S, g, gi + 6 * L);
            // the elements equal to the maximum (exp(0) = 1 each), counted apart from the sum
            FloatVector kv = FloatVector.fromArray(S, g, gi + 2 * L);
            FloatVector ahi = FloatVector.fromArray(S, g, gi + 4 * L); // Σ t·(x − m) ≤ 0
            FloatVector alo = FloatVector.fromArray(S, g, gi + 7 * L);
            FloatVector thi = FloatVector.fromArray(S, g, gi + 3 * L);
            FloatVector tlo = FloatVector.fromArray(S, g, gi + 8 * L);
            // the labels' bits, or-ed: a sign bit sends the lane to the scalar row
            IntVector signs = FloatVector.fromArray(S, g, gi + 5 * L).reinterpretAsInts();
            // four classes per step (the blocks are multiples of 4, so every tile adds in the same order): the terms of
            // each sum (all of one sign) added pairwise, then once into its compensated sum (a Kahan step per class
            // and sum was 12 of the about 33 operations per class)
            int c = c0;
            for (; c + 4 <= c1; c += 4) {
                FloatVector v40 = FloatVector.fromArray(S, x, xb + (c + 0) * xs);
                FloatVector t40 = FloatVector.fromArray(S, t, tb + (c + 0) * ts);
                // ex40 = exp(v40.sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex40a = v40.sub(vm);
                FloatVector ex40t = ex40a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex40n = ex40t.sub(EXP_SHIFTER);
                FloatVector ex40r = ex40n.lanewise(VectorOperators.FMA, -LN2_LO, ex40n.lanewise(VectorOperators.FMA, -LN2_HI, ex40a));
                FloatVector ex40q = ex40r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex40r, Q3)
                        .lanewise(VectorOperators.FMA, ex40r, Q2).lanewise(VectorOperators.FMA, ex40r, Q1).lanewise(VectorOperators.FMA, ex40r, 1f);
                FloatVector ex40 = ex40q.lanewise(VectorOperators.FMA, ex40r, 1f)
                        .mul(ex40t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex40a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                VectorMask<Float> top40 = ex40a.compare(VectorOperators.EQ, 0f);
                FloatVector v41 = FloatVector.fromArray(S, x, xb + (c + 1) * xs);
                FloatVector t41 = FloatVector.fromArray(S, t, tb + (c + 1) * ts);
                // ex41 = exp(v41.sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex41a = v41.sub(vm);
                FloatVector ex41t = ex41a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex41n = ex41t.sub(EXP_SHIFTER);
                FloatVector ex41r = ex41n.lanewise(VectorOperators.FMA, -LN2_LO, ex41n.lanewise(VectorOperators.FMA, -LN2_HI, ex41a));
                FloatVector ex41q = ex41r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex41r, Q3)
                        .lanewise(VectorOperators.FMA, ex41r, Q2).lanewise(VectorOperators.FMA, ex41r, Q1).lanewise(VectorOperators.FMA, ex41r, 1f);
                FloatVector ex41 = ex41q.lanewise(VectorOperators.FMA, ex41r, 1f)
                        .mul(ex41t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex41a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                VectorMask<Float> top41 = ex41a.compare(VectorOperators.EQ, 0f);
                FloatVector v42 = FloatVector.fromArray(S, x, xb + (c + 2) * xs);
                FloatVector t42 = FloatVector.fromArray(S, t, tb + (c + 2) * ts);
                // ex42 = exp(v42.sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex42a = v42.sub(vm);
                FloatVector ex42t = ex42a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex42n = ex42t.sub(EXP_SHIFTER);
                FloatVector ex42r = ex42n.lanewise(VectorOperators.FMA, -LN2_LO, ex42n.lanewise(VectorOperators.FMA, -LN2_HI, ex42a));
                FloatVector ex42q = ex42r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex42r, Q3)
                        .lanewise(VectorOperators.FMA, ex42r, Q2).lanewise(VectorOperators.FMA, ex42r, Q1).lanewise(VectorOperators.FMA, ex42r, 1f);
                FloatVector ex42 = ex42q.lanewise(VectorOperators.FMA, ex42r, 1f)
                        .mul(ex42t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex42a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                VectorMask<Float> top42 = ex42a.compare(VectorOperators.EQ, 0f);
                FloatVector v43 = FloatVector.fromArray(S, x, xb + (c + 3) * xs);
                FloatVector t43 = FloatVector.fromArray(S, t, tb + (c + 3) * ts);
                // ex43 = exp(v43.sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex43a = v43.sub(vm);
                FloatVector ex43t = ex43a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex43n = ex43t.sub(EXP_SHIFTER);
                FloatVector ex43r = ex43n.lanewise(VectorOperators.FMA, -LN2_LO, ex43n.lanewise(VectorOperators.FMA, -LN2_HI, ex43a));
                FloatVector ex43q = ex43r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex43r, Q3)
                        .lanewise(VectorOperators.FMA, ex43r, Q2).lanewise(VectorOperators.FMA, ex43r, Q1).lanewise(VectorOperators.FMA, ex43r, 1f);
                FloatVector ex43 = ex43q.lanewise(VectorOperators.FMA, ex43r, 1f)
                        .mul(ex43t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex43a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                VectorMask<Float> top43 = ex43a.compare(VectorOperators.EQ, 0f);
                // the maxima (exp(0) = 1 exactly) apart from the sum: ex − u is 1 there and 0 elsewhere (no zero and one
                // vectors kept across the loop: C2 on JDK 17 boxed one per block in some runs)
                FloatVector u40 = ex40.blend(0f, top40);
                FloatVector u41 = ex41.blend(0f, top41);
                FloatVector u42 = ex42.blend(0f, top42);
                FloatVector u43 = ex43.blend(0f, top43);
                kv = kv.add(ex40.sub(u40).add(ex41.sub(u41)).add(ex42.sub(u42).add(ex43.sub(u43))));
                FloatVector u = u40.add(u41).add(u42.add(u43)).sub(dc);
                FloatVector sum = d.add(u);
                dc = sum.sub(d).sub(u);
                d = sum;
                u = t40.add(t41).add(t42.add(t43)).sub(tlo);
                sum = thi.add(u);
                tlo = sum.sub(thi).sub(u);
                thi = sum;
                u = t40.mul(ex40a).add(t41.mul(ex41a)).add(t42.mul(ex42a).add(t43.mul(ex43a))).sub(alo);
                sum = ahi.add(u);
                alo = sum.sub(ahi).sub(u);
                ahi = sum;
                signs = signs.or(t40.reinterpretAsInts().or(t41.reinterpretAsInts()).or(t42.reinterpretAsInts().or(t43.reinterpretAsInts())));
            }
            for (; c < c1; c++) {
                FloatVector tv = FloatVector.fromArray(S, t, tb + c * ts);
                // ex44 = exp(FloatVector.fromArray(S, x, xb + c * xs).sub(vm)): VectorMath.expNonPositive written out
                FloatVector ex44a = FloatVector.fromArray(S, x, xb + c * xs).sub(vm);
                FloatVector ex44t = ex44a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
                FloatVector ex44n = ex44t.sub(EXP_SHIFTER);
                FloatVector ex44r = ex44n.lanewise(VectorOperators.FMA, -LN2_LO, ex44n.lanewise(VectorOperators.FMA, -LN2_HI, ex44a));
                FloatVector ex44q = ex44r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex44r, Q3)
                        .lanewise(VectorOperators.FMA, ex44r, Q2).lanewise(VectorOperators.FMA, ex44r, Q1).lanewise(VectorOperators.FMA, ex44r, 1f);
                FloatVector ex44 = ex44q.lanewise(VectorOperators.FMA, ex44r, 1f)
                        .mul(ex44t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(0f, ex44a.compare(VectorOperators.LT, EXP_UNDERFLOW));
                FloatVector u44 = ex44.blend(0f, ex44a.compare(VectorOperators.EQ, 0f));
                kv = kv.add(ex44.sub(u44));
                FloatVector u = u44.sub(dc);
                FloatVector sum = d.add(u);
                dc = sum.sub(d).sub(u);
                d = sum;
                u = tv.sub(tlo);
                sum = thi.add(u);
                tlo = sum.sub(thi).sub(u);
                thi = sum;
                u = tv.mul(ex44a).sub(alo);
                sum = ahi.add(u);
                alo = sum.sub(ahi).sub(u);
                ahi = sum;
                signs = signs.or(tv.reinterpretAsInts());
            }
            d.intoArray(g, gi + L);
            kv.intoArray(g, gi + 2 * L);
            thi.intoArray(g, gi + 3 * L);
            ahi.intoArray(g, gi + 4 * L);
            signs.reinterpretAsFloats().intoArray(g, gi + 5 * L);
            dc.intoArray(g, gi + 6 * L);
            alo.intoArray(g, gi + 7 * L);
            tlo.intoArray(g, gi + 8 * L);
        }
    }

    /**
     * Dense softmax CE over the inner positions of one n (class axis first, {@code inner ≥ L}, labels contiguous along
     * H·W), in tiles of L
     * positions (the last one overlapping the one before). Above {@link #SHIFT_CLASS_BLOCK} classes, chunks of
     * {@link #SHIFT_CHUNK} tiles keep their state in a per-thread array while each block of classes is walked across
     * them, as {@link #sparseInnerShiftTiles} (a tile's L floats of a class straddle two cache lines at 16 lanes; the
     * next tile finds the shared one in L1 instead of L2); the same additions in the same order as tile by tile, so a
     * position's bits do not depend on its chunk. Up to a block of classes, tile by tile (the logits of a tile's second
     * pass still in L1). For labels contiguous along H·W (strided labels take {@link #tile}, tile by tile, with the
     * per-class sums of {@link #softmaxTile}: other last bits).
     */
    private static void softmaxInnerTiles(float[] x, int xb, int xs, int inner, int classes, float[] t, int tb, int ts,
                                          float[] out, int ob, int ols) {
        float[] g = TILE_STATES.get();
        int tiles = (inner + L - 1) / L;
        int chunk = classes > SHIFT_CLASS_BLOCK ? SHIFT_CHUNK : 1;
        for (int k0 = 0; k0 < tiles; k0 += chunk) {
            int k1 = Math.min(tiles, k0 + chunk);
            for (int c0 = 0; c0 < classes; c0 += SHIFT_CLASS_BLOCK) {
                int c1 = Math.min(classes, c0 + SHIFT_CLASS_BLOCK);
                for (int k = k0; k < k1; k++) {
                    int i = Math.min(k * L, inner - L);
                    softmaxTileMaxContiguous(x, xb + i, xs, c0, c1, g, TILE_STATE * (k - k0));
                }
            }
            for (int c0 = 0; c0 < classes; c0 += SHIFT_CLASS_BLOCK) {
                int c1 = Math.min(classes, c0 + SHIFT_CLASS_BLOCK);
                for (int k = k0; k < k1; k++) {
                    int i = Math.min(k * L, inner - L);
                    softmaxTileContiguous(x, xb + i, xs, c0, c1, t, tb + i, ts, g, TILE_STATE * (k - k0));
                }
            }
            for (int k = k0; k < k1; k++) {
                int i = Math.min(k * L, inner - L);
                softmaxTileLoss(g, TILE_STATE * (k - k0), classes, out, ob + i * ols, ols, L);
                tileRedo(SOFTMAX, x, xb + i, xs, 1, classes, t, tb + i, ts, 1, 0f, out, ob + i * ols, ols, L);
            }
        }
    }

    /**
     * The losses of a dense softmax tile from the sums at {@code g[gi..]} ({@link #softmaxTile}) into {@code count}
     * lanes of {@code out}, {@code ols} apart; lanes for the scalar row come out NaN ({@link #tileRedo}).
     */
    private static void softmaxTileLoss(float[] g, int gi, int classes, float[] out, int ob, int ols, int count) {
        FloatVector d = FloatVector.fromArray(S, g, gi + L);
        FloatVector kv = FloatVector.fromArray(S, g, gi + 2 * L);
        FloatVector thi = FloatVector.fromArray(S, g, gi + 3 * L);
        FloatVector ahi = FloatVector.fromArray(S, g, gi + 4 * L);
        IntVector signs = FloatVector.fromArray(S, g, gi + 5 * L).reinterpretAsInts();
        // log Σ exp(x − m) = log(k + d), k the count of maxima; with one maximum log1p(d) = log(u)·(d/(u − 1)),
        // u = 1 + d (d where u = 1): a confident row's small loss keeps its relative precision, also times a large
        // label. One log: a second one (VectorOperators.LOG) boxed a vector per tile
        FloatVector u1 = kv.add(d);
        // lg50 = log(u1): VectorMath.logNormal written out (not VectorOperators.LOG, whose compiled and interpreted
        // forms differ in the last bit: README, Determinism)
        IntVector lg50bits = u1.reinterpretAsInts();
        IntVector lg50k = lg50bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
        FloatVector lg50f = lg50bits.sub(lg50k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
        FloatVector lg50kf = lg50k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
        FloatVector lg50f2 = lg50f.mul(lg50f);
        FloatVector lg50p = lg50f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg50f, P5)
                .lanewise(VectorOperators.FMA, lg50f, P4).lanewise(VectorOperators.FMA, lg50f, P3).lanewise(VectorOperators.FMA, lg50f, P2)
                .lanewise(VectorOperators.FMA, lg50f, P1).lanewise(VectorOperators.FMA, lg50f, P0);
        FloatVector lg50l1 = lg50p.mul(lg50f).lanewise(VectorOperators.FMA, lg50f2, lg50f2.mul(-0.5f)).add(lg50f);
        FloatVector lg50 = lg50kf.lanewise(VectorOperators.FMA, LN2_HI, lg50kf.lanewise(VectorOperators.FMA, LN2_LO, lg50l1));
        // u1 − u1: NaN where u1 is +∞ or NaN (logNormal takes positive normal floats), so the lane is redone
        FloatVector logd = lg50.add(u1.sub(u1))
                .mul(d.div(u1.sub(1f)).blend(1f, kv.compare(VectorOperators.NE, 1f)))
                .blend(d, u1.compare(VectorOperators.EQ, 1f));
        // log(d)·Σt − Σ t·(x − m); a lane with a label's sign bit set becomes NaN (all bits set) and is redone
        // labels summing above LARGE_LABELS / C: NaN too, redone in double
        FloatVector result = logd.lanewise(VectorOperators.FMA, thi, ahi.neg()).reinterpretAsInts()
                .or(signs.lanewise(VectorOperators.ASHR, 31)).reinterpretAsFloats()
                .blend(Float.NaN, thi.compare(VectorOperators.GT, (float) (LARGE_LABELS / classes)));
        if (count == L && ols == 1) {
            result.intoArray(out, ob);
        } else {
            for (int j = 0; j < count; j++) {
                out[ob + j * ols] = result.lane(j);
            }
        }
        // lanes not finite are redone by the caller (tileRedo): a call here, even in a rare branch, boxed a
        // vector per tile
    }

    /**
     * The scalar row (in double) for each of {@code count} stored tile losses that is not finite: NaN data, an
     * infinite label times the maximum's {@code m − x = 0}, {@code m − x} or {@code t·(m − x)} beyond float range, or a
     * lane the tile marked NaN for the scalar code (a negative label of dense softmax, a negative term of the sigmoid and
     * binary means: terms of both signs cancel in float). For {@code SOFTMAX}, {@code SIGMOID_MEAN} and
     * {@code BINARY_MEAN}; a call inside the tiles, even in a rare branch, boxed a vector per tile.
     */
    private static void tileRedo(int op, float[] x, int xb, int xs, int xls, int classes, float[] t, int tb, int ts, int tls,
                                 float eps, float[] out, int ob, int ols, int count) {
        for (int j = 0; j < count; j++) {
            if (!Float.isFinite(out[ob + j * ols])) {
                out[ob + j * ols] = op == SOFTMAX
                        ? ScalarKernels.softmaxRow(x, xb + j * xls, xs, classes, t, tb + j * tls, ts)
                        : ScalarKernels.meanRow(op == BINARY_MEAN, x, xb + j * xls, xs, t, tb + j * tls, ts, eps, classes);
            }
        }
    }

    /**
     * Softmax CE with dense labels of {@code rows ≥ L} rows of two classes stored contiguously ({@code [N, 2]}, labels
     * likewise, losses contiguous), as {@link #sparsePairs}: constant lane shuffles split L rows into the two classes'
     * logits and labels, {@code g = x1 − x0}, {@code lse − x0 = max(g, 0) + log1p(exp(−|g|))},
     * {@code lse − x1 = max(−g, 0) + log1p(exp(−|g|))} (both exact forms of the shifted log-sum-exp), and the loss
     * {@code t0·(lse − x0) + t1·(lse − x1)}, two tiles per step. A lane whose labels have opposite signs (the terms may
     * cancel) or whose logit gap or labels are not finite (a logit is ±inf or NaN, or {@code x1 − x0} overflows)
     * takes the scalar row's value ({@link #pairsRedo}), so a row's loss does not depend on the rows that share its
     * tile. {@code xs} and {@code ts} are the class strides, both 1 ({@code [N, 2]}) or both planes
     * ({@code [N, 2, H·W]}), as in {@link #sparsePairs}.
     */
    private static void softmaxPairs(float[] x, int xb, int xs, float[] t, int tb, int ts, float[] out, int ob, int rows) {
        VectorMask<Float> upper = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.GE, (float) (L / 2));
        boolean split = xs == 1; // and ts == 1: both interleaved or both in planes (the callers)
        int step = split ? 2 : 1;
        int xsecond = split ? L : xs;
        int tsecond = split ? L : ts;
        for (int r = 0; r < rows; r += 2 * L) {
            int a = Math.min(r, rows - L);
            int b = Math.min(r + L, rows - L);
            FloatVector xloA = FloatVector.fromArray(S, x, xb + step * a);
            FloatVector xhiA = FloatVector.fromArray(S, x, xb + step * a + xsecond);
            FloatVector xloB = FloatVector.fromArray(S, x, xb + step * b);
            FloatVector xhiB = FloatVector.fromArray(S, x, xb + step * b + xsecond);
            FloatVector x0A = split ? xloA.rearrange(PAIR_FIRST).blend(xhiA.rearrange(PAIR_FIRST), upper) : xloA;
            FloatVector x1A = split ? xloA.rearrange(PAIR_SECOND).blend(xhiA.rearrange(PAIR_SECOND), upper) : xhiA;
            FloatVector x0B = split ? xloB.rearrange(PAIR_FIRST).blend(xhiB.rearrange(PAIR_FIRST), upper) : xloB;
            FloatVector x1B = split ? xloB.rearrange(PAIR_SECOND).blend(xhiB.rearrange(PAIR_SECOND), upper) : xhiB;
            FloatVector tloA = FloatVector.fromArray(S, t, tb + step * a);
            FloatVector thiA = FloatVector.fromArray(S, t, tb + step * a + tsecond);
            FloatVector tloB = FloatVector.fromArray(S, t, tb + step * b);
            FloatVector thiB = FloatVector.fromArray(S, t, tb + step * b + tsecond);
            FloatVector t0A = split ? tloA.rearrange(PAIR_FIRST).blend(thiA.rearrange(PAIR_FIRST), upper) : tloA;
            FloatVector t1A = split ? tloA.rearrange(PAIR_SECOND).blend(thiA.rearrange(PAIR_SECOND), upper) : thiA;
            FloatVector t0B = split ? tloB.rearrange(PAIR_FIRST).blend(thiB.rearrange(PAIR_FIRST), upper) : tloB;
            FloatVector t1B = split ? tloB.rearrange(PAIR_SECOND).blend(thiB.rearrange(PAIR_SECOND), upper) : thiB;
            FloatVector gA = x1A.sub(x0A);
            FloatVector gB = x1B.sub(x0B);
            // ex1 = exp(−|g|) and lp2 = log1p(ex1): VectorMath.expNonPositive and log1pUnit written out
            FloatVector ex1aA = gA.lanewise(VectorOperators.ABS).neg();
            FloatVector ex1tA = ex1aA.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex1nA = ex1tA.sub(EXP_SHIFTER);
            FloatVector ex1rA = ex1nA.lanewise(VectorOperators.FMA, -LN2_LO, ex1nA.lanewise(VectorOperators.FMA, -LN2_HI, ex1aA));
            FloatVector ex1qA = ex1rA.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex1rA, Q3)
                    .lanewise(VectorOperators.FMA, ex1rA, Q2).lanewise(VectorOperators.FMA, ex1rA, Q1).lanewise(VectorOperators.FMA, ex1rA, 1f);
            FloatVector ex1A = ex1qA.lanewise(VectorOperators.FMA, ex1rA, 1f)
                    .mul(ex1tA.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, ex1aA.compare(VectorOperators.LT, EXP_UNDERFLOW));
            FloatVector ex1aB = gB.lanewise(VectorOperators.ABS).neg();
            FloatVector ex1tB = ex1aB.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex1nB = ex1tB.sub(EXP_SHIFTER);
            FloatVector ex1rB = ex1nB.lanewise(VectorOperators.FMA, -LN2_LO, ex1nB.lanewise(VectorOperators.FMA, -LN2_HI, ex1aB));
            FloatVector ex1qB = ex1rB.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex1rB, Q3)
                    .lanewise(VectorOperators.FMA, ex1rB, Q2).lanewise(VectorOperators.FMA, ex1rB, Q1).lanewise(VectorOperators.FMA, ex1rB, 1f);
            FloatVector ex1B = ex1qB.lanewise(VectorOperators.FMA, ex1rB, 1f)
                    .mul(ex1tB.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, ex1aB.compare(VectorOperators.LT, EXP_UNDERFLOW));
            FloatVector lp2t2A = ex1A.mul(ex1A);
            FloatVector lp2A = ex1A.lanewise(VectorOperators.FMA, R7, R6).lanewise(VectorOperators.FMA, ex1A, R5).lanewise(VectorOperators.FMA, ex1A, R4)
                    .lanewise(VectorOperators.FMA, ex1A, R3).lanewise(VectorOperators.FMA, ex1A, R2).lanewise(VectorOperators.FMA, ex1A, R1).lanewise(VectorOperators.FMA, ex1A, R0)
                    .lanewise(VectorOperators.FMA, lp2t2A, ex1A);
            FloatVector lp2t2B = ex1B.mul(ex1B);
            FloatVector lp2B = ex1B.lanewise(VectorOperators.FMA, R7, R6).lanewise(VectorOperators.FMA, ex1B, R5).lanewise(VectorOperators.FMA, ex1B, R4)
                    .lanewise(VectorOperators.FMA, ex1B, R3).lanewise(VectorOperators.FMA, ex1B, R2).lanewise(VectorOperators.FMA, ex1B, R1).lanewise(VectorOperators.FMA, ex1B, R0)
                    .lanewise(VectorOperators.FMA, lp2t2B, ex1B);
            FloatVector posA = gA.blend(0f, gA.compare(VectorOperators.LT, 0f)); // max(g, 0)
            FloatVector posB = gB.blend(0f, gB.compare(VectorOperators.LT, 0f));
            t0A.lanewise(VectorOperators.FMA, posA.add(lp2A), t1A.mul(posA.sub(gA).add(lp2A))).intoArray(out, ob + a);
            t0B.lanewise(VectorOperators.FMA, posB.add(lp2B), t1B.mul(posB.sub(gB).add(lp2B))).intoArray(out, ob + b);
            // NaN unless g = x1 − x0 and the labels are finite and |t0 + t1| ≤ 2^128 / 2^86 = 4.4e12, so Σt·C stays
            // below LARGE_LABELS (the scalar row takes the others, in double)
            FloatVector checkA = gA.add(t0A.add(t1A).mul(0x1p86f)).mul(0f);
            FloatVector checkB = gB.add(t0B.add(t1B).mul(0x1p86f)).mul(0f);
            boolean redoA = checkA.compare(VectorOperators.NE, checkA).or(t0A.mul(t1A).compare(VectorOperators.LT, 0f)).anyTrue();
            boolean redoB = checkB.compare(VectorOperators.NE, checkB).or(t0B.mul(t1B).compare(VectorOperators.LT, 0f)).anyTrue();
            // the rare lanes are redone from memory after both stores, so that no vector is live across a call
            if (redoA) {
                pairsRedo(x, xb + step * a, xs, t, tb + step * a, ts, out, ob + a);
            }
            if (redoB) {
                pairsRedo(x, xb + step * b, xs, t, tb + step * b, ts, out, ob + b);
            }
        }
    }

    /**
     * The lanes of a pair tile whose labels have opposite signs or whose gap or labels are not finite: the scalar row
     * (double, compensation-free there), decided from the row's own data so that its value does not depend on its tile.
     */
    private static void pairsRedo(float[] x, int xb, int xs, float[] t, int tb, int ts, float[] out, int ob) {
        int step = xs == 1 ? 2 : 1;
        for (int j = 0; j < L; j++) {
            int xj = xb + step * j;
            int tj = tb + step * j;
            float g = x[xj + xs] - x[xj];
            float t0 = t[tj];
            float t1 = t[tj + ts];
            if (!Float.isFinite(g + (t0 + t1) * 0x1p86f) || t0 * t1 < 0f) {
                out[ob + j] = ScalarKernels.softmaxRow(x, xj, xs, 2, t, tj, ts);
            }
        }
    }

    /**
     * Sparse softmax CE of {@code rows ≥ L} rows of two classes stored contiguously ({@code [N, 2]}, labels and losses
     * contiguous). Two plain loads hold L rows, and constant lane shuffles split them into the class-0 and class-1
     * logits, instead of gathers (which run at about 2.3 elements/ns here, the shuffles at about 17). With
     * {@code g = x_other − x_label} the loss is {@code log(1 + exp(g)) = max(g, 0) + log1p(exp(−|g|))}: the
     * log-sum-exp of two logits shifted by their maximum, exactly. Each step takes two tiles of L rows, A and B, with
     * their statements interleaved so that the core has two independent dependency chains to overlap (one tile per
     * step ran 1.4× slower on JDK 25, 1.25× on JDK 17); a tile that would pass the last row ends at it instead and
     * rewrites rows already written with the same values (with {@code rows < 2L}, A and B may be the same tile).
     *
     * <p>{@code xs} is the class stride: 1 for {@code [N, 2]} rows as above; otherwise the two classes are planes
     * {@code xs} apart with the {@code rows} positions contiguous in each ({@code [N, 2, H·W]}, the class axis first):
     * each class's L logits are one plain load, no shuffles, and the loss has the bits of the same row stored
     * {@code [N, 2]}. (A flag that C2 hoists out of the loop; the channels-first tiles were 3–4× slower.)
     */
    private static void sparsePairs(float[] x, int xb, int xs, int[] y, int yb, float[] out, int ob, int rows) {
        VectorMask<Float> upper = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.GE, (float) (L / 2));
        boolean split = xs == 1;
        int step = split ? 2 : 1;
        int second = split ? L : xs;
        for (int r = 0; r < rows; r += 2 * L) {
            int a = Math.min(r, rows - L);
            int b = Math.min(r + L, rows - L);
            FloatVector loA = FloatVector.fromArray(S, x, xb + step * a);
            FloatVector loB = FloatVector.fromArray(S, x, xb + step * b);
            FloatVector hiA = FloatVector.fromArray(S, x, xb + step * a + second);
            FloatVector hiB = FloatVector.fromArray(S, x, xb + step * b + second);
            FloatVector x0A = split ? loA.rearrange(PAIR_FIRST).blend(hiA.rearrange(PAIR_FIRST), upper) : loA;
            FloatVector x0B = split ? loB.rearrange(PAIR_FIRST).blend(hiB.rearrange(PAIR_FIRST), upper) : loB;
            FloatVector x1A = split ? loA.rearrange(PAIR_SECOND).blend(hiA.rearrange(PAIR_SECOND), upper) : hiA;
            FloatVector x1B = split ? loB.rearrange(PAIR_SECOND).blend(hiB.rearrange(PAIR_SECOND), upper) : hiB;
            VectorMask<Float> labelOneA = IntVector.fromArray(SI, y, yb + a).reinterpretAsFloats().compare(VectorOperators.EQ, labelBits(1));
            VectorMask<Float> labelOneB = IntVector.fromArray(SI, y, yb + b).reinterpretAsFloats().compare(VectorOperators.EQ, labelBits(1));
            FloatVector gA = x1A.sub(x0A);
            FloatVector gB = x1B.sub(x0B);
            gA = gA.blend(gA.neg(), labelOneA);
            gB = gB.blend(gB.neg(), labelOneB);
            // ex1 = exp(−|g|) and lp2 = log1p(ex1): VectorMath.expNonPositive and log1pUnit written out
            FloatVector ex1aA = gA.lanewise(VectorOperators.ABS).neg();
            FloatVector ex1aB = gB.lanewise(VectorOperators.ABS).neg();
            FloatVector ex1tA = ex1aA.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex1tB = ex1aB.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex1nA = ex1tA.sub(EXP_SHIFTER);
            FloatVector ex1nB = ex1tB.sub(EXP_SHIFTER);
            FloatVector ex1rA = ex1nA.lanewise(VectorOperators.FMA, -LN2_LO, ex1nA.lanewise(VectorOperators.FMA, -LN2_HI, ex1aA));
            FloatVector ex1rB = ex1nB.lanewise(VectorOperators.FMA, -LN2_LO, ex1nB.lanewise(VectorOperators.FMA, -LN2_HI, ex1aB));
            FloatVector ex1qA = ex1rA.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex1rA, Q3)
                    .lanewise(VectorOperators.FMA, ex1rA, Q2).lanewise(VectorOperators.FMA, ex1rA, Q1).lanewise(VectorOperators.FMA, ex1rA, 1f);
            FloatVector ex1qB = ex1rB.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex1rB, Q3)
                    .lanewise(VectorOperators.FMA, ex1rB, Q2).lanewise(VectorOperators.FMA, ex1rB, Q1).lanewise(VectorOperators.FMA, ex1rB, 1f);
            FloatVector ex1A = ex1qA.lanewise(VectorOperators.FMA, ex1rA, 1f)
                    .mul(ex1tA.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, ex1aA.compare(VectorOperators.LT, EXP_UNDERFLOW));
            FloatVector ex1B = ex1qB.lanewise(VectorOperators.FMA, ex1rB, 1f)
                    .mul(ex1tB.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, ex1aB.compare(VectorOperators.LT, EXP_UNDERFLOW));
            FloatVector exA = ex1A;
            FloatVector exB = ex1B;
            FloatVector lp2t2A = exA.mul(exA);
            FloatVector lp2t2B = exB.mul(exB);
            FloatVector lp2A = exA.lanewise(VectorOperators.FMA, R7, R6).lanewise(VectorOperators.FMA, exA, R5).lanewise(VectorOperators.FMA, exA, R4)
                    .lanewise(VectorOperators.FMA, exA, R3).lanewise(VectorOperators.FMA, exA, R2).lanewise(VectorOperators.FMA, exA, R1).lanewise(VectorOperators.FMA, exA, R0)
                    .lanewise(VectorOperators.FMA, lp2t2A, exA);
            FloatVector lp2B = exB.lanewise(VectorOperators.FMA, R7, R6).lanewise(VectorOperators.FMA, exB, R5).lanewise(VectorOperators.FMA, exB, R4)
                    .lanewise(VectorOperators.FMA, exB, R3).lanewise(VectorOperators.FMA, exB, R2).lanewise(VectorOperators.FMA, exB, R1).lanewise(VectorOperators.FMA, exB, R0)
                    .lanewise(VectorOperators.FMA, lp2t2B, exB);
            FloatVector lpA = lp2A;
            FloatVector lpB = lp2B;
            gA.blend(0f, gA.compare(VectorOperators.LT, 0f)).add(lpA)
                    .blend(Float.NaN, x0A.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY))
                    .blend(Float.NaN, x1A.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY))
                    .intoArray(out, ob + a);
            gB.blend(0f, gB.compare(VectorOperators.LT, 0f)).add(lpB)
                    .blend(Float.NaN, x0B.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY))
                    .blend(Float.NaN, x1B.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY))
                    .intoArray(out, ob + b);
        }
    }

    /**
     * Sparse softmax CE of a full tile (L neighbouring inner positions, one per lane, plain loads, losses
     * contiguous) shifted by the label's own logit: {@code loss = log1p(s)} with {@code s = Σ_{c ≠ label}
     * exp(x_c − x_label)}, which needs no maximum pass, has no cancellation in {@code lse − x_label}, and leaves the
     * label's term (exactly 1) out of the sum so that a confident row's small loss keeps its relative precision.
     * A lane with a term whose {@code 2^n} would leave the float exponent ({@code x_c − x_label} above about 88.37; an
     * integer maximum of the exps' {@code n + EXP_SHIFTER} bits, one operation per class, where capping the argument at 88
     * took two), a sum above 1e37, NaN or an infinite logit makes it return false, and the two-pass tile recomputes
     * those lanes with the maximum as the shift.
     */
    private static boolean sparseInnerShiftTile(float[] x, int xb, int xs, int classes, int[] y, int yb,
                                                float[] out, int ob) {
        FloatVector yv = IntVector.fromArray(SI, y, yb).reinterpretAsFloats();
        FloatVector xy = FloatVector.zero(S);
        for (int c = 0; c < classes; c++) {
            xy = xy.blend(FloatVector.fromArray(S, x, xb + c * xs), yv.compare(VectorOperators.EQ, labelBits(c)));
        }
        FloatVector d = FloatVector.zero(S);
        FloatVector dc = d;
        IntVector nmax = IntVector.zero(SI); // the largest bits of the exps' n + EXP_SHIFTER (EXP_MAX_BITS)
        for (int c = 0; c < classes; c++) {
            FloatVector a = FloatVector.fromArray(S, x, xb + c * xs).sub(xy);
            // ex1 = exp(a): VectorMath.expNonPositive written out
            FloatVector ex1t = a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex1n = ex1t.sub(EXP_SHIFTER);
            FloatVector ex1r = ex1n.lanewise(VectorOperators.FMA, -LN2_LO, ex1n.lanewise(VectorOperators.FMA, -LN2_HI, a));
            FloatVector ex1q = ex1r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex1r, Q3)
                    .lanewise(VectorOperators.FMA, ex1r, Q2).lanewise(VectorOperators.FMA, ex1r, Q1).lanewise(VectorOperators.FMA, ex1r, 1f);
            FloatVector ex1 = ex1q.lanewise(VectorOperators.FMA, ex1r, 1f)
                    .mul(ex1t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, a.compare(VectorOperators.LT, EXP_UNDERFLOW));
            nmax = nmax.max(ex1t.reinterpretAsInts());
            FloatVector u = ex1.blend(0f, yv.compare(VectorOperators.EQ, labelBits(c))).sub(dc);
            FloatVector sum = d.add(u);
            dc = sum.sub(d).sub(u);
            d = sum;
        }
        // log1p(d) = log(u)·(d/(u − 1)) with u = 1 + d (the ratio first, so no overflow; where u = 1: d); good
        // lanes: d in range (false for NaN) and a finite label logit
        FloatVector u1 = d.add(1f);
        // lg51 = log(u1): VectorMath.logNormal written out (not VectorOperators.LOG, whose compiled and interpreted
        // forms differ in the last bit: README, Determinism)
        IntVector lg51bits = u1.reinterpretAsInts();
        IntVector lg51k = lg51bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
        FloatVector lg51f = lg51bits.sub(lg51k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
        FloatVector lg51kf = lg51k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
        FloatVector lg51f2 = lg51f.mul(lg51f);
        FloatVector lg51p = lg51f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg51f, P5)
                .lanewise(VectorOperators.FMA, lg51f, P4).lanewise(VectorOperators.FMA, lg51f, P3).lanewise(VectorOperators.FMA, lg51f, P2)
                .lanewise(VectorOperators.FMA, lg51f, P1).lanewise(VectorOperators.FMA, lg51f, P0);
        FloatVector lg51l1 = lg51p.mul(lg51f).lanewise(VectorOperators.FMA, lg51f2, lg51f2.mul(-0.5f)).add(lg51f);
        FloatVector lg51 = lg51kf.lanewise(VectorOperators.FMA, LN2_HI, lg51kf.lanewise(VectorOperators.FMA, LN2_LO, lg51l1));
        // (u1 of the good lanes below is in [1, 1e37 + 1]; the others come out NaN)
        FloatVector loss = lg51.mul(d.div(u1.sub(1f))).blend(d, u1.compare(VectorOperators.EQ, 1f));
        VectorMask<Float> good = d.compare(VectorOperators.LE, 1e37f)
                .and(xy.lanewise(VectorOperators.ABS).compare(VectorOperators.LT, Float.POSITIVE_INFINITY))
                .and(nmax.reinterpretAsFloats().compare(VectorOperators.LE, EXP_MAX));
        FloatVector.broadcast(S, Float.NaN).blend(loss, good).intoArray(out, ob);
        return good.allTrue();
    }

    /** Tiles whose state {@link #sparseInnerShiftTiles} keeps while it walks a block of classes across them. */
    static final int SHIFT_CHUNK = 64;
    /**
     * Per thread: the state of up to {@link #SHIFT_CHUNK} one-pass tiles, 4L floats each: L label logits, sums,
     * compensations and the largest bits of the exps' {@code n + EXP_SHIFTER} ({@link #EXP_MAX_BITS}).
     */
    private static final ThreadLocal<float[]> SHIFT_TILES = ThreadLocal.withInitial(() -> new float[4 * L * SHIFT_CHUNK]);
    /**
     * Classes per block of {@link #sparseInnerShiftTiles} (a multiple of 4, so that the blocks sum in the same order
     * as one pass): a block of one tile touches 2 cache lines per class (its 16 floats straddle two), the next tile
     * shares one of them, still in L1.
     */
    static final int SHIFT_CLASS_BLOCK = 64;

    /**
     * Sparse softmax CE over the inner positions of one n (class axis first, {@code inner ≥ L}, labels contiguous):
     * the one-pass tiles of {@link #sparseInnerShiftTile}, in chunks of {@link #SHIFT_CHUNK} tiles whose state stays
     * in a per-thread array while each block of {@link #SHIFT_CLASS_BLOCK} classes is walked across them. Tile by tile,
     * a tile's 16 floats of a class straddle two cache lines and the next tile reads one of them again one pass over
     * every class later, from L2 or L3 (at C = 1000 the kernel then ran at the speed of those reads); here the next
     * tile finds it in L1. The label logits are read once per tile, and four classes go into each compensated addition.
     * The blocks are multiples of 4 classes, so the sums add in the order of one pass over all classes and a
     * position's bits do not depend on its chunk; tiles whose lanes left the safe range are redone by the two-pass
     * tile, as there. Up to 64 classes the tiles run one at a time ({@link #sparseInnerShiftTile}: a per-thread state
     * and three calls per tile made C = 2 about 1.5× slower).
     */
    private static void sparseInnerShiftTiles(float[] x, int xb, int xs, int inner, int classes, int[] y, int yb,
                                              float[] out, int ob, int ols) {
        float[] g = SHIFT_TILES.get();
        int tiles = (inner + L - 1) / L;
        for (int k0 = 0; k0 < tiles; k0 += SHIFT_CHUNK) {
            int k1 = Math.min(tiles, k0 + SHIFT_CHUNK);
            for (int k = k0; k < k1; k++) {
                int i = Math.min(k * L, inner - L);
                shiftTileStart(x, xb + i, xs, y, yb + i, g, 4 * L * (k - k0));
            }
            for (int c0 = 0; c0 < classes; c0 += SHIFT_CLASS_BLOCK) {
                int c1 = Math.min(classes, c0 + SHIFT_CLASS_BLOCK);
                for (int k = k0; k < k1; k++) {
                    int i = Math.min(k * L, inner - L);
                    shiftTileSums(x, xb + i, xs, c0, c1, y, yb + i, g, 4 * L * (k - k0));
                }
            }
            float[] lanes = ols == 1 ? null : LANE_OUT.get();
            for (int k = k0; k < k1; k++) {
                int i = Math.min(k * L, inner - L);
                float[] o = ols == 1 ? out : lanes;
                int oo = ols == 1 ? ob + i : 0;
                if (!shiftTileLoss(g, 4 * L * (k - k0), o, oo)) {
                    sparseSoftmaxTile(x, xb + i, xs, 1, classes, y, yb + i, 1, o, oo, 1, L, true);
                }
                if (ols != 1) {
                    for (int j = 0; j < L; j++) {
                        out[ob + (i + j) * ols] = o[j];
                    }
                }
            }
        }
    }

    /**
     * A one-pass tile's state at {@code g[gi..gi + 3L)}: the label logits, read one by one (lane j's is
     * {@code x[xb + y_j·xs + j]}; a pass over every class cost about a tenth at C = 1000, and the Vector API's gather
     * was not intrinsified here on JDK 25, 576 B per call at {@code [1, 32000, 40]}), zero sums.
     */
    static void shiftTileStart(float[] x, int xb, int xs, int[] y, int yb, float[] g, int gi) {
        for (int j = 0; j < L; j++) {
            g[gi + j] = x[xb + y[yb + j] * xs + j];
        }
        FloatVector zero = FloatVector.zero(S);
        zero.intoArray(g, gi + L);
        zero.intoArray(g, gi + 2 * L);
        zero.intoArray(g, gi + 3 * L);
    }

    /**
     * Adds the terms of classes {@code [c0, c1)} to a one-pass tile's compensated sums at {@code g[gi + L..gi + 3L)}:
     * {@code exp(min(x_c − x_label, 88))}, the label's own term left out.
     */
    static void shiftTileSums(float[] x, int xb, int xs, int c0, int c1, int[] y, int yb, float[] g, int gi) {
        FloatVector yv = IntVector.fromArray(SI, y, yb).reinterpretAsFloats();
        FloatVector xy = FloatVector.fromArray(S, g, gi);
        FloatVector d = FloatVector.fromArray(S, g, gi + L);
        FloatVector dc = FloatVector.fromArray(S, g, gi + 2 * L);
        // the largest bits of the exps' n + EXP_SHIFTER (EXP_MAX_BITS): an exponent beyond the float's marks the lane
        IntVector nmax = FloatVector.fromArray(S, g, gi + 3 * L).reinterpretAsInts();
        int c = c0;
        // four classes per step: their terms (all non-negative) added pairwise, then once into the compensated
        // sum (Kahan per class was four of the about 24 operations per class)
        for (; c + 4 <= c1; c += 4) {
            FloatVector a26 = FloatVector.fromArray(S, x, xb + (c + 0) * xs).sub(xy);
            // ex26 = exp(a26): VectorMath.expNonPositive written out
            FloatVector ex26t = a26.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex26n = ex26t.sub(EXP_SHIFTER);
            FloatVector ex26r = ex26n.lanewise(VectorOperators.FMA, -LN2_LO, ex26n.lanewise(VectorOperators.FMA, -LN2_HI, a26));
            FloatVector ex26q = ex26r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex26r, Q3)
                    .lanewise(VectorOperators.FMA, ex26r, Q2).lanewise(VectorOperators.FMA, ex26r, Q1).lanewise(VectorOperators.FMA, ex26r, 1f);
            FloatVector ex26 = ex26q.lanewise(VectorOperators.FMA, ex26r, 1f)
                    .mul(ex26t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, a26.compare(VectorOperators.LT, EXP_UNDERFLOW));
            FloatVector t26 = ex26.blend(0f, yv.compare(VectorOperators.EQ, labelBits(c + 0)));
            FloatVector a27 = FloatVector.fromArray(S, x, xb + (c + 1) * xs).sub(xy);
            // ex27 = exp(a27): VectorMath.expNonPositive written out
            FloatVector ex27t = a27.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex27n = ex27t.sub(EXP_SHIFTER);
            FloatVector ex27r = ex27n.lanewise(VectorOperators.FMA, -LN2_LO, ex27n.lanewise(VectorOperators.FMA, -LN2_HI, a27));
            FloatVector ex27q = ex27r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex27r, Q3)
                    .lanewise(VectorOperators.FMA, ex27r, Q2).lanewise(VectorOperators.FMA, ex27r, Q1).lanewise(VectorOperators.FMA, ex27r, 1f);
            FloatVector ex27 = ex27q.lanewise(VectorOperators.FMA, ex27r, 1f)
                    .mul(ex27t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, a27.compare(VectorOperators.LT, EXP_UNDERFLOW));
            FloatVector t27 = ex27.blend(0f, yv.compare(VectorOperators.EQ, labelBits(c + 1)));
            FloatVector a28 = FloatVector.fromArray(S, x, xb + (c + 2) * xs).sub(xy);
            // ex28 = exp(a28): VectorMath.expNonPositive written out
            FloatVector ex28t = a28.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex28n = ex28t.sub(EXP_SHIFTER);
            FloatVector ex28r = ex28n.lanewise(VectorOperators.FMA, -LN2_LO, ex28n.lanewise(VectorOperators.FMA, -LN2_HI, a28));
            FloatVector ex28q = ex28r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex28r, Q3)
                    .lanewise(VectorOperators.FMA, ex28r, Q2).lanewise(VectorOperators.FMA, ex28r, Q1).lanewise(VectorOperators.FMA, ex28r, 1f);
            FloatVector ex28 = ex28q.lanewise(VectorOperators.FMA, ex28r, 1f)
                    .mul(ex28t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, a28.compare(VectorOperators.LT, EXP_UNDERFLOW));
            FloatVector t28 = ex28.blend(0f, yv.compare(VectorOperators.EQ, labelBits(c + 2)));
            FloatVector a29 = FloatVector.fromArray(S, x, xb + (c + 3) * xs).sub(xy);
            // ex29 = exp(a29): VectorMath.expNonPositive written out
            FloatVector ex29t = a29.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex29n = ex29t.sub(EXP_SHIFTER);
            FloatVector ex29r = ex29n.lanewise(VectorOperators.FMA, -LN2_LO, ex29n.lanewise(VectorOperators.FMA, -LN2_HI, a29));
            FloatVector ex29q = ex29r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex29r, Q3)
                    .lanewise(VectorOperators.FMA, ex29r, Q2).lanewise(VectorOperators.FMA, ex29r, Q1).lanewise(VectorOperators.FMA, ex29r, 1f);
            FloatVector ex29 = ex29q.lanewise(VectorOperators.FMA, ex29r, 1f)
                    .mul(ex29t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, a29.compare(VectorOperators.LT, EXP_UNDERFLOW));
            FloatVector t29 = ex29.blend(0f, yv.compare(VectorOperators.EQ, labelBits(c + 3)));
            nmax = nmax.max(ex26t.reinterpretAsInts().max(ex27t.reinterpretAsInts()))
                    .max(ex28t.reinterpretAsInts().max(ex29t.reinterpretAsInts()));
            FloatVector u = t26.add(t27).add(t28.add(t29)).sub(dc);
            FloatVector sum = d.add(u);
            dc = sum.sub(d).sub(u);
            d = sum;
        }
        for (; c < c1; c++) {
            FloatVector a = FloatVector.fromArray(S, x, xb + c * xs).sub(xy);
            // ex1 = exp(a): VectorMath.expNonPositive written out
            FloatVector ex1t = a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex1n = ex1t.sub(EXP_SHIFTER);
            FloatVector ex1r = ex1n.lanewise(VectorOperators.FMA, -LN2_LO, ex1n.lanewise(VectorOperators.FMA, -LN2_HI, a));
            FloatVector ex1q = ex1r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex1r, Q3)
                    .lanewise(VectorOperators.FMA, ex1r, Q2).lanewise(VectorOperators.FMA, ex1r, Q1).lanewise(VectorOperators.FMA, ex1r, 1f);
            FloatVector ex1 = ex1q.lanewise(VectorOperators.FMA, ex1r, 1f)
                    .mul(ex1t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, a.compare(VectorOperators.LT, EXP_UNDERFLOW));
            nmax = nmax.max(ex1t.reinterpretAsInts());
            FloatVector u = ex1.blend(0f, yv.compare(VectorOperators.EQ, labelBits(c))).sub(dc);
            FloatVector sum = d.add(u);
            dc = sum.sub(d).sub(u);
            d = sum;
        }
        d.intoArray(g, gi + L);
        nmax.reinterpretAsFloats().intoArray(g, gi + 3 * L);
        dc.intoArray(g, gi + 2 * L);
    }

    /**
     * The losses of a one-pass tile from its state, {@code log1p(d)}, into {@code out[ob..ob + L)}; lanes whose sum
     * left the safe range, NaN, or whose label logit is infinite get NaN, and false is returned.
     */
    static boolean shiftTileLoss(float[] g, int gi, float[] out, int ob) {
        FloatVector xy = FloatVector.fromArray(S, g, gi);
        FloatVector d = FloatVector.fromArray(S, g, gi + L);
        // log1p(d) = log(u)·(d/(u − 1)) with u = 1 + d (the ratio first, so no overflow; where u = 1: d); good
        // lanes: d in range (false for NaN) and a finite label logit
        FloatVector u1 = d.add(1f);
        // lg52 = log(u1): VectorMath.logNormal written out (not VectorOperators.LOG, whose compiled and interpreted
        // forms differ in the last bit: README, Determinism)
        IntVector lg52bits = u1.reinterpretAsInts();
        IntVector lg52k = lg52bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
        FloatVector lg52f = lg52bits.sub(lg52k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
        FloatVector lg52kf = lg52k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
        FloatVector lg52f2 = lg52f.mul(lg52f);
        FloatVector lg52p = lg52f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg52f, P5)
                .lanewise(VectorOperators.FMA, lg52f, P4).lanewise(VectorOperators.FMA, lg52f, P3).lanewise(VectorOperators.FMA, lg52f, P2)
                .lanewise(VectorOperators.FMA, lg52f, P1).lanewise(VectorOperators.FMA, lg52f, P0);
        FloatVector lg52l1 = lg52p.mul(lg52f).lanewise(VectorOperators.FMA, lg52f2, lg52f2.mul(-0.5f)).add(lg52f);
        FloatVector lg52 = lg52kf.lanewise(VectorOperators.FMA, LN2_HI, lg52kf.lanewise(VectorOperators.FMA, LN2_LO, lg52l1));
        // (u1 of the good lanes below is in [1, 1e37 + 1]; the others come out NaN)
        FloatVector loss = lg52.mul(d.div(u1.sub(1f))).blend(d, u1.compare(VectorOperators.EQ, 1f));
        VectorMask<Float> good = d.compare(VectorOperators.LE, 1e37f)
                .and(xy.lanewise(VectorOperators.ABS).compare(VectorOperators.LT, Float.POSITIVE_INFINITY))
                .and(FloatVector.fromArray(S, g, gi + 3 * L).compare(VectorOperators.LE, EXP_MAX));
        FloatVector.broadcast(S, Float.NaN).blend(loss, good).intoArray(out, ob);
        return good.allTrue();
    }

    /** Per thread: the gather indices of one tile's label logits, {@code r·rowStride + label_r}. */
    private static final ThreadLocal<int[]> LABEL_INDEX = ThreadLocal.withInitial(() -> new int[L]);
    /** Per-thread copy of one row's labels (grown to the largest C seen), for labels not contiguous along the classes. */
    private static final ThreadLocal<float[][]> LABEL_ROW = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    /**
     * Per thread: one row of logits copied from a layout whose classes are not contiguous (the class axis first with
     * fewer positions than a vector, classes interleaved), for the row path; grown to the largest C seen.
     */
    private static final ThreadLocal<float[][]> LOGIT_ROW = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    /** This thread's row of {@code holder}, at least {@code classes} long (grown once to the largest C seen). */
    private static float[] rowOf(ThreadLocal<float[][]> holder, int classes) {
        float[][] h = holder.get();
        if (h[0].length < classes) {
            h[0] = new float[classes];
        }
        return h[0];
    }

    /** Copies {@code classes} elements {@code stride} apart from {@code v[vb]} to the start of {@code row}. */
    private static void copyRow(float[] v, int vb, int stride, int classes, float[] row) {
        for (int c = 0; c < classes; c++) {
            row[c] = v[vb + c * stride];
        }
    }

    /** Per-thread lanes of one tile: losses of the one-pass tiles when the losses layout is not contiguous, redo flags. */
    private static final ThreadLocal<float[]> LANE_OUT = ThreadLocal.withInitial(() -> new float[L]);

    /**
     * The same for L neighbouring rows of {@code C < L} classes, gathered: one gather per class (gathers are the
     * cost here) and one for the label logits, by indices formed from the labels. As above, the shift is the
     * label's own logit: {@code loss = log1p(s)} with {@code s = Σ_{c ≠ label} exp(x_c − x_label)}, the label's term
     * (exactly 1) left out of the sum, so that a confident row's small loss keeps its relative precision (a shift by
     * another class's logit rounded {@code x_c − x_0} for the large terms, up to {@code |x_c − x_0|·2^−24} relative,
     * and {@code log} of a sum near 1 keeps only its absolute precision). Exponents beyond the float's, {@code s > 1e37},
     * NaN, or an infinite label logit return false, as above.
     */
    private static boolean sparseRowsShiftTile(float[] x, int xb, int xls, int classes, int[] y, int yb, int yls,
                                               float[] out, int ob) {
        int[] xmap = LANE_MAPS[xls];
        int[] index = LABEL_INDEX.get();
        IntVector labels = yls == 1 ? IntVector.fromArray(SI, y, yb) : IntVector.fromArray(SI, y, yb, LANE_MAPS[yls], 0);
        labels.add(IntVector.fromArray(SI, xmap, 0)).intoArray(index, 0);
        FloatVector yv = labels.reinterpretAsFloats();
        FloatVector xy = FloatVector.fromArray(S, x, xb, index, 0);
        FloatVector d = FloatVector.zero(S);
        FloatVector dc = d;
        IntVector nmax = IntVector.zero(SI); // the largest bits of the exps' n + EXP_SHIFTER (EXP_MAX_BITS)
        for (int c = 0; c < classes; c++) {
            FloatVector a = FloatVector.fromArray(S, x, xb + c, xmap, 0).sub(xy);
            // ex2 = exp(a): VectorMath.expNonPositive written out
            FloatVector ex2t = a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex2n = ex2t.sub(EXP_SHIFTER);
            FloatVector ex2r = ex2n.lanewise(VectorOperators.FMA, -LN2_LO, ex2n.lanewise(VectorOperators.FMA, -LN2_HI, a));
            FloatVector ex2q = ex2r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex2r, Q3)
                    .lanewise(VectorOperators.FMA, ex2r, Q2).lanewise(VectorOperators.FMA, ex2r, Q1).lanewise(VectorOperators.FMA, ex2r, 1f);
            FloatVector ex2 = ex2q.lanewise(VectorOperators.FMA, ex2r, 1f)
                    .mul(ex2t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, a.compare(VectorOperators.LT, EXP_UNDERFLOW));
            nmax = nmax.max(ex2t.reinterpretAsInts());
            FloatVector u = ex2.blend(0f, yv.compare(VectorOperators.EQ, labelBits(c))).sub(dc);
            FloatVector sum = d.add(u);
            dc = sum.sub(d).sub(u);
            d = sum;
        }
        // log1p(d) = log(u)·(d/(u − 1)) with u = 1 + d (the ratio first, so no overflow; where u = 1: d); good
        // lanes: d in range (false for NaN) and a finite label logit; the others are NaN here and refilled by the
        // two-pass tile
        FloatVector u1 = d.add(1f);
        // lg53 = log(u1): VectorMath.logNormal written out (not VectorOperators.LOG, whose compiled and interpreted
        // forms differ in the last bit: README, Determinism)
        IntVector lg53bits = u1.reinterpretAsInts();
        IntVector lg53k = lg53bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
        FloatVector lg53f = lg53bits.sub(lg53k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
        FloatVector lg53kf = lg53k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
        FloatVector lg53f2 = lg53f.mul(lg53f);
        FloatVector lg53p = lg53f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg53f, P5)
                .lanewise(VectorOperators.FMA, lg53f, P4).lanewise(VectorOperators.FMA, lg53f, P3).lanewise(VectorOperators.FMA, lg53f, P2)
                .lanewise(VectorOperators.FMA, lg53f, P1).lanewise(VectorOperators.FMA, lg53f, P0);
        FloatVector lg53l1 = lg53p.mul(lg53f).lanewise(VectorOperators.FMA, lg53f2, lg53f2.mul(-0.5f)).add(lg53f);
        FloatVector lg53 = lg53kf.lanewise(VectorOperators.FMA, LN2_HI, lg53kf.lanewise(VectorOperators.FMA, LN2_LO, lg53l1));
        // (u1 of the good lanes below is in [1, 1e37 + 1]; the others come out NaN)
        FloatVector loss = lg53.mul(d.div(u1.sub(1f))).blend(d, u1.compare(VectorOperators.EQ, 1f));
        VectorMask<Float> good = d.compare(VectorOperators.LE, 1e37f)
                .and(xy.lanewise(VectorOperators.ABS).compare(VectorOperators.LT, Float.POSITIVE_INFINITY))
                .and(nmax.reinterpretAsFloats().compare(VectorOperators.LE, EXP_MAX));
        FloatVector.broadcast(S, Float.NaN).blend(loss, good).intoArray(out, ob);
        return good.allTrue();
    }

    private static void sparseSoftmaxTile(float[] x, int xb, int xs, int xls, int classes, int[] y, int yb, int yls,
                                          float[] out, int ob, int ols, int count, boolean refill) {
        int[] xmap = LANE_MAPS[xls];
        FloatVector yv = (yls == 1 ? IntVector.fromArray(SI, y, yb) : IntVector.fromArray(SI, y, yb, LANE_MAPS[yls], 0))
                .reinterpretAsFloats();
        FloatVector vm = FloatVector.broadcast(S, NEG_INF);
        for (int c = 0; c < classes; c++) {
            int i = xb + c * xs;
            FloatVector v = xls == 1 ? FloatVector.fromArray(S, x, i) : FloatVector.fromArray(S, x, i, xmap, 0);
            vm = vm.blend(v, v.compare(VectorOperators.GT, vm)); // skips NaN, which reaches the loss through exp
        }
        FloatVector d = FloatVector.zero(S);
        FloatVector dc = d;
        FloatVector xy = d;
        for (int c = 0; c < classes; c++) {
            int i = xb + c * xs;
            FloatVector v = xls == 1 ? FloatVector.fromArray(S, x, i) : FloatVector.fromArray(S, x, i, xmap, 0);
            // ex16 = exp(v.sub(vm)): VectorMath.expNonPositive written out
            FloatVector ex16a = v.sub(vm);
            FloatVector ex16t = ex16a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex16n = ex16t.sub(EXP_SHIFTER);
            FloatVector ex16r = ex16n.lanewise(VectorOperators.FMA, -LN2_LO, ex16n.lanewise(VectorOperators.FMA, -LN2_HI, ex16a));
            FloatVector ex16q = ex16r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex16r, Q3)
                    .lanewise(VectorOperators.FMA, ex16r, Q2).lanewise(VectorOperators.FMA, ex16r, Q1).lanewise(VectorOperators.FMA, ex16r, 1f);
            FloatVector ex16 = ex16q.lanewise(VectorOperators.FMA, ex16r, 1f)
                    .mul(ex16t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, ex16a.compare(VectorOperators.LT, EXP_UNDERFLOW));
            FloatVector u = ex16.sub(dc);
            FloatVector sum = d.add(u);
            dc = sum.sub(d).sub(u);
            d = sum;
            xy = xy.blend(v, yv.compare(VectorOperators.EQ, labelBits(c)));
        }
        // lg54 = log(d): VectorMath.logNormal written out (not VectorOperators.LOG, whose compiled and interpreted
        // forms differ in the last bit: README, Determinism)
        IntVector lg54bits = d.reinterpretAsInts();
        IntVector lg54k = lg54bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
        FloatVector lg54f = lg54bits.sub(lg54k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
        FloatVector lg54kf = lg54k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
        FloatVector lg54f2 = lg54f.mul(lg54f);
        FloatVector lg54p = lg54f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg54f, P5)
                .lanewise(VectorOperators.FMA, lg54f, P4).lanewise(VectorOperators.FMA, lg54f, P3).lanewise(VectorOperators.FMA, lg54f, P2)
                .lanewise(VectorOperators.FMA, lg54f, P1).lanewise(VectorOperators.FMA, lg54f, P0);
        FloatVector lg54l1 = lg54p.mul(lg54f).lanewise(VectorOperators.FMA, lg54f2, lg54f2.mul(-0.5f)).add(lg54f);
        FloatVector lg54 = lg54kf.lanewise(VectorOperators.FMA, LN2_HI, lg54kf.lanewise(VectorOperators.FMA, LN2_LO, lg54l1));
        // d ≥ 1 (the maximum's exp(0) = 1) or NaN; d − d keeps the NaN
        FloatVector result = vm.sub(xy).add(lg54.add(d.sub(d)));
        if (count == L && ols == 1) {
            // refill: keep the lanes a one-pass tile already wrote (not NaN), so that each row's value depends on
            // its own logits only, not on which rows share its tile; otherwise (refill = false) overwrite all
            FloatVector prev = FloatVector.fromArray(S, out, ob).add(refill ? 0f : Float.NaN);
            prev.blend(result, prev.compare(VectorOperators.NE, prev)).intoArray(out, ob);
        } else {
            for (int j = 0; j < count; j++) {
                out[ob + j * ols] = result.lane(j);
            }
        }
    }

    private static boolean sigmoidMeanTile(float[] x, int xb, int xs, int xls, int classes, float[] z, int zb, int zs, int zls,
                                           float[] out, int ob, int ols, int count) {
        int[] xmap = LANE_MAPS[xls];
        int[] zmap = LANE_MAPS[zls];
        float inv = 1f / classes;
        FloatVector acc = FloatVector.zero(S);
        FloatVector comp = acc;
        IntVector signs = IntVector.zero(SI); // the terms' bits, or-ed: a negative term sends the lane to the scalar row
        for (int c = 0; c < classes; c++) {
            int i = xb + c * xs;
            int k = zb + c * zs;
            FloatVector v = xls == 1 ? FloatVector.fromArray(S, x, i) : FloatVector.fromArray(S, x, i, xmap, 0);
            FloatVector zv = zls == 1 ? FloatVector.fromArray(S, z, k) : FloatVector.fromArray(S, z, k, zmap, 0);
            // ex17 = exp(v.lanewise(VectorOperators.ABS).neg()): VectorMath.expNonPositive written out
            FloatVector ex17a = v.lanewise(VectorOperators.ABS).neg();
            FloatVector ex17t = ex17a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex17n = ex17t.sub(EXP_SHIFTER);
            FloatVector ex17r = ex17n.lanewise(VectorOperators.FMA, -LN2_LO, ex17n.lanewise(VectorOperators.FMA, -LN2_HI, ex17a));
            FloatVector ex17q = ex17r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex17r, Q3)
                    .lanewise(VectorOperators.FMA, ex17r, Q2).lanewise(VectorOperators.FMA, ex17r, Q1).lanewise(VectorOperators.FMA, ex17r, 1f);
            FloatVector ex17 = ex17q.lanewise(VectorOperators.FMA, ex17r, 1f)
                    .mul(ex17t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, ex17a.compare(VectorOperators.LT, EXP_UNDERFLOW));
            FloatVector e = ex17;
            // lp18 = log1p(e): VectorMath.log1pUnit written out
            FloatVector lp18t2 = e.mul(e);
            FloatVector lp18 = e.lanewise(VectorOperators.FMA, R7, R6).lanewise(VectorOperators.FMA, e, R5).lanewise(VectorOperators.FMA, e, R4)
                    .lanewise(VectorOperators.FMA, e, R3).lanewise(VectorOperators.FMA, e, R2).lanewise(VectorOperators.FMA, e, R1).lanewise(VectorOperators.FMA, e, R0)
                    .lanewise(VectorOperators.FMA, lp18t2, e);
            FloatVector log1p = lp18;
            FloatVector vs = v.mul(inv); // x scaled by 1/C first, as in sigmoidMeanRow
            FloatVector l = vs.neg().lanewise(VectorOperators.FMA, zv, vs.blend(0f, vs.compare(VectorOperators.LT, 0f))).add(log1p.mul(inv));
            signs = signs.or(l.reinterpretAsInts());
            FloatVector u = l.sub(comp);
            FloatVector sum = acc.add(u);
            comp = sum.sub(acc).sub(u);
            comp = comp.blend(0f, comp.compare(VectorOperators.NE, comp)); // inf − inf: an infinite sum has no error
            acc = sum;
        }
        // labels outside [0, 1] give terms of both signs, which cancel in float: such a lane becomes NaN (all bits
        // set) and is redone by the caller (tileRedo)
        FloatVector result = acc.reinterpretAsInts().or(signs.lanewise(VectorOperators.ASHR, 31)).reinterpretAsFloats();
        // taken before the stores: the vector read after the lane loop below was boxed per tile on JDK 17
        boolean redo = result.compare(VectorOperators.NE, result).anyTrue(); // lanes to redo
        if (count == L && ols == 1) {
            result.intoArray(out, ob);
        } else {
            for (int j = 0; j < count; j++) {
                out[ob + j * ols] = result.lane(j);
            }
        }
        return redo;
    }

    private static boolean binaryMeanTile(float[] p, int pb, int ps, int pls, int classes, float[] z, int zb, int zs, int zls,
                                          float eps, float[] out, int ob, int ols, int count) {
        int[] pmap = LANE_MAPS[pls];
        int[] zmap = LANE_MAPS[zls];
        float inv = 1f / classes;
        float hi = 1f - eps;
        FloatVector acc = FloatVector.zero(S);
        FloatVector comp = acc;
        IntVector signs = IntVector.zero(SI); // the terms' bits, or-ed: a negative term sends the lane to the scalar row
        int skip = 0; // vectors left before the labels are checked again (see SOFT_SKIP)
        for (int c = 0; c < classes; c++) {
            int i = pb + c * ps;
            int k = zb + c * zs;
            FloatVector v = pls == 1 ? FloatVector.fromArray(S, p, i) : FloatVector.fromArray(S, p, i, pmap, 0);
            FloatVector zv = zls == 1 ? FloatVector.fromArray(S, z, k) : FloatVector.fromArray(S, z, k, zmap, 0);
            // clip to [eps, hi] by compare and blend (Java's MAX/MIN cost several instructions each for NaN); NaN stays NaN
            VectorMask<Float> zero = zv.compare(VectorOperators.EQ, 0f);
            if (skip > 0) {
                skip--;
            } else if (!zero.or(zv.compare(VectorOperators.EQ, 1f)).allTrue()) {
                skip = SOFT_SKIP;
            } else {
                // hard labels: the one log of the side the label picks, to the bit (see binaryRun)
                FloatVector w0 = v.blend(v.neg().add(1f), zero);
                FloatVector w = w0.blend(eps, w0.compare(VectorOperators.LT, eps)).blend(hi, w0.compare(VectorOperators.GT, hi));
                // lg30 = log(w): VectorMath.logNormal written out
                IntVector lg30bits = w.reinterpretAsInts();
                IntVector lg30k = lg30bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                FloatVector lg30f = lg30bits.sub(lg30k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                FloatVector lg30kf = lg30k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                FloatVector lg30f2 = lg30f.mul(lg30f);
                FloatVector lg30p = lg30f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg30f, P5)
                        .lanewise(VectorOperators.FMA, lg30f, P4).lanewise(VectorOperators.FMA, lg30f, P3).lanewise(VectorOperators.FMA, lg30f, P2)
                        .lanewise(VectorOperators.FMA, lg30f, P1).lanewise(VectorOperators.FMA, lg30f, P0);
                FloatVector lg30l1 = lg30p.mul(lg30f).lanewise(VectorOperators.FMA, lg30f2, lg30f2.mul(-0.5f)).add(lg30f);
                FloatVector lg30 = lg30kf.lanewise(VectorOperators.FMA, LN2_HI, lg30kf.lanewise(VectorOperators.FMA, LN2_LO, lg30l1));
                FloatVector hard = lg30.mul(-inv).blend(Float.NaN, w.compare(VectorOperators.NE, w));
                signs = signs.or(hard.reinterpretAsInts());
                FloatVector uh = hard.sub(comp);
                FloatVector sumh = acc.add(uh);
                comp = sumh.sub(acc).sub(uh);
                comp = comp.blend(0f, comp.compare(VectorOperators.NE, comp));
                acc = sumh;
                continue;
            }
            FloatVector pc0 = v;
            FloatVector pc = pc0.blend(eps, pc0.compare(VectorOperators.LT, eps)).blend(hi, pc0.compare(VectorOperators.GT, hi));
            FloatVector qc0 = v.neg().add(1f);
            FloatVector qc = qc0.blend(eps, qc0.compare(VectorOperators.LT, eps)).blend(hi, qc0.compare(VectorOperators.GT, hi));
            // lg4 = log(pc): VectorMath.logNormal written out
            IntVector lg4bits = pc.reinterpretAsInts();
            IntVector lg4k = lg4bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
            FloatVector lg4f = lg4bits.sub(lg4k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
            FloatVector lg4kf = lg4k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
            FloatVector lg4f2 = lg4f.mul(lg4f);
            FloatVector lg4p = lg4f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg4f, P5)
                    .lanewise(VectorOperators.FMA, lg4f, P4).lanewise(VectorOperators.FMA, lg4f, P3).lanewise(VectorOperators.FMA, lg4f, P2)
                    .lanewise(VectorOperators.FMA, lg4f, P1).lanewise(VectorOperators.FMA, lg4f, P0);
            FloatVector lg4l1 = lg4p.mul(lg4f).lanewise(VectorOperators.FMA, lg4f2, lg4f2.mul(-0.5f)).add(lg4f);
            FloatVector lg4 = lg4kf.lanewise(VectorOperators.FMA, LN2_HI, lg4kf.lanewise(VectorOperators.FMA, LN2_LO, lg4l1));
            // lg5 = log(qc): VectorMath.logNormal written out
            IntVector lg5bits = qc.reinterpretAsInts();
            IntVector lg5k = lg5bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
            FloatVector lg5f = lg5bits.sub(lg5k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
            FloatVector lg5kf = lg5k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
            FloatVector lg5f2 = lg5f.mul(lg5f);
            FloatVector lg5p = lg5f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg5f, P5)
                    .lanewise(VectorOperators.FMA, lg5f, P4).lanewise(VectorOperators.FMA, lg5f, P3).lanewise(VectorOperators.FMA, lg5f, P2)
                    .lanewise(VectorOperators.FMA, lg5f, P1).lanewise(VectorOperators.FMA, lg5f, P0);
            FloatVector lg5l1 = lg5p.mul(lg5f).lanewise(VectorOperators.FMA, lg5f2, lg5f2.mul(-0.5f)).add(lg5f);
            FloatVector lg5 = lg5kf.lanewise(VectorOperators.FMA, LN2_HI, lg5kf.lanewise(VectorOperators.FMA, LN2_LO, lg5l1));
            FloatVector omz = zv.neg().add(1f);
            FloatVector l = zv.mul(lg4).add(omz.mul(lg5)).mul(-inv).blend(Float.NaN, pc.compare(VectorOperators.NE, pc));
            // a label outside [0, 1] (z or 1 − z with its sign bit set): the two terms cancel, the lane is the scalar's
            signs = signs.or(l.reinterpretAsInts()).or(zv.add(0f).reinterpretAsInts()).or(omz.reinterpretAsInts());
            FloatVector u = l.sub(comp);
            FloatVector sum = acc.add(u);
            comp = sum.sub(acc).sub(u);
            comp = comp.blend(0f, comp.compare(VectorOperators.NE, comp)); // inf − inf: an infinite sum has no error
            acc = sum;
        }
        // a negative term (labels outside [0, 1]) makes the lane NaN, redone by the caller (tileRedo)
        FloatVector result = acc.reinterpretAsInts().or(signs.lanewise(VectorOperators.ASHR, 31)).reinterpretAsFloats();
        // taken before the stores: the vector read after the lane loop below was boxed per tile on JDK 17
        boolean redo = result.compare(VectorOperators.NE, result).anyTrue(); // lanes to redo
        if (count == L && ols == 1) {
            result.intoArray(out, ob);
        } else {
            for (int j = 0; j < count; j++) {
                out[ob + j * ols] = result.lane(j);
            }
        }
        return redo;
    }

    /**
     * Keras categorical CE of one tile of L rows in any layout (lanes {@code pls} apart, classes {@code ps} apart):
     * {@code −Σ t·log(clip(p / Σp, ε, 1 − ε))} per lane, the sum and the loss in two methods whose state goes through
     * a per-thread array ({@link #categoricalTileSumAny}, {@link #categoricalTileLogsAny}): in one method, with the sum
     * live across the second loop, JDK 17 boxed a vector per tile once the method had seen both plain loads (class axis
     * first) and gathers (class axis last): 20 KB per call at {@code [4096, 10]}.
     */
    private static void categoricalTile(float[] p, int pb, int ps, int pls, int classes, float[] t, int tb, int ts, int tls,
                                        float eps, float[] out, int ob, int ols, int count) {
        float[] g = TILE_STATES.get();
        categoricalTileSumAny(p, pb, ps, pls, classes, g);
        categoricalTileLogsAny(p, pb, ps, pls, classes, t, tb, ts, tls, eps, g);
        FloatVector s = FloatVector.fromArray(S, g, 0);
        FloatVector result = FloatVector.fromArray(S, g, 2 * L).neg();
        if (count == L && ols == 1) {
            result.intoArray(out, ob);
        } else {
            for (int j = 0; j < count; j++) {
                out[ob + j * ols] = result.lane(j);
            }
        }
        // rows whose float sum overflowed (+inf, or NaN once the compensation meets it), or whose loss is not finite
        // (float lanes overflowing with labels near ±Float.MAX_VALUE, or NaN data): the scalar row, which divides by
        // the double sum and adds in double
        FloatVector check = result.add(s).mul(0f); // NaN in a lane where the loss or the sum is not finite
        if (check.compare(VectorOperators.NE, check).anyTrue()) {
            float[] flags = LANE_OUT.get();
            check.intoArray(flags, 0);
            categoricalRedo(flags, p, pb, ps, pls, classes, t, tb, ts, tls, null, 0, 0, eps, out, ob, ols, count);
        }
    }

    /**
     * The compensated sum {@code Σp} of a {@link #categoricalTile} into {@code g[0..L)}, its compensation into
     * {@code g[L..2L)}, in blocks of {@link #SHIFT_CLASS_BLOCK} classes (the additions of one loop over every class).
     */
    private static void categoricalTileSumAny(float[] p, int pb, int ps, int pls, int classes, float[] g) {
        int[] pmap = LANE_MAPS[pls];
        java.util.Arrays.fill(g, 0, 4 * L, 0f);
        for (int c0 = 0; c0 < classes; c0 += SHIFT_CLASS_BLOCK) {
            int c1 = Math.min(classes, c0 + SHIFT_CLASS_BLOCK);
            FloatVector s = FloatVector.fromArray(S, g, 0);
            FloatVector sc = FloatVector.fromArray(S, g, L);
            for (int c = c0; c < c1; c++) {
                int i = pb + c * ps;
                FloatVector u = (pls == 1 ? FloatVector.fromArray(S, p, i) : FloatVector.fromArray(S, p, i, pmap, 0)).sub(sc);
                FloatVector sum = s.add(u);
                sc = sum.sub(s).sub(u);
                sc = sc.blend(0f, sc.compare(VectorOperators.NE, sc)); // inf − inf: an infinite sum has no error
                s = sum;
            }
            s.intoArray(g, 0);
            sc.intoArray(g, L);
        }
    }

    /**
     * The compensated sum {@code Σ t·log(clip(p / Σp, ε, 1 − ε))} of a {@link #categoricalTile} into
     * {@code g[2L..3L)}, its compensation into {@code g[3L..4L)}, {@code Σp} from {@code g[0..L)}, in blocks of
     * {@link #SHIFT_CLASS_BLOCK} classes (the additions of one loop over every class).
     */
    private static void categoricalTileLogsAny(float[] p, int pb, int ps, int pls, int classes, float[] t, int tb, int ts,
                                               int tls, float eps, float[] g) {
        int[] pmap = LANE_MAPS[pls];
        int[] tmap = LANE_MAPS[tls];
        for (int c0 = 0; c0 < classes; c0 += SHIFT_CLASS_BLOCK) {
            int c1 = Math.min(classes, c0 + SHIFT_CLASS_BLOCK);
            FloatVector s = FloatVector.fromArray(S, g, 0);
            FloatVector acc = FloatVector.fromArray(S, g, 2 * L);
            FloatVector comp = FloatVector.fromArray(S, g, 3 * L);
            for (int c = c0; c < c1; c++) {
                int i = pb + c * ps;
                int k = tb + c * ts;
                FloatVector v = pls == 1 ? FloatVector.fromArray(S, p, i) : FloatVector.fromArray(S, p, i, pmap, 0);
                FloatVector tv = tls == 1 ? FloatVector.fromArray(S, t, k) : FloatVector.fromArray(S, t, k, tmap, 0);
                // clip to [eps, 1f - eps] by compare and blend (Java's MAX/MIN cost several instructions each for NaN); NaN stays NaN
                FloatVector q0 = v.div(s);
                FloatVector q = q0.blend(eps, q0.compare(VectorOperators.LT, eps)).blend(1f - eps, q0.compare(VectorOperators.GT, 1f - eps));
                // lg6 = log(q): VectorMath.logNormal written out
                IntVector lg6bits = q.reinterpretAsInts();
                IntVector lg6k = lg6bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                FloatVector lg6f = lg6bits.sub(lg6k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                FloatVector lg6kf = lg6k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                FloatVector lg6f2 = lg6f.mul(lg6f);
                FloatVector lg6p = lg6f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg6f, P5)
                        .lanewise(VectorOperators.FMA, lg6f, P4).lanewise(VectorOperators.FMA, lg6f, P3).lanewise(VectorOperators.FMA, lg6f, P2)
                        .lanewise(VectorOperators.FMA, lg6f, P1).lanewise(VectorOperators.FMA, lg6f, P0);
                FloatVector lg6l1 = lg6p.mul(lg6f).lanewise(VectorOperators.FMA, lg6f2, lg6f2.mul(-0.5f)).add(lg6f);
                FloatVector lg6 = lg6kf.lanewise(VectorOperators.FMA, LN2_HI, lg6kf.lanewise(VectorOperators.FMA, LN2_LO, lg6l1));
                FloatVector u = tv.mul(lg6).blend(Float.NaN, q.compare(VectorOperators.NE, q)).sub(comp);
                FloatVector sum = acc.add(u);
                comp = sum.sub(acc).sub(u);
                comp = comp.blend(0f, comp.compare(VectorOperators.NE, comp)); // inf − inf: an infinite sum has no error
                acc = sum;
            }
            acc.intoArray(g, 2 * L);
            comp.intoArray(g, 3 * L);
        }
    }

    /**
     * Keras categorical CE over the inner positions of one n (class axis first, {@code inner ≥ L}, labels contiguous
     * along H·W), the formula of {@link #categoricalTile} per lane, {@code −Σ t·log(clip(p / Σp, ε, 1 − ε))}, with
     * other last bits (its sums add four classes pairwise; the per-class tile serves strided labels). Tiles of L positions
     * (the last one overlapping the one before) in chunks of {@link #SHIFT_CHUNK} whose state stays in a per-thread
     * array while each block of {@link #SHIFT_CLASS_BLOCK} classes is walked across them (as
     * {@link #softmaxInnerTiles}; tile by tile up to one block), the sums of four classes added pairwise and then once
     * into a compensated sum. A lane with a probability or label whose sign bit is set (the terms would not all have
     * one sign), a sum of 0, or a loss or sum that is not finite takes the scalar row ({@link #categoricalRedo}). The
     * blocks are multiples of 4 classes, so a position's bits do not depend on its chunk or tile.
     */
    private static void categoricalInnerTiles(float[] p, int pb, int ps, int inner, int classes, float[] t, int tb, int ts,
                                              float eps, float[] out, int ob, int ols) {
        float[] g = TILE_STATES.get();
        float[] flags = LANE_OUT.get();
        int tiles = (inner + L - 1) / L;
        int chunk = classes > SHIFT_CLASS_BLOCK ? SHIFT_CHUNK : 1;
        for (int k0 = 0; k0 < tiles; k0 += chunk) {
            int k1 = Math.min(tiles, k0 + chunk);
            for (int c0 = 0; c0 < classes; c0 += SHIFT_CLASS_BLOCK) {
                int c1 = Math.min(classes, c0 + SHIFT_CLASS_BLOCK);
                for (int k = k0; k < k1; k++) {
                    categoricalTileSum(p, pb + Math.min(k * L, inner - L), ps, c0, c1, g, TILE_STATE * (k - k0));
                }
            }
            for (int c0 = 0; c0 < classes; c0 += SHIFT_CLASS_BLOCK) {
                int c1 = Math.min(classes, c0 + SHIFT_CLASS_BLOCK);
                for (int k = k0; k < k1; k++) {
                    int i = Math.min(k * L, inner - L);
                    categoricalTileLogs(p, pb + i, ps, c0, c1, t, tb + i, ts, eps, g, TILE_STATE * (k - k0));
                }
            }
            for (int k = k0; k < k1; k++) {
                int i = Math.min(k * L, inner - L);
                if (categoricalTileLoss(g, TILE_STATE * (k - k0), out, ob + i * ols, ols, flags)) {
                    categoricalRedo(flags, p, pb + i, ps, 1, classes, t, tb + i, ts, 1, null, 0, 0, eps, out, ob + i * ols,
                            ols, L);
                }
            }
        }
    }

    /**
     * Adds the probabilities of classes {@code [from, to)} of a categorical tile into its compensated sum
     * {@code Σp} at {@code g[gi..gi + 2L)} (zero first when {@code from = 0}), four classes pairwise per step, and or-s
     * their bits into {@code g[gi + 4L..gi + 5L)} (zero first too).
     */
    private static void categoricalTileSum(float[] p, int pb, int ps, int from, int to, float[] g, int gi) {
        if (from == 0) {
            java.util.Arrays.fill(g, gi, gi + 5 * L, 0f);
        }
        for (int c0 = from; c0 < to; c0 += SHIFT_CLASS_BLOCK) {
            int c1 = Math.min(to, c0 + SHIFT_CLASS_BLOCK);
            FloatVector s = FloatVector.fromArray(S, g, gi);
            FloatVector sc = FloatVector.fromArray(S, g, gi + L);
            IntVector signs = FloatVector.fromArray(S, g, gi + 4 * L).reinterpretAsInts();
            int c = c0;
            for (; c + 4 <= c1; c += 4) {
                FloatVector v0 = FloatVector.fromArray(S, p, pb + c * ps);
                FloatVector v1 = FloatVector.fromArray(S, p, pb + (c + 1) * ps);
                FloatVector v2 = FloatVector.fromArray(S, p, pb + (c + 2) * ps);
                FloatVector v3 = FloatVector.fromArray(S, p, pb + (c + 3) * ps);
                FloatVector u = v0.add(v1).add(v2.add(v3)).sub(sc);
                FloatVector sum = s.add(u);
                sc = sum.sub(s).sub(u);
                s = sum;
                signs = signs.or(v0.reinterpretAsInts().or(v1.reinterpretAsInts()).or(v2.reinterpretAsInts().or(v3.reinterpretAsInts())));
            }
            for (; c < c1; c++) {
                FloatVector v = FloatVector.fromArray(S, p, pb + c * ps);
                FloatVector u = v.sub(sc);
                FloatVector sum = s.add(u);
                sc = sum.sub(s).sub(u);
                s = sum;
                signs = signs.or(v.reinterpretAsInts());
            }
            s.intoArray(g, gi);
            sc.intoArray(g, gi + L);
            signs.reinterpretAsFloats().intoArray(g, gi + 4 * L);
        }
    }

    /**
     * Adds {@code t·log(clip(p / Σp, ε, 1 − ε))} of classes {@code [from, to)} of a categorical tile into its
     * compensated sum at {@code g[gi + 2L..gi + 4L)} (zero from {@link #categoricalTileSum}), four classes pairwise per
     * step, and or-s the labels' bits into {@code g[gi + 4L..gi + 5L)}. Lanes whose sum is 0, NaN or infinite give
     * garbage here and are redone ({@link #categoricalTileLoss}).
     */
    private static void categoricalTileLogs(float[] p, int pb, int ps, int from, int to, float[] t, int tb, int ts,
                                            float eps, float[] g, int gi) {
        float hi = 1f - eps;
        for (int c0 = from; c0 < to; c0 += SHIFT_CLASS_BLOCK) {
            int c1 = Math.min(to, c0 + SHIFT_CLASS_BLOCK);
            FloatVector s = FloatVector.fromArray(S, g, gi);
            FloatVector acc = FloatVector.fromArray(S, g, gi + 2 * L);
            FloatVector comp = FloatVector.fromArray(S, g, gi + 3 * L);
            IntVector signs = FloatVector.fromArray(S, g, gi + 4 * L).reinterpretAsInts();
            int c = c0;
            for (; c + 4 <= c1; c += 4) {
                FloatVector q45 = FloatVector.fromArray(S, p, pb + (c + 0) * ps).div(s);
                FloatVector c45 = q45.blend(eps, q45.compare(VectorOperators.LT, eps)).blend(hi, q45.compare(VectorOperators.GT, hi));
                // lg45 = log(c45): VectorMath.logNormal written out
                IntVector lg45bits = c45.reinterpretAsInts();
                IntVector lg45k = lg45bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                FloatVector lg45f = lg45bits.sub(lg45k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                FloatVector lg45kf = lg45k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                FloatVector lg45f2 = lg45f.mul(lg45f);
                FloatVector lg45p = lg45f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg45f, P5)
                        .lanewise(VectorOperators.FMA, lg45f, P4).lanewise(VectorOperators.FMA, lg45f, P3).lanewise(VectorOperators.FMA, lg45f, P2)
                        .lanewise(VectorOperators.FMA, lg45f, P1).lanewise(VectorOperators.FMA, lg45f, P0);
                FloatVector lg45l1 = lg45p.mul(lg45f).lanewise(VectorOperators.FMA, lg45f2, lg45f2.mul(-0.5f)).add(lg45f);
                FloatVector lg45 = lg45kf.lanewise(VectorOperators.FMA, LN2_HI, lg45kf.lanewise(VectorOperators.FMA, LN2_LO, lg45l1));
                FloatVector t45 = FloatVector.fromArray(S, t, tb + (c + 0) * ts);
                FloatVector q46 = FloatVector.fromArray(S, p, pb + (c + 1) * ps).div(s);
                FloatVector c46 = q46.blend(eps, q46.compare(VectorOperators.LT, eps)).blend(hi, q46.compare(VectorOperators.GT, hi));
                // lg46 = log(c46): VectorMath.logNormal written out
                IntVector lg46bits = c46.reinterpretAsInts();
                IntVector lg46k = lg46bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                FloatVector lg46f = lg46bits.sub(lg46k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                FloatVector lg46kf = lg46k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                FloatVector lg46f2 = lg46f.mul(lg46f);
                FloatVector lg46p = lg46f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg46f, P5)
                        .lanewise(VectorOperators.FMA, lg46f, P4).lanewise(VectorOperators.FMA, lg46f, P3).lanewise(VectorOperators.FMA, lg46f, P2)
                        .lanewise(VectorOperators.FMA, lg46f, P1).lanewise(VectorOperators.FMA, lg46f, P0);
                FloatVector lg46l1 = lg46p.mul(lg46f).lanewise(VectorOperators.FMA, lg46f2, lg46f2.mul(-0.5f)).add(lg46f);
                FloatVector lg46 = lg46kf.lanewise(VectorOperators.FMA, LN2_HI, lg46kf.lanewise(VectorOperators.FMA, LN2_LO, lg46l1));
                FloatVector t46 = FloatVector.fromArray(S, t, tb + (c + 1) * ts);
                FloatVector q47 = FloatVector.fromArray(S, p, pb + (c + 2) * ps).div(s);
                FloatVector c47 = q47.blend(eps, q47.compare(VectorOperators.LT, eps)).blend(hi, q47.compare(VectorOperators.GT, hi));
                // lg47 = log(c47): VectorMath.logNormal written out
                IntVector lg47bits = c47.reinterpretAsInts();
                IntVector lg47k = lg47bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                FloatVector lg47f = lg47bits.sub(lg47k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                FloatVector lg47kf = lg47k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                FloatVector lg47f2 = lg47f.mul(lg47f);
                FloatVector lg47p = lg47f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg47f, P5)
                        .lanewise(VectorOperators.FMA, lg47f, P4).lanewise(VectorOperators.FMA, lg47f, P3).lanewise(VectorOperators.FMA, lg47f, P2)
                        .lanewise(VectorOperators.FMA, lg47f, P1).lanewise(VectorOperators.FMA, lg47f, P0);
                FloatVector lg47l1 = lg47p.mul(lg47f).lanewise(VectorOperators.FMA, lg47f2, lg47f2.mul(-0.5f)).add(lg47f);
                FloatVector lg47 = lg47kf.lanewise(VectorOperators.FMA, LN2_HI, lg47kf.lanewise(VectorOperators.FMA, LN2_LO, lg47l1));
                FloatVector t47 = FloatVector.fromArray(S, t, tb + (c + 2) * ts);
                FloatVector q48 = FloatVector.fromArray(S, p, pb + (c + 3) * ps).div(s);
                FloatVector c48 = q48.blend(eps, q48.compare(VectorOperators.LT, eps)).blend(hi, q48.compare(VectorOperators.GT, hi));
                // lg48 = log(c48): VectorMath.logNormal written out
                IntVector lg48bits = c48.reinterpretAsInts();
                IntVector lg48k = lg48bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                FloatVector lg48f = lg48bits.sub(lg48k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                FloatVector lg48kf = lg48k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                FloatVector lg48f2 = lg48f.mul(lg48f);
                FloatVector lg48p = lg48f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg48f, P5)
                        .lanewise(VectorOperators.FMA, lg48f, P4).lanewise(VectorOperators.FMA, lg48f, P3).lanewise(VectorOperators.FMA, lg48f, P2)
                        .lanewise(VectorOperators.FMA, lg48f, P1).lanewise(VectorOperators.FMA, lg48f, P0);
                FloatVector lg48l1 = lg48p.mul(lg48f).lanewise(VectorOperators.FMA, lg48f2, lg48f2.mul(-0.5f)).add(lg48f);
                FloatVector lg48 = lg48kf.lanewise(VectorOperators.FMA, LN2_HI, lg48kf.lanewise(VectorOperators.FMA, LN2_LO, lg48l1));
                FloatVector t48 = FloatVector.fromArray(S, t, tb + (c + 3) * ts);
                FloatVector u = t45.mul(lg45).add(t46.mul(lg46)).add(t47.mul(lg47).add(t48.mul(lg48))).sub(comp);
                FloatVector sum = acc.add(u);
                comp = sum.sub(acc).sub(u);
                acc = sum;
                signs = signs.or(t45.reinterpretAsInts().or(t46.reinterpretAsInts()).or(t47.reinterpretAsInts().or(t48.reinterpretAsInts())));
            }
            for (; c < c1; c++) {
                FloatVector q49 = FloatVector.fromArray(S, p, pb + c * ps).div(s);
                FloatVector c49 = q49.blend(eps, q49.compare(VectorOperators.LT, eps)).blend(hi, q49.compare(VectorOperators.GT, hi));
                // lg49 = log(c49): VectorMath.logNormal written out
                IntVector lg49bits = c49.reinterpretAsInts();
                IntVector lg49k = lg49bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                FloatVector lg49f = lg49bits.sub(lg49k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                FloatVector lg49kf = lg49k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                FloatVector lg49f2 = lg49f.mul(lg49f);
                FloatVector lg49p = lg49f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg49f, P5)
                        .lanewise(VectorOperators.FMA, lg49f, P4).lanewise(VectorOperators.FMA, lg49f, P3).lanewise(VectorOperators.FMA, lg49f, P2)
                        .lanewise(VectorOperators.FMA, lg49f, P1).lanewise(VectorOperators.FMA, lg49f, P0);
                FloatVector lg49l1 = lg49p.mul(lg49f).lanewise(VectorOperators.FMA, lg49f2, lg49f2.mul(-0.5f)).add(lg49f);
                FloatVector lg49 = lg49kf.lanewise(VectorOperators.FMA, LN2_HI, lg49kf.lanewise(VectorOperators.FMA, LN2_LO, lg49l1));
                FloatVector tv = FloatVector.fromArray(S, t, tb + c * ts);
                FloatVector u = tv.mul(lg49).sub(comp);
                FloatVector sum = acc.add(u);
                comp = sum.sub(acc).sub(u);
                acc = sum;
                signs = signs.or(tv.reinterpretAsInts());
            }
            acc.intoArray(g, gi + 2 * L);
            comp.intoArray(g, gi + 3 * L);
            signs.reinterpretAsFloats().intoArray(g, gi + 4 * L);
        }
    }

    /**
     * Writes a categorical tile's L losses {@code −Σ t·log q} from its state ({@link #categoricalTileLogs}) to
     * {@code out}, {@code ols} apart; returns whether a lane takes the scalar row (a sign bit among its probabilities or
     * labels, a sum that is 0 or not finite, a loss that is not finite), its flag NaN in {@code flags}.
     */
    private static boolean categoricalTileLoss(float[] g, int gi, float[] out, int ob, int ols, float[] flags) {
        FloatVector s = FloatVector.fromArray(S, g, gi);
        FloatVector result = FloatVector.fromArray(S, g, gi + 2 * L).neg();
        IntVector signs = FloatVector.fromArray(S, g, gi + 4 * L).reinterpretAsInts();
        if (ols == 1) {
            result.intoArray(out, ob);
        } else {
            for (int j = 0; j < L; j++) {
                out[ob + j * ols] = result.lane(j);
            }
        }
        // NaN in a lane for the scalar row: all bits set for a sign bit, NaN for a sum of 0 or a value not finite
        FloatVector check = result.add(s).mul(0f).reinterpretAsInts().or(signs.lanewise(VectorOperators.ASHR, 31))
                .reinterpretAsFloats().blend(Float.NaN, s.compare(VectorOperators.EQ, 0f));
        if (check.compare(VectorOperators.NE, check).anyTrue()) {
            check.intoArray(flags, 0);
            return true;
        }
        return false;
    }

    /**
     * The scalar row (sum and quotients in double) for each of {@code count} tile lanes flagged NaN in {@code flags}:
     * a float sum that overflowed, or a loss that is not finite; in {@link #categoricalInnerTiles} also a probability
     * or label with its sign bit set, or a probability sum of 0. The flags come through memory so that no vector is
     * live across the calls. Dense labels {@code t}, or sparse labels {@code y}.
     */
    private static void categoricalRedo(float[] flags, float[] p, int pb, int ps, int pls, int classes, float[] t, int tb,
                                        int ts, int tls, int[] y, int yb, int yls, float eps, float[] out, int ob, int ols,
                                        int count) {
        for (int j = 0; j < count; j++) {
            if (flags[j] != flags[j]) {
                out[ob + j * ols] = t != null
                        ? ScalarKernels.categoricalRow(p, pb + j * pls, ps, classes, t, tb + j * tls, ts, eps)
                        : ScalarKernels.sparseCategoricalRow(p, pb + j * pls, ps, classes, y[yb + j * yls], eps);
            }
        }
    }

    private static void sparseCategoricalTile(float[] p, int pb, int ps, int pls, int classes, int[] y, int yb, int yls,
                                              float eps, float[] out, int ob, int ols, int count) {
        int[] pmap = LANE_MAPS[pls];
        FloatVector yv = (yls == 1 ? IntVector.fromArray(SI, y, yb) : IntVector.fromArray(SI, y, yb, LANE_MAPS[yls], 0))
                .reinterpretAsFloats();
        FloatVector s = FloatVector.zero(S);
        FloatVector sc = s;
        FloatVector py = s;
        for (int c = 0; c < classes; c++) {
            int i = pb + c * ps;
            FloatVector v = pls == 1 ? FloatVector.fromArray(S, p, i) : FloatVector.fromArray(S, p, i, pmap, 0);
            FloatVector u = v.sub(sc);
            FloatVector sum = s.add(u);
            sc = sum.sub(s).sub(u);
            sc = sc.blend(0f, sc.compare(VectorOperators.NE, sc)); // inf − inf: an infinite sum has no error
            s = sum;
            py = py.blend(v, yv.compare(VectorOperators.EQ, labelBits(c)));
        }
        // clip to [eps, 1f - eps] by compare and blend (Java's MAX/MIN cost several instructions each for NaN); NaN stays NaN
        FloatVector q0 = py.div(s);
        FloatVector q = q0.blend(eps, q0.compare(VectorOperators.LT, eps)).blend(1f - eps, q0.compare(VectorOperators.GT, 1f - eps));
        // lg55 = log(q): VectorMath.logNormal written out (not VectorOperators.LOG, whose compiled and interpreted
        // forms differ in the last bit: README, Determinism)
        IntVector lg55bits = q.reinterpretAsInts();
        IntVector lg55k = lg55bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
        FloatVector lg55f = lg55bits.sub(lg55k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
        FloatVector lg55kf = lg55k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
        FloatVector lg55f2 = lg55f.mul(lg55f);
        FloatVector lg55p = lg55f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg55f, P5)
                .lanewise(VectorOperators.FMA, lg55f, P4).lanewise(VectorOperators.FMA, lg55f, P3).lanewise(VectorOperators.FMA, lg55f, P2)
                .lanewise(VectorOperators.FMA, lg55f, P1).lanewise(VectorOperators.FMA, lg55f, P0);
        FloatVector lg55l1 = lg55p.mul(lg55f).lanewise(VectorOperators.FMA, lg55f2, lg55f2.mul(-0.5f)).add(lg55f);
        FloatVector lg55 = lg55kf.lanewise(VectorOperators.FMA, LN2_HI, lg55kf.lanewise(VectorOperators.FMA, LN2_LO, lg55l1));
        // q ≥ ε ≥ 2^−126 (sparseCategoricalCrossEntropy sends smaller ε to the scalar code), or NaN, kept
        FloatVector result = lg55.blend(Float.NaN, q.compare(VectorOperators.NE, q)).neg();
        if (count == L && ols == 1) {
            result.intoArray(out, ob);
        } else {
            for (int j = 0; j < count; j++) {
                out[ob + j * ols] = result.lane(j);
            }
        }
        // rows whose float sum overflowed (+inf, or NaN once the compensation meets it) or is NaN: the scalar row,
        // which divides by the double sum (NaN data: NaN again)
        FloatVector check = s.mul(0f);
        if (check.compare(VectorOperators.NE, check).anyTrue()) {
            float[] flags = LANE_OUT.get();
            check.intoArray(flags, 0);
            categoricalRedo(flags, p, pb, ps, pls, classes, null, 0, 0, 0, y, yb, yls, eps, out, ob, ols, count);
        }
    }

    // =====================================================================================================
    // elementwise sigmoid and binary cross-entropy
    // =====================================================================================================

    /** Elementwise losses along contiguous runs (the class axis, or else the inner axis); false if neither is contiguous. */
    private static boolean elementwise(boolean probabilities, float[] x, Layout xl, float[] z, Layout zl, float eps,
                                       float[] out, Layout ol) {
        int classes = xl.classes();
        if (xl.classStride() == 1 && zl.classStride() == 1 && ol.classStride() == 1 && xl.inner() == 1
                && xl.outerStride() == classes && zl.outerStride() == classes && ol.outerStride() == classes) {
            // dense [N, C]: one contiguous run over the whole batch
            runLoss(probabilities, x, xl.offset(), z, zl.offset(), eps, out, ol.offset(), xl.rows() * classes);
            return true;
        }
        if (xl.classStride() == 1 && zl.classStride() == 1 && ol.classStride() == 1 && classes >= L) {
            for (int r = 0, rows = xl.rows(); r < rows; r++) {
                runLoss(probabilities, x, xl.rowIndex(r), z, zl.rowIndex(r), eps, out, ol.rowIndex(r), classes);
            }
            return true;
        }
        if (xl.innerStride() == 1 && zl.innerStride() == 1 && ol.innerStride() == 1 && xl.inner() >= L) {
            for (int n = 0; n < xl.outer(); n++) {
                for (int c = 0; c < classes; c++) {
                    runLoss(probabilities, x, xl.index(n, c, 0), z, zl.index(n, c, 0), eps, out, ol.index(n, c, 0), xl.inner());
                }
            }
            return true;
        }
        return false;
    }

    /** {@code len} contiguous elementwise losses; the last vector overlaps the one before; runs shorter than L are scalar. */
    private static void runLoss(boolean probabilities, float[] x, int xb, float[] z, int zb, float eps, float[] out, int ob, int len) {
        if (len < L) {
            for (int k = 0; k < len; k++) {
                out[ob + k] = (float) (probabilities ? binary(x[xb + k], z[zb + k], eps) : sigmoid(x[xb + k], z[zb + k]));
            }
        } else if (probabilities) {
            if (binaryRun(x, xb, z, zb, eps, out, ob, len)) {
                binaryRedo(x, xb, z, zb, eps, out, ob, len);
            }
        } else {
            sigmoidRun(x, xb, z, zb, out, ob, len);
        }
    }

    /**
     * Binary CE from probabilities over {@code len ≥ L} contiguous elements (own method: C2's inlining budget); true
     * when some label is outside [0, 1], whose elements the caller redoes ({@link #binaryRedo}).
     */
    private static boolean binaryRun(float[] x, int xb, float[] z, int zb, float eps, float[] out, int ob, int len) {
        float hi = 1f - eps;
        int skip = 0; // vectors left before the labels are checked again (see SOFT_SKIP)
        // the bits of z + 0 (+0 for −0) and 1 − z, or-ed: a sign bit (a label outside [0, 1]) has the run's labels
        // outside [0, 1]
        // redone by the scalar formula in double, as z·log pc and (1 − z)·log qc then have opposite signs and cancel
        // (a boolean per vector: an IntVector carried across the iterations was boxed in each on JDK 17)
        boolean outside = false;
        for (int k0 = 0; k0 < len; k0 += L) {
            int k = Math.min(k0, len - L); // the last vector overlaps the one before
            FloatVector v = FloatVector.fromArray(S, x, xb + k);
            FloatVector zv = FloatVector.fromArray(S, z, zb + k);
            VectorMask<Float> zero = zv.compare(VectorOperators.EQ, 0f);
            if (skip > 0) {
                skip--;
            } else if (!zero.or(zv.compare(VectorOperators.EQ, 1f)).allTrue()) {
                skip = SOFT_SKIP;
            } else {
                // hard labels (every z is 0 or 1): z·log pc + (1 − z)·log qc is the one log of the side the label
                // picks, clipped alike, to the bit (the other side's log is finite, as ε is normal here, so its
                // product with 0 adds ±0); NaN stays NaN through the clip
                FloatVector w0 = v.blend(v.neg().add(1f), zero);
                FloatVector w = w0.blend(eps, w0.compare(VectorOperators.LT, eps)).blend(hi, w0.compare(VectorOperators.GT, hi));
                // lg28 = log(w): VectorMath.logNormal written out
                IntVector lg28bits = w.reinterpretAsInts();
                IntVector lg28k = lg28bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
                FloatVector lg28f = lg28bits.sub(lg28k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
                FloatVector lg28kf = lg28k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
                FloatVector lg28f2 = lg28f.mul(lg28f);
                FloatVector lg28p = lg28f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg28f, P5)
                        .lanewise(VectorOperators.FMA, lg28f, P4).lanewise(VectorOperators.FMA, lg28f, P3).lanewise(VectorOperators.FMA, lg28f, P2)
                        .lanewise(VectorOperators.FMA, lg28f, P1).lanewise(VectorOperators.FMA, lg28f, P0);
                FloatVector lg28l1 = lg28p.mul(lg28f).lanewise(VectorOperators.FMA, lg28f2, lg28f2.mul(-0.5f)).add(lg28f);
                FloatVector lg28 = lg28kf.lanewise(VectorOperators.FMA, LN2_HI, lg28kf.lanewise(VectorOperators.FMA, LN2_LO, lg28l1));
                lg28.neg().blend(Float.NaN, w.compare(VectorOperators.NE, w)).intoArray(out, ob + k);
                continue;
            }
            // clip to [eps, hi] by compare and blend (Java's MAX/MIN cost several instructions each for NaN); NaN stays NaN
            FloatVector pc0 = v;
            FloatVector pc = pc0.blend(eps, pc0.compare(VectorOperators.LT, eps)).blend(hi, pc0.compare(VectorOperators.GT, hi));
            FloatVector qc0 = v.neg().add(1f);
            FloatVector qc = qc0.blend(eps, qc0.compare(VectorOperators.LT, eps)).blend(hi, qc0.compare(VectorOperators.GT, hi));
            // lg7 = log(pc): VectorMath.logNormal written out
            IntVector lg7bits = pc.reinterpretAsInts();
            IntVector lg7k = lg7bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
            FloatVector lg7f = lg7bits.sub(lg7k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
            FloatVector lg7kf = lg7k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
            FloatVector lg7f2 = lg7f.mul(lg7f);
            FloatVector lg7p = lg7f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg7f, P5)
                    .lanewise(VectorOperators.FMA, lg7f, P4).lanewise(VectorOperators.FMA, lg7f, P3).lanewise(VectorOperators.FMA, lg7f, P2)
                    .lanewise(VectorOperators.FMA, lg7f, P1).lanewise(VectorOperators.FMA, lg7f, P0);
            FloatVector lg7l1 = lg7p.mul(lg7f).lanewise(VectorOperators.FMA, lg7f2, lg7f2.mul(-0.5f)).add(lg7f);
            FloatVector lg7 = lg7kf.lanewise(VectorOperators.FMA, LN2_HI, lg7kf.lanewise(VectorOperators.FMA, LN2_LO, lg7l1));
            // lg8 = log(qc): VectorMath.logNormal written out
            IntVector lg8bits = qc.reinterpretAsInts();
            IntVector lg8k = lg8bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
            FloatVector lg8f = lg8bits.sub(lg8k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
            FloatVector lg8kf = lg8k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
            FloatVector lg8f2 = lg8f.mul(lg8f);
            FloatVector lg8p = lg8f.lanewise(VectorOperators.FMA, P7, P6).lanewise(VectorOperators.FMA, lg8f, P5)
                    .lanewise(VectorOperators.FMA, lg8f, P4).lanewise(VectorOperators.FMA, lg8f, P3).lanewise(VectorOperators.FMA, lg8f, P2)
                    .lanewise(VectorOperators.FMA, lg8f, P1).lanewise(VectorOperators.FMA, lg8f, P0);
            FloatVector lg8l1 = lg8p.mul(lg8f).lanewise(VectorOperators.FMA, lg8f2, lg8f2.mul(-0.5f)).add(lg8f);
            FloatVector lg8 = lg8kf.lanewise(VectorOperators.FMA, LN2_HI, lg8kf.lanewise(VectorOperators.FMA, LN2_LO, lg8l1));
            FloatVector omz = zv.neg().add(1f);
            zv.mul(lg7).add(omz.mul(lg8)).neg().blend(Float.NaN, pc.compare(VectorOperators.NE, pc))
                    .intoArray(out, ob + k);
            outside |= zv.add(0f).reinterpretAsInts().or(omz.reinterpretAsInts()).compare(VectorOperators.LT, 0).anyTrue();
        }
        // the redo is the caller's: a call in this method, even in a rare branch, boxed a vector per vector on JDK 17
        return outside;
    }

    /** The elements of a run whose label is outside [0, 1] (z + 0 or 1 − z with its sign bit set), by the scalar formula in double. */
    private static void binaryRedo(float[] x, int xb, float[] z, int zb, float eps, float[] out, int ob, int len) {
        for (int k = 0; k < len; k++) {
            float zk = z[zb + k];
            if (Float.floatToRawIntBits(zk + 0f) < 0 || Float.floatToRawIntBits(1f - zk) < 0) {
                out[ob + k] = (float) binary(x[xb + k], zk, eps);
            }
        }
    }

    /** Sigmoid CE from logits over {@code len ≥ L} contiguous elements (own method: C2's inlining budget). */
    private static void sigmoidRun(float[] x, int xb, float[] z, int zb, float[] out, int ob, int len) {
        for (int k0 = 0; ; k0 += L) {
            int k = Math.min(k0, len - L);
            FloatVector v = FloatVector.fromArray(S, x, xb + k);
            FloatVector zv = FloatVector.fromArray(S, z, zb + k);
            // log1p(e) for e = exp(−|x|) in [0, 1]; LOG1P itself is not intrinsified on JDK 17
            // ex19 = exp(v.lanewise(VectorOperators.ABS).neg()): VectorMath.expNonPositive written out
            FloatVector ex19a = v.lanewise(VectorOperators.ABS).neg();
            FloatVector ex19t = ex19a.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
            FloatVector ex19n = ex19t.sub(EXP_SHIFTER);
            FloatVector ex19r = ex19n.lanewise(VectorOperators.FMA, -LN2_LO, ex19n.lanewise(VectorOperators.FMA, -LN2_HI, ex19a));
            FloatVector ex19q = ex19r.lanewise(VectorOperators.FMA, Q5, Q4).lanewise(VectorOperators.FMA, ex19r, Q3)
                    .lanewise(VectorOperators.FMA, ex19r, Q2).lanewise(VectorOperators.FMA, ex19r, Q1).lanewise(VectorOperators.FMA, ex19r, 1f);
            FloatVector ex19 = ex19q.lanewise(VectorOperators.FMA, ex19r, 1f)
                    .mul(ex19t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, ex19a.compare(VectorOperators.LT, EXP_UNDERFLOW));
            FloatVector e = ex19;
            // lp20 = log1p(e): VectorMath.log1pUnit written out
            FloatVector lp20t2 = e.mul(e);
            FloatVector lp20 = e.lanewise(VectorOperators.FMA, R7, R6).lanewise(VectorOperators.FMA, e, R5).lanewise(VectorOperators.FMA, e, R4)
                    .lanewise(VectorOperators.FMA, e, R3).lanewise(VectorOperators.FMA, e, R2).lanewise(VectorOperators.FMA, e, R1).lanewise(VectorOperators.FMA, e, R0)
                    .lanewise(VectorOperators.FMA, lp20t2, e);
            FloatVector log1p = lp20;
            // max(x,0) − x·z with one rounding (fused): no cancellation for z near 1, no overflow of x·z
            v.neg().lanewise(VectorOperators.FMA, zv, v.blend(0f, v.compare(VectorOperators.LT, 0f))).add(log1p).intoArray(out, ob + k);
            if (k == len - L) {
                return;
            }
        }
    }
}
