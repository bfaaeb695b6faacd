package dev.jcnn.golden;

import dev.jcnn.backend.Backend;
import dev.jcnn.testing.oracle.OracleBackend;

/**
 * Every golden PyTorch case on the test oracle (core's test-jar): the oracle the conformance
 * suite trusts is itself checked against PyTorch.
 */
class OracleGoldenTest extends GoldenConformance {

    @Override
    protected Backend createBackend() {
        return new OracleBackend();
    }
}
