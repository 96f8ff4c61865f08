package dev.xent.cli;

import java.util.Locale;

/** The losses the command line offers, by their command-line names. */
public enum LossKind {
    /** {@code softmax-ce}: softmax cross-entropy from logits with dense labels of the predictions' shape. */
    SOFTMAX_CE("softmax-ce", false, true),
    /** {@code sparse-softmax-ce}: softmax cross-entropy from logits with integer labels. */
    SPARSE_SOFTMAX_CE("sparse-softmax-ce", true, true),
    /** {@code sigmoid-ce}: elementwise sigmoid cross-entropy from logits. */
    SIGMOID_CE("sigmoid-ce", false, true),
    /** {@code binary-ce}: Keras binary cross-entropy (mean over the class axis), from probabilities unless {@code --from-logits}. */
    BINARY_CE("binary-ce", false, false),
    /** {@code categorical-ce}: Keras categorical cross-entropy, from probabilities unless {@code --from-logits}. */
    CATEGORICAL_CE("categorical-ce", false, false),
    /** {@code sparse-categorical-ce}: Keras sparse categorical cross-entropy, from probabilities unless {@code --from-logits}. */
    SPARSE_CATEGORICAL_CE("sparse-categorical-ce", true, false);

    private final String cliName;
    private final boolean sparse;
    private final boolean alwaysLogits;

    LossKind(String cliName, boolean sparse, boolean alwaysLogits) {
        this.cliName = cliName;
        this.sparse = sparse;
        this.alwaysLogits = alwaysLogits;
    }

    /** The name on the command line, e.g. {@code sparse-softmax-ce}. */
    public String cliName() {
        return cliName;
    }

    /** Whether the labels are integer class indices. */
    public boolean sparse() {
        return sparse;
    }

    /** Whether the predictions are always logits (the TensorFlow-style ops); otherwise {@code --from-logits} decides. */
    public boolean alwaysLogits() {
        return alwaysLogits;
    }

    /** Whether one loss is computed per element rather than per row (reducing the class axis). */
    public boolean elementwise() {
        return this == SIGMOID_CE;
    }

    /**
     * Parses a command-line name (case-insensitive, {@code _} accepted for {@code -}).
     *
     * @throws IllegalArgumentException listing the names when {@code name} is not one of them
     */
    public static LossKind parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (LossKind k : values()) {
            if (k.cliName.equals(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "' (expected one of " + names() + ")");
    }

    /** The command-line names, comma separated. */
    public static String names() {
        StringBuilder b = new StringBuilder();
        for (LossKind k : values()) {
            b.append(b.length() == 0 ? "" : ", ").append(k.cliName);
        }
        return b.toString();
    }
}
