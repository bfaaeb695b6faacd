package dev.jcnn.golden;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Numerics;
import dev.jcnn.cuda.GpuTests;

/**
 * Every golden PyTorch case (cpu-reference's golden folder, from its test-jar) on the GPU in
 * exact numerics. Skipped, with the reason, where the CUDA backend cannot start.
 */
class CudaGoldenTest extends GoldenConformance {

    @Override
    protected Backend createBackend() {
        return GpuTests.backend(Numerics.EXACT);
    }
}
