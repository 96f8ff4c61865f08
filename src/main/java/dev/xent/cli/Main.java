package dev.xent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code xent} command: {@code xent score ...} and {@code xent demo ...}.
 *
 * <p>Errors are one line {@code xent: <message>} on stderr, never a stack trace. Exit codes: 0 success,
 * 1 data error (missing or malformed file, shapes that do not match, a label out of range, a demo result
 * outside its tolerance), 2 usage error (unknown command, option, loss, reduction or backend; an option value
 * that does not parse; the vector backend requested where it cannot run).
 */
public final class Main {

    /** Keeps the {@code dev.xent} logger (and so its level) alive; see {@link #quietLibraryLog()}. */
    private static Object libraryLogger;

    private Main() {
    }

    /** The top-level command; it only dispatches to its subcommands. */
    @Command(name = "xent", mixinStandardHelpOptions = true, version = "xent 0.1.0-SNAPSHOT",
            description = "Numerically stable cross-entropy losses over NumPy .npy files.",
            subcommands = {ScoreCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
    static final class Top implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "missing command (score or demo); see xent --help");
        }
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        quietLibraryLog();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line in-process.
     *
     * @return the exit code: 0 success, 1 data error, 2 usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        CommandLine cl = new CommandLine(new Top());
        cl.setOut(o);
        cl.setErr(e);
        cl.setParameterExceptionHandler((ex, a) -> {
            e.println("xent: " + oneLine(ex.getMessage()));
            return CliException.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            int code;
            String msg;
            if (ex instanceof CliException) {
                code = ((CliException) ex).exitCode();
                msg = ex.getMessage();
            } else if (ex instanceof CommandLine.ParameterException) {
                code = CliException.USAGE;
                msg = ex.getMessage();
            } else if (ex instanceof IllegalArgumentException || ex instanceof IOException) {
                code = CliException.DATA;
                msg = ex instanceof IOException ? describe((IOException) ex) : ex.getMessage();
            } else {
                code = CliException.DATA;
                msg = "internal error: " + ex;
            }
            e.println("xent: " + oneLine(msg));
            return code;
        });
        int code = cl.execute(args);
        o.flush();
        e.flush();
        return code;
    }

    /** A one-line description of an I/O failure (the JDK's messages of some exceptions are only a path). */
    static String describe(IOException e) {
        if (e instanceof Npy.NpyException) {
            return e.getMessage();
        }
        if (e instanceof java.nio.file.FileSystemException && ((java.nio.file.FileSystemException) e).getReason() != null) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException) {
            return e.getMessage() + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return e.getMessage() + ": permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return e.getMessage() + ": already exists";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        return s.replaceAll("\\s*[\\r\\n]+\\s*", "; ").trim();
    }

    /**
     * Raises the level of the library's {@code java.util.logging} logger {@code dev.xent} to SEVERE when
     * {@code java.logging} is present, so the backend choice (which the summary reports, with the reason when
     * the vector backend is unavailable) is not also logged as a two-line record on stderr. Best effort, by reflection: the library module does not read
     * {@code java.logging}.
     */
    static void quietLibraryLog() {
        try {
            Class<?> logger = Class.forName("java.util.logging.Logger");
            Class<?> level = Class.forName("java.util.logging.Level");
            Object l = logger.getMethod("getLogger", String.class).invoke(null, "dev.xent");
            logger.getMethod("setLevel", level).invoke(l, level.getField("SEVERE").get(null));
            libraryLogger = l;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException ignored) {
            // no java.logging: nothing to quiet
        }
    }
}
