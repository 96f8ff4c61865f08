package dev.xent.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.xent.Backend;
import dev.xent.CrossEntropy;
import dev.xent.Layout;
import dev.xent.LossOptions;
import dev.xent.LossOutputs;
import dev.xent.Reduction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.BinaryCrossentropy;
import org.tensorflow.framework.losses.CategoricalCrossentropy;
import org.tensorflow.framework.losses.SparseCategoricalCrossentropy;
import org.tensorflow.framework.op.FrameworkOps;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.SoftmaxCrossEntropyWithLogits;
import org.tensorflow.op.nn.SparseSoftmaxCrossEntropyWithLogits;
import org.tensorflow.types.TFloat32;

/**
 * Parity with TensorFlow Java 1.1.0 (TensorFlow 2.18): the core {@code nn} ops (loss and backprop), the framework
 * sigmoid op and the Keras losses of {@code org.tensorflow.framework.losses} (value and, through graph-mode
 * {@code tf.gradients}, the gradient with respect to the predictions), within 1e-5 relative, on random and extreme
 * inputs, every xent backend. Run with {@code mvn -B verify -Ptensorflow}.
 *
 * <p>Where TensorFlow Java itself differs from the Keras definition the test says so and checks xent against the
 * definition, computed here with TensorFlow ops: the {@code SoftmaxCrossEntropyWithLogits} backprop is
 * {@code softmax − t} (exact only for labels summing to 1; xent gives {@code softmax·Σt − t}); TF-Java's
 * {@code BinaryCrossentropy} on probabilities takes {@code log(p + ε)} after the clip where Keras 3 takes {@code log p}.
 */
class TensorFlowParityTest {

    static final double REL = 1e-5;
    static final double ABS = 1e-6;

    static List<CrossEntropy> backends() {
        List<CrossEntropy> l = new ArrayList<>(List.of(CrossEntropy.of(Backend.SCALAR), CrossEntropy.of(Backend.REFERENCE)));
        if (CrossEntropy.vectorAvailable()) {
            l.add(CrossEntropy.of(Backend.VECTOR));
        }
        return l;
    }

    /** Runs {@code loss(tf, x)} in a graph with {@code x} fed as a placeholder: {loss values, d(Σ loss)/dx}. */
    static float[][] tf(int n, int c, float[] x, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> loss) {
        return tf(n, c, x, loss, true);
    }

    /** As {@link #tf(int, int, float[], BiFunction)}; without the gradient when {@code gradient} is false: {loss values, null}. */
    static float[][] tf(int n, int c, float[] x, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> loss, boolean gradient) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> xp = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, c)));
            Operand<TFloat32> l = loss.apply(tf, xp);
            if (!gradient) {
                try (TFloat32 xt = TFloat32.tensorOf(Shape.of(n, c), DataBuffers.of(x, true, false));
                     Result r = s.runner().feed(xp, xt).fetch(l).run()) {
                    return new float[][] {read((TFloat32) r.get(0)), null};
                }
            }
            Operand<TFloat32> total = tf.reduceSum(l, tf.range(tf.constant(0), tf.rank(l), tf.constant(1)));
            Operand<?> dx = tf.gradients(total, Arrays.asList(xp)).dy(0);
            try (TFloat32 xt = TFloat32.tensorOf(Shape.of(n, c), DataBuffers.of(x, true, false));
                 Result r = s.runner().feed(xp, xt).fetch(l).fetch(dx).run()) {
                return new float[][] {read((TFloat32) r.get(0)), read((TFloat32) r.get(1))};
            }
        }
    }

    static float[] read(TFloat32 t) {
        float[] a = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(a, false, false));
        return a;
    }

    static float[][] matrix(float[] v, int n, int c) {
        float[][] m = new float[n][c];
        for (int r = 0; r < n; r++) {
            System.arraycopy(v, r * c, m[r], 0, c);
        }
        return m;
    }

    static void close(float[] expected, float[] got, String what) {
        assertEquals(expected.length, got.length, what + " length");
        for (int k = 0; k < expected.length; k++) {
            if (!(Math.abs(expected[k] - got[k]) <= ABS + REL * Math.abs(expected[k]))
                    && !(Float.isNaN(expected[k]) && Float.isNaN(got[k]))) {
                fail(what + "[" + k + "]: TensorFlow " + expected[k] + ", xent " + got[k]);
            }
        }
    }

    static float[] randomLogits(SplittableRandom rnd, int size, float scale) {
        float[] x = new float[size];
        for (int k = 0; k < size; k++) {
            x[k] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return x;
    }

    static float[] randomDistribution(SplittableRandom rnd, int n, int c) {
        float[] t = new float[n * c];
        for (int r = 0; r < n; r++) {
            double s = 0;
            for (int k = 0; k < c; k++) {
                t[r * c + k] = (float) -Math.log(1 - rnd.nextDouble());
                s += t[r * c + k];
            }
            for (int k = 0; k < c; k++) {
                t[r * c + k] /= (float) s;
            }
        }
        return t;
    }

    @Test
    void softmaxOpLossAndBackprop() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (float scale : new float[] {1f, 20f, 1e4f}) {
            int n = 17;
            int c = 11;
            float[] x = randomLogits(rnd, n * c, scale);
            float[] t = randomDistribution(rnd, n, c);
            float[][] tf = tfCore(n, c, x, t);
            for (CrossEntropy ce : backends()) {
                float[] loss = new float[n];
                float[] grad = new float[n * c];
                Layout l = Layout.rows(n, c);
                ce.softmaxCrossEntropyWithLogits(x, l, t, l, null, null, LossOptions.keras().reduction(Reduction.NONE).build(),
                        LossOutputs.losses(loss, Layout.rowsOf(l)).withGradient(grad, l));
                close(tf[0], loss, ce.backend() + " scale " + scale + " loss");
                close(tf[1], grad, ce.backend() + " scale " + scale + " backprop");
            }
        }
    }

    static float[][] tfCore(int n, int c, float[] x, float[] t) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            SoftmaxCrossEntropyWithLogits<TFloat32> op = tf.nn.softmaxCrossEntropyWithLogits(tf.constant(matrix(x, n, c)), tf.constant(matrix(t, n, c)));
            try (Result r = s.runner().fetch(op.loss()).fetch(op.backprop()).run()) {
                return new float[][] {read((TFloat32) r.get(0)), read((TFloat32) r.get(1))};
            }
        }
    }

    /** TF's backprop is softmax − t; with labels that do not sum to 1 the gradient of the loss is softmax·Σt − t. */
    @Test
    void softmaxOpBackpropAssumesLabelsSumToOne() {
        int n = 4;
        int c = 3;
        float[] x = {1f, 2f, 3f, 1f, 1f, 1f, -2f, 0.5f, 4f, 0f, 0f, 0f};
        float[] t = {2f, 0f, 0f, 0.3f, 0.3f, 0f, -1f, 0.5f, 0f, 0f, 0f, 0f};   // Σt = 2, 0.6, −0.5, 0
        float[][] core = tfCore(n, c, x, t);
        // the definition: d/dx Σ_c t_c (lse − x_c), by TensorFlow's own autodiff of the loss op's formula
        float[][] def = tf(n, c, x, (tf, xp) -> tf.math.mul(tf.constant(matrix(t, n, c)),
                tf.math.neg(tf.nn.logSoftmax(xp))));
        float[] sumDef = new float[n];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < c; k++) {
                sumDef[r] += def[0][r * c + k];
            }
        }
        boolean tfDiffers = false;
        for (int k = 0; k < core[1].length; k++) {
            tfDiffers |= Math.abs(core[1][k] - def[1][k]) > 1e-3;
        }
        assertTrue(tfDiffers, "TensorFlow's backprop (softmax − t) should differ from the gradient for labels not summing to 1");
        for (CrossEntropy ce : backends()) {
            float[] loss = new float[n];
            float[] grad = new float[n * c];
            Layout l = Layout.rows(n, c);
            ce.softmaxCrossEntropyWithLogits(x, l, t, l, null, null, LossOptions.keras().reduction(Reduction.NONE).build(),
                    LossOutputs.losses(loss, Layout.rowsOf(l)).withGradient(grad, l));
            close(core[0], loss, ce.backend() + " loss (TF op)");
            close(sumDef, loss, ce.backend() + " loss (definition)");
            close(def[1], grad, ce.backend() + " gradient (definition, not TF's backprop)");
        }
    }

    @Test
    void sparseSoftmaxOpLossAndBackpropIncludingExtremes() {
        SplittableRandom rnd = new SplittableRandom(2);
        int n = 13;
        int c = 9;
        float[] x = randomLogits(rnd, n * c, 8f);
        x[0] = 1000f;
        x[1] = -1000f;
        x[c] = 1e30f;
        x[c + 1] = -1e30f;
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            y[r] = rnd.nextInt(c);
        }
        y[0] = 1;
        y[1] = 0;
        float[][] tf;
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops ops = Ops.create(g);
            SparseSoftmaxCrossEntropyWithLogits<TFloat32> op = ops.nn.sparseSoftmaxCrossEntropyWithLogits(ops.constant(matrix(x, n, c)), ops.constant(y));
            try (Result r = s.runner().fetch(op.loss()).fetch(op.backprop()).run()) {
                tf = new float[][] {read((TFloat32) r.get(0)), read((TFloat32) r.get(1))};
            }
        }
        assertEquals(2000f, tf[0][0], 1e-3f);
        for (CrossEntropy ce : backends()) {
            float[] loss = new float[n];
            float[] grad = new float[n * c];
            Layout l = Layout.rows(n, c);
            ce.sparseSoftmaxCrossEntropyWithLogits(x, l, y, Layout.rowsOf(l), null, null, LossOptions.keras().reduction(Reduction.NONE).build(),
                    LossOutputs.losses(loss, Layout.rowsOf(l)).withGradient(grad, l));
            close(tf[0], loss, ce.backend() + " loss");
            close(tf[1], grad, ce.backend() + " backprop");
        }
    }

    @Test
    void sigmoidOpLossAndGradient() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 9;
        int c = 7;
        float[] x = randomLogits(rnd, n * c, 30f);
        x[0] = 1000f;
        x[1] = -1000f;
        float[] z = new float[n * c];
        for (int k = 0; k < z.length; k++) {
            z[k] = k % 3 == 0 ? rnd.nextFloat() : rnd.nextInt(2);
        }
        float[][] tf = tf(n, c, x, (ops, xp) -> FrameworkOps.create(ops).nn.sigmoidCrossEntropyWithLogits(ops.constant(matrix(z, n, c)), xp));
        for (CrossEntropy ce : backends()) {
            float[] loss = new float[n * c];
            float[] grad = new float[n * c];
            Layout l = Layout.rows(n, c);
            ce.sigmoidCrossEntropyWithLogits(x, l, z, l, null, null, LossOptions.keras().reduction(Reduction.NONE).build(),
                    LossOutputs.losses(loss, l).withGradient(grad, l));
            close(tf[0], loss, ce.backend() + " loss");
            close(tf[1], grad, ce.backend() + " gradient");
        }
    }

    /** Keras losses, SUM_OVER_BATCH_SIZE with sample weights, label smoothing; value and gradient. */
    @Test
    void kerasLosses() {
        SplittableRandom rnd = new SplittableRandom(4);
        int n = 12;
        int c = 6;
        float[] logits = randomLogits(rnd, n * c, 5f);
        float[] probs = randomDistribution(rnd, n, c);
        // extremes: logits ±1000, and (categorical forms) a row of probabilities exactly 0 and 1, one below ε
        logits[1] = 1000f;
        logits[2] = -1000f;
        logits[c + 3] = 1000f;
        float[] probsExtreme = probs.clone();
        Arrays.fill(probsExtreme, 0, c, 0f);
        probsExtreme[1] = 1f;
        probsExtreme[c] = 1e-9f;
        float[] t = randomDistribution(rnd, n, c);
        float[] z = new float[n * c];
        for (int k = 0; k < z.length; k++) {
            z[k] = rnd.nextInt(2);
        }
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            y[r] = rnd.nextInt(c);
        }
        float[] sw = new float[n];
        for (int r = 0; r < n; r++) {
            sw[r] = rnd.nextInt(4) * 0.5f;
        }
        Layout l = Layout.rows(n, c);
        Layout rows = Layout.rowsOf(l);
        for (float ls : new float[] {0f, 0.2f}) {
            for (boolean fromLogits : new boolean[] {true, false}) {
                float[] x = fromLogits ? logits : probs;
                float[] xc = fromLogits ? logits : probsExtreme;
                String ctx = "ls " + ls + (fromLogits ? " logits" : " probabilities");
                LossOptions o = LossOptions.keras().labelSmoothing(ls).reduction(Reduction.SUM_OVER_BATCH_SIZE).build();
                float[][] cat = tf(n, c, xc, (ops, xp) -> new CategoricalCrossentropy(fromLogits, ls,
                        org.tensorflow.framework.losses.Reduction.SUM_OVER_BATCH_SIZE)
                        .call(ops, ops.constant(matrix(t, n, c)), xp, ops.constant(sw)));
                float[][] bin = tf(n, c, x, (ops, xp) -> new BinaryCrossentropy(fromLogits, ls,
                        org.tensorflow.framework.losses.Reduction.SUM_OVER_BATCH_SIZE)
                        .call(ops, ops.constant(matrix(z, n, c)), xp, ops.constant(sw)));
                for (CrossEntropy ce : backends()) {
                    float[] g = new float[n * c];
                    double v = fromLogits
                            ? ce.softmaxCrossEntropyWithLogits(xc, l, t, l, sw, rows, o, LossOutputs.none().withGradient(g, l))
                            : ce.categoricalCrossEntropy(xc, l, t, l, sw, rows, o, LossOutputs.none().withGradient(g, l));
                    close(cat[0], new float[] {(float) v}, ce.backend() + " categorical " + ctx);
                    close(cat[1], g, ce.backend() + " categorical gradient " + ctx);
                    if (fromLogits) {
                        v = ce.sigmoidCrossEntropyWithLogits(x, l, z, l, sw, rows, o, LossOutputs.none().withGradient(g, l));
                        close(bin[0], new float[] {(float) v}, ce.backend() + " binary " + ctx);
                        close(bin[1], g, ce.backend() + " binary gradient " + ctx);
                    } else {
                        // TF-Java 1.1 BinaryCrossentropy(fromLogits=false) computes log(p + ε) after clipping; Keras 3 log(p).
                        v = ce.binaryCrossEntropy(x, l, z, l, sw, rows, o, LossOutputs.none().withGradient(g, l));
                        double def = 0;
                        for (int r = 0; r < n; r++) {
                            double rowSum = 0;
                            for (int k = 0; k < c; k++) {
                                double zz = z[r * c + k] * (1 - ls) + 0.5 * ls;
                                double p = Math.min(Math.max(x[r * c + k], 1e-7), 1 - 1e-7);
                                rowSum += -(zz * Math.log(p) + (1 - zz) * Math.log(1 - p));
                            }
                            def += sw[r] * rowSum / c;
                        }
                        def /= n;
                        assertEquals(def, v, 1e-6 + 1e-5 * def, ce.backend() + " binary (Keras definition) " + ctx);
                        assertEquals(bin[0][0], v, 1e-4 * def, ce.backend() + " binary vs TF-Java (log(p+ε)) " + ctx);
                    }
                }
            }
            // sparse categorical (no label smoothing in Keras)
            if (ls == 0f) {
                for (boolean fromLogits : new boolean[] {true, false}) {
                    float[] x = fromLogits ? logits : probsExtreme;
                    // TF-Java 1.1 has no graph gradient for SparseSoftmaxCrossEntropyWithLogits ("No gradient defined"), which
                    // its SparseCategoricalCrossentropy uses in both forms: from logits the expected gradient is the op's own
                    // backprop times s_r / N; from probabilities, the gradient of CategoricalCrossentropy with one-hot labels.
                    float[][] sp = tf(n, c, x, (ops, xp) -> new SparseCategoricalCrossentropy(fromLogits,
                            org.tensorflow.framework.losses.Reduction.SUM_OVER_BATCH_SIZE).call(ops, ops.constant(y), xp, ops.constant(sw)),
                            false);
                    if (!fromLogits) {
                        float[] oneHot = new float[n * c];
                        for (int r = 0; r < n; r++) {
                            oneHot[r * c + y[r]] = 1f;
                        }
                        sp[1] = tf(n, c, x, (ops, xp) -> new CategoricalCrossentropy(false, 0f,
                                org.tensorflow.framework.losses.Reduction.SUM_OVER_BATCH_SIZE)
                                .call(ops, ops.constant(matrix(oneHot, n, c)), xp, ops.constant(sw)))[1];
                    } else {
                        try (Graph gr = new Graph(); Session se = new Session(gr)) {
                            Ops ops = Ops.create(gr);
                            SparseSoftmaxCrossEntropyWithLogits<TFloat32> op = ops.nn.sparseSoftmaxCrossEntropyWithLogits(ops.constant(matrix(x, n, c)), ops.constant(y));
                            try (Result r = se.runner().fetch(op.backprop()).run()) {
                                sp[1] = read((TFloat32) r.get(0));
                            }
                        }
                        for (int k = 0; k < sp[1].length; k++) {
                            sp[1][k] *= sw[k / c] / n;
                        }
                    }
                    for (CrossEntropy ce : backends()) {
                        float[] g = new float[n * c];
                        LossOptions o = LossOptions.keras().build();
                        double v = fromLogits
                                ? ce.sparseSoftmaxCrossEntropyWithLogits(x, l, y, rows, sw, rows, o, LossOutputs.none().withGradient(g, l))
                                : ce.sparseCategoricalCrossEntropy(x, l, y, rows, sw, rows, o, LossOutputs.none().withGradient(g, l));
                        close(sp[0], new float[] {(float) v}, ce.backend() + " sparse categorical " + fromLogits);
                        close(sp[1], g, ce.backend() + " sparse categorical gradient " + fromLogits);
                    }
                }
            }
        }
    }

    /**
     * A class axis other than the last (channels first, {@code [N, C, H]}, axis 1). TF-Java 1.1's CategoricalCrossentropy
     * is limited there: with {@code fromLogits=true} it fails or disagrees, and its label smoothing takes the size of the
     * last axis as the class count. The test records what TF-Java does and checks xent against the Keras definition,
     * computed with TensorFlow ops on the tensor transposed to classes-last (value, and gradient through the transpose).
     */
    @Test
    void classAxisOtherThanTheLast() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 3;
        int c = 4;
        int h = 5;
        float[] logits = randomLogits(rnd, n * c * h, 4f);
        float[] probs = new float[n * c * h];
        float[] t = new float[n * c * h];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < h; i++) {
                double ps = 0;
                int y = rnd.nextInt(c);
                for (int k = 0; k < c; k++) {
                    probs[(b * c + k) * h + i] = 0.05f + rnd.nextFloat();
                    ps += probs[(b * c + k) * h + i];
                    t[(b * c + k) * h + i] = k == y ? 1f : 0f;
                }
                for (int k = 0; k < c; k++) {
                    probs[(b * c + k) * h + i] /= (float) ps;
                }
            }
        }
        Layout l = Layout.of(new int[] {n, c, h}, 1);
        for (boolean fromLogits : new boolean[] {true, false}) {
            float[] x = fromLogits ? logits : probs;
            float ls = 0.2f;
            float[][] def = tf3(n, c, h, x, (ops, xp) -> new CategoricalCrossentropy(fromLogits, ls,
                    org.tensorflow.framework.losses.Reduction.SUM_OVER_BATCH_SIZE)
                    .call(ops, ops.linalg.transpose(ops.constant(cube(t, n, c, h)), ops.constant(new int[] {0, 2, 1})),
                            ops.linalg.transpose(xp, ops.constant(new int[] {0, 2, 1})), null), true);
            String tfJava;
            try {
                float[][] direct = tf3(n, c, h, x, (ops, xp) -> new CategoricalCrossentropy("cce", fromLogits, ls,
                        org.tensorflow.framework.losses.Reduction.SUM_OVER_BATCH_SIZE, 1)
                        .call(ops, ops.constant(cube(t, n, c, h)), xp, null), false);
                boolean same = Math.abs(direct[0][0] - def[0][0]) <= 1e-5 * Math.abs(def[0][0]);
                tfJava = same ? "agrees" : "disagrees (" + direct[0][0] + " vs " + def[0][0] + ")";
                if (!fromLogits) {
                    assertTrue(!same, "TF-Java's label smoothing with axis 1 was expected to use the last axis size; it now agrees");
                }
            } catch (RuntimeException e) {
                tfJava = "fails: " + e.getMessage();
            }
            System.out.println("TF-Java CategoricalCrossentropy(fromLogits=" + fromLogits + ", axis=1, labelSmoothing=0.2): " + tfJava);
            assertTrue(!tfJava.equals("agrees"), "TF-Java 1.1 was expected to be limited with axis 1 (fromLogits " + fromLogits
                    + "); it now agrees with the definition: drop this limitation from the README");
            for (CrossEntropy ce : backends()) {
                float[] g = new float[x.length];
                LossOptions o = LossOptions.keras().labelSmoothing(ls).build();
                double v = fromLogits
                        ? ce.softmaxCrossEntropyWithLogits(x, l, t, l, null, null, o, LossOutputs.none().withGradient(g, l))
                        : ce.categoricalCrossEntropy(x, l, t, l, null, null, o, LossOutputs.none().withGradient(g, l));
                close(def[0], new float[] {(float) v}, ce.backend() + " axis 1 value, fromLogits " + fromLogits);
                close(def[1], g, ce.backend() + " axis 1 gradient, fromLogits " + fromLogits);
            }
        }
    }

    static float[][][] cube(float[] v, int n, int c, int h) {
        float[][][] m = new float[n][c][h];
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < c; k++) {
                System.arraycopy(v, (b * c + k) * h, m[b][k], 0, h);
            }
        }
        return m;
    }

    /** {@link #tf(int, int, float[], BiFunction, boolean)} for a rank-3 {@code [n, c, h]} placeholder. */
    static float[][] tf3(int n, int c, int h, float[] x, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> loss, boolean gradient) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> xp = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, c, h)));
            Operand<TFloat32> l = loss.apply(tf, xp);
            Operand<TFloat32> total = tf.reduceSum(l, tf.range(tf.constant(0), tf.rank(l), tf.constant(1)));
            try (TFloat32 xt = TFloat32.tensorOf(Shape.of(n, c, h), DataBuffers.of(x, true, false))) {
                if (!gradient) {
                    try (Result r = s.runner().feed(xp, xt).fetch(total).run()) {
                        return new float[][] {read((TFloat32) r.get(0)), null};
                    }
                }
                Operand<?> dx = tf.gradients(total, Arrays.asList(xp)).dy(0);
                try (Result r = s.runner().feed(xp, xt).fetch(total).fetch(dx).run()) {
                    return new float[][] {read((TFloat32) r.get(0)), read((TFloat32) r.get(1))};
                }
            }
        }
    }
}
