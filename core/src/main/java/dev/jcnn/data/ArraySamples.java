package dev.jcnn.data;

import dev.jcnn.tensor.Shape;

/** Samples held in arrays (what the array conveniences of fit, evaluate and predict wrap). */
final class ArraySamples implements SampleSource {

    private final Shape sampleShape;
    private final float[] x;
    private final int count;
    private final int[] labels;
    private final Shape targetShape;
    private final float[] targets;

    private ArraySamples(Shape sampleShape, float[] x, int[] labels, Shape targetShape, float[] targets) {
        this.sampleShape = sampleShape;
        this.x = x;
        this.count = countSamples(sampleShape, x);
        this.labels = labels;
        this.targetShape = targetShape;
        this.targets = targets;
    }

    static ArraySamples labelled(Shape sampleShape, float[] x, int[] labels) {
        int n = countSamples(sampleShape, x);
        if (labels == null || labels.length != n) {
            String hint = labels != null && labels.length > 0 && x.length % labels.length == 0
                    ? " (x holds " + x.length / labels.length + " values per label, a sample of " + sampleShape + " holds "
                    + sampleShape.size() + ": are the samples of another shape?)"
                    : "";
            throw new IllegalArgumentException("x holds " + n + " samples of shape " + sampleShape + " but "
                    + (labels == null ? "no labels are" : labels.length + " labels are") + " given; expected one label"
                    + " per sample" + hint);
        }
        return new ArraySamples(sampleShape, x, labels, null, null);
    }

    static ArraySamples withTensors(Shape sampleShape, float[] x, Shape targetShape, float[] targets) {
        int n = countSamples(sampleShape, x);
        long expected = (long) n * targetShape.size();
        if (targets == null || targets.length != expected) {
            throw new IllegalArgumentException("x holds " + n + " samples of shape " + sampleShape + ", which need "
                    + expected + " target values of shape " + targetShape + ", got "
                    + (targets == null ? "none" : targets.length));
        }
        return new ArraySamples(sampleShape, x, null, targetShape, targets);
    }

    static ArraySamples inputsOnly(Shape sampleShape, float[] x) {
        return new ArraySamples(sampleShape, x, null, null, null);
    }

    private static int countSamples(Shape sampleShape, float[] x) {
        int per = sampleShape.size();
        if (x == null || x.length == 0 || x.length % per != 0) {
            throw new IllegalArgumentException("x holds " + (x == null ? "null" : x.length + " values")
                    + ", not a whole number of samples of shape " + sampleShape + " (" + per + " values each)");
        }
        return x.length / per;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public Shape sampleShape() {
        return sampleShape;
    }

    @Override
    public void copySample(int index, float[] dst, int offset) {
        int per = sampleShape.size();
        System.arraycopy(x, index * per, dst, offset, per);
    }

    @Override
    public Targets targets() {
        return labels != null ? Targets.CLASS_LABELS : targets != null ? Targets.TENSORS : Targets.NONE;
    }

    @Override
    public int label(int index) {
        if (labels == null) {
            return SampleSource.super.label(index);
        }
        return labels[index];
    }

    @Override
    public Shape targetShape() {
        return targetShape;
    }

    @Override
    public void copyTarget(int index, float[] dst, int offset) {
        if (targets == null) {
            SampleSource.super.copyTarget(index, dst, offset);
            return;
        }
        int per = targetShape.size();
        System.arraycopy(targets, index * per, dst, offset, per);
    }
}
