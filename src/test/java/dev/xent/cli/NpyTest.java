package dev.xent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    /** A .npy file assembled byte by byte, independently of {@link Npy}'s writer. */
    static byte[] npy(int major, String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        int prefix = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(prefix + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        b.put(h).put(data);
        return b.array();
    }

    static String dict(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }\n";
    }

    static byte[] le(int bytesPerElement, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * bytesPerElement).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            if (bytesPerElement == 4) {
                b.putInt((int) v);
            } else {
                b.putLong(v);
            }
        }
        return b.array();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void roundTripFloat32() throws IOException {
        float[] data = {1.5f, -2.25f, Float.NaN, Float.POSITIVE_INFINITY, 0f, -0f, 3.4e38f, 1e-45f, 7f, 8f, 9f, 10f};
        for (int[] shape : new int[][] {{12}, {3, 4}, {2, 3, 2}, {1, 12, 1}}) {
            Path p = dir.resolve("rt.npy");
            Npy.writeFloat32(p, shape, data);
            byte[] bytes = Files.readAllBytes(p);
            int headerEnd = 10 + (bytes[8] & 0xff) + ((bytes[9] & 0xff) << 8);
            assertEquals(0, headerEnd % 64, "header padded to 64 bytes");
            assertEquals('\n', bytes[headerEnd - 1]);
            assertEquals(headerEnd + 4 * data.length, bytes.length);
            Npy.Array a = Npy.read(p);
            assertEquals(Npy.DType.FLOAT32, a.dtype());
            assertArrayEquals(shape, a.shape());
            float[] back = a.toFloats(false);
            for (int k = 0; k < data.length; k++) {
                assertEquals(Float.floatToRawIntBits(data[k]), Float.floatToRawIntBits(back[k]), "element " + k);
            }
        }
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void writesTheHeaderNumpyWrites() throws IOException {
        // the dicts np.save writes (NumPy 2.4) for float32 arrays of shapes (2,), (2, 3) and ()
        String[][] cases = {
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", "2"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", "2,3"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (), }", ""},
        };
        for (String[] c : cases) {
            int[] shape = c[1].isEmpty() ? new int[0] : java.util.Arrays.stream(c[1].split(",")).mapToInt(Integer::parseInt).toArray();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Npy.writeFloat32(out, shape, new float[Npy.count(shape)]);
            byte[] b = out.toByteArray();
            assertEquals(1, b[6]);
            assertEquals(0, b[7]);
            int len = (b[8] & 0xff) | (b[9] & 0xff) << 8;
            assertEquals(0, (10 + len) % 64);
            String text = new String(b, 10, len, StandardCharsets.ISO_8859_1);
            assertTrue(text.endsWith("\n"));
            assertEquals(c[0], text.stripTrailing());
        }
    }

    @Test
    void writeEmptyAndScalarShapes() throws IOException {
        Path p = dir.resolve("e.npy");
        Npy.writeFloat32(p, new int[] {0, 3}, new float[0]);
        assertArrayEquals(new int[] {0, 3}, Npy.read(p).shape());
        Npy.writeFloat32(p, new int[] {}, new float[] {4f});
        Npy.Array a = Npy.read(p);
        assertArrayEquals(new int[] {}, a.shape());
        assertEquals(4f, a.toFloats(false)[0]);
    }

    @Test
    void readsBundledFileShapes() throws IOException {
        // shapes as stated in data/manifest.json
        assertArrayEquals(new int[] {1797, 10}, Npy.read(Cli.DATA.resolve("digits_logits.npy")).shape());
        assertArrayEquals(new int[] {1, 8, 214, 320}, Npy.read(Cli.DATA.resolve("china_seg_logits.npy")).shape());
        Npy.Array y = Npy.read(Cli.DATA.resolve("china_seg_labels.npy"));
        assertEquals(Npy.DType.INT32, y.dtype());
        assertArrayEquals(new int[] {1, 214, 320}, y.shape());
        assertEquals(Npy.DType.FLOAT64, Npy.read(Cli.DATA.resolve("ref_digits_sparse_softmax_ce_none.npy")).dtype());
    }

    @Test
    void versions2And3AndDtypes() throws IOException {
        Path p2 = file("v2.npy", npy(2, dict("<i8", false, "(3,)"), le(8, 1, -2, 3)));
        Npy.Array a = Npy.read(p2);
        assertEquals(Npy.DType.INT64, a.dtype());
        assertArrayEquals(new int[] {1, -2, 3}, a.toInts());
        assertArrayEquals(new float[] {1f, -2f, 3f}, a.toFloats(true));

        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(2.0);
        Path p3 = file("v3.npy", npy(3, "{\"descr\": \"<f8\", \"shape\": (2,), \"fortran_order\": False}   \n", d.array()));
        Npy.Array b = Npy.read(p3);
        assertEquals(Npy.DType.FLOAT64, b.dtype());
        assertArrayEquals(new float[] {0.1f, 2f}, b.toFloats(false));       // narrowed to float32
        assertArrayEquals(new double[] {0.1, 2.0}, b.toDoubles());
        assertArrayEquals(new int[] {0, 2}, assertThrowsOrInts(b));
    }

    private static int[] assertThrowsOrInts(Npy.Array b) {
        Npy.NpyException e = assertThrows(Npy.NpyException.class, b::toInts);
        assertTrue(e.getMessage().contains("0.1") && e.getMessage().contains("whole number"), e.getMessage());
        return new int[] {0, 2};
    }

    @Test
    void wholeFloatLabelsAreAccepted() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(0f).putFloat(3f).putFloat(9f);
        Path p = file("f.npy", npy(1, dict("<f4", false, "(3,)"), d.array()));
        assertArrayEquals(new int[] {0, 3, 9}, Npy.read(p).toInts());
    }

    @Test
    void int64OutOfIntRange() throws IOException {
        Path p = file("big.npy", npy(1, dict("<i8", false, "(2,)"), le(8, 1, 1L << 40)));
        Npy.NpyException e = assertThrows(Npy.NpyException.class, () -> Npy.read(p).toInts());
        assertMessage(e, p, "outside the int range");
    }

    @Test
    void integerPredictionsRejected() throws IOException {
        Path p = file("i.npy", npy(1, dict("<i4", false, "(2,)"), le(4, 1, 2)));
        assertMessage(assertThrows(Npy.NpyException.class, () -> Npy.read(p).toFloats(false)), p, "not a float type");
    }

    // ---- rejects --------------------------------------------------------------------------------------

    private static void assertMessage(Exception e, Path p, String problem) {
        String m = e.getMessage();
        assertTrue(m.contains(p.toString()), "names the file: " + m);
        assertTrue(m.toLowerCase(Locale.ROOT).contains(problem.toLowerCase(Locale.ROOT)), "says '" + problem + "': " + m);
    }

    private void rejects(String name, byte[] bytes, String problem) throws IOException {
        Path p = file(name, bytes);
        assertMessage(assertThrows(Npy.NpyException.class, () -> Npy.read(p)), p, problem);
    }

    @Test
    void rejectsBadMagic() throws IOException {
        byte[] good = npy(1, dict("<f4", false, "(1,)"), le(4, 0));
        good[1] = 'X';
        rejects("magic.npy", good, "bad magic");
        rejects("empty.npy", new byte[0], "bad magic");
        rejects("text.npy", "hello, world".getBytes(StandardCharsets.US_ASCII), "bad magic");
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        rejects("trunc.npy", npy(1, dict("<f4", false, "(3, 4)"), new byte[47]), "truncated");
        rejects("trailing.npy", npy(1, dict("<f4", false, "(2,)"), new byte[9]), "unexpected bytes");
    }

    @Test
    void rejectsBigEndian() throws IOException {
        rejects("be.npy", npy(1, dict(">f4", false, "(1,)"), new byte[4]), "big-endian");
        rejects("be8.npy", npy(1, dict(">i8", false, "(1,)"), new byte[8]), "big-endian");
    }

    @Test
    void rejectsFortranOrder() throws IOException {
        rejects("f.npy", npy(1, dict("<f4", true, "(2, 2)"), new byte[16]), "fortran");
    }

    @Test
    void rejectsUnsupportedDtypes() throws IOException {
        rejects("i2.npy", npy(1, dict("<i2", false, "(2,)"), new byte[4]), "unsupported dtype <i2");
        rejects("u1.npy", npy(1, dict("|u1", false, "(2,)"), new byte[2]), "unsupported dtype |u1");
        rejects("f2.npy", npy(1, dict("<f2", false, "(2,)"), new byte[4]), "unsupported dtype <f2");
        rejects("c8.npy", npy(1, dict("<c8", false, "(1,)"), new byte[8]), "unsupported dtype <c8");
        rejects("rec.npy", npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }\n", new byte[4]),
                "unsupported dtype");
    }

    @Test
    void rejectsOverflowingShape() throws IOException {
        rejects("ovf.npy", npy(1, dict("<f4", false, "(100000, 100000)"), new byte[4]), "more than 2147483647 elements");
        rejects("ovf1.npy", npy(1, dict("<f4", false, "(3000000000,)"), new byte[4]), "more than 2147483647 elements");
        rejects("ovf2.npy", npy(1, dict("<f8", false, "(99999999999999999999999,)"), new byte[4]), "more than 2147483647 elements");
        // fits an int but not the file: caught before allocating 8 GB
        rejects("huge.npy", npy(1, dict("<f8", false, "(1073741824,)"), new byte[8]), "truncated");
    }

    @Test
    void rejectsNegativeDims() throws IOException {
        rejects("neg.npy", npy(1, dict("<f4", false, "(-1, 2)"), new byte[0]), "negative");
    }

    @Test
    void rejectsHeaderLengthPastEof() throws IOException {
        byte[] b = npy(1, dict("<f4", false, "(1,)"), le(4, 0));
        b[8] = (byte) 0xff;
        b[9] = (byte) 0x7f;
        rejects("hdr.npy", b, "past the end of the file");
        byte[] c = npy(2, dict("<f4", false, "(1,)"), le(4, 0));
        c[8] = c[9] = c[10] = (byte) 0xff;
        c[11] = (byte) 0x7f;
        rejects("hdr2.npy", c, "past the end of the file");
    }

    @Test
    void rejectsMalformedHeaders() throws IOException {
        rejects("h1.npy", npy(1, "{'descr': '<f4', 'fortran_order': False}\n", new byte[0]), "descr, fortran_order and shape");
        rejects("h2.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}\n", new byte[4]), "unexpected key");
        rejects("h3.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,\n", new byte[4]), "malformed header");
        rejects("h4.npy", npy(1, "['descr', '<f4']\n", new byte[4]), "not a dict");
        rejects("h5.npy", npy(1, dict("<f4", false, "(1.5,)"), new byte[4]), "malformed header");
        rejects("h6.npy", npy(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}\n", new byte[4]), "fortran_order");
    }

    @Test
    void rejectsUnknownVersion() throws IOException {
        byte[] b = npy(1, dict("<f4", false, "(1,)"), le(4, 0));
        b[6] = 4;
        rejects("v4.npy", b, "version 4.0");
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("absent.npy");
        assertMessage(assertThrows(Npy.NpyException.class, () -> Npy.read(p)), p, "no such file");
    }

    @Test
    void failedWriteLeavesNothing() throws IOException {
        Path target = dir.resolve("out.npy");
        assertThrows(IllegalArgumentException.class, () -> Npy.writeFloat32(target, new int[] {3}, new float[2]));
        assertThrows(IOException.class, () -> Npy.writeFloat32(dir.resolve("no/such/dir/out.npy"), new int[] {1}, new float[1]));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }
}
