package dev.xent.jmh.tf;

import dev.xent.jmh.Shapes;
import java.util.SplittableRandom;
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
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.op.FrameworkOps;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * TensorFlow Java 1.1.0 (TensorFlow 2.18 on the CPU, its own thread pool) as a speed peer: graph mode, one
 * session; input tensors are created once in the setup and fed per call; the loss tensor is fetched per call
 * and copied into a preallocated float array. Class axis last only (TensorFlow's softmax ops need it);
 * {@code softmaxCrossEntropyWithLogits} also computes its backprop output, as it always does.
 * Built only with {@code -Ptensorflow}. On JDK 24+ the fork needs
 * {@code --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow} (run.sh adds them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TensorFlow {

    @Param({"2", "10", "100", "1000", "32000", "128000"})
    public int classes;

    @Param({"256K", "16M"})
    public String size;

    @Param({"last"})
    public String layout;

    Graph graph;
    Session session;
    Placeholder<TFloat32> xp;
    Placeholder<TFloat32> tp;
    Placeholder<TInt32> yp;
    Placeholder<TFloat32> zp;
    Operand<TFloat32> softmaxLoss;
    Operand<TFloat32> sparseLoss;
    Operand<TFloat32> sigmoidLoss;
    TFloat32 x;
    TFloat32 t;
    TInt32 y;
    TFloat32 z;
    float[] rowsOut;
    float[] elementsOut;
    FloatDataBuffer rowsBuffer;
    FloatDataBuffer elementsBuffer;

    @Setup(Level.Trial)
    public void setup() {
        if (!layout.equals("last")) {
            throw new IllegalArgumentException("TensorFlow's softmax ops need the class axis last");
        }
        int total = (int) Shapes.elements(layout, classes, size);
        int n = total / classes;
        SplittableRandom rnd = new SplittableRandom(0x5EEDL ^ classes);
        float[] xs = new float[total];
        for (int k = 0; k < total; k++) {
            xs[k] = (float) (rnd.nextGaussian() * 3.0);
        }
        int[] ys = new int[n];
        float[] ts = new float[total];
        for (int r = 0; r < n; r++) {
            ys[r] = rnd.nextInt(classes);
            ts[r * classes + ys[r]] = 1f;
        }
        float[] zs = new float[total];
        for (int k = 0; k < total; k++) {
            zs[k] = rnd.nextInt(2);
        }
        Shape shape = Shape.of(n, classes);
        x = TFloat32.tensorOf(shape, DataBuffers.of(xs, true, false));
        t = TFloat32.tensorOf(shape, DataBuffers.of(ts, true, false));
        z = TFloat32.tensorOf(shape, DataBuffers.of(zs, true, false));
        y = TInt32.tensorOf(Shape.of(n), DataBuffers.of(ys, true, false));

        graph = new Graph();
        Ops tf = Ops.create(graph);
        xp = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
        tp = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
        zp = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
        yp = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(n)));
        softmaxLoss = tf.nn.softmaxCrossEntropyWithLogits(xp, tp).loss();
        sparseLoss = tf.nn.sparseSoftmaxCrossEntropyWithLogits(xp, yp).loss();
        sigmoidLoss = FrameworkOps.create(tf).nn.sigmoidCrossEntropyWithLogits(zp, xp);
        session = new Session(graph);
        rowsOut = new float[n];
        elementsOut = new float[total];
        rowsBuffer = DataBuffers.of(rowsOut, false, false);
        elementsBuffer = DataBuffers.of(elementsOut, false, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
        graph.close();
        x.close();
        t.close();
        y.close();
        z.close();
    }

    @Benchmark
    public float[] softmax() {
        try (Result r = session.runner().feed(xp, x).feed(tp, t).fetch(softmaxLoss).run()) {
            ((TFloat32) r.get(0)).copyTo(rowsBuffer);
        }
        return rowsOut;
    }

    @Benchmark
    public float[] sparseSoftmax() {
        try (Result r = session.runner().feed(xp, x).feed(yp, y).fetch(sparseLoss).run()) {
            ((TFloat32) r.get(0)).copyTo(rowsBuffer);
        }
        return rowsOut;
    }

    @Benchmark
    public float[] sigmoid() {
        try (Result r = session.runner().feed(xp, x).feed(zp, z).fetch(sigmoidLoss).run()) {
            ((TFloat32) r.get(0)).copyTo(elementsBuffer);
        }
        return elementsOut;
    }
}
