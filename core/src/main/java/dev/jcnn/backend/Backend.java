package dev.jcnn.backend;

import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;
import java.util.List;

/**
 * The narrow interface every device implements: tensors in, tensors out. Layers own shapes
 * and parameters and call these ops; a backend never sees a layer.
 *
 * <p>Conventions, the same for every implementation:
 * <ul>
 *   <li>Every op writes (overwrites) its output tensors, which the caller allocated with
 *       {@link #allocate}; outputs are reused across training steps. An output may not alias
 *       an input unless the op says so.</li>
 *   <li>Images are NCHW float32; convolution weights (K, C, kh, kw); dense weights
 *       (out, in), applied to each sample's values flattened in row-major order.</li>
 *   <li>Shapes are checked: a mismatch throws {@link IllegalArgumentException} naming the op,
 *       the tensor, what was expected and what came.</li>
 *   <li>Losses return the mean over the batch (or over all elements, where said) and write
 *       the gradient of that mean.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** The name {@link Backends#create(String)} knows it by, e.g. "cpu" or "cuda". */
    String name();

    /** A one-line description of the device: processor or GPU name, threads, library versions. */
    String device();

    // ---- memory -------------------------------------------------------------------------

    /** A new zero-filled tensor. */
    Tensor allocate(Shape shape);

    /** A new tensor holding a copy of {@code data} (row-major, exactly shape.size() values). */
    Tensor upload(Shape shape, float[] data);

    /** Copies the tensor's values into {@code dst}, which holds at least shape.size() values. */
    void read(Tensor t, float[] dst);

    /** Overwrites the tensor's values from {@code src}, which holds at least shape.size() values. */
    void write(Tensor t, float[] src);

    /** Sets every element to {@code value}. */
    void fill(Tensor t, float value);

    /** Copies src into dst; the two must have the same number of elements (shapes may differ: a reshape). */
    void copy(Tensor src, Tensor dst);

    /** out = a + b elementwise; out may be a or b (accumulation). */
    void add(Tensor a, Tensor b, Tensor out);

    /** out = a · s elementwise; out may be a. */
    void scale(Tensor a, float s, Tensor out);

    /** y = x surrounded by zeros: y is (N, C, H + top + bottom, W + left + right). */
    void zeroPad(Tensor x, Padding2D padding, Tensor y);

    /** The gradient of {@link #zeroPad}: dx = dy without the padded border. */
    void zeroPadBackward(Tensor dy, Padding2D padding, Tensor dx);

    // ---- convolution --------------------------------------------------------------------

    /** y = x ⋆ w + b; x (N, C, H, W), w (K, C, kh, kw), b (K) or null, y (N, K, OH, OW). */
    void convForward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y);

    /** dx = the gradient of the convolution with respect to its input. */
    void convBackwardData(Tensor dy, Tensor w, ConvSpec spec, Tensor dx);

    /** dw = the gradient with respect to the weights (overwritten, not accumulated). */
    void convBackwardFilter(Tensor x, Tensor dy, ConvSpec spec, Tensor dw);

    /** db[c] = the sum of dy over every axis but 1; dy is (N, C, H, W) or (N, C). */
    void biasBackward(Tensor dy, Tensor db);

    // ---- pooling ------------------------------------------------------------------------

    /** y = the pooled x; y's shape follows {@link PoolSpec#outputShape}. */
    void poolForward(Tensor x, PoolSpec spec, Tensor y);

    /** dx = the gradient of pooling; x and y are the forward pass's input and output. */
    void poolBackward(Tensor x, Tensor y, Tensor dy, PoolSpec spec, Tensor dx);

    // ---- dense --------------------------------------------------------------------------

    /** y = x·wᵀ + b; x (N, in) or any shape with N·in elements, w (out, in), b (out) or null, y (N, out). */
    void denseForward(Tensor x, Tensor w, Tensor b, Tensor y);

    /** dx = dy·w; dx has x's shape. */
    void denseBackwardData(Tensor dy, Tensor w, Tensor dx);

    /** dw = dyᵀ·x (overwritten). */
    void denseBackwardWeights(Tensor x, Tensor dy, Tensor dw);

    // ---- activations --------------------------------------------------------------------

    /** y = f(x) elementwise; y may be x. */
    void activationForward(ActivationSpec f, Tensor x, Tensor y);

    /** dx = f'(x)·dy, from the forward pass's input x and output y. */
    void activationBackward(ActivationSpec f, Tensor x, Tensor y, Tensor dy, Tensor dx);

    /** y = x for x &gt; 0, alpha[c]·x otherwise; alpha has one value per channel (axis 1). */
    void preluForward(Tensor x, Tensor alpha, Tensor y);

    /** dx and dalpha (overwritten) of PReLU. */
    void preluBackward(Tensor x, Tensor alpha, Tensor dy, Tensor dx, Tensor dalpha);

    /** Softmax over axis 1 (per sample, and per pixel for NCHW); log = true gives log-softmax. */
    void softmaxForward(Tensor x, boolean log, Tensor y);

    /** dx of softmax (or log-softmax) from its output y. */
    void softmaxBackward(Tensor y, Tensor dy, boolean log, Tensor dx);

    // ---- channels, resampling, normalization (functional models, segmentation) ----------

    /** out = a · b elementwise (Dropout applies its mask with it); out may be a or b. */
    void multiply(Tensor a, Tensor b, Tensor out);

    /** y = x + b[c] for every element of channel c (axis 1); x (N, C) or (N, C, H, W), b (C); y may be x. */
    void addBias(Tensor x, Tensor b, Tensor y);

    /**
     * y = the inputs side by side along axis 1, in list order: each xs[i] is (N, C_i, ...) with
     * the same other axes, y is (N, C_0 + C_1 + ..., ...). No input may be y.
     */
    void concatChannels(List<Tensor> xs, Tensor y);

    /** The gradient of {@link #concatChannels}: dxs[i] = the channels of dy that came from input i. */
    void splitChannels(Tensor dy, List<Tensor> dxs);

    /** y = x upsampled by whole factors; x (N, C, H, W), y's shape follows {@link UpsampleSpec#outputShape}. */
    void upsampleForward(Tensor x, UpsampleSpec spec, Tensor y);

    /** dx = the gradient of upsampling: each input pixel sums the output gradients it contributed to, by weight. */
    void upsampleBackward(Tensor dy, UpsampleSpec spec, Tensor dx);

    /**
     * Batch normalization in training: per channel c (axis 1) over the m = N·H·W values of the
     * batch, mean μ and biased variance σ², y = gamma[c]·(x − μ)/sqrt(σ² + ε) + beta[c].
     * Updates runningMean and runningVar in place with the average factor f, the variance
     * unbiased (σ²·m/(m − 1)) as PyTorch and cuDNN keep it; writes μ and 1/sqrt(σ² + ε) into
     * savedMean and savedInvStd for the backward pass. x and y are (N, C) or (N, C, H, W); the
     * rest (C).
     *
     * @throws IllegalArgumentException when a channel has a single value (m = 1): its variance is undefined
     */
    void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, BatchNormSpec spec, Tensor runningMean,
            Tensor runningVar, Tensor y, Tensor savedMean, Tensor savedInvStd);

    /** Batch normalization in inference: y = gamma[c]·(x − runningMean[c])/sqrt(runningVar[c] + ε) + beta[c]. */
    void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            BatchNormSpec spec, Tensor y);

    /**
     * The gradient of {@link #batchNormForwardTraining} from its saved statistics: with
     * x̂ = (x − μ)·invStd, dbeta = Σ dy, dgamma = Σ dy·x̂ (both overwritten) and
     * dx = gamma·invStd/m · (m·dy − dbeta − x̂·dgamma).
     */
    void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor savedMean, Tensor savedInvStd, Tensor dx,
            Tensor dgamma, Tensor dbeta);

    // ---- losses -------------------------------------------------------------------------

    /**
     * Softmax cross-entropy of logits (N, classes) against integer labels, mean over the
     * batch; writes d(loss)/d(logits) into dlogits unless it is null.
     *
     * @throws IllegalArgumentException naming the sample when a label is outside [0, classes)
     */
    float softmaxCrossEntropy(Tensor logits, int[] labels, Tensor dlogits);

    /** Binary cross-entropy of sigmoid(logits) against targets in [0, 1], mean over all elements. */
    float sigmoidCrossEntropy(Tensor logits, Tensor targets, Tensor dlogits);

    /** Mean squared error over all elements. */
    float meanSquaredError(Tensor predictions, Tensor targets, Tensor dpredictions);

    // ---- optimizers ---------------------------------------------------------------------

    /** One SGD step on param in place; velocity (param's shape) is the momentum buffer, null without momentum. */
    void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, SgdSpec spec);

    /** One Adam step on param in place; m and v are its moment buffers; step counts from 1. */
    void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamSpec spec, int step);

    /** Releases everything the backend holds (handles, workspaces, caches); its tensors must be closed first. */
    @Override
    void close();
}
