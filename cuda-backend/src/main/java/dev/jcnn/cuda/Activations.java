package dev.jcnn.cuda;

import static jcuda.jcudnn.JCudnn.cudnnActivationBackward;
import static jcuda.jcudnn.JCudnn.cudnnActivationForward;
import static jcuda.jcudnn.JCudnn.cudnnCreateActivationDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnDestroyActivationDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnSetActivationDescriptor;

import dev.jcnn.backend.ActivationKind;
import dev.jcnn.backend.ActivationOps;
import dev.jcnn.backend.ActivationSpec;
import java.util.EnumMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.jcudnn.cudnnActivationDescriptor;
import jcuda.jcudnn.cudnnActivationMode;
import jcuda.jcudnn.cudnnNanPropagation;
import jcuda.jcudnn.cudnnTensorDescriptor;

/**
 * Elementwise activations and PReLU on the GPU: ReLU, tanh and sigmoid through cuDNN (one
 * descriptor per kind, made once); Leaky ReLU, ELU and PReLU with the backend's kernels,
 * whose derivatives at x = 0 take the negative side's slope as the CPU reference does.
 */
final class Activations extends ActivationOps<CudaTensor> implements AutoCloseable {

    private static final Pointer ONE = Pointer.to(new float[] {1f});
    private static final Pointer ZERO = Pointer.to(new float[] {0f});

    private final Gpu gpu;
    private final Elementwise elementwise;
    private final Map<ActivationKind, cudnnActivationDescriptor> descriptors = new EnumMap<>(ActivationKind.class);

    Activations(CudaBackend backend, Gpu gpu, Elementwise elementwise) {
        super(backend, CudaTensor.class);
        this.gpu = gpu;
        this.elementwise = elementwise;
    }

    @Override
    protected void computeForward(ActivationSpec f, CudaTensor x, CudaTensor y) {
        int n = x.shape().size();
        // a switch expression, so that a new ActivationKind does not compile until it is handled here
        Runnable launch = switch (f.kind()) {
            case LINEAR -> () -> {
                if (x != y) {
                    elementwise.copy(x.pointer(), y.pointer(), x.bytes(), "linear activation");
                }
            };
            case LEAKY_RELU -> () -> gpu.kernels.launch(Kernel.LEAKY_RELU_FORWARD, n, x, y, f.alpha(), n);
            case ELU -> () -> gpu.kernels.launch(Kernel.ELU_FORWARD, n, x, y, f.alpha(), n);
            case RELU, TANH, SIGMOID -> () -> {
                cudnnTensorDescriptor d = gpu.descriptors.tensor(Descriptors.flat(x.shape()));
                Status.cudnn(cudnnActivationForward(gpu.cudnn, descriptor(f.kind()), ONE, d, x.pointer(), ZERO, d,
                        y.pointer()), "cudnnActivationForward(" + f.kind() + ", " + x.shape() + ")");
            };
        };
        launch.run();
    }

    @Override
    protected void computeBackward(ActivationSpec f, CudaTensor x, CudaTensor y, CudaTensor dy, CudaTensor dx) {
        int n = x.shape().size();
        // a switch expression, so that a new ActivationKind does not compile until it is handled here
        Runnable launch = switch (f.kind()) {
            case LINEAR -> () -> {
                if (dy != dx) {
                    elementwise.copy(dy.pointer(), dx.pointer(), dy.bytes(), "linear activation gradient");
                }
            };
            case LEAKY_RELU -> () -> gpu.kernels.launch(Kernel.LEAKY_RELU_BACKWARD, n, x, dy, dx, f.alpha(), n);
            case ELU -> () -> gpu.kernels.launch(Kernel.ELU_BACKWARD, n, x, y, dy, dx, f.alpha(), n);
            case RELU, TANH, SIGMOID -> () -> {
                cudnnTensorDescriptor d = gpu.descriptors.tensor(Descriptors.flat(x.shape()));
                Status.cudnn(cudnnActivationBackward(gpu.cudnn, descriptor(f.kind()), ONE, d, y.pointer(), d,
                        dy.pointer(), d, x.pointer(), ZERO, d, dx.pointer()),
                        "cudnnActivationBackward(" + f.kind() + ", " + x.shape() + ")");
            };
        };
        launch.run();
    }

    /** x (N, C, ...): alpha has C values. */
    @Override
    protected void computePreluForward(CudaTensor x, CudaTensor alpha, CudaTensor y) {
        int n = x.shape().size();
        int channels = x.shape().dim(1);
        gpu.kernels.launch(Kernel.PRELU_FORWARD, n, x, alpha, y, channels, n / x.shape().dim(0) / channels, n);
    }

    @Override
    protected void computePreluBackward(CudaTensor x, CudaTensor alpha, CudaTensor dy, CudaTensor dx,
            CudaTensor dalpha) {
        int n = x.shape().size();
        int batch = x.shape().dim(0);
        int channels = x.shape().dim(1);
        int inner = n / batch / channels;
        // dalpha first: dx may be dy
        gpu.kernels.launchGrid(Kernel.PRELU_BACKWARD_ALPHA, channels, x, dy, dalpha, batch, channels, inner);
        gpu.kernels.launch(Kernel.PRELU_BACKWARD_DATA, n, x, alpha, dy, dx, channels, inner, n);
    }

    private cudnnActivationDescriptor descriptor(ActivationKind kind) {
        return descriptors.computeIfAbsent(kind, k -> {
            int mode = switch (k) {
                case RELU -> cudnnActivationMode.CUDNN_ACTIVATION_RELU;
                case TANH -> cudnnActivationMode.CUDNN_ACTIVATION_TANH;
                case SIGMOID -> cudnnActivationMode.CUDNN_ACTIVATION_SIGMOID;
                case LINEAR, LEAKY_RELU, ELU -> throw new IllegalArgumentException("no cuDNN activation for " + k);
            };
            cudnnActivationDescriptor d = new cudnnActivationDescriptor();
            Status.cudnn(cudnnCreateActivationDescriptor(d), "cudnnCreateActivationDescriptor");
            Status.cudnn(cudnnSetActivationDescriptor(d, mode, cudnnNanPropagation.CUDNN_PROPAGATE_NAN, 0.0),
                    "cudnnSetActivationDescriptor(" + k + ")");
            return d;
        });
    }

    @Override
    public void close() {
        for (cudnnActivationDescriptor d : descriptors.values()) {
            Status.cudnn(cudnnDestroyActivationDescriptor(d), "cudnnDestroyActivationDescriptor");
        }
        descriptors.clear();
    }
}
