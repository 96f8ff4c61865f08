package dev.xent;

/**
 * 16-bit floating-point formats for reduced-precision logits held in a {@code short[]} (raw bits).
 *
 * <p>Kernels widen the values to float in registers and accumulate in float32 (sums of blocks in double), so
 * the results are those of the float32 kernels on the widened values: the accuracy bar is measured against the
 * float64 reference of the widened values. Half the memory traffic of float logits, which is what bounds the
 * large-vocabulary rows of LLM serving.
 */
public enum HalfFloat {
    /** bfloat16: the top 16 bits of a float32 (8 exponent bits, 7 fraction bits). */
    BFLOAT16,
    /** IEEE 754 binary16 (5 exponent bits, 10 fraction bits), with subnormals, infinities and NaN. */
    FLOAT16;

    /** The exact float value of the 16 bits {@code bits} in this format. */
    public float toFloat(short bits) {
        int h = bits & 0xffff;
        if (this == BFLOAT16) {
            return Float.intBitsToFloat(h << 16);
        }
        int sign = (h & 0x8000) << 16;
        int em = h & 0x7fff;
        if (em >= 0x7c00) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (em << 13)); // infinity or NaN (payload kept)
        }
        // exponent field e_h read as a float exponent is 2^(e_h − 127); times 2^112 rebiases it to 2^(e_h − 15),
        // exactly, for normal and subnormal halves alike
        return Float.intBitsToFloat(sign | (em << 13)) * 0x1p112f;
    }

    /** {@code value} rounded to the nearest value of this format (ties to even); NaN stays NaN, overflow gives infinity. */
    public short fromFloat(float value) {
        int f = Float.floatToRawIntBits(value);
        if (this == BFLOAT16) {
            if (Float.isNaN(value)) {
                return (short) ((f >>> 16) | 0x40); // quiet NaN
            }
            int rounded = f + 0x7fff + ((f >>> 16) & 1);
            return (short) (rounded >>> 16);
        }
        int sign = (f >>> 16) & 0x8000;
        float a = Math.abs(value);
        if (Float.isNaN(value)) {
            return (short) (sign | 0x7e00);
        }
        if (a >= 65520f) { // rounds to infinity
            return (short) (sign | 0x7c00);
        }
        if (a < 0x1p-14f) {
            // subnormal half: a multiple of 2^-24, rounded to nearest even by float arithmetic
            int m = Math.round(a * 0x1p24f);
            if (Math.abs(a * 0x1p24f - (float) Math.floor(a * 0x1p24f) - 0.5f) == 0f && (m & 1) == 1) {
                m--; // Math.round rounds half up: make ties go to even
            }
            return (short) (sign | m);
        }
        int bits = Float.floatToRawIntBits(a);
        int e = ((bits >>> 23) & 0xff) - 127 + 15;
        int mant = bits & 0x7fffff;
        int half = (e << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }
}
