package dev.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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
 * at the same vector width. Before the kernels added their lanes in a fixed order and took their own log in every
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
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> interpreted = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                interpreted.add(line);
            }
        }
        assumeTrue(child.waitFor(5, TimeUnit.MINUTES), "the interpreted JVM did not finish");
        assertEquals(0, child.exitValue(), "the interpreted JVM failed: " + command);

        CrossEntropy ce = CrossEntropy.of(Backend.VECTOR);
        Map<String, int[]> compiled = warmedUp(ce);
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
