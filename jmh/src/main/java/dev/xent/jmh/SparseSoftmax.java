package dev.xent.jmh;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Sparse softmax cross-entropy from logits with integer labels, one loss per row. {@code vectorArgmaxLabels} gives
 * every row the label of its largest logit: the row path (C ≥ 16) then counts the maxima apart (the slower loop kept
 * for confident rows), where the uniform labels of {@code vector} almost never hold the maximum.
 */
public class SparseSoftmax extends LossBench {
    float[] x;
    int[] y;
    int[] argmax;
    float[] out;

    @Setup
    public void setup() {
        SplittableRandom rnd = layouts();
        x = Data.logits(rnd, xl);
        y = Data.sparseLabels(rnd, xl);
        argmax = Data.argmaxLabels(x, xl);
        out = new float[rows.rows()];
    }

    @Benchmark
    public void vectorArgmaxLabels(Blackhole bh) {
        VECTOR.sparseSoftmaxCrossEntropyWithLogits(x, xl, argmax, rows, out, rows);
        bh.consume(out);
    }

    @Benchmark
    public void vector(Blackhole bh) {
        VECTOR.sparseSoftmaxCrossEntropyWithLogits(x, xl, y, rows, out, rows);
        bh.consume(out);
    }

    @Benchmark
    public void scalar(Blackhole bh) {
        SCALAR.sparseSoftmaxCrossEntropyWithLogits(x, xl, y, rows, out, rows);
        bh.consume(out);
    }

    @Benchmark
    public void naiveVector(Blackhole bh) {
        NAIVE_VECTOR.sparseSoftmaxCrossEntropy(x, xl, y, rows, out, rows);
        bh.consume(out);
    }

    @Benchmark
    public void naiveScalar(Blackhole bh) {
        NAIVE_SCALAR.sparseSoftmaxCrossEntropy(x, xl, y, rows, out, rows);
        bh.consume(out);
    }
}
