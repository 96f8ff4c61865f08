package dev.xent.jmh;

import dev.xent.HalfFloat;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Sparse softmax cross-entropy from logits with integer labels, one loss per row. {@code vectorArgmaxLabels} gives
 * every row the label of its largest logit (the rows of a confident model): the one-pass sum shifted by the label's
 * logit then stays below 2 more often and takes the float log1p, where the uniform labels of {@code vector} almost
 * never hold the maximum (before the eighth round the two took different sums after the maximum pass).
 * {@code vectorBfloat16} takes the same logits rounded to bfloat16 ({@code short[]}, half the bytes; the vector
 * kernel for C ≥ 2L with the class axis last, the scalar loops otherwise).
 */
public class SparseSoftmax extends LossBench {
    float[] x;
    int[] y;
    int[] argmax;
    short[] bf16;
    float[] out;

    @Setup
    public void setup() {
        SplittableRandom rnd = layouts();
        x = Data.logits(rnd, xl);
        y = Data.sparseLabels(rnd, xl);
        argmax = Data.argmaxLabels(x, xl);
        bf16 = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            bf16[i] = HalfFloat.BFLOAT16.fromFloat(x[i]);
        }
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
    public void vectorBfloat16(Blackhole bh) {
        VECTOR.sparseSoftmaxCrossEntropyWithLogits(bf16, HalfFloat.BFLOAT16, xl, y, rows, out, rows);
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
