package dev.xent.jmh;

import dev.xent.Layout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Few classes with the class axis last ({@code [4096, C]}, C &lt; 16): ways to fill the lanes, evaluated for issue 4's
 * "C = 10 at 1.5 elements/ns" (BENCHMARKS.md, eleventh round). Each computes sparse softmax CE shifted by the label's
 * logit, {@code log1p(Σ_{c ≠ y} exp(x_c − x_y))}, without the kernels' fallbacks and compensated sums, so that only
 * the way the rows reach the lanes differs:
 * <ul>
 *   <li>{@code gathers}: lanes are 16 rows, one gather per class (what the library's packed tiles do);</li>
 *   <li>{@code flatExp}: plain loads of the contiguous rows, each lane shifted by its own row's label logit (a lane
 *       shuffle per vector), the exps stored, no row sums: the bound of the flat layout;</li>
 *   <li>{@code flatScalarSums}: the same, then each row's exps added in class order by scalar code;</li>
 *   <li>{@code flatWindowSums}: the same, then row sums by doubling windows (sums of 2, 4, 8 neighbours by
 *       unaligned vector loads of the previous level; C = 10 = 8 + 2), read at each row's first class by one gather per
 *       16 rows.</li>
 * </ul>
 * The row sums must add in an order fixed by the class index, not by the row's position in the vector, or a row's
 * bits would depend on which rows share its tile (README, Determinism); both flat variants keep that order.
 * Not part of the suites: {@code java -jar jmh/target/benchmarks.jar PackedRows -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PackedRows {

    static final VectorSpecies<Float> S = Floor.S;
    static final int L = S.length();

    @Param({"10"})
    public int classes;

    static final int ROWS = 4096;

    float[] x;
    int[] y;
    float[] out = new float[ROWS];
    int[] rowStarts = new int[L];
    /** Lane j of flat vector k belongs to row (k·L + j) / C of its tile of L rows. */
    VectorShuffle<Float>[] rowOfLane;
    float[] exps;
    float[] w2;
    float[] w4;
    float[] w8;
    float[] logits = new float[L];
    Layout xl;
    final Layout perRow = Layout.vector(ROWS);

    @Setup
    @SuppressWarnings("unchecked")
    public void setup() {
        if (classes != 10) {
            throw new IllegalArgumentException("classes = " + classes + ": flatWindowSums is written for C = 10 (8 + 2)");
        }
        SplittableRandom rnd = new SplittableRandom(1);
        xl = Layout.rows(ROWS, classes);
        x = Data.logits(rnd, xl);
        y = Data.sparseLabels(rnd, xl);
        rowOfLane = new VectorShuffle[classes];
        for (int k = 0; k < classes; k++) {
            int[] map = new int[L];
            for (int j = 0; j < L; j++) {
                map[j] = (k * L + j) / classes;
            }
            rowOfLane[k] = VectorShuffle.fromArray(S, map, 0);
        }
        for (int j = 0; j < L; j++) {
            rowStarts[j] = j * classes;
        }
        int n = classes * L + 2 * L; // a tile's exps, then zeros the windows read past its end
        exps = new float[n];
        w2 = new float[n];
        w4 = new float[n];
        w8 = new float[n];
    }

    @Benchmark
    public void library(Blackhole bh) {
        LossBench.VECTOR.sparseSoftmaxCrossEntropyWithLogits(x, xl, y, perRow, out, perRow);
        bh.consume(out);
    }

    @Benchmark
    public void gathers(Blackhole bh) {
        for (int r0 = 0; r0 < ROWS; r0 += L) {
            int xb = r0 * classes;
            for (int j = 0; j < L; j++) {
                logits[j] = x[xb + j * classes + y[r0 + j]];
            }
            FloatVector xy = FloatVector.fromArray(S, logits, 0);
            FloatVector d = FloatVector.zero(S);
            for (int c = 0; c < classes; c++) {
                FloatVector a = FloatVector.fromArray(S, x, xb + c, rowStarts, 0).sub(xy);
                // the label's own term (exactly 1) left out, with any tie (none in this data)
                d = d.add(Floor.exp(a).blend(0f, a.compare(VectorOperators.EQ, 0f)));
            }
            log1p(d).intoArray(out, r0);
        }
        bh.consume(out);
    }

    @Benchmark
    public void flatExp(Blackhole bh) {
        for (int r0 = 0; r0 < ROWS; r0 += L) {
            flatTileExps(r0);
        }
        bh.consume(exps);
    }

    @Benchmark
    public void flatScalarSums(Blackhole bh) {
        for (int r0 = 0; r0 < ROWS; r0 += L) {
            flatTileExps(r0);
            for (int j = 0; j < L; j++) {
                int b = j * classes;
                float d = 0f;
                for (int c = 0; c < classes; c++) {
                    d += exps[b + c];
                }
                logits[j] = d;
            }
            log1p(FloatVector.fromArray(S, logits, 0)).intoArray(out, r0);
        }
        bh.consume(out);
    }

    @Benchmark
    public void flatWindowSums(Blackhole bh) {
        for (int r0 = 0; r0 < ROWS; r0 += L) {
            flatTileExps(r0);
            windows();
            // a window of C = 10 = 8 + 2
            FloatVector d = FloatVector.fromArray(S, w8, 0, rowStarts, 0).add(FloatVector.fromArray(S, w2, 8, rowStarts, 0));
            log1p(d).intoArray(out, r0);
        }
        bh.consume(out);
    }

    /** Window sums of 2, 4 and 8 neighbouring exps, each level from the one before. */
    private void windows() {
        int n = classes * L;
        for (int i = 0; i < n; i += L) {
            FloatVector.fromArray(S, exps, i).add(FloatVector.fromArray(S, exps, i + 1)).intoArray(w2, i);
        }
        for (int i = 0; i < n; i += L) {
            FloatVector.fromArray(S, w2, i).add(FloatVector.fromArray(S, w2, i + 2)).intoArray(w4, i);
        }
        for (int i = 0; i < n; i += L) {
            FloatVector.fromArray(S, w4, i).add(FloatVector.fromArray(S, w4, i + 4)).intoArray(w8, i);
        }
    }

    /** The exps of the tile of L rows from row r0, label terms 0, stored flat into {@link #exps}. */
    private void flatTileExps(int r0) {
        int xb = r0 * classes;
        for (int j = 0; j < L; j++) {
            logits[j] = x[xb + j * classes + y[r0 + j]];
        }
        FloatVector xy = FloatVector.fromArray(S, logits, 0);
        for (int k = 0; k < classes; k++) {
            FloatVector a = FloatVector.fromArray(S, x, xb + k * L).sub(xy.rearrange(rowOfLane[k]));
            Floor.exp(a).blend(0f, a.compare(VectorOperators.EQ, 0f)).intoArray(exps, k * L);
        }
    }

    /** log1p(d) = log(u)·d/(u − 1), u = 1 + d, as the kernels' tiles take it. */
    private static FloatVector log1p(FloatVector d) {
        FloatVector u = d.add(1f);
        return u.lanewise(VectorOperators.LOG).mul(d.div(u.sub(1f))).blend(d, u.compare(VectorOperators.EQ, 1f));
    }
}
