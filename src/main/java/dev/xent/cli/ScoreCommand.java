package dev.xent.cli;

import dev.xent.CrossEntropy;
import dev.xent.KerasLoss;
import dev.xent.Layout;
import dev.xent.LossOptions;
import dev.xent.Semantics;
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

    @Option(names = "--reduction", paramLabel = "R",
            description = "none, sum, sum-over-batch-size or mean (default sum-over-batch-size; mean with --semantics pytorch)")
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

    // ---- training options (issue 5) ----

    @Option(names = "--class-weights", paramLabel = "FILE", description = "one weight per class (.npy)")
    Path classWeights;

    @Option(names = "--ignore-index", paramLabel = "I",
            description = "sparse labels equal to I give loss 0 and gradient 0 and are not counted (default none; -100 with --semantics pytorch)")
    Integer ignoreIndex;

    @Option(names = "--label-smoothing", paramLabel = "LS", description = "label smoothing in [0, 1] (default 0)")
    Float labelSmoothing;

    @Option(names = "--pos-weight", paramLabel = "Q", description = "sigmoid-ce, binary-ce: weight of the positive term")
    Float posWeight;

    @Option(names = "--pos-weight-file", paramLabel = "FILE", description = "sigmoid-ce, binary-ce: one positive weight per class (.npy)")
    Path posWeightFile;

    @Option(names = "--z-loss", paramLabel = "S", description = "softmax losses from logits: add S*lse^2 per row; JSON gains lse_mean")
    Float zLoss;

    @Option(names = "--softcap", paramLabel = "CAP", description = "losses from logits: x <- CAP*tanh(x/CAP) first")
    Float softcap;

    @Option(names = "--semantics", defaultValue = "keras", paramLabel = "S",
            description = "keras or pytorch: mean over nothing 0 or NaN, probabilities clipped to [eps, 1-eps] or each log clamped at -100 (default ${DEFAULT-VALUE})")
    String semantics;

    @Option(names = "--grad-out", paramLabel = "FILE",
            description = "write d(reduced)/d(predictions), float32 .npy of the predictions' shape (reduction none: of the weighted sum)")
    Path gradOut;

    @Option(names = "--log-probs-out", paramLabel = "FILE",
            description = "softmax losses from logits: write the log-probabilities (float32 .npy, the predictions' shape)")
    Path logProbsOut;

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
        Semantics sem = usage(() -> Semantics.parse(semantics));
        Reduction red = reduction == null ? (sem == Semantics.PYTORCH ? Reduction.MEAN : Reduction.SUM_OVER_BATCH_SIZE)
                : parseReduction(reduction);
        boolean withOptions = classWeights != null || ignoreIndex != null || labelSmoothing != null || posWeight != null
                || posWeightFile != null || zLoss != null || softcap != null || sem == Semantics.PYTORCH || gradOut != null;
        if (posWeight != null && posWeightFile != null) {
            throw new CliException(CliException.USAGE, "--pos-weight and --pos-weight-file exclude each other");
        }
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

        LossOptions opts = null;
        if (withOptions) {
            opts = options(kind, sem, red, job);
            if (weights != null && job.elementwise() && weights.length != job.rows()) {
                throw new CliException(CliException.USAGE, "--sample-weights with sigmoid-ce and training options: one weight per row ("
                        + job.rows() + "), not per element");
            }
        }
        if (zLoss != null && zLoss != 0f && !job.softmaxFromLogits()) {
            throw new CliException(CliException.USAGE, "--z-loss needs a softmax loss from logits (softmax-ce, sparse-softmax-ce, or --from-logits)");
        }
        if (softcap != null && softcap != 0f && !job.fromLogits()) {
            throw new CliException(CliException.USAGE, "--softcap needs logits (--from-logits)");
        }
        if ((posWeight != null || posWeightFile != null) && job.classLabels()) {
            throw new CliException(CliException.USAGE, "--pos-weight and --pos-weight-file apply to sigmoid-ce and binary-ce only");
        }
        if (logProbsOut != null && !job.softmaxFromLogits()) {
            throw new CliException(CliException.USAGE, "--log-probs-out needs a softmax loss from logits (softmax-ce, sparse-softmax-ce, or --from-logits)");
        }
        final LossOptions options = opts;
        final float[] sw = weights;
        boolean hasIgnore = options != null && options.hasIgnoreIndex() && kind.sparse();

        // compute
        long t0 = System.nanoTime();
        float[] losses;
        Double reduced = null;
        float[] grad = null;
        float[] lse = null;
        Layout flat = Layout.vector(job.lossCount());
        if (options != null) {
            losses = new float[job.lossCount()];
            grad = gradOut == null ? null : new float[job.elements()];
            lse = options.zLoss() != 0f ? new float[job.rows()] : null;
            double v;
            try {
                v = job.runWithOptions(ops, options, sw, losses, grad, lse);
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.DATA, e.getMessage());
            }
            reduced = red == Reduction.NONE ? null : v;
        } else {
            losses = job.run(ops);
            if (red != Reduction.NONE) {
                reduced = red.reduce(losses, flat, weights, weights == null ? null : flat);
            }
        }
        double elapsedMs = (System.nanoTime() - t0) / 1e6;
        Double accuracy = data(() -> job.accuracy(ops, hasIgnore, hasIgnore ? options.ignoreIndex() : 0));
        Double lseMean = null;
        if (lse != null) {
            double sum = 0;
            int n = 0;
            for (int r = 0; r < lse.length; r++) {
                if (!(hasIgnore && job.isIgnored(r, options.ignoreIndex()))) {
                    sum += lse[r];
                    n++;
                }
            }
            lseMean = n == 0 ? Double.NaN : sum / n;
        }

        Diff diff = null;
        if (check) {
            if (options != null) {
                float[] ref = new float[job.lossCount()];
                job.runWithOptions(CrossEntropy.of(dev.xent.Backend.REFERENCE), options, weights, ref, null, null);
                double[] refD = new double[ref.length];
                for (int k = 0; k < ref.length; k++) {
                    refD[k] = ref[k];
                }
                diff = Diff.of(losses, refD, 0, 0);
            } else {
                diff = Diff.of(losses, job.reference(), 0, 0);
            }
        }
        float[] logProbs = logProbsOut == null ? null : job.logProbabilities(ops, options == null ? 0f : options.softcap());

        if (out != null) {
            float[] written = losses;
            if (weights != null) {
                written = losses.clone();
                for (int k = 0; k < written.length; k++) {
                    written[k] *= weights[k];
                }
            }
            write(out, job.lossShape(), written);
        }
        if (grad != null) {
            write(gradOut, p.shape(), grad);
        }
        if (logProbs != null) {
            write(logProbsOut, p.shape(), logProbs);
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
            if (accuracy != null) {
                j.put("accuracy", accuracy);
            }
            if (options != null) {
                j.put("semantics", sem.name().toLowerCase(Locale.ROOT));
            }
            if (lseMean != null) {
                j.put("lse_mean", lseMean);
            }
            j.put("out", out == null ? null : out.toString());
            if (gradOut != null) {
                j.put("grad_out", gradOut.toString());
            }
            if (logProbsOut != null) {
                j.put("log_probs_out", logProbsOut.toString());
            }
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
            if (accuracy != null) {
                stdout.printf(Locale.ROOT, "accuracy:    %s%n", accuracy);
            }
            if (options != null) {
                stdout.printf(Locale.ROOT, "options:     %s%n", options);
            }
            if (lseMean != null) {
                stdout.printf(Locale.ROOT, "lse mean:    %s%n", lseMean);
            }
            if (out != null) {
                stdout.printf(Locale.ROOT, "out:         %s%n", out);
            }
            if (gradOut != null) {
                stdout.printf(Locale.ROOT, "grad out:    %s%n", gradOut);
            }
            if (logProbsOut != null) {
                stdout.printf(Locale.ROOT, "log-probs:   %s%n", logProbsOut);
            }
        }
        stdout.flush();
        return 0;
    }

    private LossOptions options(LossKind kind, Semantics sem, Reduction red, LossJob job) throws IOException {
        LossOptions.Builder b = sem == Semantics.PYTORCH ? LossOptions.pytorch() : LossOptions.keras();
        b.reduction(red);
        if (!kind.sparse()) {
            b.noIgnoreIndex();
        }
        try {
            b.epsilon(epsilon);
            if (ignoreIndex != null) {
                b.ignoreIndex(ignoreIndex);
            }
            if (labelSmoothing != null) {
                b.labelSmoothing(labelSmoothing);
            }
            if (posWeight != null) {
                b.posWeight(posWeight);
            }
            if (zLoss != null) {
                b.zLoss(zLoss);
            }
            if (softcap != null) {
                b.softcap(softcap);
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, e.getMessage());
        }
        try {
            if (classWeights != null) {
                b.classWeights(perClass(classWeights, "class weights", job.classes()));
            }
            if (posWeightFile != null) {
                b.posWeight(perClass(posWeightFile, "pos weights", job.classes()));
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.DATA, e.getMessage());
        }
        return b.build();
    }

    private static float[] perClass(Path file, String what, int classes) throws IOException {
        Npy.Array a = Npy.read(file);
        if (a.size() != classes || a.shape().length > 1) {
            throw new CliException(CliException.DATA, what + " " + file + " has shape " + Arrays.toString(a.shape())
                    + "; expected [" + classes + "] (one per class)");
        }
        return a.toFloats(true);
    }

    private static void write(Path file, int[] shape, float[] values) {
        try {
            Npy.writeFloat32(file, shape, values);
        } catch (IOException e) {
            throw new CliException(CliException.DATA, "cannot write " + file + ": " + Main.describe(e));
        }
    }

    private static <T> T data(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.DATA, e.getMessage());
        }
    }

    private static <T> T usage(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, e.getMessage());
        }
    }
}
