package dev.jcnn.cuda;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.OptimizerOps;
import dev.jcnn.backend.SgdSpec;

/**
 * Parameter updates in place with the backend's kernels, in the CPU reference's arithmetic
 * (see {@link SgdSpec} and {@link AdamSpec}); Adam's bias corrections are computed once per
 * step on the host, in double.
 */
final class Optimizers extends OptimizerOps<CudaTensor> {

    private final Gpu gpu;

    Optimizers(CudaBackend backend, Gpu gpu) {
        super(backend, CudaTensor.class);
        this.gpu = gpu;
    }

    @Override
    protected void computeSgd(CudaTensor param, CudaTensor grad, CudaTensor velocity, SgdSpec spec) {
        int n = param.shape().size();
        gpu.kernels.launch(Kernel.SGD_UPDATE, n, param, grad, spec.momentum() != 0f ? velocity : null,
                spec.learningRate(), spec.momentum(), spec.weightDecay(), spec.nesterov() ? 1 : 0, n);
    }

    @Override
    protected void computeAdam(CudaTensor param, CudaTensor grad, CudaTensor m, CudaTensor v, AdamSpec spec, int step) {
        int n = param.shape().size();
        double b1 = spec.beta1();
        double b2 = spec.beta2();
        double stepSize = spec.learningRate() / (1.0 - Math.pow(b1, step));
        double correction2 = Math.sqrt(1.0 - Math.pow(b2, step));
        gpu.kernels.launch(Kernel.ADAM_UPDATE, n, param, grad, m, v, b1, b2, (double) spec.epsilon(),
                (double) spec.weightDecay(), stepSize, correction2, n);
    }
}
