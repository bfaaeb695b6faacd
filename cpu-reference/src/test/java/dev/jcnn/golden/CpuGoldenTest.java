package dev.jcnn.golden;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;

/** Every golden PyTorch case on the CPU reference backend. */
class CpuGoldenTest extends GoldenConformance {

    @Override
    protected Backend createBackend() {
        return new CpuBackend(BackendOptions.exact().withThreads(2));
    }
}
