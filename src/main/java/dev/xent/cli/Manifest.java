package dev.xent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundled data's {@code manifest.json}: the data sets' file names and the references (file names of
 * float64 {@code .npy} losses, and scalar means). Parsed with a tiny strict JSON reader.
 */
public final class Manifest {
    private final Path dir;
    private final Map<String, Object> datasets;
    private final Map<String, Object> references;

    private Manifest(Path dir, Map<String, Object> datasets, Map<String, Object> references) {
        this.dir = dir;
        this.datasets = datasets;
        this.references = references;
    }

    /**
     * Reads {@code dir/manifest.json}.
     *
     * @throws IOException if it is missing or not the expected JSON
     */
    @SuppressWarnings("unchecked")
    public static Manifest read(Path dir) throws IOException {
        Path file = dir.resolve("manifest.json");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Object root;
        try {
            Reader r = new Reader(text);
            root = r.value();
            r.end();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage());
        }
        if (!(root instanceof Map) || !(((Map<?, ?>) root).get("datasets") instanceof Map)
                || !(((Map<?, ?>) root).get("references") instanceof Map)) {
            throw new IOException(file + ": expected an object with \"datasets\" and \"references\"");
        }
        Map<String, Object> m = (Map<String, Object>) root;
        return new Manifest(dir, (Map<String, Object>) m.get("datasets"), (Map<String, Object>) m.get("references"));
    }

    /** The data directory. */
    public Path dir() {
        return dir;
    }

    /** The path of a data set's file ({@code key} = {@code logits}, {@code probs} or {@code labels}). */
    public Path file(String dataset, String key) throws IOException {
        Object ds = datasets.get(dataset);
        Object name = ds instanceof Map ? ((Map<?, ?>) ds).get(key) : null;
        if (!(name instanceof String)) {
            throw new IOException(dir.resolve("manifest.json") + ": no datasets." + dataset + "." + key);
        }
        return dir.resolve((String) name);
    }

    /** The path of a reference {@code .npy}, or {@code null} if the manifest has none under {@code key}. */
    public Path referenceFile(String key) {
        Object v = references.get(key);
        return v instanceof String ? dir.resolve((String) v) : null;
    }

    /** A scalar reference, or {@code null} if the manifest has none under {@code key}. */
    public Double referenceValue(String key) {
        Object v = references.get(key);
        return v instanceof Double ? (Double) v : null;
    }

    /** A minimal strict JSON reader: objects, arrays, strings, numbers, true, false, null. */
    static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        void end() {
            ws();
            if (i != s.length()) {
                throw new IllegalArgumentException("unexpected text at offset " + i);
            }
        }

        private void ws() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private char peek() {
            ws();
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at offset " + i);
            }
            i++;
        }

        Object value() {
            char c = peek();
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    if (peek() == '}') {
                        i++;
                        return m;
                    }
                    do {
                        ws();
                        String k = string();
                        expect(':');
                        m.put(k, value());
                    } while (comma('}'));
                    return m;
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    if (peek() == ']') {
                        i++;
                        return l;
                    }
                    do {
                        l.add(value());
                    } while (comma(']'));
                    return l;
                }
                case '"':
                    return string();
                default:
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    return number();
            }
        }

        private boolean comma(char close) {
            char c = peek();
            i++;
            if (c == ',') {
                return true;
            }
            if (c == close) {
                return false;
            }
            throw new IllegalArgumentException("expected ',' or '" + close + "' at offset " + (i - 1));
        }

        private String string() {
            if (i >= s.length() || s.charAt(i) != '"') {
                throw new IllegalArgumentException("expected a string at offset " + i);
            }
            i++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n': b.append('\n'); break;
                        case 't': b.append('\t'); break;
                        case 'r': b.append('\r'); break;
                        case 'b': b.append('\b'); break;
                        case 'f': b.append('\f'); break;
                        case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                        default: b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private Double number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            try {
                return Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad value at offset " + start);
            }
        }
    }
}
