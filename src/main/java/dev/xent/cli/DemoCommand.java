package dev.xent.cli;

import dev.xent.CrossEntropy;
import dev.xent.KerasLoss;
import dev.xent.LossOptions;
import dev.xent.Reduction;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code xent demo}: runs every bundled real data set through its losses on the vector (when it can run),
 * scalar and reference backends and compares each result with the PyTorch / NumPy float64 references of
 * {@code manifest.json}, elementwise and (where the manifest has one) for the mean.
 *
 * <p>A result fails when {@code |a − r| > 1e-6 + 1e-5·|r|} for any element (or the mean); then the exit code
 * is 1. The PyTorch binary CE (log clamp) and the label-smoothing mean run with {@link LossOptions}. Elements per
 * nanosecond (prediction elements over the time of one loss computation, after a warm-up) is informational.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the bundled real data sets on every backend and compare with the PyTorch references.")
public final class DemoCommand implements Callable<Integer> {

    static final double ABS_TOL = 1e-6;
    static final double REL_TOL = 1e-5;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "the data directory with manifest.json (default: ./data, else <jar dir>/../data)")
    Path data;

    @Option(names = "--warmup-ms", defaultValue = "1000", paramLabel = "MS",
            description = "least warm-up per data set and backend before timing, extended up to 4x while the JIT still compiles (default ${DEFAULT-VALUE}; the Vector API is very slow until C2 compiles it)")
    long warmupMs;

    @Option(names = "--time-ms", defaultValue = "100", paramLabel = "MS", description = "timed run per data set and backend (default ${DEFAULT-VALUE})")
    long timeMs;

    /** Labels as stored, or one-hot rows built from integer labels. */
    private enum LabelForm { AS_IS, ONE_HOT }

    /** One demo row: a data set, a loss and the reference it is compared with. */
    private static final class Case {
        final String dataset;
        final String predictionsKey;
        final LossKind kind;
        final boolean fromLogits;
        final int axis;
        final LabelForm labels;
        final String referenceKey;
        final String meanKey;
        final String note;
        final LossOptions options;

        Case(String dataset, String predictionsKey, LossKind kind, boolean fromLogits, int axis, LabelForm labels,
             String referenceKey, String meanKey) {
            this(dataset, predictionsKey, kind, fromLogits, axis, labels, referenceKey, meanKey, null);
        }

        Case(String dataset, String predictionsKey, LossKind kind, boolean fromLogits, int axis, LabelForm labels,
             String referenceKey, String meanKey, String note) {
            this(dataset, predictionsKey, kind, fromLogits, axis, labels, referenceKey, meanKey, note, null);
        }

        Case(String dataset, String predictionsKey, LossKind kind, boolean fromLogits, int axis, LabelForm labels,
             String referenceKey, String meanKey, String note, LossOptions options) {
            this.dataset = dataset;
            this.predictionsKey = predictionsKey;
            this.kind = kind;
            this.fromLogits = fromLogits;
            this.axis = axis;
            this.labels = labels;
            this.referenceKey = referenceKey;
            this.meanKey = meanKey;
            this.note = note;
            this.options = options;
        }

        String lossName() {
            String base = kind.cliName();
            if (!kind.alwaysLogits()) {
                base += fromLogits ? " logits" : " probs";
            }
            if (labels == LabelForm.ONE_HOT) {
                base += ", one-hot";
            }
            return base + (axis != -1 ? " axis " + axis : "") + (note != null ? ", " + note : "");
        }
    }

    private static final List<Case> CASES = List.of(
            new Case("digits", "logits", LossKind.SPARSE_SOFTMAX_CE, true, -1, LabelForm.AS_IS,
                    "digits.sparse_softmax_ce.none", "digits.sparse_softmax_ce.mean"),
            new Case("digits", "logits", LossKind.SOFTMAX_CE, true, -1, LabelForm.ONE_HOT,
                    "digits.softmax_ce.onehot.none", "digits.sparse_softmax_ce.mean"),
            new Case("digits", "probs", LossKind.CATEGORICAL_CE, false, -1, LabelForm.ONE_HOT,
                    "digits.categorical_ce_probs.keras.none", null),
            new Case("breast_cancer", "logits", LossKind.SIGMOID_CE, true, -1, LabelForm.AS_IS,
                    "breast_cancer.sigmoid_ce.none", "breast_cancer.sigmoid_ce.mean"),
            new Case("breast_cancer", "probs", LossKind.BINARY_CE, false, -1, LabelForm.AS_IS,
                    "breast_cancer.binary_ce_probs.keras.none", null),
            new Case("digits_ovr", "logits", LossKind.SIGMOID_CE, true, -1, LabelForm.AS_IS,
                    "digits_ovr.sigmoid_ce.none", null),
            new Case("china_segmentation", "logits", LossKind.SPARSE_SOFTMAX_CE, true, 1, LabelForm.AS_IS,
                    "china_segmentation.sparse_softmax_ce.none", "china_segmentation.sparse_softmax_ce.mean"),
            new Case("breast_cancer", "probs", LossKind.BINARY_CE, false, -1, LabelForm.AS_IS,
                    "breast_cancer.binary_ce_probs.torch.none", null, "pytorch",
                    LossOptions.pytorch().build()),
            new Case("digits", "logits", LossKind.SPARSE_SOFTMAX_CE, true, -1, LabelForm.AS_IS,
                    null, "digits.sparse_softmax_ce.label_smoothing_0.1.mean", "smoothing 0.1",
                    LossOptions.pytorch().labelSmoothing(0.1f).build()));

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Manifest m = Manifest.read(dataDir());

        List<CrossEntropy> backends = new ArrayList<>();
        String[] why = new String[1];
        CrossEntropy vector = Backends.vectorOrNull(why);
        if (vector != null) {
            backends.add(vector);
        }
        backends.add(Backends.resolve("scalar"));
        backends.add(Backends.resolve("reference"));

        out.printf(Locale.ROOT, "xent demo: the bundled data sets in %s against their PyTorch / NumPy float64 references%n", m.dir());
        out.printf(Locale.ROOT, "vector backend: %s%n", vector != null ? vector.species() : "not available (" + why[0] + ")");
        out.printf(Locale.ROOT, "pass: |a - r| <= %.0e + %.0e*|r| for every loss and mean%n%n", ABS_TOL, REL_TOL);
        String fmt = "%-19s %-34s %-9s %12s %10s %10s %10s %9s  %s%n";
        out.printf(Locale.ROOT, fmt, "data set", "loss", "backend", "mean loss", "max abs", "max rel", "mean rel", "el/ns", "result");

        int failures = 0;
        int results = 0;
        for (Case c : CASES) {
            LossJob job = job(m, c);
            double[] ref = c.referenceKey == null ? null : Npy.read(m.referenceFile(c.referenceKey)).toDoubles();
            Double refMean = c.meanKey == null ? null : m.referenceValue(c.meanKey);
            for (CrossEntropy ops : backends) {
                float[] losses = job.run(ops);
                if (c.options != null) {
                    job.runWithOptions(ops, c.options, null, losses, null, null);
                }
                double mean = Reduction.SUM_OVER_BATCH_SIZE.reduce(losses, 0, losses.length);
                Diff d = ref == null ? Diff.of(mean, refMean, ABS_TOL, REL_TOL) : Diff.of(losses, ref, ABS_TOL, REL_TOL);
                Diff dm = refMean == null ? null : Diff.of(mean, refMean, ABS_TOL, REL_TOL);
                boolean ok = d.failures() == 0 && (dm == null || dm.failures() == 0);
                results++;
                if (!ok) {
                    failures++;
                }
                double elPerNs = throughput(job, ops, losses.clone());
                out.printf(Locale.ROOT, fmt, c.dataset, c.lossName(), ops.backend().name().toLowerCase(Locale.ROOT),
                        String.format(Locale.ROOT, "%.9f", mean), sci(d.maxAbs()), sci(d.maxRel()),
                        dm == null ? "-" : sci(dm.maxRel()), String.format(Locale.ROOT, "%.3f", elPerNs),
                        ok ? "ok" : "FAIL (" + d.failures() + " losses" + (dm != null && dm.failures() > 0 ? ", mean" : "") + ")");
            }
        }
        out.println();
        out.printf(Locale.ROOT, "max abs / max rel: the largest differences of the per-example losses (the mean alone where the"
                + " reference is a mean); a tiny reference makes max rel large while max abs passes%n");
        out.printf(Locale.ROOT, "demo: %d results, %s%n", results,
                failures == 0 ? "all within the tolerance" : failures + " outside the tolerance");
        out.flush();
        if (failures > 0) {
            throw new CliException(CliException.DATA, "demo: " + failures + " result(s) outside the tolerance");
        }
        return 0;
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.2e", v);
    }

    private static LossJob job(Manifest m, Case c) throws IOException {
        Npy.Array p = Npy.read(m.file(c.dataset, c.predictionsKey));
        Npy.Array y = Npy.read(m.file(c.dataset, "labels"));
        int[] shape = p.shape();
        Object labels;
        int[] labelsShape;
        if (c.labels == LabelForm.ONE_HOT) {
            int classes = shape[LossJob.axisIndex(c.axis, shape.length)];
            int[] idx = y.toInts();
            labels = oneHot(idx, classes, y.file());
            labelsShape = shape;
        } else {
            labels = c.kind.sparse() ? y.toInts() : y.toFloats(true);
            labelsShape = y.shape();
        }
        return new LossJob(c.kind, c.fromLogits, c.axis, KerasLoss.DEFAULT_EPSILON, p.toFloats(false), shape, labels, labelsShape);
    }

    /** One-hot rows {@code [N, classes]} for class indices in {@code [0, classes)} (class axis last). */
    static float[] oneHot(int[] labels, int classes, Path file) {
        float[] t = new float[Math.multiplyExact(labels.length, classes)];
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] < 0 || labels[r] >= classes) {
                throw new IllegalArgumentException(file + ": label " + labels[r] + " at " + r + " is outside [0, " + classes + ")");
            }
            t[r * classes + labels[r]] = 1f;
        }
        return t;
    }

    /**
     * Prediction elements per nanosecond of one loss computation (informational): warm up for
     * {@code --warmup-ms} (so C2 compiles the kernels; the Vector API is very slow before that), and on, in quarters
     * of it up to four times as long, while the JIT still finished compilations during the last quarter (the JVM's
     * first rows often need more than a second, longer on a loaded machine); then time at least one run and about
     * {@code --time-ms}.
     */
    private double throughput(LossJob job, CrossEntropy ops, float[] scratch) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watchJit = jit != null && jit.isCompilationTimeMonitoringSupported();
        long quarter = warmupMs * 250_000L;
        long jitMs = watchJit ? jit.getTotalCompilationTime() : 0;
        for (int q = 0; q < 16 && quarter > 0; q++) {
            long begin = System.nanoTime();
            do {
                job.runInto(ops, scratch);
            } while (System.nanoTime() - begin < quarter);
            long jitNow = watchJit ? jit.getTotalCompilationTime() : 0;
            if (q >= 3 && jitNow == jitMs) {
                break; // at least --warmup-ms, and no compilation finished in the last quarter
            }
            jitMs = jitNow;
        }
        int reps = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            job.runInto(ops, scratch);
            reps++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < timeMs * 1_000_000L);
        return (double) job.elements() * reps / elapsed;
    }

    /** {@code --data}, else {@code ./data}, else {@code <jar dir>/../data}. */
    private Path dataDir() {
        if (data != null) {
            return data;
        }
        Path local = Paths.get("data");
        if (Files.isRegularFile(local.resolve("manifest.json"))) {
            return local;
        }
        try {
            Path jar = Paths.get(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path beside = jar.getParent() == null ? null : jar.getParent().resolve("../data").normalize();
            if (beside != null && Files.isRegularFile(beside.resolve("manifest.json"))) {
                return beside;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the error below
        }
        throw new CliException(CliException.DATA, "no data directory: neither ./data nor <jar dir>/../data has a manifest.json; use --data DIR");
    }
}
