package dev.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The vector backend gives the same bits before and after C2 compiles its kernels (README, Determinism): every kernel
 * path of {@link TierBits} is computed in a child JVM that runs the kernels and the Vector API interpreted (its Java
 * code: {@code CompileCommand=exclude} on both), and here after a warm-up in which C2 compiles them (its intrinsics),
 * at the same vector width (the child gets this JVM's {@code -XX} options). Before the kernels added their lanes in a fixed order and took their own log in every
 * tile, 28 of the 63 cases differed on JDK 25 ({@code reduceLanes(ADD)} is a tree there, sequential interpreted) and 2
 * on JDK 17 ({@code VectorOperators.LOG}).
 */
@Tag("backend")
class TierIndependentBitsTest {

    @Test
    void interpretedAndCompiledKernelsGiveTheSameBits() throws Exception {
        assumeTrue(CrossEntropy.vectorAvailable(), "no vector backend in this JVM");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        // this JVM's own -XX options (vector width flags such as UseAVX or MaxVectorSize), so the child picks the same
        // species; and the width the tests force, if any
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:")) {
                command.add(arg);
            }
        }
        String bits = System.getProperty("xent.vector.bits");
        if (bits != null) {
            command.add("-Dxent.vector.bits=" + bits);
        }
        command.add("-XX:CompileCommand=quiet");
        command.add("-XX:CompileCommand=exclude,jdk.incubator.vector.*::*");
        command.add("-XX:CompileCommand=exclude,jdk.internal.vm.vector.*::*");
        command.add("-XX:CompileCommand=exclude,dev.xent.internal.vector.*::*");
        // surefire runs the tests on the module path: the child takes both paths as its class path
        String modules = System.getProperty("jdk.module.path", "");
        command.add("-cp");
        command.add(modules.isEmpty() ? System.getProperty("java.class.path")
                : modules + File.pathSeparator + System.getProperty("java.class.path"));
        command.add(TierBits.class.getName());
        Path stdout = Files.createTempFile("tier-bits", ".out");
        Path stderr = Files.createTempFile("tier-bits", ".err");
        List<String> interpreted;
        long childNanos;
        try {
            long start = System.nanoTime();
            Process child = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!child.waitFor(10, TimeUnit.MINUTES)) {
                child.destroyForcibly();
                fail("the interpreted JVM did not finish in 10 minutes: " + command);
            }
            childNanos = System.nanoTime() - start;
            assertEquals(0, child.exitValue(), () -> "the interpreted JVM failed: " + command + "\n" + tail(stderr));
            interpreted = Files.readAllLines(stdout, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }

        CrossEntropy ce = CrossEntropy.of(Backend.VECTOR);
        Map<String, int[]> compiled = warmedUp(ce);
        // a control that the outputs compared are C2's: one pass here must take far less than the interpreted JVM's
        // run (about 100 times less once compiled); otherwise the comparison would hold trivially, so it is skipped
        long start = System.nanoTime();
        TierBits.compute(ce);
        long passNanos = System.nanoTime() - start;
        assumeTrue(passNanos * 20 < childNanos, "the kernels do not look compiled here: one pass " + passNanos / 1_000_000
                + " ms against " + childNanos / 1_000_000 + " ms interpreted");
        assertEquals(compiled.size(), interpreted.size(), "cases");
        int i = 0;
        for (Map.Entry<String, int[]> e : compiled.entrySet()) {
            String[] parts = interpreted.get(i++).split("\t", 2);
            assertEquals(e.getKey(), parts[0]);
            String[] hex = parts[1].trim().split(" ");
            int[] want = e.getValue();
            assertEquals(want.length, hex.length, e.getKey());
            for (int k = 0; k < want.length; k++) {
                int got = Integer.parseUnsignedInt(hex[k], 16);
                assertEquals(want[k], got, e.getKey() + ", output " + k + ": compiled " + Float.intBitsToFloat(want[k])
                        + ", interpreted " + Float.intBitsToFloat(got));
            }
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (java.io.IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    /**
     * The outputs after at least 3 s of repetitions and until the JIT's total compilation time has not grown for one
     * second (at most 30 s), so that C2 has compiled the kernels.
     */
    private static Map<String, int[]> warmedUp(CrossEntropy ce) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long quietSince = start;
        long compileMs = -1;
        Map<String, int[]> out = TierBits.compute(ce);
        while (true) {
            long now = System.nanoTime();
            long ms = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
            if (ms != compileMs) {
                compileMs = ms;
                quietSince = now;
            }
            boolean settled = now - start > 3_000_000_000L && now - quietSince > 1_000_000_000L;
            if (settled || now - start > 30_000_000_000L) {
                return out;
            }
            out = TierBits.compute(ce);
        }
    }
}
