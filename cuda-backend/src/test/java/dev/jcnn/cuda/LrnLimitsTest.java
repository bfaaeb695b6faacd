package dev.jcnn.cuda;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import dev.jcnn.backend.LrnSpec;
import org.junit.jupiter.api.Test;

/** cuDNN's limits on local response normalization are refused on the host, naming the value and the limit. */
class LrnLimitsTest {

    @Test
    void alexNetsSettingsAndTheWidestWindowPass() {
        assertDoesNotThrow(() -> Normalization.checkLrnLimits("lrnForward", LrnSpec.ALEXNET));
        assertDoesNotThrow(() -> Normalization.checkLrnLimits("lrnForward", new LrnSpec(15, 1f, 0.02f, 2e-5f)));
    }

    @Test
    void aWindowWiderThanCudnnsIsRefused() {
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> Normalization.checkLrnLimits("lrnForward", new LrnSpec(17, 1e-4f, 0.75f, 2f)), "lrnForward",
                "size 17", "16");
    }

    @Test
    void aSmallKOrBetaIsRefused() {
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> Normalization.checkLrnLimits("lrnBackward", new LrnSpec(5, 1e-4f, 0.75f, 1e-6f)), "lrnBackward",
                "k 1.0E-6", "CUDNN_LRN_MIN_K");
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> Normalization.checkLrnLimits("lrnForward", new LrnSpec(5, 1e-4f, 0.001f, 2f)), "beta 0.001",
                "CUDNN_LRN_MIN_BETA");
    }
}
