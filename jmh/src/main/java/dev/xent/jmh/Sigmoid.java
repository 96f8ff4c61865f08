package dev.xent.jmh;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/** Sigmoid cross-entropy from logits with 0/1 labels, elementwise (one loss per logit, as TensorFlow). */
public class Sigmoid extends LossBench {
    float[] x;
    float[] z;
    float[] out;

    @Setup
    public void setup() {
        SplittableRandom rnd = layouts();
        x = Data.logits(rnd, xl);
        z = Data.binaryLabels(rnd, xl);
        out = new float[x.length];
    }

    @Benchmark
    public void vector(Blackhole bh) {
        VECTOR.sigmoidCrossEntropyWithLogits(x, xl, z, xl, out, xl);
        bh.consume(out);
    }

    @Benchmark
    public void scalar(Blackhole bh) {
        SCALAR.sigmoidCrossEntropyWithLogits(x, xl, z, xl, out, xl);
        bh.consume(out);
    }

    @Benchmark
    public void naiveVector(Blackhole bh) {
        NAIVE_VECTOR.sigmoidCrossEntropy(x, xl, z, xl, out, xl);
        bh.consume(out);
    }

    @Benchmark
    public void naiveScalar(Blackhole bh) {
        NAIVE_SCALAR.sigmoidCrossEntropy(x, xl, z, xl, out, xl);
        bh.consume(out);
    }
}
