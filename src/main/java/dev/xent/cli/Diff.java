package dev.xent.cli;

/**
 * The largest absolute and relative differences between computed losses and reference values.
 *
 * <p>Relative difference is {@code |a − r| / max(|r|, tiny)} with {@code tiny = Float.MIN_NORMAL}
 * (the losses are float32, so smaller reference values carry no relative information). Where
 * both are NaN they agree (difference 0); where exactly one is NaN, or the infinities differ, the difference
 * is infinite. Equal infinities agree.
 */
public final class Diff {
    /** The floor of the relative error's denominator. */
    public static final double TINY = Float.MIN_NORMAL;

    private double maxAbs;
    private double maxRel;
    private int failures;
    private int firstFailure = -1;
    private final double absTol;
    private final double relTol;

    private Diff(double absTol, double relTol) {
        this.absTol = absTol;
        this.relTol = relTol;
    }

    /** Compares {@code actual[k]} with {@code reference[k]}; counts failures of {@code |a−r| > absTol + relTol·|r|}. */
    public static Diff of(float[] actual, double[] reference, double absTol, double relTol) {
        if (actual.length != reference.length) {
            throw new IllegalArgumentException("the reference has " + reference.length + " values but there are "
                    + actual.length + " losses");
        }
        Diff d = new Diff(absTol, relTol);
        for (int k = 0; k < actual.length; k++) {
            d.add(k, actual[k], reference[k]);
        }
        return d;
    }

    /** Compares one value (e.g. a mean) with its reference. */
    public static Diff of(double actual, double reference, double absTol, double relTol) {
        Diff d = new Diff(absTol, relTol);
        d.add(0, actual, reference);
        return d;
    }

    private void add(int k, double a, double r) {
        double abs;
        double rel;
        if (Double.isNaN(a) && Double.isNaN(r)) {
            abs = 0;
            rel = 0;
        } else if (Double.isNaN(a) || Double.isNaN(r)) {
            abs = Double.POSITIVE_INFINITY;
            rel = Double.POSITIVE_INFINITY;
        } else if (a == r) {
            abs = 0;
            rel = 0;
        } else {
            abs = Math.abs(a - r);   // infinite when an infinity is involved and they differ
            rel = abs / Math.max(Math.abs(r), TINY);
            if (Double.isNaN(rel)) {
                rel = Double.POSITIVE_INFINITY;
            }
        }
        maxAbs = Math.max(maxAbs, abs);
        maxRel = Math.max(maxRel, rel);
        if (abs > absTol + relTol * Math.abs(Double.isNaN(r) ? 0 : r) || Double.isInfinite(abs)) {
            if (firstFailure < 0) {
                firstFailure = k;
            }
            failures++;
        }
    }

    /** Largest {@code |a − r|}. */
    public double maxAbs() {
        return maxAbs;
    }

    /** Largest {@code |a − r| / max(|r|, tiny)}. */
    public double maxRel() {
        return maxRel;
    }

    /** How many values exceed the tolerance. */
    public int failures() {
        return failures;
    }

    /** Index of the first value exceeding the tolerance, or −1. */
    public int firstFailure() {
        return firstFailure;
    }
}
