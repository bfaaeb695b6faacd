package dev.jcnn.samples.data;

import dev.jcnn.data.Dataset;
import dev.jcnn.data.ImageFolder;
import dev.jcnn.tensor.Shape;

/**
 * A dataset seen in another image shape: centred in a larger canvas (zeros around) or
 * cropped to a smaller one, and a single grey channel repeated to fill several. This is how
 * MNIST's 1×28×28 digits feed the 3×32×32 CIFAR-style model.
 */
public final class FitToShape implements Dataset {

    private final Dataset base;
    private final Shape target;
    /** One image of the base shape per thread: batches are read by several loader threads at once. */
    private final ThreadLocal<float[]> scratch;

    private FitToShape(Dataset base, Shape target) {
        this.base = base;
        this.target = target.requireRank(3);
        int size = base.imageShape().size();
        this.scratch = ThreadLocal.withInitial(() -> new float[size]);
    }

    /**
     * The dataset itself when it already has the shape, an image folder read at that shape
     * (its files are decoded to it), else the adapted view.
     */
    public static Dataset of(Dataset base, Shape target) {
        if (base.imageShape().equals(target)) {
            return base;
        }
        if (base instanceof ImageFolder folder) {
            return folder.withShape(target);
        }
        Shape s = base.imageShape();
        if (s.dim(0) != target.dim(0) && s.dim(0) != 1) {
            throw new IllegalArgumentException("cannot fit images of shape " + s + " to " + target
                    + ": only a single channel can be repeated to fill " + target.dim(0));
        }
        return new FitToShape(base, target);
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public Shape imageShape() {
        return target;
    }

    @Override
    public int classes() {
        return base.classes();
    }

    @Override
    public int label(int index) {
        return base.label(index);
    }

    @Override
    public void copyImage(int index, float[] dst, int offset) {
        float[] scratch = this.scratch.get();
        Shape s = base.imageShape();
        int c0 = s.dim(0);
        int h0 = s.dim(1);
        int w0 = s.dim(2);
        int c = target.dim(0);
        int h = target.dim(1);
        int w = target.dim(2);
        base.copyImage(index, scratch, 0);
        int dy = (h - h0) / 2;
        int dx = (w - w0) / 2;
        for (int ch = 0; ch < c; ch++) {
            int src = c0 == 1 ? 0 : ch;
            for (int y = 0; y < h; y++) {
                int sy = y - dy;
                for (int x = 0; x < w; x++) {
                    int sx = x - dx;
                    boolean inside = sy >= 0 && sy < h0 && sx >= 0 && sx < w0;
                    dst[offset + (ch * h + y) * w + x] = inside ? scratch[(src * h0 + sy) * w0 + sx] : 0f;
                }
            }
        }
    }
}
