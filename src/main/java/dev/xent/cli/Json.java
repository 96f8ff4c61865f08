package dev.xent.cli;

/**
 * Writes one flat JSON object by hand (the CLI jar carries no JSON library).
 *
 * <p>Strings are escaped per RFC 8259. Finite numbers are written in Java's shortest round-trip form
 * (e.g. {@code 0.0645997}, {@code 1.0E-7}), which is valid JSON. NaN and the infinities, which JSON numbers
 * cannot express, are written as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"};
 * an absent value ({@code null} argument) is written as {@code null}.
 */
public final class Json {
    private final StringBuilder b = new StringBuilder("{");

    /** Adds a string member ({@code null} gives JSON null). */
    public Json put(String key, String value) {
        key(key);
        if (value == null) {
            b.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    /** Adds a number member ({@code null} gives JSON null; non-finite values become strings). */
    public Json put(String key, Double value) {
        key(key);
        b.append(number(value));
        return this;
    }

    /** Adds an integer member. */
    public Json put(String key, long value) {
        key(key);
        b.append(value);
        return this;
    }

    /** Adds a boolean member. */
    public Json put(String key, boolean value) {
        key(key);
        b.append(value);
        return this;
    }

    /** Adds an array of integers. */
    public Json put(String key, int[] values) {
        key(key);
        b.append('[');
        for (int k = 0; k < values.length; k++) {
            b.append(k == 0 ? "" : ",").append(values[k]);
        }
        b.append(']');
        return this;
    }

    /** The JSON text of a double: a JSON number when finite, otherwise a string, {@code null} for null. */
    public static String number(Double value) {
        if (value == null) {
            return "null";
        }
        double v = value;
        if (Double.isNaN(v)) {
            return "\"NaN\"";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
        }
        return Double.toString(v);
    }

    private void key(String key) {
        if (b.length() > 1) {
            b.append(',');
        }
        quote(key);
        b.append(':');
    }

    private void quote(String s) {
        b.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
    }

    /** The object's text, one line. */
    @Override
    public String toString() {
        return b + "}";
    }
}
