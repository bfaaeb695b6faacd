package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.CrossEntropySpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.data.Targets;
import dev.jcnn.tensor.Shape;

/**
 * Soft Dice loss for segmentation, summed over the whole batch, in one of two forms:
 * <ul>
 *   <li>{@link #multiClass}: p = softmax of (N, C, H, W) logits over the class axis, t the
 *       one-hot of a class map (N, 1, H, W) as {@link PixelwiseCrossEntropy} takes it; for each
 *       class c, dice_c = (2 Σ p_c t_c + ε) / (Σ p_c + Σ t_c + ε), the sums over all samples and
 *       positions, and the loss is 1 − (1/C) Σ_c dice_c;</li>
 *   <li>{@link #binary}: p = sigmoid of the logits, t targets in [0, 1] of the output's shape,
 *       and the loss is 1 − (2 Σ p t + ε) / (Σ p + Σ t + ε) over all elements.</li>
 * </ul>
 * ε keeps an empty class (no target, no prediction) at dice 1 and the gradient finite. Both are
 * the backend's ops ({@code softmaxDice}, {@code sigmoidDice}): the logits and their gradient
 * stay on the device; the multi-class form reads the class map to the host and checks it.
 */
public final class DiceLoss implements Loss {

    private static final Metric BINARY_ACCURACY = new BinaryAccuracy();

    private final boolean binary;
    private final double epsilon;

    private DiceLoss(boolean binary, double epsilon) {
        if (!(epsilon > 0 && Double.isFinite(epsilon))) {
            throw new IllegalArgumentException("dice: epsilon " + epsilon + " is not a finite number > 0");
        }
        this.binary = binary;
        this.epsilon = epsilon;
    }

    /**
     * Multi-class soft Dice on softmax probabilities, averaged over the classes.
     *
     * @throws IllegalArgumentException when epsilon is not a finite number &gt; 0
     */
    public static DiceLoss multiClass(double epsilon) {
        return new DiceLoss(false, epsilon);
    }

    /**
     * Binary soft Dice on sigmoid probabilities.
     *
     * @throws IllegalArgumentException when epsilon is not a finite number &gt; 0
     */
    public static DiceLoss binary(double epsilon) {
        return new DiceLoss(true, epsilon);
    }

    @Override
    public String name() {
        return binary ? "binary_dice" : "dice";
    }

    @Override
    public LossInput input() {
        return binary ? LossInput.SIGMOID_LOGITS : LossInput.SOFTMAX_LOGITS;
    }

    @Override
    public Targets targets() {
        return Targets.TENSORS;
    }

    @Override
    public Metric metric() {
        return binary ? BINARY_ACCURACY : PixelwiseCrossEntropy.PIXEL_ACCURACY;
    }

    /** The output's shape for the binary form; a one-channel class map for the multi-class form. */
    @Override
    public Shape targetShape(Shape output) {
        return binary ? output : PixelwiseCrossEntropy.classMapShape(output);
    }

    @Override
    public float compute(Backend backend, Tensor logits, Tensor targets, Tensor dlogits) {
        Shape shape = logits.shape();
        if (shape.rank() < 2) {
            throw new IllegalArgumentException(name() + ": logits " + shape + ", expected (N, C, ...)");
        }
        if (binary) {
            return backend.losses().sigmoidDice(logits, targets, epsilon, dlogits);
        }
        int[] classMap = PixelwiseCrossEntropy.classIndices(name(), targets, shape, CrossEntropySpec.PLAIN);
        return backend.losses().softmaxDice(logits, classMap, epsilon, dlogits);
    }
}
