package dev.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link KerasLoss} with {@code labelSmoothing} and {@code ignoreClass}, against the Keras definitions computed here. */
class KerasOptionsTest {

    static java.util.List<CrossEntropy> all() {
        return TestSupport.backendsWithReference();
    }

    @ParameterizedTest
    @MethodSource("all")
    void labelSmoothingAndIgnoreClass(CrossEntropy ce) {
        SplittableRandom rnd = new SplittableRandom(9);
        int n = 11;
        int c = 5;
        float[] x = new float[n * c];
        float[] t = new float[n * c];
        float[] p = new float[n * c];
        int[] y = new int[n];
        float[] sw = new float[n];
        for (int r = 0; r < n; r++) {
            y[r] = r % 4 == 0 ? -1 : rnd.nextInt(c);
            sw[r] = rnd.nextInt(3);
            for (int k = 0; k < c; k++) {
                x[r * c + k] = TestSupport.gaussian(rnd) * 3;
                t[r * c + k] = rnd.nextInt(2);
                p[r * c + k] = 0.01f + 0.98f * rnd.nextFloat();
            }
        }
        int[] shape = {n, c};
        double ls = 0.1;
        // categorical from logits, smoothed: Σ_c t'_c (lse − x_c), t' = t(1−ls) + ls/C; sum_over_batch_size with weights
        double cat = 0;
        for (int r = 0; r < n; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                m = Math.max(m, x[r * c + k]);
            }
            double d = 0;
            for (int k = 0; k < c; k++) {
                d += Math.exp(x[r * c + k] - m);
            }
            double lse = m + Math.log(d);
            double l = 0;
            for (int k = 0; k < c; k++) {
                l += (t[r * c + k] * (1 - ls) + ls / c) * (lse - x[r * c + k]);
            }
            cat += sw[r] * l;
        }
        KerasLoss k1 = KerasLoss.categoricalCrossentropy().fromLogits(true).labelSmoothing(0.1f).ops(ce).build();
        assertEquals(cat / n, k1.call(t, x, shape, sw), 1e-5 * Math.abs(cat / n));
        // binary from probabilities, smoothed: mean over the class axis of −(z' log p + (1−z') log(1−p))
        double bin = 0;
        for (int r = 0; r < n; r++) {
            double row = 0;
            for (int k = 0; k < c; k++) {
                double z = t[r * c + k] * (1 - 0.2) + 0.1;
                row -= z * Math.log(p[r * c + k]) + (1 - z) * Math.log(1 - p[r * c + k]);
            }
            bin += row / c;
        }
        KerasLoss k2 = KerasLoss.binaryCrossentropy().labelSmoothing(0.2f).ops(ce).build();
        assertEquals(bin / n, k2.call(t, p, shape, null), 1e-5 * bin / n);
        float[] per = new float[n];
        k2.perExample(t, p, shape, null, per);
        assertEquals(bin, Reduction.SUM.reduce(per, 0, n), 1e-5 * bin);
        // sparse with ignore_class −1: masked rows give 0 and sum_over_batch_size divides by the others
        double sp = 0;
        int kept = 0;
        for (int r = 0; r < n; r++) {
            if (y[r] == -1) {
                continue;
            }
            kept++;
            double m = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                m = Math.max(m, x[r * c + k]);
            }
            double d = 0;
            for (int k = 0; k < c; k++) {
                d += Math.exp(x[r * c + k] - m);
            }
            sp += m + Math.log(d) - x[r * c + y[r]];
        }
        KerasLoss k3 = KerasLoss.sparseCategoricalCrossentropy().fromLogits(true).ignoreClass(-1).ops(ce).build();
        assertEquals(sp / kept, k3.call(y, x, shape, null), 1e-5 * sp / kept);
        k3.perExample(y, x, shape, null, per);
        assertEquals(0f, per[0]);
        assertEquals(0.0, KerasLoss.sparseCategoricalCrossentropy().fromLogits(true).ignoreClass(-1).ops(ce).build()
                .call(new int[] {-1, -1}, new float[10], new int[] {2, 5}, null), "all masked: 0");
        assertThrows(IllegalArgumentException.class, () -> KerasLoss.sparseCategoricalCrossentropy().labelSmoothing(0.1f));
        assertThrows(IllegalArgumentException.class, () -> KerasLoss.binaryCrossentropy().ignoreClass(0));
        assertThrows(IllegalArgumentException.class, () -> KerasLoss.categoricalCrossentropy().labelSmoothing(-0.5f));
    }
}
