package dev.jcnn.data;

/** What each sample of a {@link SampleSource} is paired with, and what a loss trains against. */
public enum Targets {
    /** One integer class label per sample ({@link SampleSource#label}). */
    CLASS_LABELS,
    /** A float tensor of {@link SampleSource#targetShape} per sample, e.g. a mask. */
    TENSORS,
    /** Nothing: inputs only, for predictions. */
    NONE
}
