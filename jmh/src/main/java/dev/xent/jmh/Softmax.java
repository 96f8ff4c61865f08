package dev.xent.jmh;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/** Softmax cross-entropy from logits with dense (one-hot) labels, one loss per row. */
public class Softmax extends LossBench {
    float[] x;
    float[] t;
    float[] out;

    @Setup
    public void setup() {
        SplittableRandom rnd = layouts();
        x = Data.logits(rnd, xl);
        t = Data.oneHot(Data.sparseLabels(rnd, xl), xl);
        out = new float[rows.rows()];
    }

    @Benchmark
    public void vector(Blackhole bh) {
        VECTOR.softmaxCrossEntropyWithLogits(x, xl, t, xl, out, rows);
        bh.consume(out);
    }

    @Benchmark
    public void scalar(Blackhole bh) {
        SCALAR.softmaxCrossEntropyWithLogits(x, xl, t, xl, out, rows);
        bh.consume(out);
    }

    @Benchmark
    public void naiveVector(Blackhole bh) {
        NAIVE_VECTOR.softmaxCrossEntropy(x, xl, t, xl, out, rows);
        bh.consume(out);
    }

    @Benchmark
    public void naiveScalar(Blackhole bh) {
        NAIVE_SCALAR.softmaxCrossEntropy(x, xl, t, xl, out, rows);
        bh.consume(out);
    }
}
