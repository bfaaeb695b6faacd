package dev.jcnn.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.OptimizerOps;
import dev.jcnn.backend.RmsPropSpec;
import dev.jcnn.backend.SgdSpec;
import jcuda.Pointer;

/**
 * Parameter updates in place with the backend's kernels, in the CPU reference's arithmetic
 * (see {@link SgdSpec}, {@link AdamSpec} and {@link RmsPropSpec}); Adam's bias corrections
 * (and AdamW's decay factor) are computed once per step on the host, in double.
 */
final class Optimizers extends OptimizerOps<CudaTensor> {

    private final KernelLauncher kernels;
    /** For the squared norm's partial sums; null in the host tests, which launch the update kernels only. */
    private final Gpu gpu;

    Optimizers(CudaBackend backend, Gpu gpu) {
        this(backend, gpu.kernels, gpu);
    }

    /** The updates of backend, launched through kernels (the host tests' launcher runs them on the CPU). */
    Optimizers(Backend backend, KernelLauncher kernels, Gpu gpu) {
        super(backend, CudaTensor.class);
        this.kernels = kernels;
        this.gpu = gpu;
    }

    @Override
    protected void computeSgd(CudaTensor param, CudaTensor grad, CudaTensor velocity, SgdSpec spec) {
        int n = param.shape().size();
        kernels.launch(Kernel.SGD_UPDATE, n, param, grad, spec.momentum() != 0f ? velocity : null,
                spec.learningRate(), spec.momentum(), spec.weightDecay(), spec.nesterov() ? 1 : 0, n);
    }

    @Override
    protected void computeAdam(CudaTensor param, CudaTensor grad, CudaTensor m, CudaTensor v, AdamSpec spec, int step) {
        int n = param.shape().size();
        double b1 = spec.beta1();
        double b2 = spec.beta2();
        double stepSize = spec.learningRate() / (1.0 - Math.pow(b1, step));
        double correction2 = Math.sqrt(1.0 - Math.pow(b2, step));
        kernels.launch(Kernel.ADAM_UPDATE, n, param, grad, m, v, b1, b2, (double) spec.epsilon(),
                (double) spec.weightDecay(), stepSize, correction2, n);
    }

    @Override
    protected void computeAdamW(CudaTensor param, CudaTensor grad, CudaTensor m, CudaTensor v, AdamSpec spec,
            int step) {
        int n = param.shape().size();
        double b1 = spec.beta1();
        double b2 = spec.beta2();
        double stepSize = spec.learningRate() / (1.0 - Math.pow(b1, step));
        double correction2 = Math.sqrt(1.0 - Math.pow(b2, step));
        double decay = 1.0 - (double) spec.learningRate() * spec.weightDecay();
        kernels.launch(Kernel.ADAMW_UPDATE, n, param, grad, m, v, b1, b2, (double) spec.epsilon(), decay, stepSize,
                correction2, n);
    }

    @Override
    protected void computeRmsProp(CudaTensor param, CudaTensor grad, CudaTensor squareAvg, CudaTensor gradAvg,
            CudaTensor momentumBuffer, RmsPropSpec spec) {
        int n = param.shape().size();
        kernels.launch(Kernel.RMSPROP_UPDATE, n, param, grad, squareAvg, spec.centered() ? gradAvg : null,
                spec.momentum() != 0f ? momentumBuffer : null, (double) spec.learningRate(), (double) spec.alpha(),
                (double) spec.epsilon(), (double) spec.weightDecay(), (double) spec.momentum(), spec.centered() ? 1 : 0,
                n);
    }

    /** One partial sum per block on the device, added in order on the host (this waits for the kernel). */
    @Override
    protected double computeSquaredNorm(CudaTensor t) {
        int n = t.shape().size();
        int blocks = Kernels.reduceBlocksFor(n);
        Scratch.Buffer partial = gpu.scratch.get(Scratch.Purpose.NORM_PARTIALS, 8L * blocks);
        gpu.kernels.launchGrid(Kernel.SUM_SQUARES, blocks, t, partial, n);
        double[] host = new double[blocks];
        Status.cu(cuMemcpyDtoH(Pointer.to(host), partial.pointer(), 8L * blocks), "cuMemcpyDtoH(partial sums of"
                + " squaredNorm)");
        double s = 0.0;
        for (double v : host) {
            s += v;
        }
        return s;
    }
}
