package dev.xent.jmh;

import dev.xent.Backend;
import dev.xent.CrossEntropy;
import dev.xent.Layout;
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
 * How the two cores scale without the parallel API: every JMH thread runs the single-threaded sparse softmax CE
 * (vector backend) on a batch of its own ({@code Scope.Thread}). Run it with {@code -t 1} and {@code -t 2}: the same
 * time per call means the cores scale perfectly, so whatever {@link Parallel} loses beyond that is the parallel API's
 * own cost. Shapes per thread: half of {@link Parallel}'s 1 M logits (2 MB, beyond one core's L2), and 64K logits
 * (256 KB, inside it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Scaling {

    static final CrossEntropy VECTOR = CrossEntropy.of(Backend.VECTOR);

    @Param({"128x4096", "4x131072", "16x4096"})
    public String shape;

    float[] x;
    int[] y;
    float[] out;
    Layout xl;
    Layout rows;

    @Setup
    public void setup() {
        xl = Shapes.rows(shape);
        rows = Layout.rowsOf(xl);
        SplittableRandom rnd = new SplittableRandom(42);
        x = Data.logits(rnd, xl);
        y = Data.sparseLabels(rnd, xl);
        out = new float[xl.rows()];
    }

    @Benchmark
    public void sparseSoftmax(Blackhole bh) {
        VECTOR.sparseSoftmaxCrossEntropyWithLogits(x, xl, y, rows, out, rows);
        bh.consume(out);
    }
}
