package dev.jcnn.samples.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import org.junit.jupiter.api.Test;

/** The build runs the plots without a display, as CI and servers do. */
class HeadlessTest {

    @Test
    void testsRunHeadlessWithTheBuildsSettings() {
        assertEquals("true", System.getProperty("java.awt.headless"));
        assertTrue(GraphicsEnvironment.isHeadless());
        // the parent's properties survive the samples module's surefire settings
        assertTrue(System.getProperty("jcnn.requireGpu") != null, "jcnn.requireGpu is passed to the tests");
    }
}
