package dev.xent.cli;

import dev.xent.Backend;
import dev.xent.CrossEntropy;
import java.util.Locale;

/** Resolves {@code --backend auto|vector|scalar|reference} to the library's ops, with one-line errors. */
final class Backends {
    static final String ADD_MODULES = "run java with --add-modules jdk.incubator.vector";

    private Backends() {
    }

    /**
     * The ops for a backend name.
     *
     * @throws CliException (usage) for an unknown name or a vector backend that cannot run here
     */
    static CrossEntropy resolve(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        try {
            switch (n) {
                case "auto":
                    return CrossEntropy.get();
                case "vector":
                    if (!CrossEntropy.vectorAvailable()) {
                        throw new CliException(CliException.USAGE, "the vector backend is not available in this JVM; " + ADD_MODULES);
                    }
                    return CrossEntropy.of(Backend.VECTOR);
                case "scalar":
                    return CrossEntropy.of(Backend.SCALAR);
                case "reference":
                    return CrossEntropy.of(Backend.REFERENCE);
                default:
                    throw new CliException(CliException.USAGE, "unknown backend '" + name + "' (expected auto, vector, scalar or reference)");
            }
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, e.getMessage());
        } catch (LinkageError e) {
            // the vector classes failed to initialise (e.g. ExceptionInInitializerError from the provider)
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new CliException(CliException.USAGE, "the " + n + " backend cannot be loaded: " + cause.getMessage());
        }
    }

    /** The vector ops, or {@code null} with the reason in {@code why[0]} when they cannot run here. */
    static CrossEntropy vectorOrNull(String[] why) {
        try {
            return resolve("vector");
        } catch (CliException e) {
            why[0] = e.getMessage();
            return null;
        }
    }
}
