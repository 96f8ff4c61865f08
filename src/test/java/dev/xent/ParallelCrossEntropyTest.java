package dev.xent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xent.internal.reference.ReferenceKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parallel ops give the same bits as the single-threaded ops (row splits) or the same bits at every thread
 * count (class splits), and the class split agrees with the float64 reference.
 *
 * <p>Row splits are compared bit for bit for both backends: since the eleventh round of 2026-12-03 the vector
 * kernels' last bits no longer depend on whether C2 has compiled them (README, Determinism;
 * {@code TierIndependentBitsTest} runs the parallel API's row and class splits both ways); before, the vector
 * comparisons took the accuracy bar.
 */
@Tag("backend")
class ParallelCrossEntropyTest {

    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        List<Backend> backends = new ArrayList<>(List.of(Backend.SCALAR));
        if (CrossEntropy.vectorAvailable()) {
            backends.add(Backend.VECTOR);
        }
        int[][] shapes = {{5000, 10}, {777, 130}, {3000, 2}, {64, 1000}, {3, 7, 1000}, {1, 5, 9000}, {200, 4, 9}, {2, 1, 4096}};
        for (Backend b : backends) {
            for (int[] shape : shapes) {
                for (int threads : new int[] {2, 3, 4}) {
                    out.add(Arguments.of(b, shape, threads));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} threads={2}")
    @MethodSource("cases")
    void rowSplitsGiveTheSingleThreadedBits(Backend backend, int[] shape, int threads) {
        CrossEntropy ce = CrossEntropy.of(backend);
        ParallelCrossEntropy pce = ce.parallel(pool, threads).withMinElements(0);
        Layout xl = Layout.of(shape, 1);
        int n = Math.toIntExact(xl.size());
        SplittableRandom rnd = new SplittableRandom(n * 31L + threads);
        float[] x = new float[n];
        float[] t = new float[n];
        float[] p = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = (float) (rnd.nextGaussian() * 4);
            t[k] = rnd.nextInt(4) == 0 ? (float) rnd.nextDouble() : 0f;
            p[k] = (float) rnd.nextDouble();
        }
        Layout rows = Layout.rowsOf(xl);
        int[] y = new int[rows.rows()];
        for (int r = 0; r < y.length; r++) {
            y[r] = rnd.nextInt(xl.classes());
        }
        float[] want = new float[rows.rows()];
        float[] got = new float[rows.rows()];
        float[] wantE = new float[n];
        float[] gotE = new float[n];

        ce.softmaxCrossEntropyWithLogits(x, xl, t, xl, want, rows);
        pce.softmaxCrossEntropyWithLogits(x, xl, t, xl, got, rows);
        same(backend, want, got, "softmax");
        ce.sparseSoftmaxCrossEntropyWithLogits(x, xl, y, rows, want, rows);
        pce.sparseSoftmaxCrossEntropyWithLogits(x, xl, y, rows, got, rows);
        same(backend, want, got, "sparse softmax");
        ce.sigmoidCrossEntropyWithLogits(x, xl, t, xl, wantE, xl);
        pce.sigmoidCrossEntropyWithLogits(x, xl, t, xl, gotE, xl);
        same(backend, wantE, gotE, "sigmoid elementwise");
        ce.sigmoidCrossEntropyWithLogits(x, xl, t, xl, want, rows);
        pce.sigmoidCrossEntropyWithLogits(x, xl, t, xl, got, rows);
        same(backend, want, got, "sigmoid mean");
        ce.binaryCrossEntropy(p, xl, t, xl, 1e-7f, want, rows);
        pce.binaryCrossEntropy(p, xl, t, xl, 1e-7f, got, rows);
        same(backend, want, got, "binary");
        ce.categoricalCrossEntropy(p, xl, t, xl, 1e-7f, want, rows);
        pce.categoricalCrossEntropy(p, xl, t, xl, 1e-7f, got, rows);
        same(backend, want, got, "categorical");
        ce.sparseCategoricalCrossEntropy(p, xl, y, rows, 1e-7f, want, rows);
        pce.sparseCategoricalCrossEntropy(p, xl, y, rows, 1e-7f, got, rows);
        same(backend, want, got, "sparse categorical");
    }

    /**
     * The same bits for both backends (NaN of any payload equals NaN: payloads are not promised); the vector backend
     * was compared within the accuracy bar until its bits stopped depending on the JIT (see the class comment).
     */
    private static void same(Backend backend, float[] want, float[] got, String what) {
        assertArrayEquals(want, got, what + " (" + backend + ")");
    }

    @Test
    void classSplitsDoNotDependOnTheThreadCountAndMatchTheReference() {
        int rows = 3;
        int classes = 128_000 + 7;
        Layout xl = Layout.rows(rows, classes);
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = new float[rows * classes];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) (rnd.nextGaussian() * 3);
        }
        x[classes + 17] = Float.NaN; // row 1 is NaN, the others are not touched by it
        int[] y = {5, 99_999, classes - 1};
        Layout rl = Layout.rowsOf(xl);
        double[] ref = ReferenceKernels.sparseSoftmaxCrossEntropy(x, xl, y, rl);
        List<Backend> backends = new ArrayList<>(List.of(Backend.SCALAR));
        if (CrossEntropy.vectorAvailable()) {
            backends.add(Backend.VECTOR);
        }
        for (Backend b : backends) {
            float[] first = null;
            for (int threads : new int[] {2, 3, 4, 8}) {
                float[] out = new float[rows];
                CrossEntropy.of(b).parallel(pool, threads).withMinElements(0).sparseSoftmaxCrossEntropyWithLogits(x, xl, y, rl, out, rl);
                if (first == null) {
                    first = out;
                } else {
                    assertArrayEquals(first, out, b + ": threads = " + threads);
                }
                for (int r = 0; r < rows; r++) {
                    if (Double.isNaN(ref[r])) {
                        assertTrue(Float.isNaN(out[r]), b + " row " + r + " should be NaN");
                    } else {
                        assertEquals(ref[r], out[r], 1e-6 + 2e-6 * Math.abs(ref[r]), b + " row " + r);
                    }
                }
            }
        }
    }

    @Test
    void smallBatchesStayOnTheCallingThread() {
        Thread caller = Thread.currentThread();
        List<Thread> seen = new ArrayList<>();
        ParallelCrossEntropy pce = CrossEntropy.get().parallel(task -> {
            synchronized (seen) {
                seen.add(caller);
            }
            new Thread(task).start();
        }, 4);
        float[] out = new float[10];
        Layout xl = Layout.rows(10, 100);
        pce.sparseSoftmaxCrossEntropyWithLogits(new float[1000], xl, new int[10], Layout.rowsOf(xl), out, Layout.rowsOf(xl));
        assertTrue(seen.isEmpty(), "a 1000-element batch went to the executor");
        assertEquals(Math.log(100), out[3], 1e-6);
    }

    @Test
    void anExecutorThatNeverRunsTasksDoesNotBlockTheCall() {
        ParallelCrossEntropy pce = CrossEntropy.get().parallel(task -> { }, 4).withMinElements(0);
        Layout xl = Layout.rows(4096, 10);
        float[] out = new float[4096];
        pce.sparseSoftmaxCrossEntropyWithLogits(new float[40960], xl, new int[4096], Layout.rowsOf(xl), out, Layout.rowsOf(xl));
        for (float v : out) {
            assertEquals(Math.log(10), v, 1e-6);
        }
    }

    /**
     * An executor that accepts one task (run late, on a thread of its own) and throws on the next: the call runs the
     * remaining parts on the caller, waits for the accepted task, and only then throws the executor's exception, so
     * the losses are complete and nothing writes after the call.
     */
    @Test
    void anExecutorThatThrowsIsRethrownAfterEveryPartRan() {
        int[] calls = {0};
        ParallelCrossEntropy pce = CrossEntropy.get().parallel(task -> {
            if (calls[0]++ > 0) {
                throw new IllegalStateException("executor is shut down");
            }
            new Thread(() -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                task.run();
            }).start();
        }, 3).withMinElements(0);
        Layout xl = Layout.rows(4096, 10);
        float[] out = new float[4096];
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pce.sparseSoftmaxCrossEntropyWithLogits(
                new float[40960], xl, new int[4096], Layout.rowsOf(xl), out, Layout.rowsOf(xl)));
        assertEquals("executor is shut down", e.getMessage());
        float[] after = out.clone();
        for (float v : out) {
            assertEquals(Math.log(10), v, 1e-6);
        }
        try {
            Thread.sleep(50);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        assertArrayEquals(after, out, "a part wrote after the call threw");
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyPartRuns() {
        ParallelCrossEntropy pce = CrossEntropy.get().parallel(pool, 2).withMinElements(0);
        Layout xl = Layout.rows(256, 4);
        float[] out = new float[256];
        int[] y = new int[256];
        y[200] = 4;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pce.sparseSoftmaxCrossEntropyWithLogits(new float[1024], xl, y, Layout.rowsOf(xl), out, Layout.rowsOf(xl)));
        assertTrue(e.getMessage().contains("row 200") && e.getMessage().contains("4"), e.getMessage());
        for (float v : out) {
            assertEquals(0f, v);
        }
        assertThrows(IllegalArgumentException.class, () -> CrossEntropy.get().parallel(pool, 0));
    }
}
