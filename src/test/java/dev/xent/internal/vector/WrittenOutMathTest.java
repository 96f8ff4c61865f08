package dev.xent.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.xent.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code VectorKernels} writes {@link VectorMath}'s exp, log1p and log out at each use (C2 refuses to inline calls
 * into its large kernels). Two checks keep the copies equal to the tested definitions:
 * <ul>
 *   <li>in the source, every block marked {@code // name = f(arg): VectorMath.f written out} is the same text as every
 *       other block of the same function, once its variable prefix and argument are renamed;</li>
 *   <li>bit for bit, kernels built on one copy of each give what {@link VectorMath}'s methods give for the same
 *       formula: sigmoid CE (exp and log1p), binary CE (log) and the {@code [N, 2]} sparse softmax pairs (the
 *       interleaved copies).</li>
 * </ul>
 */
@Tag("backend")
class WrittenOutMathTest {

    static final Path SOURCE = Path.of("src/main/java/dev/xent/internal/vector/VectorKernels.java");
    static final Pattern MARKER = Pattern.compile(
            "^[ \\t]*// (\\w+) = (\\w+)\\((.*)\\): VectorMath\\.(\\w+) written out$", Pattern.MULTILINE);

    /** The statements of one written-out block, with the prefix replaced by {@code @} and the argument by {@code ARG}. */
    static String normalised(String text, int from, String name, String arg) {
        List<String> statements = new ArrayList<>();
        int at = from;
        String declaration = "FloatVector " + name + " =";
        while (true) {
            int end = text.indexOf(';', at);
            String statement = text.substring(at, end).replaceAll("\\s+", " ").trim();
            statements.add(statement);
            at = end + 1;
            if (statement.startsWith(declaration)) {
                break;
            }
        }
        String argument = arg;
        // some copies name their argument first: FloatVector exNa = <arg>;
        if (statements.get(0).equals("FloatVector " + name + "a = " + arg)) {
            statements.remove(0);
            argument = name + "a";
        }
        String joined = String.join("; ", statements);
        joined = joined.replaceAll("(?<![\\w.])" + Pattern.quote(argument) + "(?!\\w)", "ARG");
        return joined.replaceAll("\\b" + Pattern.quote(name) + "(\\w*)", "@$1");
    }

    @Test
    void everyWrittenOutCopyIsTheSameText() throws IOException {
        String text = Files.readString(SOURCE);
        Map<String, String> first = new LinkedHashMap<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        Matcher m = MARKER.matcher(text);
        while (m.find()) {
            String function = m.group(4);
            String block = normalised(text, m.end(), m.group(1), m.group(3));
            String canonical = first.putIfAbsent(function, block);
            if (canonical != null) {
                assertEquals(canonical, block, "the copy of VectorMath." + function + " named " + m.group(1)
                        + " at offset " + m.start() + " differs from the first one");
            }
            count.merge(function, 1, Integer::sum);
        }
        assertTrue(count.getOrDefault("expNonPositive", 0) >= 20, "exp copies found: " + count);
        assertTrue(count.getOrDefault("log1pUnit", 0) >= 3, "log1p copies found: " + count);
        assertTrue(count.getOrDefault("logNormal", 0) >= 8, "log copies found: " + count);
    }

    static final int L = VectorKernels.L;

    static float[] gaussian(SplittableRandom rnd, int n, double sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * sigma);
        }
        return v;
    }

    /** Logits that reach every branch: both signs, |x| past the exp's underflow, 0, ±inf, NaN. */
    static float[] logits(int n) {
        float[] x = gaussian(new SplittableRandom(7), n, 8);
        float[] special = {0f, -0f, 100f, -100f, 87.4f, -87.2f, Float.NaN, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, 1e-30f, -1e-30f};
        System.arraycopy(special, 0, x, 3, special.length);
        return x;
    }

    @Test
    void sigmoidCrossEntropyIsVectorMathBitForBit() {
        int n = 40 * L + 3;
        float[] x = logits(n);
        float[] z = new float[n];
        SplittableRandom rnd = new SplittableRandom(8);
        for (int i = 0; i < n; i++) {
            z[i] = i % 5 == 0 ? (float) rnd.nextDouble() : rnd.nextInt(2);
        }
        float[] got = new float[n];
        Layout l = Layout.rows(1, n);
        VectorKernels.INSTANCE.sigmoidCrossEntropy(x, l, z, l, got, l);
        for (int k0 = 0; k0 < n; k0 += L) {
            int k = Math.min(k0, n - L);
            FloatVector v = FloatVector.fromArray(VectorKernels.S, x, k);
            FloatVector zv = FloatVector.fromArray(VectorKernels.S, z, k);
            FloatVector softplus = VectorMath.log1pUnit(VectorMath.expNonPositive(v.lanewise(VectorOperators.ABS).neg()));
            FloatVector want = v.neg().lanewise(VectorOperators.FMA, zv, v.blend(0f, v.compare(VectorOperators.LT, 0f)))
                    .add(softplus);
            for (int j = 0; j < L; j++) {
                assertEquals(Float.floatToIntBits(want.lane(j)), Float.floatToIntBits(got[k + j]),
                        "sigmoid CE at " + (k + j) + ": x = " + x[k + j] + ", z = " + z[k + j]);
            }
        }
    }

    @Test
    void binaryCrossEntropyIsVectorMathBitForBit() {
        int n = 40 * L + 5;
        float[] x = logits(n);
        float[] p = new float[n];
        float[] z = new float[n];
        SplittableRandom rnd = new SplittableRandom(9);
        for (int i = 0; i < n; i++) {
            p[i] = Float.isNaN(x[i]) ? Float.NaN : (float) (1 / (1 + Math.exp(-x[i])));
            z[i] = i % 7 == 0 ? (float) rnd.nextDouble() : rnd.nextInt(2);
        }
        p[1] = 0f;
        p[2] = 1f;
        float eps = 1e-7f;
        float[] got = new float[n];
        Layout l = Layout.rows(1, n);
        VectorKernels.INSTANCE.binaryCrossEntropy(p, l, z, l, eps, got, l);
        float hi = 1f - eps;
        for (int k0 = 0; k0 < n; k0 += L) {
            int k = Math.min(k0, n - L);
            FloatVector v = FloatVector.fromArray(VectorKernels.S, p, k);
            FloatVector zv = FloatVector.fromArray(VectorKernels.S, z, k);
            FloatVector pc = v.blend(eps, v.compare(VectorOperators.LT, eps)).blend(hi, v.compare(VectorOperators.GT, hi));
            FloatVector q = v.neg().add(1f);
            FloatVector qc = q.blend(eps, q.compare(VectorOperators.LT, eps)).blend(hi, q.compare(VectorOperators.GT, hi));
            FloatVector want = zv.mul(VectorMath.logNormal(pc)).add(zv.neg().add(1f).mul(VectorMath.logNormal(qc))).neg()
                    .blend(Float.NaN, pc.compare(VectorOperators.NE, pc));
            for (int j = 0; j < L; j++) {
                assertEquals(Float.floatToIntBits(want.lane(j)), Float.floatToIntBits(got[k + j]),
                        "binary CE at " + (k + j) + ": p = " + p[k + j] + ", z = " + z[k + j]);
            }
        }
    }

    @Test
    void sparseSoftmaxPairsAreVectorMathBitForBit() {
        // at 64 bits (two lanes) two classes fill a vector and take the row path instead
        assumeTrue(L > 2, "the pair tiles run for C = 2 < L lanes; L = " + L);
        int rows = 7 * L + 5; // interleaved pairs of tiles, one single tile, and an overlapping last tile
        float[] x = logits(2 * rows);
        int[] y = new int[rows];
        SplittableRandom rnd = new SplittableRandom(10);
        for (int r = 0; r < rows; r++) {
            y[r] = rnd.nextInt(2);
        }
        float[] got = new float[rows];
        Layout xl = Layout.rows(rows, 2);
        VectorKernels.INSTANCE.sparseSoftmaxCrossEntropy(x, xl, y, Layout.rowsOf(xl), got, Layout.rowsOf(xl));
        float[] x0 = new float[L];
        float[] x1 = new float[L];
        float[] g = new float[L];
        for (int r0 = 0; r0 < rows; r0 += L) {
            int r = Math.min(r0, rows - L);
            for (int j = 0; j < L; j++) {
                x0[j] = x[2 * (r + j)];
                x1[j] = x[2 * (r + j) + 1];
                g[j] = y[r + j] == 1 ? -(x1[j] - x0[j]) : x1[j] - x0[j];
            }
            FloatVector gv = FloatVector.fromArray(VectorKernels.S, g, 0);
            FloatVector lp = VectorMath.log1pUnit(VectorMath.expNonPositive(gv.lanewise(VectorOperators.ABS).neg()));
            FloatVector want = gv.blend(0f, gv.compare(VectorOperators.LT, 0f)).add(lp);
            for (int j = 0; j < L; j++) {
                boolean inf = x0[j] == Float.POSITIVE_INFINITY || x1[j] == Float.POSITIVE_INFINITY;
                float w = inf ? Float.NaN : want.lane(j);
                assertEquals(Float.floatToIntBits(w), Float.floatToIntBits(got[r + j]),
                        "pair row " + (r + j) + ": x = (" + x0[j] + ", " + x1[j] + "), label " + y[r + j]);
            }
        }
    }

    @Test
    void denseSoftmaxPairsAreVectorMathBitForBit() {
        assumeTrue(L > 2, "the pair tiles run for C = 2 < L lanes; L = " + L);
        int rows = 7 * L + 5;
        float[] x = logits(2 * rows);
        float[] t = new float[2 * rows];
        SplittableRandom rnd = new SplittableRandom(11);
        for (int r = 0; r < rows; r++) {
            // one-hot, soft, or the same sign with a sum other than 1 (lanes the pair kernel keeps)
            int kind = rnd.nextInt(3);
            t[2 * r] = kind == 0 ? rnd.nextInt(2) : (float) rnd.nextDouble() * (kind == 2 ? 3 : 1);
            t[2 * r + 1] = kind == 0 ? 1 - t[2 * r] : kind == 1 ? 1 - t[2 * r] : (float) rnd.nextDouble();
        }
        float[] got = new float[rows];
        Layout xl = Layout.rows(rows, 2);
        VectorKernels.INSTANCE.softmaxCrossEntropy(x, xl, t, xl, got, Layout.rowsOf(xl));
        float[] g = new float[L];
        float[] t0 = new float[L];
        float[] t1 = new float[L];
        for (int r0 = 0; r0 < rows; r0 += L) {
            int r = Math.min(r0, rows - L);
            boolean finite = true;
            for (int j = 0; j < L; j++) {
                g[j] = x[2 * (r + j) + 1] - x[2 * (r + j)];
                t0[j] = t[2 * (r + j)];
                t1[j] = t[2 * (r + j) + 1];
                finite &= Float.isFinite(x[2 * (r + j)]) && Float.isFinite(x[2 * (r + j) + 1]);
            }
            if (!finite) {
                continue; // lanes of the compensated tile
            }
            FloatVector gv = FloatVector.fromArray(VectorKernels.S, g, 0);
            FloatVector lp = VectorMath.log1pUnit(VectorMath.expNonPositive(gv.lanewise(VectorOperators.ABS).neg()));
            FloatVector pos = gv.blend(0f, gv.compare(VectorOperators.LT, 0f));
            FloatVector want = FloatVector.fromArray(VectorKernels.S, t0, 0)
                    .lanewise(VectorOperators.FMA, pos.add(lp), FloatVector.fromArray(VectorKernels.S, t1, 0).mul(pos.sub(gv).add(lp)));
            for (int j = 0; j < L; j++) {
                assertEquals(Float.floatToIntBits(want.lane(j)), Float.floatToIntBits(got[r + j]),
                        "dense pair row " + (r + j) + ": g = " + g[j] + ", t = (" + t0[j] + ", " + t1[j] + ")");
            }
        }
    }
}
