package dev.xent;

import dev.xent.internal.Kernels;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The ops of a {@link CrossEntropy} split across threads, for batches of a million elements and more.
 *
 * <p>A batch is cut into parts along its rows: whole ranges of {@code n} (with the class axis last and fewer than
 * 64 classes, whole multiples of 64 rows), or ranges of 64-aligned inner positions when there are fewer {@code n}
 * than parts. Each
 * part runs the same kernel on a {@link Layout#slice slice} of the layouts, so every loss is computed by exactly
 * the same instructions as in the single-threaded op: the results are <b>bit-identical</b> to
 * {@link CrossEntropy} and do not depend on the number of threads, nor, for the vector backend, on whether C2 has
 * compiled the kernels yet (they add their lanes in a fixed order and take their own exp and log: README,
 * Determinism).
 *
 * <p>Sparse softmax cross-entropy over a few huge rows (fewer rows than twice the parallelism, class axis last,
 * at least {@value #CLASS_CHUNK} classes per part) splits the class range instead: every part takes the maximum of
 * its chunk of {@value #CLASS_CHUNK} classes, then, with the row maximum, its {@code Σ exp(x − m)} in double, the
 * elements equal to {@code m} counted apart and the first chunk holding {@code m} leaving one of them out, so that the
 * chunks, merged in class order, give {@code d − 1}; the loss is {@code (m − x_label) + log1p(d − 1)}, which keeps a
 * confident row's small loss to its relative precision. Chunk boundaries do not depend on the number of threads, so neither do the
 * results; they agree with the single-threaded op to float rounding, not bit for bit.
 *
 * <p>Below {@link #minElements()} elements (or with a parallelism of 1) a call stays on the calling thread and
 * allocates nothing. Otherwise the calling thread works on parts too and up to {@code parallelism − 1} tasks go to
 * the executor; parts are taken from a shared counter, so a busy or slow executor never blocks the call (the caller
 * then does the work); an executor that rejects a task is left to the caller the same way, and one whose
 * {@code execute} throws anything else has that exception rethrown once every part has run (no part writes after a
 * call returns or throws). When the caller has no part left it spins (at most as long as its own parts took) before it
 * parks until the other threads finish: a parked caller would return a thread wake-up later, which cost about a
 * quarter of the two-thread speed-up on the benchmark machine. The executor must run tasks on other threads (a
 * direct executor works, but runs everything on the caller). Validation, errors and NaN behaviour are those of
 * {@link CrossEntropy}, checked once before any part runs. Instances are immutable and thread-safe; a split call
 * allocates a few small objects for its tasks (about 550 bytes for two threads).
 */
public final class ParallelCrossEntropy {

    /** Default size below which a call stays on the calling thread: 2<sup>18</sup> elements (1 MiB of logits). */
    public static final long DEFAULT_MIN_ELEMENTS = 1L << 18;
    /** Classes per chunk when one row is split across threads. */
    public static final int CLASS_CHUNK = 16384;
    /** Rows per part are a multiple of this when the class axis is last (at least the widest vector's lanes). */
    static final int ROW_ALIGN = 64;

    private final CrossEntropy ops;
    private final Kernels kernels;
    private final Executor executor;
    private final int parallelism;
    private final long minElements;

    ParallelCrossEntropy(CrossEntropy ops, Executor executor, int parallelism, long minElements) {
        Checks.notNull("executor", executor);
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism = " + parallelism + " must be at least 1");
        }
        if (minElements < 0) {
            throw new IllegalArgumentException("minElements = " + minElements + " must not be negative");
        }
        this.ops = ops;
        this.kernels = ops.kernels();
        this.executor = executor;
        this.parallelism = parallelism;
        this.minElements = minElements;
    }

    /** The same, staying on the calling thread below {@code minElements} elements. */
    public ParallelCrossEntropy withMinElements(long minElements) {
        return new ParallelCrossEntropy(ops, executor, parallelism, minElements);
    }

    public int parallelism() {
        return parallelism;
    }

    public long minElements() {
        return minElements;
    }

    public Backend backend() {
        return ops.backend();
    }

    /** {@link CrossEntropy#softmaxCrossEntropyWithLogits(float[], Layout, float[], Layout, float[], Layout)}, split across threads. */
    public void softmaxCrossEntropyWithLogits(float[] logits, Layout logitsLayout, float[] labels, Layout labelsLayout,
                                              float[] losses, Layout lossesLayout) {
        CrossEntropy.validateSoftmax(logits, logitsLayout, labels, labelsLayout, losses, lossesLayout);
        if (onCaller(logitsLayout)) {
            kernels.softmaxCrossEntropy(logits, logitsLayout, labels, labelsLayout, losses, lossesLayout);
            return;
        }
        splitRows(logitsLayout, (xl, part) -> kernels.softmaxCrossEntropy(logits, xl,
                labels, part.slice(labelsLayout), losses, part.slice(lossesLayout)));
    }

    /**
     * {@link CrossEntropy#sparseSoftmaxCrossEntropyWithLogits(float[], Layout, int[], Layout, float[], Layout)}, split
     * across threads; a few huge rows are split along the class axis (see the class documentation).
     */
    public void sparseSoftmaxCrossEntropyWithLogits(float[] logits, Layout logitsLayout, int[] labels, Layout labelsLayout,
                                                    float[] losses, Layout lossesLayout) {
        CrossEntropy.validateSparseSoftmax(logits, logitsLayout, labels, labelsLayout, losses, lossesLayout);
        if (onCaller(logitsLayout)) {
            kernels.sparseSoftmaxCrossEntropy(logits, logitsLayout, labels, labelsLayout, losses, lossesLayout);
            return;
        }
        int rows = logitsLayout.rows();
        int classes = logitsLayout.classes();
        if (logitsLayout.classStride() == 1 && rows < 2 * parallelism && classes >= 2 * CLASS_CHUNK
                && logitsLayout.size() >= minElements && parallelism > 1) {
            splitClasses(logits, logitsLayout, labels, labelsLayout, losses, lossesLayout);
            return;
        }
        splitRows(logitsLayout, (xl, part) -> kernels.sparseSoftmaxCrossEntropy(logits, xl,
                labels, part.slice(labelsLayout), losses, part.slice(lossesLayout)));
    }

    /** {@link CrossEntropy#sigmoidCrossEntropyWithLogits(float[], Layout, float[], Layout, float[], Layout)}, split across threads. */
    public void sigmoidCrossEntropyWithLogits(float[] logits, Layout logitsLayout, float[] labels, Layout labelsLayout,
                                              float[] losses, Layout lossesLayout) {
        CrossEntropy.validateSigmoid(logits, logitsLayout, labels, labelsLayout, losses, lossesLayout);
        if (onCaller(logitsLayout)) {
            kernels.sigmoidCrossEntropy(logits, logitsLayout, labels, labelsLayout, losses, lossesLayout);
            return;
        }
        splitRows(logitsLayout, (xl, part) -> kernels.sigmoidCrossEntropy(logits, xl,
                labels, part.slice(labelsLayout), losses, part.slice(lossesLayout)));
    }

    /** {@link CrossEntropy#binaryCrossEntropy(float[], Layout, float[], Layout, float, float[], Layout)}, split across threads. */
    public void binaryCrossEntropy(float[] probabilities, Layout probabilitiesLayout, float[] labels, Layout labelsLayout,
                                   float epsilon, float[] losses, Layout lossesLayout) {
        CrossEntropy.validateBinary(probabilities, probabilitiesLayout, labels, labelsLayout, epsilon, losses, lossesLayout);
        if (onCaller(probabilitiesLayout)) {
            kernels.binaryCrossEntropy(probabilities, probabilitiesLayout, labels, labelsLayout, epsilon, losses, lossesLayout);
            return;
        }
        splitRows(probabilitiesLayout, (pl, part) -> kernels.binaryCrossEntropy(probabilities, pl,
                labels, part.slice(labelsLayout), epsilon, losses, part.slice(lossesLayout)));
    }

    /** {@link CrossEntropy#categoricalCrossEntropy(float[], Layout, float[], Layout, float, float[], Layout)}, split across threads. */
    public void categoricalCrossEntropy(float[] probabilities, Layout probabilitiesLayout, float[] labels, Layout labelsLayout,
                                        float epsilon, float[] losses, Layout lossesLayout) {
        CrossEntropy.validateCategorical(probabilities, probabilitiesLayout, labels, labelsLayout, epsilon, losses, lossesLayout);
        if (onCaller(probabilitiesLayout)) {
            kernels.categoricalCrossEntropy(probabilities, probabilitiesLayout, labels, labelsLayout, epsilon, losses,
                    lossesLayout);
            return;
        }
        splitRows(probabilitiesLayout, (pl, part) -> kernels.categoricalCrossEntropy(probabilities, pl,
                labels, part.slice(labelsLayout), epsilon, losses, part.slice(lossesLayout)));
    }

    /** {@link CrossEntropy#sparseCategoricalCrossEntropy(float[], Layout, int[], Layout, float, float[], Layout)}, split across threads. */
    public void sparseCategoricalCrossEntropy(float[] probabilities, Layout probabilitiesLayout, int[] labels,
                                              Layout labelsLayout, float epsilon, float[] losses, Layout lossesLayout) {
        CrossEntropy.validateSparseCategorical(probabilities, probabilitiesLayout, labels, labelsLayout, epsilon, losses, lossesLayout);
        if (onCaller(probabilitiesLayout)) {
            kernels.sparseCategoricalCrossEntropy(probabilities, probabilitiesLayout, labels, labelsLayout, epsilon, losses,
                    lossesLayout);
            return;
        }
        splitRows(probabilitiesLayout, (pl, part) -> kernels.sparseCategoricalCrossEntropy(probabilities, pl,
                labels, part.slice(labelsLayout), epsilon, losses, part.slice(lossesLayout)));
    }

    // ---- splitting ------------------------------------------------------------------------------------------

    /** A part of a batch: {@code n} in {@code [n0, n1)}, {@code i} in {@code [i0, i1)}. */
    private static final class Part {
        final int n0;
        final int n1;
        final int i0;
        final int i1;

        Part(int n0, int n1, int i0, int i1) {
            this.n0 = n0;
            this.n1 = n1;
            this.i0 = i0;
            this.i1 = i1;
        }

        Layout slice(Layout l) {
            return l.slice(n0, n1, i0, i1);
        }
    }

    private interface PartTask {
        void run(Layout logitsPart, Part part);
    }

    /** Whether a batch stays on the calling thread (checked before any task object is made: no allocation). */
    private boolean onCaller(Layout xl) {
        return xl.size() < minElements || parallelism < 2 || xl.rows() == 0;
    }

    private void splitRows(Layout xl, PartTask task) {
        Part[] parts = parts(xl);
        if (parts.length == 1) {
            task.run(xl, parts[0]);
            return;
        }
        runAll(parts.length, k -> task.run(parts[k].slice(xl), parts[k]));
    }

    /** Cuts a batch into about {@code parallelism} parts of aligned sizes (called only when not {@link #onCaller}). */
    private Part[] parts(Layout xl) {
        int outer = xl.outer();
        int inner = xl.inner();
        int want = parallelism; // the ops took the calling thread already when onCaller(xl)
        if (inner == 1) {
            // class axis last: a row of at least ROW_ALIGN classes gets the same bits in any batch (its loss depends on
            // its own logits only, whichever rows share its group of logs), so any split gives the same bits;
            // fewer classes are packed ROW_ALIGN rows to a tile, so parts are whole multiples of ROW_ALIGN rows
            int align = xl.classes() >= ROW_ALIGN ? 1 : ROW_ALIGN;
            return spread(outer / align, want, (k0, k1, last) -> new Part(k0 * align, last ? outer : k1 * align, 0, 1));
        }
        if (outer >= want) {
            return spread(outer, want, (k0, k1, last) -> new Part(k0, k1, 0, inner));
        }
        // fewer n than parts: each n's inner range in ROW_ALIGN-aligned pieces
        int per = Math.min((want + outer - 1) / outer, inner / ROW_ALIGN);
        if (per < 2) {
            return spread(outer, want, (k0, k1, last) -> new Part(k0, k1, 0, inner));
        }
        Part[] parts = new Part[outer * per];
        for (int n = 0; n < outer; n++) {
            int m = n;
            Part[] row = spread(inner / ROW_ALIGN, per,
                    (k0, k1, last) -> new Part(m, m + 1, k0 * ROW_ALIGN, last ? inner : k1 * ROW_ALIGN));
            System.arraycopy(row, 0, parts, n * per, per);
        }
        return parts;
    }

    private interface PartFactory {
        Part make(int k0, int k1, boolean last);
    }

    /** {@code count} parts of {@code units} units, as even as whole units allow (one part if there are fewer units). */
    private static Part[] spread(int units, int count, PartFactory factory) {
        int c = Math.max(1, Math.min(count, units));
        Part[] parts = new Part[c];
        for (int k = 0; k < c; k++) {
            parts[k] = factory.make((int) ((long) units * k / c), (int) ((long) units * (k + 1) / c), k == c - 1);
        }
        return parts;
    }

    /** The first of {@code count} chunk maxima from {@code at} equal to the row's maximum {@code m}, −1 if none (NaN). */
    private static int firstAtMax(float[] maxima, int at, int count, float m) {
        for (int j = 0; j < count; j++) {
            if (maxima[at + j] == m) {
                return j;
            }
        }
        return -1;
    }

    /** One huge row per few threads: chunk maxima, then chunk sums with the row maximum, merged in class order. */
    private void splitClasses(float[] x, Layout xl, int[] y, Layout yl, float[] out, Layout ol) {
        int rows = xl.rows();
        int classes = xl.classes();
        int chunks = (classes + CLASS_CHUNK - 1) / CLASS_CHUNK;
        float[] maxima = new float[rows * chunks];
        double[] sums = new double[rows * chunks];
        runAll(rows * chunks, k -> {
            int r = k / chunks;
            int c0 = (k % chunks) * CLASS_CHUNK;
            maxima[k] = kernels.max(x, xl.rowIndex(r) + c0, Math.min(CLASS_CHUNK, classes - c0));
        });
        float[] rowMax = new float[rows];
        for (int r = 0; r < rows; r++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < chunks; j++) {
                m = Math.max(m, maxima[r * chunks + j]);
            }
            rowMax[r] = m;
        }
        runAll(rows * chunks, k -> {
            int r = k / chunks;
            int j = k % chunks;
            int c0 = j * CLASS_CHUNK;
            // the first chunk that holds the row's maximum sums d_j − 1 (its exact 1 left out), so that the row's
            // d − 1 = Σ_j of these keeps a confident row's small sum to its relative precision for log1p
            int less = j == firstAtMax(maxima, r * chunks, chunks, rowMax[r]) ? 1 : 0;
            sums[k] = kernels.sumExp(x, xl.rowIndex(r) + c0, Math.min(CLASS_CHUNK, classes - c0), rowMax[r], less);
        });
        for (int r = 0; r < rows; r++) {
            double u = firstAtMax(maxima, r * chunks, chunks, rowMax[r]) < 0 ? -1 : 0; // no chunk at m: only for NaN data
            for (int j = 0; j < chunks; j++) {
                u += sums[r * chunks + j];
            }
            float m = rowMax[r];
            out[ol.rowIndex(r)] = (float) ((m - x[xl.rowIndex(r) + y[yl.rowIndex(r)]]) + Math.log1p(u));
        }
    }

    private interface IndexedTask {
        void run(int k);
    }

    /**
     * Runs {@code task(0 .. count)} on the calling thread and up to {@code parallelism − 1} executor tasks, each
     * index once, and returns when all have run. Indices come from a shared counter, so the call finishes even if
     * the executor never starts a task.
     */
    private void runAll(int count, IndexedTask task) {
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int k; (k = next.getAndIncrement()) < count; ) {
                try {
                    task.run(k);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }
        };
        int helpers = Math.min(parallelism, count) - 1;
        for (int h = 0; h < helpers; h++) {
            try {
                executor.execute(worker);
            } catch (RejectedExecutionException e) {
                break; // the calling thread does the rest
            } catch (RuntimeException | Error e) {
                // a broken executor: the calling thread does the rest, waits for the tasks already accepted (so
                // nothing writes after the call returns) and then throws this
                failure.compareAndSet(null, e);
                break;
            }
        }
        long start = System.nanoTime();
        worker.run();
        // the other threads' last parts are about as long as the caller's: spin for at most that long before
        // parking, so the call returns as soon as they finish instead of one thread wake-up later
        long now = System.nanoTime();
        long spinUntil = now + (now - start);
        while (done.getCount() != 0 && System.nanoTime() - spinUntil < 0) {
            Thread.onSpinWait();
        }
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
    }
}
