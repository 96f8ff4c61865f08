package dev.xent;

/**
 * The implementations behind {@link CrossEntropy}.
 *
 * <p>{@link CrossEntropy#get()} uses {@link #VECTOR} when the {@code jdk.incubator.vector} module is
 * readable (run java with {@code --add-modules jdk.incubator.vector}) and the C2 compiler is on, and
 * {@link #SCALAR} otherwise, logging one line through {@link System.Logger} (logger {@code dev.xent}) that
 * says which and why. The system property {@code xent.backend} ({@code auto}, {@code vector} or
 * {@code scalar}) forces the choice.
 */
public enum Backend {
    /** SIMD kernels on {@code jdk.incubator.vector}, {@code FloatVector.SPECIES_PREFERRED} lanes (override with {@code -Dxent.vector.bits=64|128|256|512}). */
    VECTOR,
    /** Portable Java loops with the same formulas; the fallback when the Vector API is absent. */
    SCALAR,
    /** The float64 reference, rounded to float at the end: slow, for validation. */
    REFERENCE;

    /** Parses {@code vector}, {@code scalar} or {@code reference} (any case). */
    public static Backend parse(String name) {
        for (Backend b : values()) {
            if (b.name().equalsIgnoreCase(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("backend = " + name + " is not one of vector, scalar, reference");
    }
}
