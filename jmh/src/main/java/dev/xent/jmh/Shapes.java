package dev.xent.jmh;

import dev.xent.Layout;

/**
 * The benchmark shapes, shared by the benchmarks and {@link Report} (which turns ns/op into elements/ns).
 *
 * <ul>
 *   <li>{@code size}: {@code 256K} (about 2^18 logits: inputs stay in L2/L3) or {@code 16M} (2^24: out of cache);</li>
 *   <li>{@code layout}: {@code last} = {@code [N, C]} rows, class axis last, {@code N = max(1, size / C)};
 *       {@code first} = channels first {@code [1, C, H·W]} (class axis 1), {@code H·W = max(1, size / C)}.</li>
 * </ul>
 */
public final class Shapes {

    private Shapes() {
    }

    public static int total(String size) {
        switch (size) {
            case "256K":
                return 1 << 18;
            case "16M":
                return 1 << 24;
            default:
                throw new IllegalArgumentException("size = " + size + " is not 256K or 16M");
        }
    }

    /** {@code [N, C]} rows from a shape parameter written {@code "NxC"} (as in {@code Parallel} and {@code Scaling}). */
    public static Layout rows(String nxc) {
        String[] nc = nxc.split("x");
        return Layout.rows(Integer.parseInt(nc[0]), Integer.parseInt(nc[1]));
    }

    /** The logits layout of a benchmark. */
    public static Layout logits(String layout, int classes, String size) {
        int perClass = Math.max(1, total(size) / classes);
        switch (layout) {
            case "last":
                return Layout.rows(perClass, classes);
            case "first":
                return Layout.channelsFirst(1, classes, perClass);
            default:
                throw new IllegalArgumentException("layout = " + layout + " is not last or first");
        }
    }

    /** Logits per call: what elements/ns counts. */
    public static long elements(String layout, int classes, String size) {
        return logits(layout, classes, size).size();
    }
}
