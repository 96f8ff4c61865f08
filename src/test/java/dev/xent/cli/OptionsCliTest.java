package dev.xent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xent.Layout;
import dev.xent.internal.LossParams;
import dev.xent.internal.reference.ReferenceOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code xent score} with the training options: values checked against the float64 reference and PyTorch's own numbers. */
class OptionsCliTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Cli score(String... args) {
        List<String> a = new ArrayList<>(List.of("score"));
        a.addAll(Arrays.asList(args));
        return Cli.run(a.toArray(new String[0]));
    }

    @Test
    void pytorchSemanticsWithEveryOptionAndOutput() throws IOException {
        float[] x = Npy.read(Cli.DATA.resolve("digits_logits.npy")).toFloats(false);
        int[] y = Npy.read(Cli.DATA.resolve("digits_labels.npy")).toInts();
        int n = y.length;
        for (int r = 0; r < n; r += 7) {
            y[r] = -100;
        }
        float[] w = new float[10];
        for (int c = 0; c < 10; c++) {
            w[c] = 0.5f + c / 8f;
        }
        Path labels = dir.resolve("y.npy");
        Path weights = dir.resolve("w.npy");
        Path grad = dir.resolve("g.npy");
        Path lp = dir.resolve("lp.npy");
        Path out = dir.resolve("l.npy");
        Npy.writeFloat32(weights, new int[] {10}, w);
        writeInts(labels, y);
        Cli r = score("--loss", "sparse-softmax-ce", "--predictions", Cli.data("digits_logits.npy"), "--labels", labels.toString(),
                "--semantics", "pytorch", "--class-weights", weights.toString(), "--label-smoothing", "0.1", "--z-loss", "0.001",
                "--grad-out", grad.toString(), "--log-probs-out", lp.toString(), "--out", out.toString(), "--json", "--backend", "scalar");
        assertEquals(0, r.code, r.toString());
        JsonNode j = JSON.readTree(r.out);

        Layout l = Layout.rows(n, 10);
        LossParams p = new LossParams(w, true, -100, 0.1f, 1f, null, 0.001f, 0f, true, 1e-7f);
        double[] g = new double[n * 10];
        double[] lse = new double[n];
        double[] losses = ReferenceOptions.softmax(x, l, null, null, y, Layout.rowsOf(l), p, g, lse);
        double sum = 0;
        double den = 0;
        double lseSum = 0;
        int counted = 0;
        int correct = 0;
        for (int k = 0; k < n; k++) {
            if (y[k] == -100) {
                continue;
            }
            sum += losses[k];
            den += w[y[k]];
            lseSum += lse[k];
            counted++;
            int best = 0;
            for (int c = 1; c < 10; c++) {
                if (x[k * 10 + c] > x[k * 10 + best]) {
                    best = c;
                }
            }
            correct += best == y[k] ? 1 : 0;
        }
        assertEquals("mean", j.get("reduction").asText(), "pytorch semantics default to mean");
        assertEquals("pytorch", j.get("semantics").asText());
        assertEquals(sum / den, j.get("reduced").asDouble(), 1e-6 * sum / den);
        assertEquals(lseSum / counted, j.get("lse_mean").asDouble(), 1e-6 * Math.abs(lseSum / counted));
        assertEquals((double) correct / counted, j.get("accuracy").asDouble(), 1e-12);

        Npy.Array ga = Npy.read(grad);
        assertArrayEquals(new int[] {n, 10}, ga.shape());
        float[] gv = ga.toFloats(false);
        for (int k = 0; k < gv.length; k++) {
            assertEquals(g[k] / den, gv[k], 2e-6, "gradient " + k);
        }
        float[] lv = Npy.read(lp).toFloats(false);
        double[] lpRef = ReferenceOptions.normalize(1, x, l, 0);
        for (int k = 0; k < lv.length; k++) {
            assertEquals(lpRef[k], lv[k], 1e-6 + 2e-6 * Math.abs(lpRef[k]), "log-prob " + k);
        }
        float[] lo = Npy.read(out).toFloats(false);
        assertEquals(0f, lo[0], "ignored row");
        assertEquals(losses[1], lo[1], 1e-6 + 2e-6 * losses[1]);
    }

    @Test
    void binaryProbabilitiesMatchPyTorchOnRealData() throws IOException {
        // data/ref_breast_cancer_binary_ce_probs_torch_none.npy: PyTorch 1.13 binary_cross_entropy in float64
        Path out = dir.resolve("l.npy");
        for (String backend : List.of("scalar", "reference")) {
            Cli r = score("--loss", "binary-ce", "--predictions", Cli.data("breast_cancer_probs.npy"), "--labels",
                    Cli.data("breast_cancer_labels.npy"), "--semantics", "pytorch", "--reduction", "none", "--out", out.toString(),
                    "--backend", backend);
            assertEquals(0, r.code, r.toString());
            double[] ref = Npy.read(Cli.DATA.resolve("ref_breast_cancer_binary_ce_probs_torch_none.npy")).toDoubles();
            float[] got = Npy.read(out).toFloats(false);
            assertEquals(ref.length, got.length);
            for (int k = 0; k < ref.length; k++) {
                assertEquals(ref[k], got[k], 1e-6 + 1e-5 * Math.abs(ref[k]), backend + " loss " + k);
            }
        }
    }

    @Test
    void posWeightScalarEqualsPerClassFile() throws IOException {
        Path pw = dir.resolve("pw.npy");
        float[] q = new float[10];
        Arrays.fill(q, 2.5f);
        Npy.writeFloat32(pw, new int[] {10}, q);
        Path g1 = dir.resolve("g1.npy");
        Path g2 = dir.resolve("g2.npy");
        Cli a = score("--loss", "sigmoid-ce", "--predictions", Cli.data("digits_ovr_logits.npy"), "--labels", Cli.data("digits_ovr_labels.npy"),
                "--pos-weight", "2.5", "--grad-out", g1.toString(), "--json", "--backend", "scalar");
        Cli b = score("--loss", "sigmoid-ce", "--predictions", Cli.data("digits_ovr_logits.npy"), "--labels", Cli.data("digits_ovr_labels.npy"),
                "--pos-weight-file", pw.toString(), "--grad-out", g2.toString(), "--json", "--backend", "scalar");
        assertEquals(0, a.code, a.toString());
        assertEquals(0, b.code, b.toString());
        assertEquals(JSON.readTree(a.out).get("reduced").asDouble(), JSON.readTree(b.out).get("reduced").asDouble());
        assertArrayEquals(Npy.read(g1).toFloats(false), Npy.read(g2).toFloats(false));
        assertFalse(JSON.readTree(a.out).has("accuracy"), "no class labels for sigmoid-ce");
        // independent value: Σ over elements of the pos_weight form, over the element count
        float[] x = Npy.read(Cli.DATA.resolve("digits_ovr_logits.npy")).toFloats(false);
        float[] z = Npy.read(Cli.DATA.resolve("digits_ovr_labels.npy")).toFloats(true);
        double s = 0;
        for (int k = 0; k < x.length; k++) {
            double sp = Math.log1p(Math.exp(-Math.abs(x[k]))) + Math.max(-x[k], 0);
            s += (1 - z[k]) * x[k] + (1 + 1.5 * z[k]) * sp;
        }
        assertEquals(s / x.length, JSON.readTree(a.out).get("reduced").asDouble(), 1e-6 * s / x.length);
    }

    @Test
    void accuracyWithoutOptions() throws IOException {
        Cli r = score("--loss", "sparse-softmax-ce", "--predictions", Cli.data("digits_logits.npy"), "--labels", Cli.data("digits_labels.npy"),
                "--json", "--backend", "scalar");
        assertEquals(0, r.code, r.toString());
        JsonNode j = JSON.readTree(r.out);
        assertFalse(j.has("lse_mean"), "lse_mean only with z-loss");
        float[] x = Npy.read(Cli.DATA.resolve("digits_logits.npy")).toFloats(false);
        int[] y = Npy.read(Cli.DATA.resolve("digits_labels.npy")).toInts();
        int correct = 0;
        for (int k = 0; k < y.length; k++) {
            int best = 0;
            for (int c = 1; c < 10; c++) {
                if (x[k * 10 + c] > x[k * 10 + best]) {
                    best = c;
                }
            }
            correct += best == y[k] ? 1 : 0;
        }
        assertEquals((double) correct / y.length, j.get("accuracy").asDouble(), 1e-12);
    }

    @Test
    void usageAndDataErrors() throws IOException {
        String[] base = {"--loss", "sparse-softmax-ce", "--predictions", Cli.data("digits_logits.npy"), "--labels", Cli.data("digits_labels.npy")};
        Path g = dir.resolve("g.npy");
        Cli r = score(concat(base, "--pos-weight", "2"));
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("--pos-weight"), r.err);
        r = score("--loss", "sigmoid-ce", "--predictions", Cli.data("digits_ovr_logits.npy"), "--labels", Cli.data("digits_ovr_labels.npy"),
                "--log-probs-out", g.toString());
        assertEquals(2, r.code, r.toString());
        assertFalse(Files.exists(g), "no output on error");
        r = score("--loss", "binary-ce", "--predictions", Cli.data("breast_cancer_probs.npy"), "--labels", Cli.data("breast_cancer_labels.npy"),
                "--z-loss", "0.1");
        assertEquals(2, r.code, r.toString());
        r = score(concat(base, "--semantics", "jax"));
        assertEquals(2, r.code, r.toString());
        r = score(concat(base, "--label-smoothing", "2"));
        assertEquals(2, r.code, r.toString());
        Path cw = dir.resolve("cw.npy");
        Npy.writeFloat32(cw, new int[] {3}, new float[] {1f, 2f, 3f});
        r = score(concat(base, "--class-weights", cw.toString(), "--grad-out", g.toString()));
        assertEquals(1, r.code, r.toString());
        assertTrue(r.err.contains("[10]"), r.err);
        assertFalse(Files.exists(g), "no output on error");
        // a label of -100 is an error under keras semantics without --ignore-index
        int[] y = Npy.read(Cli.DATA.resolve("digits_labels.npy")).toInts();
        y[3] = -100;
        Path labels = dir.resolve("y.npy");
        writeInts(labels, y);
        r = score("--loss", "sparse-softmax-ce", "--predictions", Cli.data("digits_logits.npy"), "--labels", labels.toString(),
                "--label-smoothing", "0.1");
        assertEquals(1, r.code, r.toString());
        assertTrue(r.err.contains("-100"), r.err);
    }

    static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A little-endian int32 .npy (written by hand: the CLI only writes float32). */
    static void writeInts(Path file, int[] v) throws IOException {
        String header = "{'descr': '<i4', 'fortran_order': False, 'shape': (" + v.length + ",), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder h = new StringBuilder(header);
        for (int k = 0; k < pad; k++) {
            h.append(' ');
        }
        h.append('\n');
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + h.length() + 4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) h.length());
        b.put(h.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int x : v) {
            b.putInt(x);
        }
        Files.write(file, b.array());
    }
}
