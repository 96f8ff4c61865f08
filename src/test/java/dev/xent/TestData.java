package dev.xent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal test-only reader of the bundled {@code data/*.npy} files: format version 1, C order,
 * little-endian {@code <f4}, {@code <f8} or {@code <i4}. (The CLI has the real reader.) Also a tiny reader of
 * the {@code "references"} object of {@code data/manifest.json}.
 */
final class TestData {
    private TestData() {
    }

    static final Path DIR = Path.of("data");

    /** One array: its dtype descriptor, its shape and its data as exactly one of the three arrays. */
    record Npy(String descr, int[] shape, float[] f4, double[] f8, int[] i4) {
        int size() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    static Npy read(String name) throws IOException {
        byte[] bytes = Files.readAllBytes(DIR.resolve(name));
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || !new String(bytes, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new IOException(name + ": not an .npy file");
        }
        if (bytes[6] != 1) {
            throw new IOException(name + ": .npy version " + bytes[6] + " (only 1 is read here)");
        }
        int headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        String header = new String(bytes, 10, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher o = ORDER.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !o.find() || !s.find()) {
            throw new IOException(name + ": cannot parse header " + header);
        }
        if (o.group(1).equals("True")) {
            throw new IOException(name + ": Fortran order not supported");
        }
        String[] dims = s.group(1).split(",");
        int rank = 0;
        int[] shape = new int[dims.length];
        for (String dim : dims) {
            if (!dim.isBlank()) {
                shape[rank++] = Integer.parseInt(dim.trim());
            }
        }
        shape = java.util.Arrays.copyOf(shape, rank);
        int n = 1;
        for (int dim : shape) {
            n = Math.multiplyExact(n, dim);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 10 + headerLen, bytes.length - 10 - headerLen).order(ByteOrder.LITTLE_ENDIAN);
        String descr = d.group(1);
        switch (descr) {
            case "<f4": {
                float[] a = new float[n];
                buf.asFloatBuffer().get(a);
                return new Npy(descr, shape, a, null, null);
            }
            case "<f8": {
                double[] a = new double[n];
                buf.asDoubleBuffer().get(a);
                return new Npy(descr, shape, null, a, null);
            }
            case "<i4": {
                int[] a = new int[n];
                buf.asIntBuffer().get(a);
                return new Npy(descr, shape, null, null, a);
            }
            default:
                throw new IOException(name + ": dtype " + descr + " not supported");
        }
    }

    static float[] f4(String name) throws IOException {
        Npy a = read(name);
        if (a.f4() == null) {
            throw new IOException(name + ": expected <f4, got " + a.descr());
        }
        return a.f4();
    }

    static double[] f8(String name) throws IOException {
        Npy a = read(name);
        if (a.f8() == null) {
            throw new IOException(name + ": expected <f8, got " + a.descr());
        }
        return a.f8();
    }

    static int[] i4(String name) throws IOException {
        Npy a = read(name);
        if (a.i4() == null) {
            throw new IOException(name + ": expected <i4, got " + a.descr());
        }
        return a.i4();
    }

    private static final Pattern ENTRY = Pattern.compile("\"([^\"]+)\"\\s*:\\s*(\"[^\"]*\"|[-+0-9.eE]+)");

    /** The {@code "references"} object of the manifest: key → file name (String) or scalar (Double), in file order. */
    static Map<String, Object> references() throws IOException {
        String json = Files.readString(DIR.resolve("manifest.json"));
        int start = json.indexOf("\"references\"");
        int open = json.indexOf('{', start);
        int close = json.indexOf('}', open);
        if (start < 0 || open < 0 || close < 0) {
            throw new IOException("manifest.json: no references object");
        }
        Map<String, Object> refs = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(json.substring(open + 1, close));
        while (m.find()) {
            String v = m.group(2);
            refs.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : (Object) Double.valueOf(v));
        }
        return refs;
    }
}
