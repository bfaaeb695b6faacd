package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.data.SampleSource;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Conv2DTranspose;
import dev.jcnn.layers.Input;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Node;
import dev.jcnn.layers.UpSampling2D;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.Adam;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.MeanSquaredError;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A network without dense layers is fully convolutional: it trains on 12×12 images and
 * predicts on 20×28 ones, its output map's size following the formulas layer by layer.
 */
class FullyConvolutionalTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @AfterEach
    void close() {
        cpu.close();
    }

    /** conv 3×3, pool 2, conv 2×2, transposed conv 2×2 stride 2, upsample 2, conv 1×1: all valid, no padding. */
    static Functional fcn(String name) {
        Node x = Input.of(1, 12, 12);
        Node h = new Conv2D(4, 3).activation(Activation.RELU).apply(x);
        h = new MaxPool2D(2).apply(h);
        h = new Conv2D(6, 2).activation(Activation.RELU).apply(h);
        h = new Conv2DTranspose(4, 2).strides(2).activation(Activation.RELU).apply(h);
        h = new UpSampling2D(2).apply(h);
        Node y = new Conv2D(1, 1).apply(h);
        return new Functional(name, x, y);
    }

    /** The slides' O = floor((I − F + 2P)/S) + 1. */
    static int conv(int in, int f, int s, int p) {
        return Math.floorDiv(in - f + 2 * p, s) + 1;
    }

    /** A transposed convolution's O = (I − 1)·S + F − 2P. */
    static int transposed(int in, int f, int s, int p) {
        return (in - 1) * s + f - 2 * p;
    }

    /** The output size of {@link #fcn} along one axis, from the formulas. */
    static int outputSize(int in) {
        int h = conv(in, 3, 1, 0);
        h = conv(h, 2, 2, 0);
        h = conv(h, 2, 1, 0);
        h = transposed(h, 2, 2, 0);
        h = 2 * h;
        return conv(h, 1, 1, 0);
    }

    static float[] images(int n, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /**
     * A student learns to copy a teacher of the same architecture on 12×12 images; on 20×28
     * images it is then much closer to the teacher too (measured: the error falls to 4% of its
     * starting value; asserted: below 15%), and its output map has the size the formulas give.
     */
    @Test
    void trainsOnOneSizeAndPredictsOnAnother() {
        Shape big = Shape.of(1, 20, 28);
        float[] x = images(320, 12, 12, 1);
        float[] bigX = images(8, 20, 28, 2);
        try (Functional teacher = fcn("teacher"); Functional student = fcn("student")) {
            teacher.build(cpu, 100);
            student.build(cpu, 1).compile(new MeanSquaredError(), new Adam(0.01f));
            assertEquals(Shape.of(1, outputSize(12), outputSize(12)), student.outputShape());
            assertEquals(Shape.of(1, 16, 16), student.outputShape());
            float[] targets = teacher.predict(x, 32);
            float[] bigTargets = teacher.predict(bigX, big, 4);
            assertEquals(8 * outputSize(20) * outputSize(28), bigTargets.length, "output map follows the formulas");
            assertEquals(8 * 32 * 48, bigTargets.length);
            double before = mse(student.predict(bigX, big, 4), bigTargets);

            History h = student.fit(x, targets, FitOptions.of(20, 16).seed(3));
            assertTrue(h.last().loss() < 0.3 * h.epochs().get(0).loss(), "training loss falls: " + h.epochs());

            double after = mse(student.predict(bigX, big, 4), bigTargets);
            assertTrue(after < 0.15 * before, "on 20×28 images the error falls from " + before + " to " + after);
        }
    }

    /**
     * Every layer is local and unpadded, so a small image's output is exactly the top-left corner
     * of the output of a larger image that starts with it.
     */
    @Test
    void aSmallImagesOutputIsTheCornerOfALargerOnes() {
        float[] small = images(1, 12, 12, 5);
        float[] big = images(1, 20, 28, 6);
        for (int r = 0; r < 12; r++) {
            System.arraycopy(small, r * 12, big, r * 28, 12);
        }
        try (Functional m = fcn("fcn")) {
            m.build(cpu, 8);
            float[] ys = m.predict(small, 1);
            float[] yb = m.predict(big, Shape.of(1, 20, 28), 1);
            int w = outputSize(28);
            float[] corner = new float[16 * 16];
            for (int r = 0; r < 16; r++) {
                System.arraycopy(yb, r * w, corner, r * 16, 16);
            }
            assertArrayEquals(ys, corner, 1e-6f);
            assertTrue(Arrays.stream(box(ys)).distinct().count() > 10, "a non-trivial output");
        }
    }

    /** The zoo's fcn's class maps along one axis: conv 3 SAME, pool 2, conv 3 SAME, pool 2, conv 7 VALID. */
    static int fcnMapSize(int in) {
        int h = conv(in, 3, 1, 1);
        h = conv(h, 2, 2, 0);
        h = conv(h, 3, 1, 1);
        h = conv(h, 2, 2, 0);
        return conv(h, 7, 1, 0);
    }

    /**
     * ModelZoo's fcn is a classifier of any image size: its class maps follow the formula (1×1
     * on 28×28, 8×8 on 56×56), their global average gives ten probabilities per image for
     * both sizes, and it trains on either.
     */
    @Test
    void theZoosFcnClassifiesImagesOfTwoSizes() {
        try (Sequential m = ModelZoo.fcn()) {
            m.build(cpu, 4).compile(new SparseCategoricalCrossEntropy(), new Adam(0.01f));
            for (int size : new int[] {28, 56}) {
                Shape sample = Shape.of(1, size, size);
                float[] x = images(3, size, size, size);
                Tensor h;
                try (Tensor in = cpu.upload(sample.withBatch(3), x)) {
                    h = in;
                    for (Layer l : m.layers()) {
                        h = l.forward(h, false);
                        if (l.name().equals("conv2d_3")) {
                            int o = fcnMapSize(size);
                            assertEquals(Shape.of(3, 10, o, o), h.shape(), "class maps of a " + size + "×" + size + " image");
                        }
                    }
                }
                assertEquals(Shape.of(3, 10), h.shape());
                assertEquals(Shape.of(10), m.outputShape(sample));
                float[] p = m.predict(x, sample, 2);
                assertEquals(3 * 10, p.length);
                for (int i = 0; i < 3; i++) {
                    double sum = 0;
                    for (int c = 0; c < 10; c++) {
                        sum += p[i * 10 + c];
                    }
                    assertEquals(1.0, sum, 1e-5, "probabilities of image " + i + " of " + size + "×" + size);
                }
            }
            assertEquals(1, fcnMapSize(28));
            assertEquals(8, fcnMapSize(56));
            int[] labels = new int[32];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i % 10;
            }
            for (int size : new int[] {28, 56}) {
                History h = m.fit(SampleSource.of(Shape.of(1, size, size), images(32, size, size, 9), labels),
                        FitOptions.of(2, 8).seed(1));
                assertTrue(Double.isFinite(h.last().loss()) && h.last().accuracy() >= 0, "trains on " + size + "×" + size);
            }
        }
    }

    private static double mse(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s / a.length;
    }

    private static Float[] box(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
