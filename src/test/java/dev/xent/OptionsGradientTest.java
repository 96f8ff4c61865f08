package dev.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.xent.internal.LossParams;
import dev.xent.internal.reference.ReferenceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradients of the losses with options: the float64 reference against central differences of the float64
 * reference losses; the public ops (every backend) against the reference within 2e-6 on random inputs, layouts,
 * options, sample weights and reductions; the reduction's scale against central differences of the reduced value.
 */
@Tag("backend")
class OptionsGradientTest {

    enum Form { SOFTMAX, SPARSE_SOFTMAX, SIGMOID, BINARY, CATEGORICAL, SPARSE_CATEGORICAL }

    static boolean logits(Form f) {
        return f == Form.SOFTMAX || f == Form.SPARSE_SOFTMAX || f == Form.SIGMOID;
    }

    static boolean sparse(Form f) {
        return f == Form.SPARSE_SOFTMAX || f == Form.SPARSE_CATEGORICAL;
    }

    static boolean elementwise(Form f) {
        return f == Form.SIGMOID || f == Form.BINARY;
    }

    /** One batch: predictions on a dyadic grid (so x ± h is exact in float), labels, options. */
    static final class Batch {
        final Form form;
        final Layout xl;
        final float[] x;
        final float[] t;
        final int[] y;
        final Layout ll;
        final LossOptions o;
        final float[] sw;
        final Layout swl;

        Batch(Form form, Layout xl, float[] x, float[] t, int[] y, Layout ll, LossOptions o, float[] sw, Layout swl) {
            this.form = form;
            this.xl = xl;
            this.x = x;
            this.t = t;
            this.y = y;
            this.ll = ll;
            this.o = o;
            this.sw = sw;
            this.swl = swl;
        }

        @Override
        public String toString() {
            return form + " " + xl.shapeString() + " " + o + (sw != null ? " +sampleWeights" : "");
        }
    }

    static Layout randomLayout(SplittableRandom rnd, int n, int c) {
        switch (rnd.nextInt(3)) {
            case 0:
                return Layout.rows(n, c);
            case 1:
                return Layout.rows(n, c, 1 + rnd.nextInt(5), c + rnd.nextInt(4));
            default:
                int inner = 1 + rnd.nextInt(3);
                return Layout.of(rnd.nextInt(3), Math.max(1, n / inner), c * inner + 1, c, inner, inner, 1);
        }
    }

    static Batch random(Form form, long seed, Reduction red, Semantics sem) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int c = 1 + rnd.nextInt(7);
        if (!elementwise(form)) {
            c = Math.max(c, 2);
        }
        Layout xl = randomLayout(rnd, 1 + rnd.nextInt(6), c);
        float[] x = TestSupport.buffer(xl, 2, Float.NaN);
        boolean prob = !logits(form);
        for (int n = 0; n < xl.outer(); n++) {
            for (int k = 0; k < c; k++) {
                for (int i = 0; i < xl.inner(); i++) {
                    x[xl.index(n, k, i)] = prob ? (4 + rnd.nextInt(248)) / 256f : (rnd.nextInt(513) - 256) / 64f;
                }
            }
        }
        LossOptions.Builder b = (sem == Semantics.PYTORCH ? LossOptions.pytorch() : LossOptions.keras()).reduction(red);
        if (rnd.nextBoolean()) {
            float[] w = new float[c];
            for (int k = 0; k < c; k++) {
                w[k] = (1 + rnd.nextInt(16)) / 8f;
            }
            b.classWeights(w);
        }
        if (rnd.nextBoolean()) {
            b.labelSmoothing(rnd.nextInt(5) / 10f);
        }
        if (elementwise(form) && rnd.nextBoolean()) {
            if (rnd.nextBoolean()) {
                b.posWeight((1 + rnd.nextInt(12)) / 4f);
            } else {
                float[] q = new float[c];
                for (int k = 0; k < c; k++) {
                    q[k] = (1 + rnd.nextInt(12)) / 4f;
                }
                b.posWeight(q);
            }
        }
        if (logits(form) && rnd.nextBoolean()) {
            b.softcap(1 + rnd.nextInt(8));
        }
        if ((form == Form.SOFTMAX || form == Form.SPARSE_SOFTMAX) && rnd.nextBoolean()) {
            b.zLoss(rnd.nextInt(4) / 8f);
        }
        b.ignoreIndex(-100);
        float[] t = null;
        int[] y = null;
        Layout ll;
        if (sparse(form)) {
            ll = TestSupport.stridedRows(xl.outer(), xl.inner(), 1, 2);
            y = TestSupport.intBuffer(ll, 1, Integer.MIN_VALUE);
            for (int r = 0; r < xl.rows(); r++) {
                y[ll.rowIndex(r)] = rnd.nextInt(4) == 0 ? -100 : rnd.nextInt(c);
            }
        } else {
            ll = TestSupport.denseLike(xl).withOffset(3);
            t = TestSupport.buffer(ll, 1, Float.NaN);
            for (int r = 0; r < xl.rows(); r++) {
                for (int k = 0; k < c; k++) {
                    float v = elementwise(form) ? (rnd.nextBoolean() ? rnd.nextInt(2) : rnd.nextInt(9) / 8f)
                            : rnd.nextInt(3) == 0 ? 0f : (rnd.nextInt(17) - 4) / 8f;   // soft, negative, zero labels
                    t[ll.rowIndex(r) + k * ll.classStride()] = v;
                }
            }
        }
        float[] sw = null;
        Layout swl = null;
        if (rnd.nextBoolean()) {
            swl = TestSupport.stridedRows(xl.outer(), xl.inner(), 2, 3);
            sw = TestSupport.buffer(swl, 1, Float.NaN);
            for (int r = 0; r < xl.rows(); r++) {
                sw[swl.rowIndex(r)] = rnd.nextInt(9) / 4f;
            }
        }
        return new Batch(form, xl, x, t, y, ll, b.build(), sw, swl);
    }

    static double call(CrossEntropy ce, Batch b, float[] x, LossOutputs out) {
        switch (b.form) {
            case SOFTMAX:
                return ce.softmaxCrossEntropyWithLogits(x, b.xl, b.t, b.ll, b.sw, b.swl, b.o, out);
            case SPARSE_SOFTMAX:
                return ce.sparseSoftmaxCrossEntropyWithLogits(x, b.xl, b.y, b.ll, b.sw, b.swl, b.o, out);
            case SIGMOID:
                return ce.sigmoidCrossEntropyWithLogits(x, b.xl, b.t, b.ll, b.sw, b.swl, b.o, out);
            case BINARY:
                return ce.binaryCrossEntropy(x, b.xl, b.t, b.ll, b.sw, b.swl, b.o, out);
            case CATEGORICAL:
                return ce.categoricalCrossEntropy(x, b.xl, b.t, b.ll, b.sw, b.swl, b.o, out);
            default:
                return ce.sparseCategoricalCrossEntropy(x, b.xl, b.y, b.ll, b.sw, b.swl, b.o, out);
        }
    }

    /** The reference's unscaled per-row (per-element) losses and, into {@code grad}, ∂l/∂x in logical order. */
    static double[] reference(Batch b, float[] x, double[] grad) {
        LossParams p = b.o.params();
        switch (b.form) {
            case SOFTMAX:
                return ReferenceOptions.softmax(x, b.xl, b.t, b.ll, null, null, p, grad, null);
            case SPARSE_SOFTMAX:
                return ReferenceOptions.softmax(x, b.xl, null, null, b.y, b.ll, p, grad, null);
            case SIGMOID:
                return ReferenceOptions.elementwise(false, x, b.xl, b.t, b.ll, p, grad);
            case BINARY:
                return ReferenceOptions.elementwise(true, x, b.xl, b.t, b.ll, p, grad);
            case CATEGORICAL:
                return ReferenceOptions.categorical(x, b.xl, b.t, b.ll, null, null, p, grad);
            default:
                return ReferenceOptions.categorical(x, b.xl, null, null, b.y, b.ll, p, grad);
        }
    }

    static double total(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s;
    }

    static Stream<Arguments> seeds() {
        List<Arguments> out = new ArrayList<>();
        for (Form f : Form.values()) {
            for (int s = 0; s < 12; s++) {
                out.add(Arguments.of(f, 1000L * f.ordinal() + s));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("seeds")
    void referenceGradientMatchesFiniteDifferences(Form form, long seed) {
        Batch b = random(form, seed, Reduction.SUM, Semantics.KERAS);
        double[] g = new double[Math.toIntExact(b.xl.size())];
        reference(b, b.x, g);
        float h = logits(form) ? 0x1p-16f : 0x1p-20f;
        int k = 0;
        for (int n = 0; n < b.xl.outer(); n++) {
            for (int c = 0; c < b.xl.classes(); c++) {
                for (int i = 0; i < b.xl.inner(); i++, k++) {
                    int idx = b.xl.index(n, c, i);
                    float x0 = b.x[idx];
                    float[] xp = b.x.clone();
                    float[] xm = b.x.clone();
                    xp[idx] = x0 + h;
                    xm[idx] = x0 - h;
                    assertEquals((double) x0 + h, xp[idx], 0.0, "x + h must be exact");
                    double fd = (total(reference(b, xp, null)) - total(reference(b, xm, null))) / (2.0 * h);
                    assertEquals(fd, g[k], 1e-6 + 1e-6 * Math.abs(fd), b + " (" + n + ", " + c + ", " + i + ")");
                }
            }
        }
    }

    static Stream<Arguments> backendSeeds() {
        List<Arguments> out = new ArrayList<>();
        Reduction[] reds = Reduction.values();
        for (CrossEntropy ce : TestSupport.backends()) {
            for (Form f : Form.values()) {
                for (int s = 0; s < 16; s++) {
                    out.add(Arguments.of(TestSupport.name(ce), ce, f, 77L * s + f.ordinal(), reds[s % 4],
                            s % 3 == 0 ? Semantics.PYTORCH : Semantics.KERAS));
                }
            }
        }
        return out.stream();
    }

    /** Losses, gradient, lse and the reduced value of a backend against the REFERENCE backend (float64 rounded once). */
    @ParameterizedTest(name = "{0} {2} seed {3} {4} {5}")
    @MethodSource("backendSeeds")
    void backendMatchesReference(String name, CrossEntropy ce, Form form, long seed, Reduction red, Semantics sem) {
        Batch b = random(form, seed, red, sem);
        CrossEntropy ref = CrossEntropy.of(Backend.REFERENCE);
        Layout ol = elementwise(form) && seed % 2 == 0 ? TestSupport.denseLike(b.xl).withOffset(1) : TestSupport.stridedRows(b.xl.outer(), b.xl.inner(), 1, 2);
        Layout gl = TestSupport.denseLike(b.xl).withOffset(4);
        Layout lsel = Layout.rowsOf(b.xl).withOffset(2);
        boolean lse = form == Form.SOFTMAX || form == Form.SPARSE_SOFTMAX;
        float[][] outs = new float[2][];
        float[][] grads = new float[2][];
        float[][] lses = new float[2][];
        double[] values = new double[2];
        CrossEntropy[] both = {ref, ce};
        for (int k = 0; k < 2; k++) {
            outs[k] = TestSupport.sentinelArray(ol, 3);
            grads[k] = TestSupport.sentinelArray(gl, 3);
            lses[k] = TestSupport.sentinelArray(lsel, 3);
            LossOutputs out = LossOutputs.losses(outs[k], ol).withGradient(grads[k], gl);
            if (lse) {
                out = out.withLse(lses[k], lsel);
            }
            float[] x0 = b.x.clone();
            values[k] = call(both[k], b, b.x, out);
            TestSupport.assertSameBits(x0, b.x, name + " logits");
            TestSupport.assertOutsideUntouched(outs[k], ol, name + " losses");
            TestSupport.assertOutsideUntouched(grads[k], gl, name + " gradient");
            if (lse) {
                TestSupport.assertOutsideUntouched(lses[k], lsel, name + " lse");
            }
        }
        String ctx = name + " " + b + " ";
        if (Double.isNaN(values[0])) {
            org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(values[1]), ctx + "reduced: expected NaN, got " + values[1]);
        } else {
            assertEquals(values[0], values[1], 1e-6 + 2e-6 * Math.abs(values[0]), ctx + "reduced");
        }
        assertArrays(outs[0], outs[1], ol, 2e-6, ctx + "losses");
        assertArrays(grads[0], grads[1], gl, 2e-6, ctx + "gradient");
        if (lse) {
            assertArrays(lses[0], lses[1], lsel, 2e-6, ctx + "lse");
        }
        // in place: the same gradient written over a copy of the predictions
        float[] xin = b.x.clone();
        float[] lossesIn = TestSupport.sentinelArray(ol, 3);
        double vin = call(ce, b, xin, LossOutputs.losses(lossesIn, ol).withGradientInPlace());
        assertEquals(Double.doubleToLongBits(values[1]), Double.doubleToLongBits(vin), ctx + "in-place reduced value");
        for (int n = 0; n < b.xl.outer(); n++) {
            for (int c = 0; c < b.xl.classes(); c++) {
                for (int i = 0; i < b.xl.inner(); i++) {
                    assertEquals(grads[1][gl.index(n, c, i)], xin[b.xl.index(n, c, i)], 0f, ctx + "in-place gradient");
                }
            }
        }
    }

    /** Every element of {@code layout}: |a − e| ≤ abs + 2e-6·|e| (NaN ⇔ NaN). */
    static void assertArrays(float[] expected, float[] got, Layout layout, double abs, String ctx) {
        for (int n = 0; n < layout.outer(); n++) {
            for (int c = 0; c < layout.classes(); c++) {
                for (int i = 0; i < layout.inner(); i++) {
                    int k = layout.index(n, c, i);
                    if (!TestSupport.close(expected[k], got[k], 2e-6, abs)) {
                        fail(ctx + " (" + n + ", " + c + ", " + i + "): expected " + expected[k] + ", got " + got[k]);
                    }
                }
            }
        }
    }

    /** The gradient output is ∂(reduced value)/∂x: central differences of the REFERENCE backend's reduced value. */
    @Test
    void gradientRespectsTheReductionScale() {
        CrossEntropy ref = CrossEntropy.of(Backend.REFERENCE);
        int checked = 0;
        for (Form form : Form.values()) {
            for (Reduction red : new Reduction[] {Reduction.SUM, Reduction.SUM_OVER_BATCH_SIZE, Reduction.MEAN}) {
                for (Semantics sem : Semantics.values()) {
                    Batch b = random(form, 31L * red.ordinal() + form.ordinal() + 7L * sem.ordinal(), red, sem);
                    float[] g = new float[b.x.length];
                    double v = call(ref, b, b.x, LossOutputs.none().withGradient(g, b.xl));
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    float h = logits(form) ? 0x1p-16f : 0x1p-20f;
                    for (int n = 0; n < b.xl.outer(); n++) {
                        for (int c = 0; c < b.xl.classes(); c++) {
                            int idx = b.xl.index(n, c, 0);
                            float[] xp = b.x.clone();
                            float[] xm = b.x.clone();
                            xp[idx] += h;
                            xm[idx] -= h;
                            double fd = (call(ref, b, xp, LossOutputs.none()) - call(ref, b, xm, LossOutputs.none())) / (2.0 * h);
                            assertEquals(fd, g[idx], 2e-6 + 1e-5 * Math.abs(fd), b + " " + red + " (" + n + ", " + c + ")");
                            checked++;
                        }
                    }
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(checked > 100, "checked " + checked);
    }
}
