package dev.xent.jmh;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/** Categorical cross-entropy from probabilities (a softmax of the logits) with one-hot labels, one loss per row. */
public class Categorical extends LossBench {
    float[] p;
    float[] t;
    float[] out;

    @Setup
    public void setup() {
        SplittableRandom rnd = layouts();
        p = Data.softmax(Data.logits(rnd, xl), xl);
        t = Data.oneHot(Data.sparseLabels(rnd, xl), xl);
        out = new float[rows.rows()];
    }

    @Benchmark
    public void vector(Blackhole bh) {
        VECTOR.categoricalCrossEntropy(p, xl, t, xl, EPS, out, rows);
        bh.consume(out);
    }

    @Benchmark
    public void scalar(Blackhole bh) {
        SCALAR.categoricalCrossEntropy(p, xl, t, xl, EPS, out, rows);
        bh.consume(out);
    }

    @Benchmark
    public void naiveVector(Blackhole bh) {
        NAIVE_VECTOR.categoricalCrossEntropy(p, xl, t, xl, EPS, out, rows);
        bh.consume(out);
    }

    @Benchmark
    public void naiveScalar(Blackhole bh) {
        NAIVE_SCALAR.categoricalCrossEntropy(p, xl, t, xl, EPS, out, rows);
        bh.consume(out);
    }
}
