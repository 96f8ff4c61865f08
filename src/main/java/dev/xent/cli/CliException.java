package dev.xent.cli;

/** A failure reported as one line {@code xent: <message>} on stderr with a given exit code. */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code of a usage error: an unknown option, loss, reduction or backend, or an unusable backend. */
    public static final int USAGE = 2;
    /** Exit code of a data error: a missing or malformed file, mismatched shapes, a label out of range. */
    public static final int DATA = 1;

    private final int exitCode;

    /** A failure with the given exit code and message. */
    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The process exit code. */
    public int exitCode() {
        return exitCode;
    }
}
