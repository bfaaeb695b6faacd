package dev.jcnn.samples.cli;

import dev.jcnn.data.Dataset;
import dev.jcnn.layers.Layer;
import dev.jcnn.model.Model;
import dev.jcnn.tensor.Shape;
import java.io.PrintWriter;

/**
 * The checks every command makes of its counts and sizes, so that a flag means the same thing
 * in each: a count such as {@code --limit} or {@code --test-limit} is 0 for all or positive,
 * a batch size is positive and small enough that no tensor of a batch outgrows an int index.
 * Sizes are multiplied in long with overflow checks.
 */
final class Limits {

    /** The most values one tensor (one Java array) holds. */
    static final long MAX_VALUES = Integer.MAX_VALUE;

    private Limits() {
    }

    /** A count of images where 0 means all: refuses a negative one. */
    static int count(String option, int n) {
        if (n < 0) {
            throw new IllegalArgumentException(option + " " + n + ": expected 0 (all) or a positive number of images");
        }
        return n;
    }

    /** A positive number (of steps, epochs, images per batch). */
    static int positive(String option, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException(option + " " + n + ": expected a positive number");
        }
        return n;
    }

    /**
     * The first n images of a data set (all when n is 0); says so when n is more than it holds.
     *
     * @param what e.g. "training images"
     */
    static Dataset first(String option, int n, Dataset all, String what, PrintWriter out) {
        if (n == 0) {
            return all;
        }
        if (n > all.size()) {
            out.printf("%s %d: there are only %,d %s; using all %,d%n", option, n, all.size(), what, all.size());
            return all;
        }
        return all.first(n);
    }

    /** The most values one sample takes in the model: its input, or the largest layer output. */
    static long largestSample(Model m) {
        Shape shape = m.inputShape();
        long largest = shape.size();
        try {
            for (Layer l : m.layers()) {
                shape = l.outputShape(shape);
                largest = Math.max(largest, shape.size());
            }
        } catch (RuntimeException e) {
            // not a chain of layers (a graph): the input and output are what is known
            largest = Math.max(largest, m.outputShape().size());
        }
        return largest;
    }

    /**
     * Refuses a batch size whose largest tensor would hold more than {@link #MAX_VALUES}
     * values, with the numbers and the largest batch that fits.
     */
    static void batchFits(String option, int batchSize, Model m) {
        positive(option, batchSize);
        long perSample = largestSample(m);
        long values;
        try {
            values = Math.multiplyExact(perSample, (long) batchSize);
        } catch (ArithmeticException e) {
            values = Long.MAX_VALUE;
        }
        if (values > MAX_VALUES) {
            throw new IllegalArgumentException(String.format("%s %d: a batch of %,d images takes %,d values per image in"
                    + " %s's largest layer, %,d in all; one tensor holds at most %,d (2^31 - 1), so at most %,d images"
                    + " per batch", option, batchSize, batchSize, perSample, m.name(), values, MAX_VALUES,
                    MAX_VALUES / perSample));
        }
    }

    /** a × b images in all, refused with the numbers when more than an int counts. */
    static int images(String optionA, int a, String optionB, int b) {
        long n = Math.multiplyExact((long) a, (long) b);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format("%s %d × %s %d = %,d images; at most %,d (2^31 - 1)",
                    optionA, a, optionB, b, n, Integer.MAX_VALUE));
        }
        return (int) n;
    }
}
