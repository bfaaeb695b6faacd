package dev.jcnn.testing.cases;

import static dev.jcnn.testing.cases.OpTable.CUDA;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table's pooling: every {@link PoolMode} over square and rectangular, overlapping and
 * padded windows (also SAME's asymmetric padding and windows wholly in the padding), in ceil
 * mode (PyTorch's ceil_mode), and
 * global average and max pooling as GlobalAveragePooling2D and GlobalMaxPooling2D run them.
 */
public final class PoolingCases {

    /** Window geometries of the small cases: n, c, h, w, windowH, windowW, strideH, strideW, top, bottom, left, right. */
    private static final int[][] SMALL_GEOMETRIES = {
        {1, 1, 4, 4, 2, 2, 2, 2, 0, 0, 0, 0},   // the slides' 4x4 example
        {2, 3, 9, 9, 3, 3, 2, 2, 0, 0, 0, 0},   // overlapping
        {2, 2, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1},
        {1, 2, 6, 5, 2, 3, 2, 1, 0, 0, 0, 0},   // rectangular
        {3, 1, 8, 8, 3, 3, 3, 3, 1, 1, 1, 1},
        {2, 2, 5, 6, 2, 2, 1, 1, 0, 1, 0, 1},   // asymmetric, SAME for an even window
        {5, 1, 7, 9, 3, 2, 2, 3, 1, 1, 0, 0},
        {1, 3, 11, 11, 5, 5, 2, 2, 2, 2, 2, 2},
        {4, 2, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1},
        {2, 1, 10, 7, 3, 3, 3, 2, 0, 0, 1, 0}}; // uncovered rows

    /** Larger geometries, up to LeNet's first pooling at batch 33. */
    private static final int[][] LARGE_GEOMETRIES = {
        {2, 3, 8, 8, 2, 2, 2, 2, 0, 0, 0, 0},
        {3, 4, 10, 10, 3, 3, 1, 1, 1, 1, 1, 1},
        {1, 2, 7, 9, 2, 2, 2, 2, 0, 1, 0, 1},
        {2, 3, 11, 10, 2, 3, 1, 2, 1, 0, 1, 1},
        {33, 6, 28, 28, 2, 2, 2, 2, 0, 0, 0, 0},
        {2, 16, 5, 5, 5, 5, 1, 1, 2, 2, 2, 2}};

    /**
     * Ceil mode: last windows past the (padded) input, one that PyTorch's rule drops as it
     * would start in the padding (5x5, 3x3/2, padded 1), asymmetric padding, rectangular windows.
     */
    private static final int[][] CEIL_GEOMETRIES = {
        {1, 2, 5, 5, 2, 2, 2, 2, 0, 0, 0, 0},
        {2, 2, 8, 8, 3, 3, 2, 2, 1, 1, 1, 1},
        {1, 3, 6, 6, 3, 3, 2, 2, 0, 0, 0, 0},   // AlexNet's overlapping 3x3/2, rounded up
        {2, 1, 5, 5, 3, 3, 2, 2, 1, 1, 1, 1},   // naive ceil gives 4; the last window would start in the padding
        {2, 1, 7, 9, 3, 2, 2, 3, 1, 0, 0, 1},
        {1, 2, 6, 7, 2, 3, 2, 2, 0, 1, 0, 1}};

    /** Larger ceil-mode geometries, up to a 28x28 map at batch 33. */
    private static final int[][] LARGE_CEIL_GEOMETRIES = {
        {2, 3, 14, 14, 3, 3, 2, 2, 0, 0, 0, 0},
        {33, 6, 28, 28, 3, 3, 2, 2, 0, 0, 0, 0}};

    /** Windows that lie wholly in the padding: they yield 0 and pass no gradient back. */
    private static final int[][] EMPTY_WINDOW_GEOMETRIES = {
        {1, 1, 4, 4, 2, 2, 1, 1, 2, 2, 2, 2},
        {1, 2, 4, 5, 3, 3, 3, 3, 3, 3, 3, 3}};

    /**
     * The small cases in every mode; the conformance suite also checks their gradients by
     * finite differences.
     */
    public static final List<PoolConfig> SMALL = inEveryMode(SMALL_GEOMETRIES);

    /** The small ceil-mode cases in every mode; the conformance suite also checks their gradients. */
    public static final List<PoolConfig> SMALL_CEIL = inCeilMode(inEveryMode(CEIL_GEOMETRIES));

    /** Global average and max pooling of (n, c, h, w): its output is (n, c). */
    static final List<Shape> GLOBAL = List.of(Shape.of(2, 3, 4, 5), Shape.of(3, 2, 1, 7), Shape.of(33, 16, 7, 7));

    private PoolingCases() {
    }

    static void addTo(List<OpCase> table) {
        SMALL.forEach(c -> table.add(pool2d(c)));
        inEveryMode(LARGE_GEOMETRIES).forEach(c -> table.add(pool2d(c)));
        inEveryMode(EMPTY_WINDOW_GEOMETRIES).forEach(c -> table.add(pool2d(c)));
        SMALL_CEIL.forEach(c -> table.add(pool2d(c)));
        inCeilMode(inEveryMode(LARGE_CEIL_GEOMETRIES)).forEach(c -> table.add(pool2d(c)));
        GLOBAL.forEach(s -> table.add(globalAveragePool2d(s)));
        GLOBAL.forEach(s -> table.add(globalMaxPool2d(s)));
    }

    static void addGolden(Map<String, GoldenOp> golden) {
        golden.put("max_pool2d", new GoldenOp("max_pool2d", Set.of("kernel", "stride", "padding", "ceil_mode"),
                g -> pool2d(config(g, PoolMode.MAX))));
        golden.put("avg_pool2d", new GoldenOp("avg_pool2d", Set.of("kernel", "stride", "padding", "count_include_pad",
                "ceil_mode"),
                g -> pool2d(config(g, g.booleanParam("count_include_pad", true)
                        ? PoolMode.AVERAGE_INCLUDE_PAD : PoolMode.AVERAGE_EXCLUDE_PAD))));
        golden.put("global_avg_pool2d", new GoldenOp("global_avg_pool2d", Set.of(),
                g -> globalAveragePool2d(g.inputShape("x"))));
        golden.put("global_max_pool2d", new GoldenOp("global_max_pool2d", Set.of(),
                g -> globalMaxPool2d(g.inputShape("x"))));
    }

    /**
     * y and dx. The input's values are distinct and spaced apart, so that no backend's way of
     * breaking a tie between maxima matters.
     */
    public static OpCase pool2d(PoolConfig cfg) {
        PoolSpec spec = cfg.spec();
        OpCase c = OpCase.of("pool2d", cfg.toString(), Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            Tensor x = r.distinct("x", cfg.inputShape(), 0.05);
            Tensor y = r.output(cfg.outputShape());
            b.pooling().forward(x, spec, y);
            r.forward("y", y);
            Tensor dy = r.gaussian("dy", cfg.outputShape(), 1.0);
            Tensor dx = r.output(cfg.inputShape());
            b.pooling().backward(x, y, dy, spec, dx);
            r.backward("dx", dx);
        });
        if (spec.mode() == PoolMode.MAX && hasEmptyWindow(cfg)) {
            c = c.skip(CUDA, "the CUDA backend refuses max pooling with a window wholly in the padding (cuDNN would"
                    + " give -inf there, the CPU gives 0)");
        }
        return c;
    }

    /** The mean over H × W: one average-pooling window over the whole image, its output reshaped to (N, C). */
    public static OpCase globalAveragePool2d(Shape xs) {
        return globalPool2d("global_avg_pool2d", PoolMode.AVERAGE_EXCLUDE_PAD, xs);
    }

    /**
     * The maximum over H × W: one max-pooling window over the whole image, its output reshaped
     * to (N, C). The input's values are distinct and spaced apart, as in {@link #pool2d}.
     */
    public static OpCase globalMaxPool2d(Shape xs) {
        return globalPool2d("global_max_pool2d", PoolMode.MAX, xs);
    }

    private static OpCase globalPool2d(String op, PoolMode mode, Shape xs) {
        Shape pooled = Shape.of(xs.dim(0), xs.dim(1), 1, 1);
        Shape flat = Shape.of(xs.dim(0), xs.dim(1));
        PoolSpec spec = new PoolSpec(mode, xs.dim(2), xs.dim(3), xs.dim(2), xs.dim(3), Padding2D.NONE);
        return OpCase.of(op, xs.toString(), Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            Tensor x = mode == PoolMode.MAX ? r.distinct("x", xs, 0.05) : r.gaussian("x", xs, 1.0);
            Tensor y = r.output(pooled);
            b.pooling().forward(x, spec, y);
            r.forward("y", flat, y);
            Tensor dyFlat = r.gaussian("dy", flat, 1.0);
            Tensor dy = r.output(pooled);
            b.elementwise().copy(dyFlat, dy);
            Tensor dx = r.output(xs);
            b.pooling().backward(x, y, dy, spec, dx);
            r.backward("dx", dx);
        });
    }

    /** Whether some output's window covers no input cell. */
    static boolean hasEmptyWindow(PoolConfig cfg) {
        PoolSpec s = cfg.spec();
        Shape ys = cfg.outputShape();
        return emptyAlong(cfg.h(), ys.dim(2), s.windowH(), s.strideH(), s.padding().top())
                || emptyAlong(cfg.w(), ys.dim(3), s.windowW(), s.strideW(), s.padding().left());
    }

    private static boolean emptyAlong(int size, int outputs, int window, int stride, int before) {
        for (int o = 0; o < outputs; o++) {
            int start = o * stride - before;
            if (start + window <= 0 || start >= size) {
                return true;
            }
        }
        return false;
    }

    private static PoolConfig config(GoldenParams g, PoolMode mode) {
        Shape x = g.inputShape("x");
        int[] k = g.pairParam("kernel");
        int[] s = g.pairParam("stride");
        int[] p = g.pairParam("padding");
        return new PoolConfig(x.dim(0), x.dim(1), x.dim(2), x.dim(3),
                new PoolSpec(mode, k[0], k[1], s[0], s[1], Padding2D.of(p[0], p[1]), g.booleanParam("ceil_mode", false)));
    }

    private static List<PoolConfig> inCeilMode(List<PoolConfig> configs) {
        return configs.stream().map(c -> new PoolConfig(c.n(), c.c(), c.h(), c.w(), c.spec().withCeilMode(true))).toList();
    }

    private static List<PoolConfig> inEveryMode(int[][] geometries) {
        List<PoolConfig> all = new ArrayList<>();
        for (PoolMode mode : PoolMode.values()) {
            for (int[] g : geometries) {
                all.add(new PoolConfig(g[0], g[1], g[2], g[3],
                        new PoolSpec(mode, g[4], g[5], g[6], g[7], new Padding2D(g[8], g[9], g[10], g[11]))));
            }
        }
        return all;
    }
}
