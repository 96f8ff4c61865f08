package dev.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The backend selection ({@code KernelProvider}): {@link CrossEntropy#get()} works and says what it runs on. */
class BackendSelectionTest {

    @Test
    void defaultOpsWorkAndReportABackend() {
        CrossEntropy ce = CrossEntropy.get();
        assertNotNull(ce);
        Backend b = ce.backend();
        assertTrue(b == Backend.VECTOR || b == Backend.SCALAR, "default backend " + b);
        String forced = System.getProperty("xent.backend", "auto");
        if (forced.equals("auto") && CrossEntropy.vectorAvailable()) {
            assertEquals(Backend.VECTOR, b, "the Vector API is available, so auto picks VECTOR");
        }
        assertEquals(b == Backend.VECTOR, !ce.species().equals("none"), "species " + ce.species());
        float[] out = new float[1];
        ce.sparseSoftmaxCrossEntropyWithLogits(new float[] {1e8f, 1e8f, 1e8f}, new int[] {1}, 3, out);
        TestSupport.assertClose(Math.log(3), out[0], "ln 3 on the default backend");
    }

    @Test
    void vectorBackendLoadsWhenAvailable() {
        if (CrossEntropy.vectorAvailable() && TestSupport.vectorClassPresent()) {
            CrossEntropy v = CrossEntropy.of(Backend.VECTOR);   // must not throw
            assertEquals(Backend.VECTOR, v.backend());
            assertTrue(v.species().startsWith("Species[float"), v.species());
            assertEquals(2, TestSupport.backends().size(), "SCALAR and VECTOR are both under test");
        } else {
            assertEquals(1, TestSupport.backends().size());
        }
        assertEquals(Backend.SCALAR, CrossEntropy.of(Backend.SCALAR).backend());
        assertEquals("none", CrossEntropy.of(Backend.SCALAR).species());
        assertEquals(Backend.REFERENCE, CrossEntropy.of(Backend.REFERENCE).backend());
        assertEquals(Backend.VECTOR, Backend.parse("Vector"));
        assertEquals(Backend.REFERENCE, Backend.parse("REFERENCE"));
    }

    /** Runs in every surefire execution: the vector species honours {@code -Dxent.vector.bits}. */
    @Test
    @Tag("backend")
    void vectorSpeciesHonoursTheWidthProperty() {
        String bits = System.getProperty("xent.vector.bits");
        for (CrossEntropy ce : TestSupport.backends()) {
            if (ce.backend() == Backend.VECTOR && bits != null) {
                assertTrue(ce.species().contains("S_" + bits + "_BIT"), "xent.vector.bits=" + bits + " but " + ce.species());
            }
        }
        assertTrue(!TestSupport.backends().isEmpty());
    }
}
