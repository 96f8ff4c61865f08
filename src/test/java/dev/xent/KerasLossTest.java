package dev.xent;

import static dev.xent.TestSupport.assertRows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xent.internal.reference.ReferenceKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link KerasLoss}: the three kinds, fromLogits true/false, axis 1 vs −1, sample weights and reductions, against the float64 reference. */
class KerasLossTest {

    static final float EPS = KerasLoss.DEFAULT_EPSILON;
    static final int N = 6;
    static final int C = 5;
    static final int H = 7;

    /** Data of shape [N, C, H] (class axis 1) and the same data transposed to [N, H, C] (class axis −1). */
    static final class Data {
        final float[] logits = new float[N * C * H];
        final float[] probs = new float[N * C * H];
        final float[] dense = new float[N * C * H];
        final float[] binary = new float[N * C * H];
        final int[] sparse = new int[N * H];
        final float[] weights = new float[N * H];

        Data(long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int k = 0; k < logits.length; k++) {
                logits[k] = TestSupport.gaussian(rnd) * 3;
                probs[k] = rnd.nextFloat() + 1e-3f;
                binary[k] = rnd.nextInt(3) == 0 ? rnd.nextFloat() : rnd.nextInt(2);
            }
            for (int r = 0; r < N * H; r++) {
                sparse[r] = rnd.nextInt(C);
                weights[r] = rnd.nextInt(5) == 0 ? 0f : rnd.nextFloat() * 3;
                int n = r / H;
                int h = r % H;
                dense[(n * C + sparse[r]) * H + h] = 1f;
            }
        }

        /** [N, C, H] → [N, H, C]. */
        static float[] toLast(float[] a) {
            float[] b = new float[a.length];
            for (int n = 0; n < N; n++) {
                for (int c = 0; c < C; c++) {
                    for (int h = 0; h < H; h++) {
                        b[(n * H + h) * C + c] = a[(n * C + c) * H + h];
                    }
                }
            }
            return b;
        }
    }

    static final int[] SHAPE_FIRST = {N, C, H};
    static final int[] SHAPE_LAST = {N, H, C};
    static final Layout FIRST = Layout.of(SHAPE_FIRST, 1);

    /** Expected per-example losses in row order, from the float64 reference. */
    static double[] expected(KerasLoss.Kind kind, boolean fromLogits, Data d) {
        switch (kind) {
            case BINARY:
                return fromLogits ? ReferenceKernels.sigmoidCrossEntropy(d.logits, FIRST, d.binary, FIRST, true)
                        : TestSupport.binaryOracle(d.probs, FIRST, d.binary, FIRST, EPS, true);
            case CATEGORICAL:
                return fromLogits ? ReferenceKernels.softmaxCrossEntropy(d.logits, FIRST, d.dense, FIRST)
                        : ReferenceKernels.categoricalCrossEntropy(d.probs, FIRST, d.dense, FIRST, EPS);
            default:
                Layout rows = Layout.rowsOf(FIRST);
                return fromLogits ? ReferenceKernels.sparseSoftmaxCrossEntropy(d.logits, FIRST, d.sparse, rows)
                        : ReferenceKernels.sparseCategoricalCrossEntropy(d.probs, FIRST, d.sparse, rows, EPS);
        }
    }

    static KerasLoss.Builder builder(KerasLoss.Kind kind) {
        switch (kind) {
            case BINARY: return KerasLoss.binaryCrossentropy();
            case CATEGORICAL: return KerasLoss.categoricalCrossentropy();
            default: return KerasLoss.sparseCategoricalCrossentropy();
        }
    }

    static float[] perExample(KerasLoss loss, Data d, boolean last, float[] weights) {
        float[] preds = loss.fromLogits() ? d.logits : d.probs;
        float[] out = new float[N * H];
        int[] shape = last ? SHAPE_LAST : SHAPE_FIRST;
        if (loss.kind() == KerasLoss.Kind.SPARSE_CATEGORICAL) {
            loss.perExample(d.sparse, last ? Data.toLast(preds) : preds, shape, weights, out);
        } else {
            float[] labels = loss.kind() == KerasLoss.Kind.BINARY ? d.binary : d.dense;
            loss.perExample(last ? Data.toLast(labels) : labels, last ? Data.toLast(preds) : preds, shape, weights, out);
        }
        return out;
    }

    static double call(KerasLoss loss, Data d, boolean last, float[] weights) {
        float[] preds = loss.fromLogits() ? d.logits : d.probs;
        int[] shape = last ? SHAPE_LAST : SHAPE_FIRST;
        if (loss.kind() == KerasLoss.Kind.SPARSE_CATEGORICAL) {
            return loss.call(d.sparse, last ? Data.toLast(preds) : preds, shape, weights);
        }
        float[] labels = loss.kind() == KerasLoss.Kind.BINARY ? d.binary : d.dense;
        return loss.call(last ? Data.toLast(labels) : labels, last ? Data.toLast(preds) : preds, shape, weights);
    }

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void everyKindBothFormsBothAxesWeightsAndReductions(CrossEntropy ce) {
        Data d = new Data(42);
        for (KerasLoss.Kind kind : KerasLoss.Kind.values()) {
            for (boolean fromLogits : new boolean[] {true, false}) {
                double[] ref = expected(kind, fromLogits, d);
                double sum = 0;
                double wsum = 0;
                double w = 0;
                double[] weighted = new double[ref.length];
                for (int r = 0; r < ref.length; r++) {
                    sum += ref[r];
                    weighted[r] = ref[r] * d.weights[r];
                    wsum += weighted[r];
                    w += d.weights[r];
                }
                for (boolean last : new boolean[] {false, true}) {
                    KerasLoss.Builder b = builder(kind).fromLogits(fromLogits).axis(last ? -1 : 1).ops(ce);
                    String ctx = kind + " fromLogits=" + fromLogits + " axis=" + (last ? -1 : 1) + " " + TestSupport.name(ce);
                    KerasLoss loss = b.build();
                    assertRows(ref, perExample(loss, d, last, null), Layout.vector(N * H), ctx + " perExample");
                    assertRows(weighted, perExample(loss, d, last, d.weights), Layout.vector(N * H), ctx + " weighted perExample");
                    assertArrayEquals(new int[] {N, H}, loss.lossShape(last ? SHAPE_LAST : SHAPE_FIRST), ctx);
                    // default reduction: SUM_OVER_BATCH_SIZE
                    assertEquals(sum / ref.length, call(loss, d, last, null), 2e-6 * Math.abs(sum / ref.length), ctx + " sobs");
                    assertEquals(wsum / ref.length, call(loss, d, last, d.weights), 2e-6 * Math.abs(wsum / ref.length), ctx + " weighted sobs");
                    KerasLoss s = b.reduction(Reduction.SUM).build();
                    assertEquals(sum, call(s, d, last, null), 2e-6 * Math.abs(sum), ctx + " sum");
                    assertEquals(wsum, call(s, d, last, d.weights), 2e-6 * Math.abs(wsum), ctx + " weighted sum");
                    KerasLoss m = b.reduction(Reduction.MEAN).build();
                    assertEquals(sum / ref.length, call(m, d, last, null), 2e-6 * Math.abs(sum / ref.length), ctx + " mean");
                    assertEquals(wsum / w, call(m, d, last, d.weights), 2e-6 * Math.abs(wsum / w), ctx + " weighted mean");
                    KerasLoss none = b.reduction(Reduction.NONE).build();
                    assertThrows(IllegalArgumentException.class, () -> call(none, d, last, null), ctx + " NONE has no value");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void rankOneBinaryIsPerElement(CrossEntropy ce) {
        float[] x = {-2f, 0f, 3f, 40f, -40f};
        float[] z = {0f, 1f, 1f, 0f, 0.5f};
        KerasLoss loss = KerasLoss.binaryCrossentropy().fromLogits(true).ops(ce).build();
        assertArrayEquals(new int[] {5}, loss.lossShape(new int[] {5}));
        float[] out = new float[5];
        loss.perExample(z, x, new int[] {5}, null, out);
        double sum = 0;
        for (int k = 0; k < 5; k++) {
            double e = ReferenceKernels.sigmoid(x[k], z[k]);
            TestSupport.assertClose(e, out[k], "element " + k);
            sum += e;
        }
        assertEquals(sum / 5, loss.call(z, x, new int[] {5}, null), 2e-6 * sum / 5);
        // probabilities: p = 0 with z = 1 is −log ε (Keras 16.118095)
        KerasLoss probs = KerasLoss.binaryCrossentropy().ops(ce).build();
        probs.perExample(new float[] {1f}, new float[] {0f}, new int[] {1}, null, out);
        TestSupport.assertClose(16.118095, out[0], "p=0, z=1");
    }

    @Test
    void buildersAndMisuse() {
        KerasLoss d = KerasLoss.categoricalCrossentropy().build();
        assertEquals(KerasLoss.Kind.CATEGORICAL, d.kind());
        assertEquals(false, d.fromLogits());
        assertEquals(-1, d.axis());
        assertEquals(1e-7f, d.epsilon());
        assertEquals(Reduction.SUM_OVER_BATCH_SIZE, d.reduction());
        assertSame(CrossEntropy.get().backend(), d.ops().backend());
        KerasLoss sparse = KerasLoss.sparseCategoricalCrossentropy().fromLogits(true).build();
        KerasLoss binary = KerasLoss.binaryCrossentropy().build();
        float[] out = new float[2];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sparse.perExample(new float[4], new float[4], new int[] {2, 2}, null, out));
        assertTrue(e.getMessage().contains("SPARSE_CATEGORICAL"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> binary.perExample(new int[2], new float[4], new int[] {2, 2}, null, out));
        assertTrue(e.getMessage().contains("BINARY"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> sparse.call(new int[] {0, 1}, new float[4], new int[] {2, 2}, new float[3]));
        assertTrue(e.getMessage().contains("sampleWeights.length = 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> sparse.call(new int[] {0, 2}, new float[4], new int[] {2, 2}, null));
        assertTrue(e.getMessage().contains("label 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KerasLoss.binaryCrossentropy().reduction(null));
        assertThrows(IllegalArgumentException.class, () -> KerasLoss.binaryCrossentropy().ops(null));
        assertThrows(IllegalArgumentException.class, () -> KerasLoss.categoricalCrossentropy().axis(3).build()
                .predictionsLayout(new int[] {2, 3}));
        assertTrue(d.toString().contains("CATEGORICAL"));
    }

    @ParameterizedTest
    @MethodSource("dev.xent.TestSupport#backendArgs")
    void fourDimensionalChannelsFirst(CrossEntropy ce) {
        // [2, 3, 4, 5] with the class axis 1: 40 example losses, rows r = n·20 + h·5 + w
        int[] shape = {2, 3, 4, 5};
        SplittableRandom rnd = new SplittableRandom(9);
        float[] x = new float[120];
        int[] y = new int[40];
        for (int k = 0; k < 120; k++) {
            x[k] = TestSupport.gaussian(rnd);
        }
        for (int r = 0; r < 40; r++) {
            y[r] = rnd.nextInt(3);
        }
        KerasLoss loss = KerasLoss.sparseCategoricalCrossentropy().fromLogits(true).axis(1).ops(ce)
                .reduction(Reduction.SUM).build();
        assertArrayEquals(new int[] {2, 4, 5}, loss.lossShape(shape));
        double[] ref = new double[40];
        double sum = 0;
        for (int n = 0; n < 2; n++) {
            for (int s = 0; s < 20; s++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < 3; c++) {
                    m = Math.max(m, x[n * 60 + c * 20 + s]);
                }
                double e = 0;
                for (int c = 0; c < 3; c++) {
                    e += Math.exp(x[n * 60 + c * 20 + s] - m);
                }
                // independent closed form: lse − x_y
                ref[n * 20 + s] = m + Math.log(e) - x[n * 60 + y[n * 20 + s] * 20 + s];
                sum += ref[n * 20 + s];
            }
        }
        float[] out = new float[40];
        loss.perExample(y, x, shape, null, out);
        assertRows(ref, out, Layout.vector(40), "4-d channels-first per example");
        assertEquals(sum, loss.call(y, x, shape, null), 2e-6 * sum);
    }
}
