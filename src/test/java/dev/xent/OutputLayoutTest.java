package dev.xent;

import static dev.xent.TestSupport.SENTINEL_BITS;
import static dev.xent.TestSupport.assertOutsideUntouched;
import static dev.xent.TestSupport.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Output layout discipline on every backend including REFERENCE: each element of the losses layout is written,
 * no element outside it is (sentinels around, between and after), and the inputs are unchanged.
 */
@Tag("backend")
class OutputLayoutTest {

    static Stream<Arguments> allBackends() {
        return TestSupport.backendsWithReference().stream().map(ce -> Arguments.of(Named.of(TestSupport.name(ce), ce)));
    }

    static void check(float[] out, Layout ol, String ctx) {
        assertOutsideUntouched(out, ol, ctx);
        for (int n = 0; n < ol.outer(); n++) {
            for (int c = 0; c < ol.classes(); c++) {
                for (int i = 0; i < ol.inner(); i++) {
                    assertNotEquals(SENTINEL_BITS, Float.floatToRawIntBits(out[ol.index(n, c, i)]),
                            ctx + ": element (" + n + ", " + c + ", " + i + ") of the losses layout was not written");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("allBackends")
    void writesExactlyTheLossesLayout(CrossEntropy ce) {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int c : new int[] {1, 7, 16, 33}) {
            for (int inner : new int[] {1, 5, 19}) {
                int n = 3;
                Layout xl = inner == 1 ? Layout.rows(n, c, 4, c + 2) : Layout.channelsFirst(n, c, inner).withOffset(4);
                float[] xv = new float[n * c * inner];
                float[] pv = new float[xv.length];
                float[] tv = new float[xv.length];
                int[] yv = new int[n * inner];
                for (int k = 0; k < xv.length; k++) {
                    xv[k] = TestSupport.gaussian(rnd);
                    pv[k] = 0.01f + 0.98f * rnd.nextFloat();
                    tv[k] = rnd.nextFloat();
                }
                for (int r = 0; r < yv.length; r++) {
                    yv[r] = rnd.nextInt(c);
                }
                float[] x = TestSupport.place(xl, xv);
                float[] p = TestSupport.place(xl, pv);
                float[] t = TestSupport.place(xl, tv);
                int[] y = TestSupport.placeRows(Layout.rowsOf(xl), yv);
                float[] x0 = x.clone();
                float[] p0 = p.clone();
                float[] t0 = t.clone();
                // per-row outputs: dense at an offset, strided, strided across both axes
                List<Layout> rowOuts = List.of(Layout.rowsOf(xl).withOffset(9), TestSupport.stridedRows(n, inner, 2, 3),
                        Layout.of(1, n, inner * 4 + 3, 1, 1, inner, 4));
                // elementwise outputs: channels-first at an offset, general strided, classes contiguous with padding
                List<Layout> elemOuts = List.of(Layout.channelsFirst(n, c, inner).withOffset(6),
                        Layout.of(3, n, c * (2 * inner + 1) + 2, c, 2 * inner + 1, inner, 2),
                        Layout.of(2, n, inner * (c + 3) + 1, c, 1, inner, c + 3));
                String base = TestSupport.name(ce) + " C=" + c + " inner=" + inner;
                for (Layout ol : rowOuts) {
                    run(ol, base + " rows " + ol, out -> ce.softmaxCrossEntropyWithLogits(x, xl, t, xl, out, ol));
                    run(ol, base + " rows " + ol, out -> ce.sparseSoftmaxCrossEntropyWithLogits(x, xl, y, Layout.rowsOf(xl), out, ol));
                    run(ol, base + " rows " + ol, out -> ce.sigmoidCrossEntropyWithLogits(x, xl, t, xl, out, ol));
                    run(ol, base + " rows " + ol, out -> ce.binaryCrossEntropy(p, xl, t, xl, 1e-7f, out, ol));
                    run(ol, base + " rows " + ol, out -> ce.categoricalCrossEntropy(p, xl, t, xl, 1e-7f, out, ol));
                    run(ol, base + " rows " + ol, out -> ce.sparseCategoricalCrossEntropy(p, xl, y, Layout.rowsOf(xl), 1e-7f, out, ol));
                }
                for (Layout ol : elemOuts) {
                    run(ol, base + " elementwise " + ol, out -> ce.sigmoidCrossEntropyWithLogits(x, xl, t, xl, out, ol));
                    run(ol, base + " elementwise " + ol, out -> ce.binaryCrossEntropy(p, xl, t, xl, 1e-7f, out, ol));
                }
                assertSameBits(x0, x, base + " logits");
                assertSameBits(p0, p, base + " probabilities");
                assertSameBits(t0, t, base + " labels");
            }
        }
    }

    static void run(Layout ol, String ctx, Consumer<float[]> op) {
        float[] out = TestSupport.sentinelArray(ol, 7);
        op.accept(out);
        check(out, ol, ctx);
    }
}
