package dev.xent.internal.vector;

import static dev.xent.internal.vector.VectorKernels.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code exp}, {@code log1p} and {@code log} in lanes, written with FMA, for the arguments the kernels produce:
 * {@code x − m ≤ 0} after the log-sum-exp shift and {@code −|x|} in sigmoid CE (exp), {@code exp(−|x|) ∈ [0, 1]}
 * (log1p), and probabilities clipped to {@code [ε, 1 − ε]} with a normal {@code ε} (log).
 *
 * <p>Why not {@code VectorOperators.EXP}/{@code LOG}: on this machine (AVX-512, JDK 17 and 25) they run at about
 * 2.6–3 elements/ns; the exp here runs at about 4.4, and exp + log1p together (softplus) at about 2 elements/ns
 * (against about 1 for {@code EXP}, {@code LOG} and a division), measured with JMH ({@code Primitives}). Both are
 * evaluated with the same operations interpreted and compiled ({@code lanewise(FMA)} is {@link Math#fma} in the
 * interpreter), so the first calls give the same bits as later ones.
 *
 * <p>Accuracy, measured against {@link Math#exp}/{@link Math#log1p}/{@link Math#log} (float64) on every float of the
 * domain: {@link #expNonPositive} within 1.05 ulp on {@code [−87.3, 0]}; {@link #log1pUnit} within 1.59 ulp on
 * {@code [0, 1]}; {@link #logNormal} within 0.87 ulp on the positive normal floats ({@code VectorMathTest} repeats
 * the checks on a sample of every binade, at every vector width).
 *
 * <p>These methods are the tested definitions. {@code VectorKernels} writes them out at each use (marked
 * {@code // name = f(arg): VectorMath.f written out}): a call from a large kernel is refused by C2's inlining budget
 * and then boxes its vectors.
 */
final class VectorMath {

    private VectorMath() {
    }

    // exp: x = n·ln2 + r, |r| ≤ ln2/2, n = round(x·log2 e) from the float bits of x·log2 e + 1.5·2^23
    static final float LOG2E = 1.44269504088896341f;
    static final float SHIFTER = 0x1.8p23f;
    /**
     * The exp's shifter: {@code fma(v, log2 e, EXP_SHIFTER)} rounds {@code v·log2 e} to an integer n and leaves
     * {@code n + 127} (the biased exponent of 2^n) in the low bits, exactly for {@code |n| < 2^22}.
     */
    static final float EXP_SHIFTER = SHIFTER + 127;
    /** ln 2 split so that {@code n·LN2_HI} is exact for |n| < 2^12. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** exp(r) = 1 + r·q(r), q of degree 5, minimax for the relative error of exp on [−ln2/2, ln2/2] (2e-9). */
    static final float Q5 = 0.0013843653723597527f;
    static final float Q4 = 0.00837415549904108f;
    static final float Q3 = 0.04166800156235695f;
    static final float Q2 = 0.16666431725025177f;
    static final float Q1 = 0.4999999403953552f;
    /** Below this exp is 0 here (the true value is below 1.2e-38, a subnormal): keeps 2^n a normal float. */
    static final float EXP_UNDERFLOW = -87.3f;

    /**
     * {@code exp(v)} for {@code v ≤ 0}, −∞ or NaN: 0 for {@code v < −87.3} (so exp(−∞) = 0, and the result is never
     * subnormal), NaN for NaN. Also for positive arguments up to 88 (within 1.05 ulp there too: {@code VectorMathTest}),
     * which the sums shifted by a label's logit reach; from 127.5·ln 2 ≈ 88.38 {@code 2^n} does not fit the exponent
     * (+∞ at n = 128, then the biased exponent wraps), and those sums check n apart. NaN of any sign or payload gives
     * NaN: 2^n multiplies the polynomial.
     */
    static FloatVector expNonPositive(FloatVector v) {
        FloatVector t = v.lanewise(VectorOperators.FMA, LOG2E, EXP_SHIFTER);
        FloatVector n = t.sub(EXP_SHIFTER);
        FloatVector r = n.lanewise(VectorOperators.FMA, -LN2_HI, v);
        r = n.lanewise(VectorOperators.FMA, -LN2_LO, r);
        FloatVector q = r.lanewise(VectorOperators.FMA, Q5, Q4);
        q = q.lanewise(VectorOperators.FMA, r, Q3);
        q = q.lanewise(VectorOperators.FMA, r, Q2);
        q = q.lanewise(VectorOperators.FMA, r, Q1);
        q = q.lanewise(VectorOperators.FMA, r, 1f);
        FloatVector p = q.lanewise(VectorOperators.FMA, r, 1f);
        // 2^n: the low bits of t hold n + 127, shifted into the exponent field; a multiplication, not an addition to
        // p's exponent bits, so that NaN stays NaN whatever its sign and payload (the addition turned some into tiny
        // numbers)
        FloatVector y = p.mul(t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
        return y.blend(0f, v.compare(VectorOperators.LT, EXP_UNDERFLOW));
    }

    /** log: log1p(f) = f − f²/2 + f³·P(f), P of degree 7, minimax on [√½ − 1, √2 − 1] (6e-9 relative). */
    static final float P7 = -0.07634497433900833f;
    static final float P6 = 0.127615824341774f;
    static final float P5 = -0.13160184025764465f;
    static final float P4 = 0.14201757311820984f;
    static final float P3 = -0.16623356938362122f;
    static final float P2 = 0.20001226663589478f;
    static final float P1 = -0.2500081956386566f;
    static final float P0 = 0.3333333134651184f;

    /**
     * log1p on [0, 1]: {@code log1p(t) = t + t²·R(t)}, R of degree 7, fitted here (Lawson-weighted least squares) for
     * the relative error of the whole, 3.3e-8; no range reduction, so nine operations. The last step is one fused
     * {@code t + t²·R}: the rounding of the small part {@code t²·R} (at most 0.31 of the result) hardly shows.
     */
    static final float R7 = 0.005364816635847092f;
    static final float R6 = -0.030065763741731644f;
    static final float R5 = 0.0792044922709465f;
    static final float R4 = -0.13753798604011536f;
    static final float R3 = 0.1915365308523178f;
    static final float R2 = -0.24857163429260254f;
    static final float R1 = 0.3332132399082184f;
    static final float R0 = -0.49999648332595825f;

    /**
     * {@code log1p(t)} for {@code t ∈ [0, 1]} (NaN gives NaN): {@code t + t²·R(t)} by Horner's rule, the last step
     * fused. Small t (down to subnormals, where {@code t²} is 0) give t, as log1p does.
     */
    static FloatVector log1pUnit(FloatVector t) {
        FloatVector t2 = t.mul(t);
        FloatVector r = t.lanewise(VectorOperators.FMA, R7, R6);
        r = r.lanewise(VectorOperators.FMA, t, R5);
        r = r.lanewise(VectorOperators.FMA, t, R4);
        r = r.lanewise(VectorOperators.FMA, t, R3);
        r = r.lanewise(VectorOperators.FMA, t, R2);
        r = r.lanewise(VectorOperators.FMA, t, R1);
        r = r.lanewise(VectorOperators.FMA, t, R0);
        return r.lanewise(VectorOperators.FMA, t2, t);
    }

    /**
     * {@code log(x)} for positive normal finite {@code x} (the kernels' clipped probabilities, {@code x ∈ [ε, 1 − ε]}
     * with {@code ε ≥ 2^−126}); anything else (0, subnormal, ∞, NaN, negative) gives a meaningless finite value, so a
     * caller whose input can be NaN blends NaN in itself. {@code x = 2^k·m} with {@code m ∈ [√½, √2)} from the float
     * bits, {@code log x = k·ln2 + log1p(m − 1)} with the polynomial {@code P}. Within 0.87 ulp of {@link Math#log} on
     * every positive normal float (measured on every float from 0.5 up, every 7th below).
     */
    static FloatVector logNormal(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        IntVector k = bits.sub(0x3F3504F3).lanewise(VectorOperators.ASHR, 23);
        FloatVector f = bits.sub(k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
        FloatVector kf = k.add(0x4B400000).reinterpretAsFloats().sub(SHIFTER);
        FloatVector log1pf = log1pReduced(f);
        return kf.lanewise(VectorOperators.FMA, LN2_HI, kf.lanewise(VectorOperators.FMA, LN2_LO, log1pf));
    }

    /** {@code log1p(f) = f − f²/2 + f³·P(f)} for {@code f ∈ [√½ − 1, √2 − 1]}: the polynomial of {@link #logNormal}. */
    private static FloatVector log1pReduced(FloatVector f) {
        FloatVector f2 = f.mul(f);
        FloatVector p = f.lanewise(VectorOperators.FMA, P7, P6);
        p = p.lanewise(VectorOperators.FMA, f, P5);
        p = p.lanewise(VectorOperators.FMA, f, P4);
        p = p.lanewise(VectorOperators.FMA, f, P3);
        p = p.lanewise(VectorOperators.FMA, f, P2);
        p = p.lanewise(VectorOperators.FMA, f, P1);
        p = p.lanewise(VectorOperators.FMA, f, P0);
        return p.mul(f).lanewise(VectorOperators.FMA, f2, f2.mul(-0.5f)).add(f);
    }
}
