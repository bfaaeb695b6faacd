package dev.jcnn.backend;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The options of {@link LossOps#softmaxCrossEntropy(Tensor, int[], CrossEntropySpec, Tensor)},
 * PyTorch's {@code F.cross_entropy(weight=, label_smoothing=, ignore_index=)} with the mean
 * reduction. With log-probabilities l = log_softmax over the classes, label y_j at each
 * (sample, position) j that is not ignored, class weights w (all 1 when none are given),
 * smoothing ε and C classes, the loss is
 * <pre>
 *   Σ_j [ (1 − ε) w_{y_j} (−l_{j,y_j}) + (ε / C) Σ_c w_c (−l_{j,c}) ] / Z,   Z = Σ_j w_{y_j},
 * </pre>
 * and an ignored position adds nothing to either sum and gets a zero gradient.
 */
public final class CrossEntropySpec {

    /** No smoothing, every class weighted 1, no label ignored: −log softmax(logits)[label], averaged. */
    public static final CrossEntropySpec PLAIN = new CrossEntropySpec(0f, null, OptionalInt.empty());

    private final float labelSmoothing;
    private final float[] classWeights;
    private final OptionalInt ignoreIndex;

    private CrossEntropySpec(float labelSmoothing, float[] classWeights, OptionalInt ignoreIndex) {
        this.labelSmoothing = labelSmoothing;
        this.classWeights = classWeights;
        this.ignoreIndex = ignoreIndex;
    }

    /**
     * These options with label smoothing ε: the target becomes (1 − ε)·one-hot + ε/C.
     *
     * @throws IllegalArgumentException when ε is outside [0, 1] (PyTorch's range) or NaN
     */
    public CrossEntropySpec withLabelSmoothing(float epsilon) {
        if (!(epsilon >= 0f && epsilon <= 1f)) {
            throw new IllegalArgumentException("cross-entropy: label smoothing " + epsilon + " is outside [0, 1]");
        }
        return new CrossEntropySpec(epsilon, classWeights, ignoreIndex);
    }

    /**
     * These options with one weight per class; the mean divides by the sum of the weights of
     * the labels' classes. The array is copied.
     *
     * @throws IllegalArgumentException when no weight is given, or one is negative, infinite or NaN
     */
    public CrossEntropySpec withClassWeights(float... weights) {
        if (weights == null || weights.length == 0) {
            throw new IllegalArgumentException("cross-entropy: no class weights given, expected one per class");
        }
        for (int c = 0; c < weights.length; c++) {
            if (!(weights[c] >= 0f && Float.isFinite(weights[c]))) {
                throw new IllegalArgumentException("cross-entropy: class weight " + weights[c] + " of class " + c
                        + " is not a finite number >= 0");
            }
        }
        return new CrossEntropySpec(labelSmoothing, weights.clone(), ignoreIndex);
    }

    /**
     * These options with positions labelled {@code label} left out of the loss, its mean and its
     * gradient (PyTorch's {@code ignore_index}). The label may lie outside [0, classes).
     */
    public CrossEntropySpec withIgnoreIndex(int label) {
        return new CrossEntropySpec(labelSmoothing, classWeights, OptionalInt.of(label));
    }

    /** ε, in [0, 1]. */
    public float labelSmoothing() {
        return labelSmoothing;
    }

    /** Whether class weights are set. */
    public boolean hasClassWeights() {
        return classWeights != null;
    }

    /** The weight of class c: the one given, or 1 without weights. */
    public float classWeight(int c) {
        return classWeights == null ? 1f : classWeights[c];
    }

    /** A copy of the class weights, or null when none are set. */
    public float[] classWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    /** The number of class weights, or −1 when none are set. */
    public int classWeightCount() {
        return classWeights == null ? -1 : classWeights.length;
    }

    /** The ignored label, if one is set. */
    public OptionalInt ignoreIndex() {
        return ignoreIndex;
    }

    /**
     * The label whose positions a kernel skips: the ignore index, or −1 when none is set, which
     * no label that passed the op's range check can be.
     */
    public int skippedLabel() {
        return ignoreIndex.orElse(-1);
    }

    /** Whether label is the ignored one. */
    public boolean ignores(int label) {
        return ignoreIndex.isPresent() && ignoreIndex.getAsInt() == label;
    }

    /** 1 − ε: the share of a position's target on its label, in double. */
    public double onTargetShare() {
        return 1.0 - labelSmoothing;
    }

    /** ε / C: the share of a position's target on each of the C classes, in double. */
    public double offTargetShare(int classes) {
        return (double) labelSmoothing / classes;
    }

    /** (ε / C) Σ_c w_c: the smoothed target's weight at every position, in double. */
    public double smoothingWeight(int classes) {
        double total = 0;
        for (int c = 0; c < classes; c++) {
            total += classWeight(c);
        }
        return offTargetShare(classes) * total;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrossEntropySpec s && Float.compare(s.labelSmoothing, labelSmoothing) == 0
                && Arrays.equals(s.classWeights, classWeights) && s.ignoreIndex.equals(ignoreIndex);
    }

    @Override
    public int hashCode() {
        return (Float.hashCode(labelSmoothing) * 31 + Arrays.hashCode(classWeights)) * 31 + ignoreIndex.hashCode();
    }

    /** E.g. "smoothing 0.1 weights [0.2, 1.0, 3.0] ignore 255"; "plain" without options. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (labelSmoothing != 0f) {
            b.append("smoothing ").append(labelSmoothing);
        }
        if (classWeights != null) {
            b.append(b.length() > 0 ? " " : "").append("weights ").append(Arrays.toString(classWeights));
        }
        ignoreIndex.ifPresent(i -> b.append(b.length() > 0 ? " " : "").append("ignore ").append(i));
        return b.length() == 0 ? "plain" : b.toString();
    }
}
