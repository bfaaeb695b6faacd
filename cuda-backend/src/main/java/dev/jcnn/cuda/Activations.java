package dev.jcnn.cuda;

import static jcuda.jcudnn.JCudnn.cudnnActivationBackward;
import static jcuda.jcudnn.JCudnn.cudnnActivationForward;
import static jcuda.jcudnn.JCudnn.cudnnCreateActivationDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnDestroyActivationDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnSetActivationDescriptor;

import dev.jcnn.backend.ActivationKind;
import dev.jcnn.backend.ActivationOps;
import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.Backend;
import java.util.EnumMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.jcudnn.cudnnActivationDescriptor;
import jcuda.jcudnn.cudnnActivationMode;
import jcuda.jcudnn.cudnnNanPropagation;
import jcuda.jcudnn.cudnnTensorDescriptor;

/**
 * Elementwise activations and PReLU on the GPU: ReLU, tanh and sigmoid through cuDNN (one
 * descriptor per kind, made once); the other kinds and PReLU with the backend's kernels,
 * whose derivatives at the kinks are ActivationKind's (PyTorch's), as on the CPU reference.
 * {@link #route} decides which, once per kind.
 */
final class Activations extends ActivationOps<CudaTensor> implements AutoCloseable {

    private static final Pointer ONE = Pointer.to(new float[] {1f});
    private static final Pointer ZERO = Pointer.to(new float[] {0f});

    /** How this backend computes an activation kind. */
    enum Route {
        /** y = x: a copy, or nothing in place. */
        COPY,
        /** cuDNN's activations, each with its mode. */
        CUDNN_RELU(cudnnActivationMode.CUDNN_ACTIVATION_RELU),
        CUDNN_TANH(cudnnActivationMode.CUDNN_ACTIVATION_TANH),
        CUDNN_SIGMOID(cudnnActivationMode.CUDNN_ACTIVATION_SIGMOID),
        /** This backend's kernels {@code <kind>_fwd} and {@code <kind>_bwd} in jcnn_kernels.cu ({@link Kernel#activationForward}). */
        OWN_KERNELS;

        private final int cudnnMode;

        Route() {
            this(-1);
        }

        Route(int cudnnMode) {
            this.cudnnMode = cudnnMode;
        }
    }

    /**
     * The one place a kind is routed. A switch expression, so that a new ActivationKind does
     * not compile until it is handled here; routed to OWN_KERNELS, it needs its two kernels in
     * jcnn_kernels.cu (KernelPtxTest finds them missing) and nothing else.
     */
    static Route route(ActivationKind kind) {
        return switch (kind) {
            case LINEAR -> Route.COPY;
            case RELU -> Route.CUDNN_RELU;
            case TANH -> Route.CUDNN_TANH;
            case SIGMOID -> Route.CUDNN_SIGMOID;
            case LEAKY_RELU, ELU, GELU, GELU_TANH, SILU, RELU6, HARD_SIGMOID, HARD_SWISH -> Route.OWN_KERNELS;
        };
    }

    private final Gpu gpu;
    private final KernelLauncher kernels;
    private final Elementwise elementwise;
    private final Map<Route, cudnnActivationDescriptor> descriptors = new EnumMap<>(Route.class);

    /**
     * The activations of backend: cuDNN and PReLU on gpu, the kinds routed to OWN_KERNELS
     * through kernels (the host tests' launcher runs those on the CPU, with gpu and
     * elementwise null).
     */
    Activations(Backend backend, Gpu gpu, KernelLauncher kernels, Elementwise elementwise) {
        super(backend, CudaTensor.class);
        this.gpu = gpu;
        this.kernels = kernels;
        this.elementwise = elementwise;
    }

    @Override
    protected void computeForward(ActivationSpec f, CudaTensor x, CudaTensor y) {
        int n = x.shape().size();
        Route route = route(f.kind());
        // a switch expression, so that a new Route does not compile until it is handled here
        Runnable launch = switch (route) {
            case COPY -> () -> {
                if (x != y) {
                    elementwise.copy(x.pointer(), y.pointer(), x.bytes(), "linear activation");
                }
            };
            case OWN_KERNELS -> () -> kernels.launch(Kernel.activationForward(f.kind()), n, x, y, f.alpha(), n);
            case CUDNN_RELU, CUDNN_TANH, CUDNN_SIGMOID -> () -> {
                cudnnTensorDescriptor d = gpu.descriptors.tensor(Descriptors.flat(x.shape()));
                Status.cudnn(cudnnActivationForward(gpu.cudnn, descriptor(route), ONE, d, x.pointer(), ZERO, d,
                        y.pointer()), "cudnnActivationForward(" + f.kind() + ", " + x.shape() + ")");
            };
        };
        launch.run();
    }

    @Override
    protected void computeBackward(ActivationSpec f, CudaTensor x, CudaTensor y, CudaTensor dy, CudaTensor dx) {
        int n = x.shape().size();
        Route route = route(f.kind());
        // a switch expression, so that a new Route does not compile until it is handled here
        Runnable launch = switch (route) {
            case COPY -> () -> {
                if (dy != dx) {
                    elementwise.copy(dy.pointer(), dx.pointer(), dy.bytes(), "linear activation gradient");
                }
            };
            case OWN_KERNELS -> () -> kernels.launch(Kernel.activationBackward(f.kind()), n, x, y, dy, dx, f.alpha(),
                    n);
            case CUDNN_RELU, CUDNN_TANH, CUDNN_SIGMOID -> () -> {
                cudnnTensorDescriptor d = gpu.descriptors.tensor(Descriptors.flat(x.shape()));
                Status.cudnn(cudnnActivationBackward(gpu.cudnn, descriptor(route), ONE, d, y.pointer(), d,
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

    private cudnnActivationDescriptor descriptor(Route route) {
        return descriptors.computeIfAbsent(route, r -> {
            cudnnActivationDescriptor d = new cudnnActivationDescriptor();
            Status.cudnn(cudnnCreateActivationDescriptor(d), "cudnnCreateActivationDescriptor");
            Status.cudnn(cudnnSetActivationDescriptor(d, r.cudnnMode, cudnnNanPropagation.CUDNN_PROPAGATE_NAN, 0.0),
                    "cudnnSetActivationDescriptor(" + r + ")");
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
