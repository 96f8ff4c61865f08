package dev.xent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xent.CrossEntropy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one line {@code xent: ...} on stderr, exit 1 (data) or 2 (usage), nothing on stdout, no output file. */
class CliErrorTest {

    @TempDir
    Path dir;

    private void fails(int expectedCode, String expectedText, String... args) throws IOException {
        Path out = dir.resolve("out.npy");
        List<String> a = new ArrayList<>(Arrays.asList(args));
        if (a.size() > 0 && a.get(0).equals("score")) {
            a.addAll(List.of("--out", out.toString()));
        }
        Cli r = Cli.run(a.toArray(new String[0]));
        assertEquals(expectedCode, r.code, r.toString());
        assertEquals("", r.out, r.toString());
        List<String> lines = r.err.lines().toList();
        assertEquals(1, lines.size(), "one stderr line: " + r.err);
        assertTrue(lines.get(0).startsWith("xent: "), r.err);
        assertTrue(lines.get(0).toLowerCase(Locale.ROOT).contains(expectedText.toLowerCase(Locale.ROOT)),
                "'" + expectedText + "' in " + r.err);
        assertFalse(r.err.contains("\tat "), "no stack trace");
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> left = s.filter(p -> !p.getFileName().toString().startsWith("in-")).toList();
            assertEquals(List.of(), left, "no output or temporary file");
        }
    }

    private Path input(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve("in-" + name);
        Files.write(p, bytes);
        return p;
    }

    private static String[] score(String loss, String predictions, String labels, String... more) {
        List<String> a = new ArrayList<>(List.of("score", "--loss", loss, "--predictions", predictions, "--labels", labels,
                "--backend", "scalar"));
        a.addAll(Arrays.asList(more));
        return a.toArray(new String[0]);
    }

    @Test
    void missingFile() throws IOException {
        fails(1, "no such file", score("sparse-softmax-ce", dir.resolve("nope.npy").toString(), Cli.data("digits_labels.npy")));
    }

    @Test
    void wrongDtypeForPredictions() throws IOException {
        fails(1, "not a float type", score("sparse-softmax-ce", Cli.data("digits_labels.npy"), Cli.data("digits_labels.npy")));
    }

    @Test
    void unsupportedDtype() throws IOException {
        Path p = input("i2.npy", NpyTest.npy(1, NpyTest.dict("<i2", false, "(1797,)"), new byte[2 * 1797]));
        fails(1, "unsupported dtype <i2", score("sparse-softmax-ce", Cli.data("digits_logits.npy"), p.toString()));
    }

    @Test
    void fractionalSparseLabels() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * 569).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 569; k++) {
            b.putFloat(k == 7 ? 0.5f : 1f);
        }
        Path y = input("y.npy", NpyTest.npy(1, NpyTest.dict("<f4", false, "(569,)"), b.array()));
        Path p = input("p.npy", NpyTest.npy(1, NpyTest.dict("<f4", false, "(569, 2)"), new byte[4 * 569 * 2]));
        fails(1, "element 7 = 0.5 is not a whole number", score("sparse-softmax-ce", p.toString(), y.toString()));
    }

    @Test
    void shapesThatDoNotMatch() throws IOException {
        fails(1, "does not match", score("sparse-softmax-ce", Cli.data("digits_logits.npy"), Cli.data("breast_cancer_labels.npy")));
        fails(1, "does not match", score("softmax-ce", Cli.data("digits_logits.npy"), Cli.data("digits_labels.npy")));
        fails(1, "does not match", score("sigmoid-ce", Cli.data("digits_ovr_logits.npy"), Cli.data("breast_cancer_labels.npy")));
        fails(1, "does not match", score("sparse-softmax-ce", Cli.data("china_seg_logits.npy"), Cli.data("china_seg_labels.npy")));  // axis -1
        fails(1, "sample weights shape", score("sparse-softmax-ce", Cli.data("digits_logits.npy"), Cli.data("digits_labels.npy"),
                "--sample-weights", Cli.data("breast_cancer_labels.npy")));
        fails(1, "axis = 3", score("sparse-softmax-ce", Cli.data("digits_logits.npy"), Cli.data("digits_labels.npy"), "--axis", "3"));
    }

    @Test
    void labelOutOfRange() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * 3).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(3).putInt(1);
        Path y = input("y.npy", NpyTest.npy(1, NpyTest.dict("<i4", false, "(3,)"), b.array()));
        Path p = input("p.npy", NpyTest.npy(1, NpyTest.dict("<f4", false, "(3, 3)"), new byte[36]));
        for (String backend : List.of("scalar", "reference")) {
            fails(1, "row 1 has label 3, outside [0, 3)", "score", "--loss", "sparse-softmax-ce", "--predictions", p.toString(),
                    "--labels", y.toString(), "--backend", backend, "--check");
            fails(1, "outside [0, 3)", "score", "--loss", "sparse-categorical-ce", "--predictions", p.toString(),
                    "--labels", y.toString(), "--backend", backend, "--check");
        }
    }

    @Test
    void malformedFile() throws IOException {
        Path p = input("bad.npy", "not numpy at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        fails(1, "bad magic", score("sparse-softmax-ce", p.toString(), Cli.data("digits_labels.npy")));
    }

    @Test
    void usageErrors() throws IOException {
        fails(2, "unknown loss 'hinge'", score("hinge", Cli.data("digits_logits.npy"), Cli.data("digits_labels.npy")));
        fails(2, "--frobnicate", score("sparse-softmax-ce", Cli.data("digits_logits.npy"), Cli.data("digits_labels.npy"), "--frobnicate"));
        fails(2, "unknown reduction 'avg'", score("sparse-softmax-ce", Cli.data("digits_logits.npy"), Cli.data("digits_labels.npy"),
                "--reduction", "avg"));
        fails(2, "unknown backend 'gpu'", "score", "--loss", "sparse-softmax-ce", "--predictions", Cli.data("digits_logits.npy"),
                "--labels", Cli.data("digits_labels.npy"), "--backend", "gpu");
        fails(2, "epsilon = 0.7", score("binary-ce", Cli.data("breast_cancer_probs.npy"), Cli.data("breast_cancer_labels.npy"),
                "--epsilon", "0.7"));
        fails(2, "--axis", score("sparse-softmax-ce", Cli.data("digits_logits.npy"), Cli.data("digits_labels.npy"), "--axis", "x"));
        fails(2, "missing required", "score", "--loss", "sigmoid-ce");
        fails(2, "frob", "frob");
        fails(2, "missing command");
    }

    @Test
    void vectorUnavailableSaysHowToEnableIt() throws IOException {
        if (CrossEntropy.vectorAvailable()) {
            return;   // this JVM has the module; the message is for JVMs without it
        }
        fails(2, "--add-modules jdk.incubator.vector",
                score("sparse-softmax-ce", Cli.data("digits_logits.npy"), Cli.data("digits_labels.npy"), "--backend", "vector"));
    }

    @Test
    void unwritableOutput() throws IOException {
        Cli r = Cli.run("score", "--loss", "sparse-softmax-ce", "--predictions", Cli.data("digits_logits.npy"),
                "--labels", Cli.data("digits_labels.npy"), "--backend", "scalar", "--out", dir.resolve("no/dir/out.npy").toString());
        assertEquals(1, r.code, r.toString());
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.startsWith("xent: cannot write"), r.err);
        assertEquals("", r.out);
    }

    @Test
    void existingOutputUntouchedOnError() throws IOException {
        Path out = dir.resolve("keep.npy");
        Files.writeString(out, "old");
        Cli r = Cli.run("score", "--loss", "softmax-ce", "--predictions", Cli.data("digits_logits.npy"),
                "--labels", Cli.data("digits_labels.npy"), "--backend", "scalar", "--out", out.toString());
        assertEquals(1, r.code, r.toString());
        assertEquals("old", Files.readString(out));
    }
}
