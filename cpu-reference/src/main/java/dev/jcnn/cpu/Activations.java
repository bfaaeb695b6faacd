package dev.jcnn.cpu;

import dev.jcnn.backend.ActivationKind;
import dev.jcnn.backend.ActivationOps;
import dev.jcnn.backend.ActivationSpec;

/**
 * Elementwise activations and PReLU on the CPU, evaluated in double and rounded once.
 * Derivatives follow PyTorch: at x = 0 ReLU, Leaky ReLU, ELU and PReLU take their
 * negative-side slope; tanh and sigmoid use the forward output, the others the input.
 */
final class Activations extends ActivationOps<CpuTensor> {

    private final Parallel parallel;
    private final Kernels kernels;

    Activations(CpuBackend backend, Parallel parallel, Kernels kernels) {
        super(backend, CpuTensor.class);
        this.parallel = parallel;
        this.kernels = kernels;
    }

    @Override
    protected void computeForward(ActivationSpec f, CpuTensor x, CpuTensor y) {
        float[] dx = x.data();
        forward(f, dx, y.data(), dx.length, parallel, kernels);
    }

    @Override
    protected void computeBackward(ActivationSpec f, CpuTensor x, CpuTensor y, CpuTensor dy, CpuTensor dx) {
        float[] xd = x.data();
        backward(f, xd, y.data(), dy.data(), dx.data(), xd.length, parallel, kernels);
    }

    @Override
    protected void computePreluForward(CpuTensor x, CpuTensor alpha, CpuTensor y) {
        int channels = x.shape().dim(1);
        preluForward(x.data(), alpha.data(), y.data(), x.shape().batch(), channels, x.shape().sampleSize() / channels);
    }

    @Override
    protected void computePreluBackward(CpuTensor x, CpuTensor alpha, CpuTensor dy, CpuTensor dx, CpuTensor dalpha) {
        int channels = x.shape().dim(1);
        preluBackward(x.data(), alpha.data(), dy.data(), dx.data(), dalpha.data(), x.shape().batch(), channels,
                x.shape().sampleSize() / channels, parallel);
    }

    /** Elements per task when an activation is spread over the threads. */
    private static final int CHUNK = 1 << 15;

    /** y = f(x) elementwise; y may be x. ReLU, the common case, runs on the kernels and the threads. */
    static void forward(ActivationSpec f, float[] x, float[] y, int size, Parallel par, Kernels kr) {
        if (f.kind() == ActivationKind.RELU) {
            par.forRange(Gemm.blocks(size, CHUNK),
                    (from, to) -> kr.relu(x, y, from * CHUNK, Math.min(size, to * CHUNK)));
            return;
        }
        forward(f, x, y, size);
    }

    /** dx = f'(x)·dy; ReLU on the kernels and the threads. */
    static void backward(ActivationSpec f, float[] x, float[] y, float[] dy, float[] dx, int size, Parallel par,
            Kernels kr) {
        if (f.kind() == ActivationKind.RELU) {
            par.forRange(Gemm.blocks(size, CHUNK),
                    (from, to) -> kr.reluBackward(x, dy, dx, from * CHUNK, Math.min(size, to * CHUNK)));
            return;
        }
        backward(f, x, y, dy, dx, size);
    }

    /** y = f(x) elementwise; y may be x. */
    static void forward(ActivationSpec f, float[] x, float[] y, int size) {
        forwardLoop(f.kind()).run(x, y, size, f.alpha());
    }

    /** dx = f'(x)·dy from the forward input x and output y; dx may be dy. */
    static void backward(ActivationSpec f, float[] x, float[] y, float[] dy, float[] dx, int size) {
        backwardLoop(f.kind()).run(x, y, dy, dx, size, f.alpha());
    }

    /** One kind's loop y = f(x) over the first size elements. */
    private interface ForwardLoop {
        void run(float[] x, float[] y, int size, float alpha);
    }

    /** One kind's loop dx = f'(x)·dy over the first size elements. */
    private interface BackwardLoop {
        void run(float[] x, float[] y, float[] dy, float[] dx, int size, float alpha);
    }

    /**
     * The loop of each kind. A switch expression, so that a new {@link ActivationKind} does not
     * compile until it has one; the lambdas capture nothing, so choosing one allocates nothing.
     */
    private static ForwardLoop forwardLoop(ActivationKind kind) {
        return switch (kind) {
            case LINEAR -> (x, y, size, alpha) -> System.arraycopy(x, 0, y, 0, size);
            case RELU -> (x, y, size, alpha) -> {
                for (int i = 0; i < size; i++) {
                    y[i] = x[i] > 0f ? x[i] : 0f;
                }
            };
            case LEAKY_RELU -> (x, y, size, alpha) -> {
                for (int i = 0; i < size; i++) {
                    y[i] = x[i] > 0f ? x[i] : alpha * x[i];
                }
            };
            case ELU -> (x, y, size, alpha) -> {
                for (int i = 0; i < size; i++) {
                    y[i] = x[i] > 0f ? x[i] : (float) (alpha * Math.expm1(x[i]));
                }
            };
            case TANH -> (x, y, size, alpha) -> {
                for (int i = 0; i < size; i++) {
                    y[i] = (float) Math.tanh(x[i]);
                }
            };
            case SIGMOID -> (x, y, size, alpha) -> {
                for (int i = 0; i < size; i++) {
                    y[i] = (float) sigmoid(x[i]);
                }
            };
            case GELU -> (x, y, size, alpha) -> byDefinition(ActivationKind.GELU, x, y, size, alpha);
            case GELU_TANH -> (x, y, size, alpha) -> byDefinition(ActivationKind.GELU_TANH, x, y, size, alpha);
            case SILU -> (x, y, size, alpha) -> byDefinition(ActivationKind.SILU, x, y, size, alpha);
            case RELU6 -> (x, y, size, alpha) -> byDefinition(ActivationKind.RELU6, x, y, size, alpha);
            case HARD_SIGMOID -> (x, y, size, alpha) -> byDefinition(ActivationKind.HARD_SIGMOID, x, y, size, alpha);
            case HARD_SWISH -> (x, y, size, alpha) -> byDefinition(ActivationKind.HARD_SWISH, x, y, size, alpha);
        };
    }

    private static BackwardLoop backwardLoop(ActivationKind kind) {
        return switch (kind) {
            case LINEAR -> (x, y, dy, dx, size, alpha) -> System.arraycopy(dy, 0, dx, 0, size);
            case RELU -> (x, y, dy, dx, size, alpha) -> {
                for (int i = 0; i < size; i++) {
                    dx[i] = x[i] > 0f ? dy[i] : 0f;
                }
            };
            case LEAKY_RELU -> (x, y, dy, dx, size, alpha) -> {
                for (int i = 0; i < size; i++) {
                    dx[i] = x[i] > 0f ? dy[i] : alpha * dy[i];
                }
            };
            case ELU -> (x, y, dy, dx, size, alpha) -> {
                // d/dx alpha·(e^x − 1) = alpha·e^x, taken from x: y + alpha would cancel badly for x ≪ 0.
                for (int i = 0; i < size; i++) {
                    dx[i] = x[i] > 0f ? dy[i] : (float) (dy[i] * (alpha * Math.exp(x[i])));
                }
            };
            case TANH -> (x, y, dy, dx, size, alpha) -> {
                for (int i = 0; i < size; i++) {
                    double t = y[i];
                    dx[i] = (float) (dy[i] * (1.0 - t * t));
                }
            };
            case SIGMOID -> (x, y, dy, dx, size, alpha) -> {
                for (int i = 0; i < size; i++) {
                    double s = y[i];
                    dx[i] = (float) (dy[i] * s * (1.0 - s));
                }
            };
            case GELU -> (x, y, dy, dx, size, alpha) -> byDefinition(ActivationKind.GELU, x, y, dy, dx, size, alpha);
            case GELU_TANH -> (x, y, dy, dx, size, alpha) ->
                    byDefinition(ActivationKind.GELU_TANH, x, y, dy, dx, size, alpha);
            case SILU -> (x, y, dy, dx, size, alpha) -> byDefinition(ActivationKind.SILU, x, y, dy, dx, size, alpha);
            case RELU6 -> (x, y, dy, dx, size, alpha) -> byDefinition(ActivationKind.RELU6, x, y, dy, dx, size, alpha);
            case HARD_SIGMOID -> (x, y, dy, dx, size, alpha) ->
                    byDefinition(ActivationKind.HARD_SIGMOID, x, y, dy, dx, size, alpha);
            case HARD_SWISH -> (x, y, dy, dx, size, alpha) ->
                    byDefinition(ActivationKind.HARD_SWISH, x, y, dy, dx, size, alpha);
        };
    }

    /**
     * y = f(x) from the kind's own definition in double, rounded once: for the kinds whose math
     * (an erfc, a sigmoid of a cubic) is best written once, in {@link ActivationKind}; the call
     * per element costs little beside that math.
     */
    private static void byDefinition(ActivationKind kind, float[] x, float[] y, int size, float alpha) {
        for (int i = 0; i < size; i++) {
            y[i] = (float) kind.value(x[i], alpha);
        }
    }

    /** dx = f'(x)·dy from the kind's own definition in double, rounded once. */
    private static void byDefinition(ActivationKind kind, float[] x, float[] y, float[] dy, float[] dx, int size,
            float alpha) {
        for (int i = 0; i < size; i++) {
            dx[i] = (float) (kind.derivative(x[i], y[i], alpha) * dy[i]);
        }
    }

    /** 1 / (1 + e^−v), without overflow for large |v|. */
    static double sigmoid(double v) {
        if (v >= 0) {
            return 1.0 / (1.0 + Math.exp(-v));
        }
        double e = Math.exp(v);
        return e / (1.0 + e);
    }

    /**
     * y = x for x &gt; 0, alpha[c]·x otherwise, with c the index on axis 1.
     *
     * @param n the batch size, channels the size of axis 1, inner the product of the remaining axes
     */
    static void preluForward(float[] x, float[] alpha, float[] y, int n, int channels, int inner) {
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < channels; c++) {
                float a = alpha[c];
                int base = (s * channels + c) * inner;
                for (int q = base; q < base + inner; q++) {
                    y[q] = x[q] > 0f ? x[q] : a * x[q];
                }
            }
        }
    }

    /** dx = dy where x &gt; 0, alpha[c]·dy elsewhere; dalpha[c] = Σ of x·dy where x ≤ 0, parallel over channels. */
    static void preluBackward(float[] x, float[] alpha, float[] dy, float[] dx, float[] dalpha, int n, int channels,
            int inner, Parallel par) {
        par.forRange(channels, (from, to) -> {
            for (int c = from; c < to; c++) {
                float a = alpha[c];
                double acc = 0.0;
                for (int s = 0; s < n; s++) {
                    int base = (s * channels + c) * inner;
                    for (int q = base; q < base + inner; q++) {
                        if (x[q] > 0f) {
                            dx[q] = dy[q];
                        } else {
                            acc += (double) x[q] * dy[q];
                            dx[q] = a * dy[q];
                        }
                    }
                }
                dalpha[c] = (float) acc;
            }
        });
    }
}
