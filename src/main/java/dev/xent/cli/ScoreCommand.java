package dev.xent.cli;

import dev.xent.CrossEntropy;
import dev.xent.KerasLoss;
import dev.xent.Layout;
import dev.xent.Reduction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code xent score}: one loss over {@code .npy} predictions and labels, reduced, optionally checked against
 * the float64 reference and written out unreduced.
 *
 * <p>Behaviour worth knowing:
 * <ul>
 *   <li>{@code --reduction none} has no single value: the summary shows {@code reduced: none} (JSON
 *       {@code "reduced": null}); the losses go to {@code --out} when given.</li>
 *   <li>{@code --out} gets the unreduced losses as float32, multiplied by the sample weights when
 *       {@code --sample-weights} is given (Keras {@code reduction="none"}); {@code --check} compares the
 *       unweighted losses with the float64 reference.</li>
 *   <li>{@code elapsed_ms} is the time of the loss computation and its reduction, without file I/O and
 *       without the {@code --check} reference.</li>
 *   <li>In JSON, NaN and infinities are the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.</li>
 *   <li>Exit codes: 0 success, 1 data error, 2 usage error (see {@link CliException}). Nothing is written to
 *       {@code --out} unless everything succeeded.</li>
 * </ul>
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Compute a cross-entropy loss over .npy predictions and labels.",
        footer = {"",
            "--out gets the unreduced losses (float32; times the sample weights when given): the predictions' shape",
            "without the class axis (sigmoid-ce: the predictions' shape). With --reduction none, 'reduced' is none/null.",
            "elapsed is the loss computation and reduction only (no file I/O, no --check; includes JIT warm-up).",
            "JSON: one object on one line; NaN and infinities are the strings \"NaN\", \"Infinity\", \"-Infinity\".",
            "Exit status: 0 success, 1 data error (file, dtype, shape, label), 2 usage error (option, loss, backend)."})
public final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--loss", required = true, paramLabel = "L",
            description = "softmax-ce, sparse-softmax-ce, sigmoid-ce, binary-ce, categorical-ce or sparse-categorical-ce")
    String loss;

    @Option(names = "--predictions", required = true, paramLabel = "P.npy", description = "logits or probabilities (float32 or float64)")
    Path predictions;

    @Option(names = "--labels", required = true, paramLabel = "Y.npy",
            description = "dense labels of the predictions' shape, or integer labels for the sparse losses")
    Path labels;

    @Option(names = "--from-logits", description = "binary-ce, categorical-ce, sparse-categorical-ce: predictions are logits")
    boolean fromLogits;

    @Option(names = "--axis", defaultValue = "-1", paramLabel = "K", description = "class axis; negative counts from the end (default ${DEFAULT-VALUE})")
    int axis;

    @Option(names = "--epsilon", defaultValue = "1e-7", paramLabel = "E", description = "probability clip bound (default ${DEFAULT-VALUE})")
    float epsilon;

    @Option(names = "--reduction", defaultValue = "sum-over-batch-size", paramLabel = "R",
            description = "none, sum, sum-over-batch-size or mean (default ${DEFAULT-VALUE})")
    String reduction;

    @Option(names = "--sample-weights", paramLabel = "W.npy", description = "one weight per loss element")
    Path sampleWeights;

    @Option(names = "--backend", defaultValue = "auto", paramLabel = "B", description = "auto, vector, scalar or reference (default ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--out", paramLabel = "OUT.npy", description = "write the unreduced losses (float32 .npy)")
    Path out;

    @Option(names = "--check", description = "compare with the float64 reference and report the largest errors")
    boolean check;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    /** Parses a reduction name: {@code none}, {@code sum}, {@code sum-over-batch-size} or {@code mean} ({@code _} accepted). */
    static Reduction parseReduction(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "none":
                return Reduction.NONE;
            case "sum":
                return Reduction.SUM;
            case "sum-over-batch-size":
                return Reduction.SUM_OVER_BATCH_SIZE;
            case "mean":
                return Reduction.MEAN;
            default:
                throw new CliException(CliException.USAGE, "unknown reduction '" + name
                        + "' (expected none, sum, sum-over-batch-size or mean)");
        }
    }

    /** The command-line name of a reduction. */
    static String reductionName(Reduction r) {
        return r.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        // usage: everything that does not need the data
        LossKind kind = usage(() -> LossKind.parse(loss));
        Reduction red = parseReduction(reduction);
        usage(() -> KerasLoss.binaryCrossentropy().epsilon(epsilon));
        CrossEntropy ops = Backends.resolve(backend);

        // data
        Npy.Array p = Npy.read(predictions);
        float[] pred = p.toFloats(false);
        Npy.Array y = Npy.read(labels);
        Object lab = kind.sparse() ? y.toInts() : y.toFloats(true);
        LossJob job = new LossJob(kind, fromLogits, axis, epsilon, pred, p.shape(), lab, y.shape());
        float[] weights = null;
        if (sampleWeights != null) {
            Npy.Array w = Npy.read(sampleWeights);
            int[] ws = w.shape();
            if (!Arrays.equals(ws, job.lossShape()) && !(ws.length == 1 && ws[0] == job.lossCount())) {
                throw new CliException(CliException.DATA, "sample weights shape " + Arrays.toString(ws)
                        + " does not match the losses' shape " + Arrays.toString(job.lossShape()));
            }
            weights = w.toFloats(true);
        }

        // compute
        long t0 = System.nanoTime();
        float[] losses = job.run(ops);
        Double reduced = null;
        Layout flat = Layout.vector(losses.length);
        if (red != Reduction.NONE) {
            reduced = red.reduce(losses, flat, weights, weights == null ? null : flat);
        }
        double elapsedMs = (System.nanoTime() - t0) / 1e6;

        Diff diff = check ? Diff.of(losses, job.reference(), 0, 0) : null;

        if (out != null) {
            float[] written = losses;
            if (weights != null) {
                written = losses.clone();
                for (int k = 0; k < written.length; k++) {
                    written[k] *= weights[k];
                }
            }
            try {
                Npy.writeFloat32(out, job.lossShape(), written);
            } catch (IOException e) {
                throw new CliException(CliException.DATA, "cannot write " + out + ": " + Main.describe(e));
            }
        }

        String name = kind.cliName();
        if (json) {
            Json j = new Json()
                    .put("loss", name)
                    .put("from_logits", job.fromLogits())
                    .put("reduced", reduced)
                    .put("reduction", reductionName(red))
                    .put("backend", ops.backend().name().toLowerCase(Locale.ROOT))
                    .put("species", ops.species())
                    .put("rows", job.rows())
                    .put("classes", job.classes())
                    .put("losses", job.lossCount())
                    .put("loss_shape", job.lossShape())
                    .put("sample_weights", weights != null)
                    .put("elapsed_ms", elapsedMs);
            if (diff != null) {
                j.put("max_abs_err", diff.maxAbs()).put("max_rel_err", diff.maxRel());
            }
            j.put("out", out == null ? null : out.toString());
            stdout.println(j);
        } else {
            stdout.printf(Locale.ROOT, "loss:        %s%s%n", name, job.fromLogits() ? " (from logits)" : " (from probabilities)");
            stdout.printf(Locale.ROOT, "predictions: %s %s, class axis %d%n", p.dtype().descr(), Arrays.toString(p.shape()), axis);
            stdout.printf(Locale.ROOT, "rows:        %d%n", job.rows());
            stdout.printf(Locale.ROOT, "classes:     %d%n", job.classes());
            stdout.printf(Locale.ROOT, "losses:      %d %s%s%n", job.lossCount(), Arrays.toString(job.lossShape()),
                    weights != null ? ", weighted" : "");
            stdout.printf(Locale.ROOT, "reduction:   %s%n", reductionName(red));
            stdout.printf(Locale.ROOT, "reduced:     %s%n", reduced == null ? "none" : Double.toString(reduced));
            stdout.printf(Locale.ROOT, "backend:     %s%s%n", ops.backend().name().toLowerCase(Locale.ROOT),
                    ops.backend() == dev.xent.Backend.SCALAR && !CrossEntropy.vectorAvailable() && "auto".equalsIgnoreCase(backend.trim())
                            ? " (vector backend unavailable: " + Backends.ADD_MODULES + ")" : "");
            stdout.printf(Locale.ROOT, "species:     %s%n", ops.species());
            stdout.printf(Locale.ROOT, "elapsed:     %.3f ms%n", elapsedMs);
            if (diff != null) {
                stdout.printf(Locale.ROOT, "max abs err: %s%n", diff.maxAbs());
                stdout.printf(Locale.ROOT, "max rel err: %s%n", diff.maxRel());
            }
            if (out != null) {
                stdout.printf(Locale.ROOT, "out:         %s%n", out);
            }
        }
        stdout.flush();
        return 0;
    }

    private static <T> T usage(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, e.getMessage());
        }
    }
}
