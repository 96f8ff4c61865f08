package dev.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xent.FuzzCases.Case;
import dev.xent.FuzzCases.Inputs;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The ops are stateless and safe to call from many threads at once: 10 threads share read-only inputs (24 random
 * cases of {@link FuzzCases}, layouts of every kind) and run thousands of calls of all six ops (eight calls per
 * case) on the scalar and vector backends, half of them through {@link ParallelCrossEntropy} on one shared executor;
 * every result is checked against the float64 reference computed once before the threads start, the sentinels
 * outside the losses layouts and the inputs after every call.
 */
@Tag("backend")
class ConcurrencyTest {

    static final int THREADS = 10;
    static final int ITERATIONS = 60;    // per thread; each iteration is 8 calls

    /** Cases whose data stay clear of the open vector bugs (labels in [0, 1], no overflowing label-weighted spread). */
    static List<Case> cases() {
        SplittableRandom rnd = new SplittableRandom(20261130);
        FuzzCases.Axis[] axes = FuzzCases.Axis.values();
        FuzzCases.Regime[] regimes = {FuzzCases.Regime.SMALL, FuzzCases.Regime.E4, FuzzCases.Regime.SPECIAL};
        FuzzCases.Labels[] labels = {FuzzCases.Labels.ONE_HOT, FuzzCases.Labels.SOFT};
        List<Case> out = new ArrayList<>();
        for (int k = 0; k < 24; k++) {
            int n = 1 + rnd.nextInt(8);
            int c = k == 0 ? 70_000 : 1 + rnd.nextInt(k % 4 == 0 ? 600 : 40);
            int inner = k == 0 ? 1 : 1 + rnd.nextInt(k % 3 == 0 ? 70 : 4);
            FuzzCases.Place[] p = new FuzzCases.Place[5];
            for (int j = 0; j < 5; j++) {
                p[j] = new FuzzCases.Place(axes[rnd.nextInt(3)], rnd.nextInt(20), rnd.nextInt(3) * rnd.nextInt(8), rnd.nextInt(4));
            }
            out.add(new Case(k == 0 ? 2 : n, c, inner, p[0], p[1], p[2], p[3], p[4], new FuzzCases.Data(regimes[k % 3],
                    labels[rnd.nextInt(2)], k % 2 == 0 ? 1e-7f : 1e-3f, rnd.nextLong())));
        }
        return out;
    }

    @Test
    void thousandsOfCallsFromManyThreadsMatchTheReference() throws InterruptedException {
        List<Case> cases = cases();
        List<Inputs> inputs = new ArrayList<>();
        List<double[][]> refs = new ArrayList<>();
        for (Case k : cases) {
            Inputs in = new Inputs(k);
            inputs.add(in);
            refs.add(FuzzCases.reference(in));
        }
        List<CrossEntropy> backends = TestSupport.backends();
        ExecutorService shared = Executors.newFixedThreadPool(4);
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int th = 0; th < THREADS; th++) {
                int seed = th;
                callers.execute(() -> {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    try {
                        start.await();
                        for (int it = 0; it < ITERATIONS && failures.isEmpty(); it++) {
                            int k = rnd.nextInt(inputs.size());
                            Inputs in = inputs.get(k);
                            CrossEntropy ce = backends.get(rnd.nextInt(backends.size()));
                            boolean parallel = rnd.nextBoolean();
                            FuzzCases.Ops ops = parallel
                                    ? FuzzCases.ops(ce.parallel(shared, 2 + rnd.nextInt(3)).withMinElements(1))
                                    : FuzzCases.ops(ce);
                            String ctx = "thread " + seed + " iteration " + it + " " + TestSupport.name(ce)
                                    + (parallel ? " parallel " : " ") + cases.get(k);
                            FuzzCases.check(ce, in, refs.get(k), FuzzCases.run(ops, in, ctx), ctx);
                            calls.addAndGet(FuzzCases.CALLS.length);
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                });
            }
            start.countDown();
            callers.shutdown();
            assertTrue(callers.awaitTermination(120, TimeUnit.SECONDS), "callers finished");
        } finally {
            callers.shutdownNow();
            shared.shutdownNow();
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.peek();
            throw new AssertionError(failures.size() + " thread(s) failed; first: " + first, first);
        }
        assertEquals(THREADS * ITERATIONS * FuzzCases.CALLS.length, calls.get());
    }
}
