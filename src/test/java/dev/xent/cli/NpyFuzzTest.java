package dev.xent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing the {@code .npy} reader (jqwik): valid files of every supported dtype, version and a few shapes, mutated
 * byte by byte (set, flip, truncate, insert, cut), and headers assembled at random from the pieces of the Python
 * literal grammar. Every file is either read (and then its data length is the product of its shape) or rejected
 * with an {@link Npy.NpyException} naming the file: never another exception, an OutOfMemoryError or a
 * StackOverflowError. Tries per property: {@code -Dxent.fuzz.tries}.
 */
class NpyFuzzTest {

    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("xent-npy-fuzz", ".npy");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FILE.toFile().deleteOnExit();
    }

    static final String[] DESCRS = {"<f4", "<f8", "<i4", "<i8"};

    record Valid(int major, int dtype, int[] shape) {
        byte[] bytes() {
            StringBuilder sh = new StringBuilder("(");
            for (int d : shape) {
                sh.append(d).append(", ");
            }
            sh.append(')');
            int count = 1;
            for (int d : shape) {
                count *= d;
            }
            int size = dtype % 2 == 0 ? 4 : 8;
            byte[] data = new byte[count * size];
            for (int k = 0; k < data.length; k++) {
                data[k] = (byte) (k * 37 + 11);
            }
            return NpyTest.npy(major, NpyTest.dict(DESCRS[dtype], false, sh.toString()), data);
        }

        @Override
        public String toString() {
            return "v" + major + " " + DESCRS[dtype] + " " + Arrays.toString(shape);
        }
    }

    /** One mutation: kind 0 set a byte, 1 flip a bit, 2 truncate, 3 insert a byte, 4 cut a range. */
    record Mutation(int kind, int position, byte value) {
        byte[] apply(byte[] b) {
            if (b.length == 0) {
                return kind == 3 ? new byte[] {value} : b;
            }
            int at = Math.floorMod(position, b.length);
            switch (kind) {
                case 0: {
                    byte[] c = b.clone();
                    c[at] = value;
                    return c;
                }
                case 1: {
                    byte[] c = b.clone();
                    c[at] ^= (byte) (1 << (value & 7));
                    return c;
                }
                case 2:
                    return Arrays.copyOf(b, at);
                case 3: {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = value;
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    return c;
                }
                default: {
                    int len = Math.min(1 + (value & 0x0f), b.length - at);
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    return c;
                }
            }
        }
    }

    @Provide
    Arbitrary<Valid> valid() {
        return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 6).array(int[].class).ofMaxSize(3)).as(Valid::new);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> m = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 140)),   // mostly in the prefix and header
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers())),
                Arbitraries.bytes()).as(Mutation::new);
        return m.list().ofMinSize(1).ofMaxSize(4);
    }

    @Property
    void mutatedFilesAreReadOrRejectedCleanly(@ForAll("valid") Valid v, @ForAll("mutations") List<Mutation> ms) throws IOException {
        byte[] b = v.bytes();
        for (Mutation m : ms) {
            b = m.apply(b);
        }
        readOrReject(b, v + " mutated by " + ms);
    }

    /** Pieces of a header: the dict's keys and values, and the tokens that break it. */
    static final String[] PIECES = {"{", "}", "(", ")", "[", "]", ",", ":", " ", "'descr'", "'fortran_order'", "'shape'",
        "'<f4'", "'<f8'", "'<i4'", "'<i8'", "'>f4'", "'|u1'", "'<f2'", "True", "False", "None", "0", "1", "3", "-1", "2147483647",
        "2147483648", "65536", "99999999999999999999999", "1L", "1_000", "'", "\"", "\\", "\n", "\u00e9", "x", "1.5", "+"};

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> random = Arbitraries.of(PIECES).list().ofMaxSize(40).map(l -> String.join("", l));
        Arbitrary<String> shaped = Combinators.combine(Arbitraries.of("'<f4'", "'<f8'", "'<i4'", "'<i8'", "'>f8'", "'<u2'", "3"),
                Arbitraries.of("True", "False", "0", "None"),
                Arbitraries.of("2147483647", "2147483648", "65536", "46341", "0", "1", "-1", "99999999999999999999999")
                        .list().ofMaxSize(4).map(l -> "(" + String.join(", ", l) + (l.size() == 1 ? ",)" : ")")))
                .as((d, f, s) -> "{'descr': " + d + ", 'fortran_order': " + f + ", 'shape': " + s + ", }\n");
        return Arbitraries.oneOf(random, shaped);
    }

    @Property
    void randomHeadersAreReadOrRejectedCleanly(@ForAll("headers") String header, @ForAll("majors") int major,
                                               @ForAll("dataLengths") int dataLength) throws IOException {
        readOrReject(NpyTest.npy(major, header, new byte[dataLength]), "v" + major + " header " + header.strip() + ", " + dataLength + " data bytes");
    }

    @Provide
    Arbitrary<Integer> majors() {
        return Arbitraries.of(1, 2, 3);
    }

    @Provide
    Arbitrary<Integer> dataLengths() {
        return Arbitraries.of(0, 4, 8, 16, 24, 48);
    }

    @Example
    void deeplyNestedHeadersAreRejectedWithoutStackOverflow() throws IOException {
        // found reading the parser while writing this fuzz test (the random headers are too short to nest this deep):
        // the recursive header parser overflowed the stack on "((((…" nested 150 000 deep (a header may be 1 MiB)
        for (String open : new String[] {"(", "[", "{'a': "}) {
            String h = "{'descr': '<f4', 'fortran_order': False, 'shape': " + open.repeat(150_000) + "\n";
            Npy.NpyException e = assertThrows(Npy.NpyException.class, () -> read(NpyTest.npy(2, h, new byte[0])));
            assertTrue(e.getMessage().contains("nested"), e.getMessage());
        }
        // a little nesting is still fine where the grammar allows it: an empty tuple is a scalar shape
        assertEquals(0, read(NpyTest.npy(1, NpyTest.dict("<f4", false, "()"), new byte[4])).shape().length);
    }

    @Example
    void shapesWhoseProductOverflowsAreRejectedBeforeAllocating() throws IOException {
        for (String shape : new String[] {"(65536, 65536)", "(46341, 46341)", "(2147483647, 2)", "(3, 1431655766)",
            "(2147483647, 2147483647, 2147483647)"}) {
            Npy.NpyException e = assertThrows(Npy.NpyException.class,
                    () -> read(NpyTest.npy(1, NpyTest.dict("<f8", false, shape), new byte[8])));
            assertTrue(e.getMessage().contains("2147483647 elements"), shape + ": " + e.getMessage());
        }
        // a zero-size axis makes the array empty however large the others are (was: "more than 2147483647 elements")
        Npy.Array empty = read(NpyTest.npy(1, NpyTest.dict("<f4", false, "(2147483647, 2147483647, 0)"), new byte[0]));
        assertEquals(0, empty.size());
        assertEquals(3, empty.shape().length);
    }

    static Npy.Array read(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        return Npy.read(FILE);
    }

    static void readOrReject(byte[] bytes, String what) throws IOException {
        Npy.Array a;
        try {
            a = read(bytes);
        } catch (Npy.NpyException e) {
            assertTrue(e.getMessage().startsWith(FILE.toString()), "names the file: " + e.getMessage());
            return;
        } catch (Throwable t) {
            fail(what + ": " + t + " instead of an NpyException", t);
            return;
        }
        long count = 1;
        for (int d : a.shape()) {
            count *= d;
        }
        assertEquals(count, a.size(), what);
        assertEquals(count, a.toDoubles().length, what);
    }
}
