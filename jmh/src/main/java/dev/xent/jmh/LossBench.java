package dev.xent.jmh;

import dev.xent.Backend;
import dev.xent.CrossEntropy;
import dev.xent.Layout;
import dev.xent.internal.Kernels;
import dev.xent.internal.naive.NaiveScalarKernels;
import dev.xent.internal.naive.NaiveVectorKernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Common parameters of the loss benchmarks. Each subclass has four {@code @Benchmark} methods: {@code vector}
 * and {@code scalar} (the stable kernels through the public {@link CrossEntropy} API, argument checks
 * included), {@code naiveVector} and {@code naiveScalar} (the textbook kernels, called directly). Outputs go
 * into a preallocated array; ns/op is per call over {@link Shapes#elements} logits.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public abstract class LossBench {

    static final CrossEntropy VECTOR = CrossEntropy.of(Backend.VECTOR);
    static final CrossEntropy SCALAR = CrossEntropy.of(Backend.SCALAR);
    static final Kernels NAIVE_VECTOR = NaiveVectorKernels.INSTANCE;
    static final Kernels NAIVE_SCALAR = NaiveScalarKernels.INSTANCE;
    static final float EPS = 1e-7f;

    @Param({"2", "10", "100", "1000", "32000", "128000"})
    public int classes;

    @Param({"256K", "16M"})
    public String size;

    @Param({"last", "first"})
    public String layout;

    Layout xl;
    Layout rows;

    /** Computes the layouts; call first in each subclass's setup. */
    java.util.SplittableRandom layouts() {
        xl = Shapes.logits(layout, classes, size);
        rows = Layout.rowsOf(xl);
        return Data.random(classes, size, layout);
    }
}
