package dev.xent.jmh;

import dev.xent.Backend;
import dev.xent.CrossEntropy;
import dev.xent.Layout;
import dev.xent.LossOptions;
import dev.xent.LossOutputs;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The serving and training building blocks on the vector backend, class axis last, 256K logits: {@code logSoftmax}
 * (into a second array), {@code logSumExp} per row, and sparse softmax CE with options (PyTorch defaults, class
 * weights, z-loss) and the fused gradient. Not part of {@code jmh/run.sh}'s suites; run on its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class BuildingBlocks {
    static final CrossEntropy VECTOR = CrossEntropy.of(Backend.VECTOR);

    @Param({"100", "1000", "32000"})
    public int classes;

    float[] x;
    int[] y;
    float[] out;
    float[] lse;
    float[] losses;
    float[] grad;
    Layout xl;
    Layout rows;
    LossOptions options;
    LossOutputs outputs;

    @Setup
    public void setup() {
        int n = (1 << 18) / classes;
        xl = Layout.rows(n, classes);
        rows = Layout.rowsOf(xl);
        SplittableRandom rnd = Data.random(classes, "256K", "last");
        x = Data.logits(rnd, xl);
        y = Data.sparseLabels(rnd, xl);
        out = new float[x.length];
        grad = new float[x.length];
        lse = new float[n];
        losses = new float[n];
        float[] w = new float[classes];
        Arrays.fill(w, 1f);
        options = LossOptions.pytorch().classWeights(w).zLoss(1e-4f).build();
        outputs = LossOutputs.losses(losses, rows).withGradient(grad, xl);
    }

    @Benchmark
    public void logSoftmax(Blackhole bh) {
        VECTOR.logSoftmax(x, xl, out, xl);
        bh.consume(out);
    }

    @Benchmark
    public void logSumExp(Blackhole bh) {
        VECTOR.logSumExp(x, xl, lse, rows);
        bh.consume(lse);
    }

    @Benchmark
    public double sparseWithOptionsAndGradient() {
        return VECTOR.sparseSoftmaxCrossEntropyWithLogits(x, xl, y, rows, null, null, options, outputs);
    }
}
