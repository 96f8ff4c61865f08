/**
 * xent: numerically stable SIMD cross-entropy kernels.
 *
 * <p>The Vector API module is optional: without {@code --add-modules jdk.incubator.vector} the library loads
 * and runs on its scalar backend.
 */
module dev.xent {
    requires static jdk.incubator.vector;
    requires static java.management;
    requires static info.picocli;

    exports dev.xent;

    opens dev.xent.cli to info.picocli;
}
