package dev.xent.jmh;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Binary cross-entropy from probabilities (σ of the logits) with 0/1 labels, the mean over the class axis per
 * row (as Keras {@code binary_crossentropy}).
 */
public class Binary extends LossBench {
    float[] p;
    float[] z;
    float[] out;

    @Setup
    public void setup() {
        SplittableRandom rnd = layouts();
        p = Data.sigmoid(Data.logits(rnd, xl));
        z = Data.binaryLabels(rnd, xl);
        out = new float[rows.rows()];
    }

    @Benchmark
    public void vector(Blackhole bh) {
        VECTOR.binaryCrossEntropy(p, xl, z, xl, EPS, out, rows);
        bh.consume(out);
    }

    @Benchmark
    public void scalar(Blackhole bh) {
        SCALAR.binaryCrossEntropy(p, xl, z, xl, EPS, out, rows);
        bh.consume(out);
    }

    @Benchmark
    public void naiveVector(Blackhole bh) {
        NAIVE_VECTOR.binaryCrossEntropy(p, xl, z, xl, EPS, out, rows);
        bh.consume(out);
    }

    @Benchmark
    public void naiveScalar(Blackhole bh) {
        NAIVE_SCALAR.binaryCrossEntropy(p, xl, z, xl, EPS, out, rows);
        bh.consume(out);
    }
}
