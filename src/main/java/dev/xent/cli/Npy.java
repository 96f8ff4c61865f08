package dev.xent.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes NumPy {@code .npy} files.
 *
 * <p>Reading: format versions 1.0, 2.0 and 3.0; little-endian {@code <f4}, {@code <f8}, {@code <i4} and
 * {@code <i8} data in C order. The header is parsed as the Python dict literal it is, with exactly the keys
 * {@code descr}, {@code fortran_order} and {@code shape}. Every size is checked against the file length
 * before anything is allocated, and the data must end exactly at the end of the file. Anything else is an
 * {@link NpyException} whose message names the file and the problem.
 *
 * <p>Writing: float32 only, version 1.0, {@code <f4}, C order, written to a temporary file in the target
 * directory and then moved over the target atomically, so a failed write leaves no partial file.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int CHUNK = 1 << 16;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private Npy() {
    }

    /** A problem with a {@code .npy} file; the message names the file. */
    public static final class NpyException extends IOException {
        private static final long serialVersionUID = 1L;

        NpyException(Path file, String problem) {
            super(file + ": " + problem);
        }
    }

    /** The supported element types. */
    public enum DType {
        /** {@code <f4}. */
        FLOAT32("<f4", 4),
        /** {@code <f8}. */
        FLOAT64("<f8", 8),
        /** {@code <i4}. */
        INT32("<i4", 4),
        /** {@code <i8}. */
        INT64("<i8", 8);

        private final String descr;
        private final int size;

        DType(String descr, int size) {
            this.descr = descr;
            this.size = size;
        }

        /** The NumPy type string, e.g. {@code <f4}. */
        public String descr() {
            return descr;
        }

        /** Bytes per element. */
        public int size() {
            return size;
        }

        /** Whether this is a floating-point type. */
        public boolean isFloat() {
            return this == FLOAT32 || this == FLOAT64;
        }
    }

    /**
     * An array read from a file. Exactly one of the data arrays is non-null, matching {@link #dtype()}.
     */
    public static final class Array {
        private final Path file;
        private final DType dtype;
        private final int[] shape;
        private final float[] f32;
        private final double[] f64;
        private final int[] i32;
        private final long[] i64;

        private Array(Path file, DType dtype, int[] shape, float[] f32, double[] f64, int[] i32, long[] i64) {
            this.file = file;
            this.dtype = dtype;
            this.shape = shape;
            this.f32 = f32;
            this.f64 = f64;
            this.i32 = i32;
            this.i64 = i64;
        }

        /** The file this array was read from. */
        public Path file() {
            return file;
        }

        /** The element type in the file. */
        public DType dtype() {
            return dtype;
        }

        /** The shape (a copy); {@code []} for a scalar. */
        public int[] shape() {
            return shape.clone();
        }

        /** The number of elements. */
        public int size() {
            return count(shape);
        }

        /**
         * The data as float32: float64 values are rounded to the nearest float, integers converted.
         *
         * @param integersAllowed whether integer dtypes are accepted (they are not for predictions)
         * @throws NpyException for an integer dtype when {@code integersAllowed} is false
         */
        public float[] toFloats(boolean integersAllowed) throws NpyException {
            switch (dtype) {
                case FLOAT32:
                    return f32;
                case FLOAT64: {
                    float[] out = new float[f64.length];
                    for (int k = 0; k < out.length; k++) {
                        out[k] = (float) f64[k];
                    }
                    return out;
                }
                default:
                    if (!integersAllowed) {
                        throw new NpyException(file, "dtype " + dtype.descr + " is not a float type (expected <f4 or <f8)");
                    }
                    float[] out = new float[size()];
                    for (int k = 0; k < out.length; k++) {
                        out[k] = dtype == DType.INT32 ? i32[k] : (float) i64[k];
                    }
                    return out;
            }
        }

        /** The data as float64 (float32 and integers widened). */
        public double[] toDoubles() {
            switch (dtype) {
                case FLOAT64:
                    return f64;
                case FLOAT32: {
                    double[] out = new double[f32.length];
                    for (int k = 0; k < out.length; k++) {
                        out[k] = f32[k];
                    }
                    return out;
                }
                case INT32:
                    return Arrays.stream(i32).asDoubleStream().toArray();
                default:
                    return Arrays.stream(i64).asDoubleStream().toArray();
            }
        }

        /**
         * The data as int: int64 values must lie in the int range, float values must be whole numbers in the
         * int range.
         *
         * @throws NpyException naming the first offending element and its value
         */
        public int[] toInts() throws NpyException {
            if (dtype == DType.INT32) {
                return i32;
            }
            int[] out = new int[size()];
            for (int k = 0; k < out.length; k++) {
                if (dtype == DType.INT64) {
                    long v = i64[k];
                    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                        throw new NpyException(file, "element " + k + " = " + v + " is outside the int range");
                    }
                    out[k] = (int) v;
                } else {
                    double v = dtype == DType.FLOAT32 ? f32[k] : f64[k];
                    if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                        throw new NpyException(file, "element " + k + " = " + v
                                + " is not a whole number in the int range (integer labels expected, dtype " + dtype.descr + ")");
                    }
                    out[k] = (int) v;
                }
            }
            return out;
        }
    }

    /** The element count of {@code shape}; the caller guarantees it fits an int. */
    static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    // ---- reading ---------------------------------------------------------------------------------------

    /**
     * Reads a {@code .npy} file.
     *
     * @throws NpyException for a missing or unreadable file or any unsupported or malformed content
     */
    public static Array read(Path file) throws NpyException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch);
        } catch (NpyException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new NpyException(file, "no such file");
        } catch (IOException e) {
            throw new NpyException(file, "cannot read: " + e.getMessage());
        }
    }

    private static Array read(Path file, FileChannel ch) throws IOException {
        long length = ch.size();
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre, 0);
        if (pre.position() < 10 || !startsWithMagic(pre)) {
            throw new NpyException(file, "not a .npy file (bad magic; expected \\x93NUMPY)");
        }
        int major = pre.get(6) & 0xff;
        int minor = pre.get(7) & 0xff;
        long headerLength;
        int prefix;
        if (major == 1) {
            headerLength = pre.getShort(8) & 0xffff;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            if (pre.position() < 12) {
                throw new NpyException(file, "truncated header length");
            }
            headerLength = pre.getInt(8) & 0xffffffffL;
            prefix = 12;
        } else {
            throw new NpyException(file, "unsupported .npy format version " + major + "." + minor + " (1.0, 2.0 and 3.0 are supported)");
        }
        if (minor != 0) {
            throw new NpyException(file, "unsupported .npy format version " + major + "." + minor + " (1.0, 2.0 and 3.0 are supported)");
        }
        if (prefix + headerLength > length) {
            throw new NpyException(file, "header length " + headerLength + " reaches past the end of the file ("
                    + length + " bytes)");
        }
        if (headerLength > 1 << 20) {
            throw new NpyException(file, "header length " + headerLength + " is implausibly large");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLength);
        readFully(ch, hb, prefix);
        String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = parseHeader(file, header);

        long dataStart = prefix + headerLength;
        long count = 1;
        boolean empty = false;
        for (int d : h.shape) {
            empty |= d == 0;
        }
        for (int d : empty ? new int[0] : h.shape) {
            count *= d;   // each d <= Integer.MAX_VALUE and the running product is checked below
            if (count > Integer.MAX_VALUE) {
                throw new NpyException(file, "shape " + Arrays.toString(h.shape) + " has more than " + Integer.MAX_VALUE
                        + " elements");
            }
        }
        count = empty ? 0 : count;   // a zero-size axis makes any shape empty, however large the others
        long dataBytes = count * h.dtype.size;
        long available = length - dataStart;
        if (dataBytes > available) {
            throw new NpyException(file, "truncated: shape " + Arrays.toString(h.shape) + " of " + h.dtype.descr
                    + " needs " + dataBytes + " data bytes but the file has " + available);
        }
        if (dataBytes < available) {
            throw new NpyException(file, (available - dataBytes) + " unexpected bytes after the data of shape "
                    + Arrays.toString(h.shape));
        }
        int n = (int) count;
        float[] f32 = h.dtype == DType.FLOAT32 ? new float[n] : null;
        double[] f64 = h.dtype == DType.FLOAT64 ? new double[n] : null;
        int[] i32 = h.dtype == DType.INT32 ? new int[n] : null;
        long[] i64 = h.dtype == DType.INT64 ? new long[n] : null;
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        long pos = dataStart;
        int k = 0;
        while (k < n) {
            int elems = Math.min(n - k, CHUNK / h.dtype.size);
            buf.clear().limit(elems * h.dtype.size);
            readFully(ch, buf, pos);
            if (buf.hasRemaining()) {
                throw new NpyException(file, "truncated while reading the data");
            }
            pos += buf.limit();
            buf.flip();
            switch (h.dtype) {
                case FLOAT32:
                    buf.asFloatBuffer().get(f32, k, elems);
                    break;
                case FLOAT64:
                    buf.asDoubleBuffer().get(f64, k, elems);
                    break;
                case INT32:
                    buf.asIntBuffer().get(i32, k, elems);
                    break;
                default:
                    buf.asLongBuffer().get(i64, k, elems);
                    break;
            }
            k += elems;
        }
        return new Array(file, h.dtype, h.shape, f32, f64, i32, i64);
    }

    private static boolean startsWithMagic(ByteBuffer b) {
        for (int k = 0; k < MAGIC.length; k++) {
            if (b.get(k) != MAGIC[k]) {
                return false;
            }
        }
        return true;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                return;
            }
            pos += r;
        }
    }

    private static final class Header {
        final DType dtype;
        final int[] shape;

        Header(DType dtype, int[] shape) {
            this.dtype = dtype;
            this.shape = shape;
        }
    }

    /** Parses the header dict and checks the keys and their values. */
    static Header parseHeader(Path file, String text) throws NpyException {
        Object parsed;
        try {
            PyLiteral p = new PyLiteral(text);
            parsed = p.value();
            p.end();
        } catch (IllegalArgumentException e) {
            throw new NpyException(file, "malformed header: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw new NpyException(file, "malformed header: not a dict");
        }
        Map<?, ?> dict = (Map<?, ?>) parsed;
        for (Object key : dict.keySet()) {
            if (!"descr".equals(key) && !"fortran_order".equals(key) && !"shape".equals(key)) {
                throw new NpyException(file, "malformed header: unexpected key " + key);
            }
        }
        if (dict.size() != 3) {
            throw new NpyException(file, "malformed header: needs the keys descr, fortran_order and shape");
        }
        Object descr = dict.get("descr");
        if (!(descr instanceof String)) {
            throw new NpyException(file, "unsupported dtype " + descr + " (structured dtypes are not supported)");
        }
        String d = (String) descr;
        DType dtype = null;
        for (DType t : DType.values()) {
            if (t.descr.equals(d)) {
                dtype = t;
            }
        }
        if (dtype == null) {
            if (d.startsWith(">")) {
                throw new NpyException(file, "big-endian dtype " + d + " is not supported (save little-endian, e.g. a.astype('<f4'))");
            }
            throw new NpyException(file, "unsupported dtype " + d + " (supported: <f4, <f8, <i4, <i8)");
        }
        Object fortran = dict.get("fortran_order");
        if (!(fortran instanceof Boolean)) {
            throw new NpyException(file, "malformed header: fortran_order = " + fortran + " is not True or False");
        }
        if ((Boolean) fortran) {
            throw new NpyException(file, "Fortran-order arrays are not supported (save with np.ascontiguousarray)");
        }
        Object shapeObj = dict.get("shape");
        if (!(shapeObj instanceof List)) {
            throw new NpyException(file, "malformed header: shape = " + shapeObj + " is not a tuple");
        }
        List<?> dims = (List<?>) shapeObj;
        int[] shape = new int[dims.size()];
        for (int k = 0; k < shape.length; k++) {
            Object o = dims.get(k);
            if (!(o instanceof Long)) {
                throw new NpyException(file, "malformed header: shape entry " + o + " is not an integer");
            }
            long v = (Long) o;
            if (v < 0) {
                throw new NpyException(file, "shape " + dims + " has a negative size");
            }
            if (v > Integer.MAX_VALUE) {
                throw new NpyException(file, "shape " + dims + " has more than " + Integer.MAX_VALUE + " elements");
            }
            shape[k] = (int) v;
        }
        return new Header(dtype, shape);
    }

    /** A parser for the Python literals of a {@code .npy} header: dict, tuple, list, str, int, True, False, None. */
    private static final class PyLiteral {
        /** Deeper nesting than any .npy header has; the parser is recursive, so deeper is rejected, not a stack overflow. */
        private static final int MAX_DEPTH = 32;
        private final String s;
        private int i;
        private int depth;

        PyLiteral(String s) {
            this.s = s;
        }

        void end() {
            skip();
            if (i != s.length()) {
                throw new IllegalArgumentException("unexpected text after the dict at offset " + i);
            }
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private char peek() {
            skip();
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end of header");
            }
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at offset " + i + ", found '" + s.charAt(i) + "'");
            }
            i++;
        }

        Object value() {
            char c = peek();
            if (c == '{' || c == '(' || c == '[') {
                if (++depth > MAX_DEPTH) {
                    throw new IllegalArgumentException("values nested deeper than " + MAX_DEPTH + " levels at offset " + i);
                }
                Object v = c == '{' ? dict() : sequence(c == '(' ? ')' : ']');
                depth--;
                return v;
            }
            if (c == '\'' || c == '"') {
                return string(c);
            }
            if (c == '-' || c == '+' || Character.isDigit(c)) {
                return integer();
            }
            if (Character.isLetter(c)) {
                int start = i;
                while (i < s.length() && Character.isLetterOrDigit(s.charAt(i))) {
                    i++;
                }
                String word = s.substring(start, i);
                switch (word) {
                    case "True":
                        return Boolean.TRUE;
                    case "False":
                        return Boolean.FALSE;
                    case "None":
                        return "None";
                    default:
                        throw new IllegalArgumentException("unexpected word " + word + " at offset " + start);
                }
            }
            throw new IllegalArgumentException("unexpected '" + c + "' at offset " + i);
        }

        private Map<Object, Object> dict() {
            expect('{');
            Map<Object, Object> m = new LinkedHashMap<>();
            while (peek() != '}') {
                Object key = value();
                expect(':');
                Object v = value();
                if (m.put(key, v) != null) {
                    throw new IllegalArgumentException("duplicate key " + key);
                }
                if (peek() == ',') {
                    i++;
                } else if (peek() != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' at offset " + i);
                }
            }
            i++;
            return m;
        }

        private List<Object> sequence(char close) {
            i++;
            List<Object> out = new ArrayList<>();
            while (peek() != close) {
                out.add(value());
                if (peek() == ',') {
                    i++;
                } else if (peek() != close) {
                    throw new IllegalArgumentException("expected ',' or '" + close + "' at offset " + i);
                }
            }
            i++;
            return out;
        }

        private String string(char quote) {
            i++;
            StringBuilder b = new StringBuilder();
            while (i < s.length() && s.charAt(i) != quote) {
                char c = s.charAt(i++);
                if (c == '\\' && i < s.length()) {
                    c = s.charAt(i++);
                }
                b.append(c);
            }
            if (i >= s.length()) {
                throw new IllegalArgumentException("unterminated string");
            }
            i++;
            return b.toString();
        }

        private Long integer() {
            int start = i;
            if (s.charAt(i) == '-' || s.charAt(i) == '+') {
                i++;
            }
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            if (i < s.length() && s.charAt(i) == 'L') {
                i++;   // Python 2 long suffix
            }
            String digits = s.substring(start, i).replace("_", "").replace("L", "");
            if (digits.isEmpty() || digits.equals("-") || digits.equals("+")) {
                throw new IllegalArgumentException("bad number at offset " + start);
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                // more digits than a long: certainly more elements than an array can hold
                return digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
        }
    }

    // ---- writing ---------------------------------------------------------------------------------------

    /**
     * Writes a float32 C-order array as {@code .npy} version 1.0, atomically: the data goes to a temporary
     * file in the same directory, which is then moved over {@code file}. On any error the temporary file is
     * deleted and {@code file} is untouched.
     *
     * @throws IOException if the file cannot be written, or the shape does not match the data length
     */
    public static void writeFloat32(Path file, int[] shape, float[] data) throws IOException {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative size");
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n + " elements but there are "
                    + data.length + " values");
        }
        byte[] header = header(shape);
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(String.valueOf(dir), null, "no such directory");
        }
        // not Files.createTempFile: that makes the file owner-only; this one gets the usual umask permissions
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime() ^ RANDOM.nextLong()) + ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writeFully(ch, ByteBuffer.wrap(header));
                ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < data.length; ) {
                    int elems = Math.min(data.length - k, CHUNK / 4);
                    buf.clear();
                    buf.asFloatBuffer().put(data, k, elems);
                    buf.limit(elems * 4);
                    writeFully(ch, buf);
                    k += elems;
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(file + ": cannot replace the file atomically: " + e.getMessage(), e);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Writes the bytes of a float32 {@code .npy} file to a stream (no atomicity; for tests and pipes). */
    static void writeFloat32(OutputStream out, int[] shape, float[] data) throws IOException {
        out.write(header(shape));
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        out.write(buf.array());
    }

    /** The magic, version 1.0, header length and the header dict padded with spaces to a multiple of 64 bytes. */
    static byte[] header(int[] shape) {
        StringBuilder sh = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) {
            sh.append(shape[k]);
            if (k < shape.length - 1 || shape.length == 1) {
                sh.append(shape.length == 1 ? "," : ", ");
            }
        }
        sh.append(')');
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': ")
                .append(sh).append(", }");
        int total = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        for (int k = 0; k < pad; k++) {
            dict.append(' ');
        }
        dict.append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return b.array();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
