package dev.xent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xent.CrossEntropy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code xent score} on every bundled data set, checked against the PyTorch / NumPy float64 references and
 * the means of {@code data/manifest.json} (values taken from the manifest text, not from the CLI).
 */
class ScoreCommandTest {

    static final double ABS = 1e-6;
    static final double REL = 1e-5;
    static final ObjectMapper JSON = new ObjectMapper();

    // data/manifest.json "references"
    static final double DIGITS_SPARSE_MEAN = 0.0645997196765817;
    static final double BREAST_CANCER_SIGMOID_MEAN = 0.15530013339960438;
    static final double CHINA_SPARSE_MEAN = 0.23227372132215393;

    @TempDir
    static Path shared;
    static Path digitsOneHot;

    @TempDir
    Path dir;

    @BeforeAll
    static void oneHotLabels() throws IOException {
        int[] y = Npy.read(Cli.DATA.resolve("digits_labels.npy")).toInts();
        float[] t = new float[y.length * 10];
        for (int r = 0; r < y.length; r++) {
            t[r * 10 + y[r]] = 1f;
        }
        digitsOneHot = shared.resolve("digits_onehot.npy");
        Npy.writeFloat32(digitsOneHot, new int[] {y.length, 10}, t);
    }

    static boolean vectorUsable() {
        return CrossEntropy.vectorAvailable() && Backends.vectorOrNull(new String[1]) != null;
    }

    /** name, extra CLI arguments, reference file, reference mean (or NaN: the mean of the reference file). */
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : List.of("scalar", "reference", "vector")) {
            out.add(Arguments.of(backend, "digits sparse-softmax-ce",
                    args("sparse-softmax-ce", "digits_logits.npy", Cli.data("digits_labels.npy")),
                    "ref_digits_sparse_softmax_ce_none.npy", DIGITS_SPARSE_MEAN));
            out.add(Arguments.of(backend, "digits sparse-categorical-ce --from-logits",
                    args("sparse-categorical-ce", "digits_logits.npy", Cli.data("digits_labels.npy"), "--from-logits"),
                    "ref_digits_sparse_softmax_ce_none.npy", DIGITS_SPARSE_MEAN));
            out.add(Arguments.of(backend, "digits softmax-ce one-hot",
                    args("softmax-ce", "digits_logits.npy", "ONEHOT"),
                    "ref_digits_softmax_ce_onehot_none.npy", DIGITS_SPARSE_MEAN));
            out.add(Arguments.of(backend, "digits categorical-ce --from-logits one-hot",
                    args("categorical-ce", "digits_logits.npy", "ONEHOT", "--from-logits"),
                    "ref_digits_softmax_ce_onehot_none.npy", DIGITS_SPARSE_MEAN));
            out.add(Arguments.of(backend, "digits categorical-ce probs (Keras)",
                    args("categorical-ce", "digits_probs.npy", "ONEHOT"),
                    "ref_digits_categorical_ce_probs_keras_none.npy", Double.NaN));
            out.add(Arguments.of(backend, "breast_cancer sigmoid-ce",
                    args("sigmoid-ce", "breast_cancer_logits.npy", Cli.data("breast_cancer_labels.npy")),
                    "ref_breast_cancer_sigmoid_ce_none.npy", BREAST_CANCER_SIGMOID_MEAN));
            out.add(Arguments.of(backend, "breast_cancer binary-ce --from-logits",
                    args("binary-ce", "breast_cancer_logits.npy", Cli.data("breast_cancer_labels.npy"), "--from-logits"),
                    "ref_breast_cancer_sigmoid_ce_none.npy", BREAST_CANCER_SIGMOID_MEAN));
            out.add(Arguments.of(backend, "breast_cancer binary-ce probs (Keras)",
                    args("binary-ce", "breast_cancer_probs.npy", Cli.data("breast_cancer_labels.npy")),
                    "ref_breast_cancer_binary_ce_probs_keras_none.npy", Double.NaN));
            out.add(Arguments.of(backend, "digits_ovr sigmoid-ce",
                    args("sigmoid-ce", "digits_ovr_logits.npy", Cli.data("digits_ovr_labels.npy")),
                    "ref_digits_ovr_sigmoid_ce_none.npy", Double.NaN));
            out.add(Arguments.of(backend, "china_seg sparse-softmax-ce --axis 1",
                    args("sparse-softmax-ce", "china_seg_logits.npy", Cli.data("china_seg_labels.npy"), "--axis", "1"),
                    "ref_china_segmentation_sparse_softmax_ce_none.npy", CHINA_SPARSE_MEAN));
            out.add(Arguments.of(backend, "china_seg sparse-categorical-ce --from-logits --axis -3",
                    args("sparse-categorical-ce", "china_seg_logits.npy", Cli.data("china_seg_labels.npy"), "--from-logits", "--axis", "-3"),
                    "ref_china_segmentation_sparse_softmax_ce_none.npy", CHINA_SPARSE_MEAN));
        }
        return out.stream();
    }

    private static List<String> args(String loss, String predictions, String labels, String... more) {
        List<String> a = new ArrayList<>(List.of("score", "--loss", loss, "--predictions", Cli.data(predictions), "--labels", labels));
        a.addAll(Arrays.asList(more));
        return a;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void reproducesTheReferences(String backend, String name, List<String> baseArgs, String refFile, double refMean) throws IOException {
        if (backend.equals("vector")) {
            Assumptions.assumeTrue(vectorUsable(), "the vector backend cannot run in this JVM");
        }
        Path out = dir.resolve("losses.npy");
        List<String> a = new ArrayList<>(baseArgs);
        a.replaceAll(s -> s.equals("ONEHOT") ? digitsOneHot.toString() : s);
        a.addAll(List.of("--backend", backend, "--reduction", "mean", "--out", out.toString(), "--json", "--check"));
        Cli r = Cli.run(a.toArray(new String[0]));
        assertEquals(0, r.code, r.toString());
        assertEquals("", r.err, r.toString());

        Npy.Array ref = Npy.read(Cli.DATA.resolve(refFile));
        double[] expected = ref.toDoubles();
        Npy.Array got = Npy.read(out);
        assertEquals(Npy.DType.FLOAT32, got.dtype());
        assertArrayEquals(ref.shape(), got.shape(), "losses shape");
        float[] actual = got.toFloats(false);
        for (int k = 0; k < expected.length; k++) {
            double tol = ABS + REL * Math.abs(expected[k]);
            assertTrue(Math.abs(actual[k] - expected[k]) <= tol, name + ": loss " + k + " = " + actual[k] + ", reference " + expected[k]);
        }

        double mean = refMean;
        if (Double.isNaN(mean)) {
            mean = Arrays.stream(expected).sum() / expected.length;
        }
        JsonNode j = JSON.readTree(r.out);
        for (String key : List.of("loss", "reduced", "reduction", "backend", "species", "rows", "classes", "elapsed_ms",
                "max_abs_err", "max_rel_err")) {
            assertTrue(j.has(key), "JSON has " + key + ": " + r.out);
        }
        assertEquals(backend, j.get("backend").asText());
        assertEquals("mean", j.get("reduction").asText());
        assertTrue(j.get("reduced").isNumber(), r.out);
        assertEquals(mean, j.get("reduced").asDouble(), ABS + REL * Math.abs(mean), "reduced mean");
        assertTrue(j.get("max_abs_err").asDouble() <= 1e-5, r.out);
        assertEquals(Npy.count(ref.shape()) == got.size(), true);
    }

    @Test
    void chinaSegShapeReport() throws IOException {
        Cli r = Cli.run("score", "--loss", "sparse-softmax-ce", "--predictions", Cli.data("china_seg_logits.npy"),
                "--labels", Cli.data("china_seg_labels.npy"), "--axis", "1", "--json", "--check", "--backend", "scalar");
        assertEquals(0, r.code, r.toString());
        assertEquals(1, r.out.strip().lines().count(), "exactly one JSON object line");
        JsonNode j = JSON.readTree(r.out);
        assertEquals("sparse-softmax-ce", j.get("loss").asText());
        assertEquals(214 * 320, j.get("rows").asInt());        // [1, 8, 214, 320] without the class axis
        assertEquals(8, j.get("classes").asInt());
        assertEquals("sum-over-batch-size", j.get("reduction").asText());
        assertEquals(CHINA_SPARSE_MEAN, j.get("reduced").asDouble(), ABS + REL * CHINA_SPARSE_MEAN);
        assertTrue(j.get("max_rel_err").asDouble() < 1e-5);
    }

    @Test
    void sampleWeightsAndSum() throws IOException {
        // weight 1 on the first 100 digits, 0 on the rest: the sum is the sum of the first 100 reference losses
        int n = 1797;
        float[] w = new float[n];
        Arrays.fill(w, 0, 100, 1f);
        Path wf = dir.resolve("w.npy");
        Npy.writeFloat32(wf, new int[] {n}, w);
        double[] ref = Npy.read(Cli.DATA.resolve("ref_digits_sparse_softmax_ce_none.npy")).toDoubles();
        double expectedSum = Arrays.stream(ref, 0, 100).sum();
        Path out = dir.resolve("weighted.npy");
        Cli r = Cli.run("score", "--loss", "sparse-softmax-ce", "--predictions", Cli.data("digits_logits.npy"),
                "--labels", Cli.data("digits_labels.npy"), "--sample-weights", wf.toString(), "--reduction", "sum",
                "--backend", "scalar", "--json", "--out", out.toString());
        assertEquals(0, r.code, r.toString());
        JsonNode j = JSON.readTree(r.out);
        assertEquals(expectedSum, j.get("reduced").asDouble(), 1e-5 * expectedSum);
        float[] written = Npy.read(out).toFloats(false);
        assertEquals(ref[5], written[5], 1e-6 + 1e-5 * ref[5]);
        assertEquals(0f, written[500], "weighted by 0");

        // mean with weights = Σ w·l / Σ w = the mean of the first 100
        r = Cli.run("score", "--loss", "sparse-softmax-ce", "--predictions", Cli.data("digits_logits.npy"),
                "--labels", Cli.data("digits_labels.npy"), "--sample-weights", wf.toString(), "--reduction", "mean",
                "--backend", "reference", "--json");
        assertEquals(expectedSum / 100, JSON.readTree(r.out).get("reduced").asDouble(), 1e-5 * expectedSum / 100);
    }

    @Test
    void reductionNoneGivesNullReduced() throws IOException {
        Cli r = Cli.run("score", "--loss", "sigmoid-ce", "--predictions", Cli.data("digits_ovr_logits.npy"),
                "--labels", Cli.data("digits_ovr_labels.npy"), "--reduction", "none", "--json", "--backend", "scalar");
        assertEquals(0, r.code, r.toString());
        JsonNode j = JSON.readTree(r.out);
        assertTrue(j.get("reduced").isNull());
        assertEquals("none", j.get("reduction").asText());

        Cli t = Cli.run("score", "--loss", "sigmoid-ce", "--predictions", Cli.data("digits_ovr_logits.npy"),
                "--labels", Cli.data("digits_ovr_labels.npy"), "--reduction", "none", "--backend", "scalar");
        assertEquals(0, t.code, t.toString());
        assertTrue(t.out.contains("reduced:     none"), t.out);
    }

    @Test
    void float64PredictionsAndWholeFloatLabels() throws IOException {
        // the digits logits widened to float64, the labels as float64 whole numbers: same results
        Npy.Array p = Npy.read(Cli.DATA.resolve("digits_logits.npy"));
        int[] y = Npy.read(Cli.DATA.resolve("digits_labels.npy")).toInts();
        Path pf = dir.resolve("p64.npy");
        Path yf = dir.resolve("y64.npy");
        Files.write(pf, float64Npy(p.shape(), p.toDoubles()));
        Files.write(yf, float64Npy(new int[] {y.length}, Arrays.stream(y).asDoubleStream().toArray()));
        Cli r = Cli.run("score", "--loss", "sparse-softmax-ce", "--predictions", pf.toString(), "--labels", yf.toString(),
                "--json", "--backend", "scalar", "--reduction", "sum-over-batch-size");
        assertEquals(0, r.code, r.toString());
        assertEquals(DIGITS_SPARSE_MEAN, JSON.readTree(r.out).get("reduced").asDouble(), 1e-5 * DIGITS_SPARSE_MEAN);
    }

    static byte[] float64Npy(int[] shape, double[] data) {
        StringBuilder s = new StringBuilder("(");
        for (int d : shape) {
            s.append(d).append(", ");
        }
        s.append(")");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(data.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (double v : data) {
            b.putDouble(v);
        }
        return NpyTest.npy(1, NpyTest.dict("<f8", false, s.toString()), b.array());
    }

    @Test
    void humanReadableSummary() {
        Cli r = Cli.run("score", "--loss", "sparse-softmax-ce", "--predictions", Cli.data("digits_logits.npy"),
                "--labels", Cli.data("digits_labels.npy"), "--backend", "reference", "--check");
        assertEquals(0, r.code, r.toString());
        for (String label : List.of("loss:", "rows:", "classes:", "reduced:", "backend:", "species:", "elapsed:", "max abs err:", "max rel err:")) {
            assertTrue(r.out.contains(label), label + " in " + r.out);
        }
        assertTrue(r.out.contains("rows:        1797"), r.out);
        assertTrue(r.out.contains("classes:     10"), r.out);
    }
}
