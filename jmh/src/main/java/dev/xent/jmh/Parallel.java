package dev.xent.jmh;

import dev.xent.Backend;
import dev.xent.CrossEntropy;
import dev.xent.Layout;
import dev.xent.ParallelCrossEntropy;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The parallel batch API, sparse softmax CE with the vector backend: {@code threads} parts, the caller working on
 * one and the others going to an executor ({@code fixed}: a fixed pool of {@code threads − 1} threads;
 * {@code common}: the common {@code ForkJoinPool}, what {@code CrossEntropy.parallel()} uses), against the same call
 * with one thread. Shapes: many rows ({@code [256, 4096]},
 * 1 M logits, split by rows) and a few huge rows ({@code [8, 131072]}, 1 M logits, split along the class axis).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Parallel {

    @Param({"1", "2"})
    public int threads;

    @Param({"256x4096", "8x131072"})
    public String shape;

    @Param({"fixed", "common"})
    public String executor;

    ExecutorService pool;
    ParallelCrossEntropy ops;
    float[] x;
    int[] y;
    float[] out;
    Layout xl;
    Layout rows;

    @Setup(Level.Trial)
    public void setup() {
        xl = Shapes.rows(shape);
        rows = Layout.rowsOf(xl);
        SplittableRandom rnd = new SplittableRandom(42);
        x = Data.logits(rnd, xl);
        y = Data.sparseLabels(rnd, xl);
        out = new float[xl.rows()];
        pool = Executors.newFixedThreadPool(Math.max(1, threads - 1));
        Executor chosen = executor.equals("common") ? ForkJoinPool.commonPool() : pool;
        ops = CrossEntropy.of(Backend.VECTOR).parallel(chosen, threads).withMinElements(1 << 18);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdownNow();
    }

    @Benchmark
    public void sparseSoftmax(Blackhole bh) {
        ops.sparseSoftmaxCrossEntropyWithLogits(x, xl, y, rows, out, rows);
        bh.consume(out);
    }
}
