package dev.xent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @Test
    void runsEveryDataSetOnEveryBackend() {
        Cli r = Cli.run("demo", "--data", Cli.DATA.toString(), "--warmup-ms", "0", "--time-ms", "1");
        List<String> rows = r.out.lines().filter(l -> l.contains(" ok") || l.contains("FAIL")).toList();
        int backends = ScoreCommandTest.vectorUsable() ? 3 : 2;
        assertEquals(9 * backends, rows.size(), r.toString());
        for (String ds : List.of("digits ", "breast_cancer ", "digits_ovr ", "china_segmentation ")) {
            assertTrue(rows.stream().anyMatch(l -> l.startsWith(ds)), ds + " in " + r.out);
        }
        // the float64 reference backend reproduces every PyTorch / NumPy reference
        assertTrue(rows.stream().filter(l -> l.contains(" reference ")).allMatch(l -> l.endsWith(" ok")), r.toString());
        // the PyTorch binary CE (log clamp) and the label-smoothing mean run through the options
        assertTrue(rows.stream().anyMatch(l -> l.contains("binary-ce probs, pytorch")), r.out);
        assertTrue(rows.stream().anyMatch(l -> l.contains("smoothing 0.1")), r.out);
        assertTrue(r.out.contains("demo: " + 9 * backends + " results"), r.out);
        // exit status agrees with the table
        boolean anyFail = rows.stream().anyMatch(l -> l.contains("FAIL"));
        assertEquals(anyFail ? 1 : 0, r.code, r.toString());
        assertEquals(anyFail ? 1 : 0, r.err.lines().count(), r.err);
    }

    @Test
    void missingDataDirectory(@TempDir Path dir) {
        Cli r = Cli.run("demo", "--data", dir.toString());
        assertEquals(1, r.code, r.toString());
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.contains("manifest.json"), r.err);
    }
}
