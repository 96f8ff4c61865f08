package dev.xent.internal;

import dev.xent.Backend;
import dev.xent.internal.reference.ReferenceKernels;
import dev.xent.internal.scalar.ScalarKernels;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Chooses the kernels once per JVM, in the manner of Lucene's {@code VectorizationProvider}: the vector
 * backend when {@code jdk.incubator.vector} is in the boot layer and C2 compiles, the scalar backend
 * otherwise, with one log line saying which and how to change it. {@code -Dxent.backend=auto|vector|scalar}
 * forces the choice.
 */
public final class KernelProvider {

    private static final System.Logger LOG = System.getLogger("dev.xent");
    private static final String VECTOR_CLASS = "dev.xent.internal.vector.VectorKernels";
    private static final String MODULE = "jdk.incubator.vector";

    private KernelProvider() {
    }

    private static final class Holder {
        static final Backend DEFAULT = choose();
    }

    /** Loaded only after the module check passed; a failure to load is kept as a reason, not thrown. */
    private static final class VectorHolder {
        static final Kernels VECTOR;
        static final String FAILURE;

        static {
            Kernels kernels = null;
            String failure = null;
            try {
                kernels = (Kernels) Class.forName(VECTOR_CLASS).getField("INSTANCE").get(null);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                failure = "the vector kernels could not be loaded (" + e + ")";
            }
            VECTOR = kernels;
            FAILURE = failure;
        }
    }

    /** The backend chosen for this JVM. */
    public static Backend defaultBackend() {
        return Holder.DEFAULT;
    }

    /** The kernels of {@code backend}. */
    public static Kernels kernels(Backend backend) {
        switch (backend) {
            case VECTOR:
                String why = vectorUnavailableReason();
                if (why != null) {
                    throw new UnsupportedOperationException("the vector backend is not available: " + why);
                }
                return VectorHolder.VECTOR;
            case SCALAR:
                return ScalarKernels.INSTANCE;
            case REFERENCE:
                return ReferenceKernels.INSTANCE;
            default:
                throw new AssertionError(backend);
        }
    }

    /** The vector species in use ({@code FloatVector} species name), or {@code "none"} without the vector backend. */
    public static String vectorSpecies() {
        return vectorUnavailableReason() == null ? VectorHolder.VECTOR.species() : "none";
    }

    /** Why the vector backend cannot run here, or {@code null} when it can. */
    public static String vectorUnavailableReason() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return "the module " + MODULE + " is not in the boot layer; run java with --add-modules " + MODULE;
        }
        String c2 = c2Disabled();
        if (c2 != null) {
            return c2 + "; without C2 the Vector API is slower than scalar code";
        }
        return VectorHolder.FAILURE;
    }

    private static String c2Disabled() {
        String info = System.getProperty("java.vm.info", "");
        if (info.contains("interpreted mode")) {
            return "the JVM runs in interpreted mode (-Xint)";
        }
        try {
            for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("-XX:TieredStopAtLevel=") && !arg.endsWith("=4")) {
                    return "C2 is off (" + arg + ")";
                }
                if (arg.equals("-XX:-UseCompiler") || arg.equals("-Xint")) {
                    return "the JIT is off (" + arg + ")";
                }
            }
        } catch (LinkageError | RuntimeException e) {
            // java.management absent: cannot tell, assume C2 is on
        }
        return null;
    }

    private static Backend choose() {
        String forced = System.getProperty("xent.backend", "auto").trim().toLowerCase(Locale.ROOT);
        String why = vectorUnavailableReason();
        switch (forced) {
            case "scalar":
                LOG.log(Level.INFO, "xent: scalar backend (forced by -Dxent.backend=scalar)");
                return Backend.SCALAR;
            case "vector":
                if (why != null) {
                    throw new UnsupportedOperationException("-Dxent.backend=vector, but the vector backend is not available: " + why);
                }
                LOG.log(Level.INFO, "xent: vector backend, " + vectorSpecies() + " (forced by -Dxent.backend=vector)");
                return Backend.VECTOR;
            case "auto":
            case "":
                if (why != null) {
                    LOG.log(Level.WARNING, "xent: scalar backend, because " + why + " to enable the vector backend");
                    return Backend.SCALAR;
                }
                LOG.log(Level.INFO, "xent: vector backend, " + vectorSpecies());
                return Backend.VECTOR;
            default:
                throw new IllegalArgumentException("-Dxent.backend=" + forced + " is not one of auto, vector, scalar");
        }
    }
}
