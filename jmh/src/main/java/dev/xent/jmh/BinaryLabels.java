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
 * Binary cross-entropy from probabilities (vector backend, 256K elements, class axis last) with hard labels (0 or 1)
 * against soft ones (uniform in [0, 1), as after label smoothing or distillation): a vector whose labels are all 0
 * or 1 takes one log instead of two. {@code output}: {@code mean} over the class axis per row (as Keras
 * {@code binary_crossentropy}) or {@code elementwise} (one loss per probability).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class BinaryLabels {

    static final CrossEntropy VECTOR = CrossEntropy.of(Backend.VECTOR);

    @Param({"hard", "soft"})
    public String labels;

    @Param({"mean", "elementwise"})
    public String output;

    @Param({"10", "100", "1000"})
    public int classes;

    float[] p;
    float[] z;
    float[] out;
    Layout xl;
    Layout ol;

    @Setup
    public void setup() {
        xl = Shapes.logits("last", classes, "256K");
        ol = output.equals("mean") ? Layout.rowsOf(xl) : xl;
        SplittableRandom rnd = Data.random(classes, "256K", "last");
        p = Data.sigmoid(Data.logits(rnd, xl));
        if (labels.equals("hard")) {
            z = Data.binaryLabels(rnd, xl);
        } else {
            z = new float[p.length];
            for (int k = 0; k < z.length; k++) {
                z[k] = (float) rnd.nextDouble();
            }
        }
        out = new float[(int) ol.size()];
    }

    @Benchmark
    public void vector(Blackhole bh) {
        VECTOR.binaryCrossEntropy(p, xl, z, xl, 1e-7f, out, ol);
        bh.consume(out);
    }
}
