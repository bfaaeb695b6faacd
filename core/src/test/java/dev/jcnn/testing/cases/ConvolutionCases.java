package dev.jcnn.testing.cases;

import static dev.jcnn.testing.cases.OpTable.SUMS;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Geometry;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table's convolutions: conv2d (forward with and without bias, input, filter and bias
 * gradients, the filter gradient twice to show it overwrites) and the transposed convolution
 * as Conv2DTranspose runs it. Kernels 1 to 7 and rectangular ones, strides 1 to 3, padding 0
 * to 3, SAME (asymmetric for even kernels) and larger than the kernel, batches 1 to 37,
 * channels 1 to 64, odd sizes; dilations 2 to 4, groups 2 to 32 and depthwise, for the
 * transposed convolution too.
 */
public final class ConvolutionCases {

    /**
     * Small geometries that reach every edge of kernel, stride and padding; the conformance
     * suite also checks their gradients by finite differences, which re-run the forward pass
     * twice per checked coordinate.
     */
    public static final List<ConvConfig> SMALL = List.of(
            // the slides: 7x7 with a 3x3 filter at strides 1, 2, and 3 with P = 1
            ConvConfig.of(1, 1, 7, 7, 1, ConvSpec.of(3, 1, 0)),
            ConvConfig.of(1, 1, 7, 7, 1, ConvSpec.of(3, 2, 0)),
            ConvConfig.of(1, 1, 7, 7, 1, ConvSpec.of(3, 3, 1)),
            // 1x1 kernels mix channels only
            ConvConfig.of(2, 3, 5, 6, 4, ConvSpec.of(1, 1, 0)),
            ConvConfig.of(3, 4, 7, 5, 2, ConvSpec.of(1, 2, 1)),
            // even kernels, with the asymmetric padding that SAME needs for them
            ConvConfig.of(3, 2, 6, 7, 3, ConvSpec.of(2, 1, 0)),
            ConvConfig.of(2, 2, 9, 9, 3, new ConvSpec(2, 2, 1, 1, new Padding2D(0, 1, 0, 1))),
            ConvConfig.of(2, 3, 8, 7, 2, new ConvSpec(2, 2, 2, 2, new Padding2D(1, 0, 0, 1))),
            // F3 S1 P1 and F5 S1 P2 keep the size; F5 S2 P2 halves it
            ConvConfig.of(2, 3, 9, 9, 4, ConvSpec.of(3, 1, 1)),
            ConvConfig.of(2, 3, 11, 12, 4, ConvSpec.of(5, 1, 2)),
            ConvConfig.of(2, 3, 13, 13, 2, ConvSpec.of(5, 2, 2)),
            ConvConfig.of(3, 2, 7, 7, 2, ConvSpec.of(3, 2, 2)),
            // rectangular kernels and strides
            ConvConfig.of(2, 2, 8, 11, 3, new ConvSpec(3, 5, 2, 1, Padding2D.of(1, 2))),
            ConvConfig.of(1, 4, 9, 7, 2, new ConvSpec(5, 3, 1, 3, Padding2D.of(2, 0))),
            ConvConfig.of(2, 3, 6, 5, 2, new ConvSpec(2, 3, 3, 2, new Padding2D(1, 2, 0, 1))),
            // batch 5, asymmetric padding, a stride that leaves rows uncovered
            ConvConfig.of(5, 1, 5, 5, 2, ConvSpec.of(3, 1, 1)),
            ConvConfig.of(4, 3, 10, 9, 5, new ConvSpec(3, 3, 3, 3, new Padding2D(1, 2, 0, 1))),
            ConvConfig.of(2, 2, 11, 8, 3, ConvSpec.of(3, 3, 0)),
            // a kernel larger than the input, made to fit by padding
            ConvConfig.of(1, 2, 3, 3, 2, ConvSpec.of(5, 1, 1)),
            // dilation: a 3x3 kernel spanning 5x5, rectangular dilations with asymmetric padding
            ConvConfig.of(2, 3, 9, 9, 4, ConvSpec.of(3, 1, 2).withDilation(2, 2)),
            ConvConfig.of(1, 2, 11, 10, 3, new ConvSpec(3, 2, 2, 1, new Padding2D(1, 0, 2, 1)).withDilation(2, 3)),
            // groups: two (AlexNet), three with stride 2
            ConvConfig.of(2, 4, 7, 7, 6, ConvSpec.of(3, 1, 1).withGroups(2)),
            ConvConfig.of(2, 6, 8, 8, 6, ConvSpec.of(3, 2, 1).withGroups(3)),
            // depthwise (groups = channels), with channel multipliers 1 and 2
            ConvConfig.of(2, 4, 7, 7, 4, ConvSpec.of(3, 1, 1).withGroups(4)),
            ConvConfig.of(1, 3, 6, 6, 6, ConvSpec.of(3, 2, 1).withGroups(3)),
            // dilated and grouped at once
            ConvConfig.of(2, 4, 9, 9, 4, ConvSpec.of(3, 1, 2).withDilation(2, 2).withGroups(2)));

    /** The sizes of real networks: channels to 64, batches to 33, kernels to 7, SAME padding. */
    static final List<ConvConfig> LARGE = List.of(
            conv(4, 16, 9, 9, 8, 1, 1, 1, 1, Padding2D.NONE),
            conv(3, 8, 6, 6, 16, 1, 1, 2, 2, Padding2D.NONE),
            conv(2, 3, 8, 8, 4, 2, 2, 2, 2, Padding2D.NONE),
            conv(3, 2, 7, 7, 3, 2, 2, 1, 1, same(7, 7, 2, 2, 1, 1)),
            conv(2, 4, 9, 9, 8, 3, 3, 1, 1, Padding2D.of(1)),
            conv(2, 2, 7, 7, 5, 3, 3, 2, 2, Padding2D.of(1)),
            conv(2, 3, 8, 8, 4, 3, 3, 2, 2, same(8, 8, 3, 3, 2, 2)),
            conv(2, 3, 9, 9, 2, 3, 3, 1, 1, Padding2D.of(2)),
            conv(2, 3, 32, 32, 6, 5, 5, 1, 1, Padding2D.NONE),
            conv(2, 1, 28, 28, 6, 5, 5, 1, 1, same(28, 28, 5, 5, 1, 1)),
            conv(3, 4, 13, 13, 4, 5, 5, 2, 2, Padding2D.of(2)),
            conv(2, 3, 12, 12, 4, 5, 5, 3, 3, same(12, 12, 5, 5, 3, 3)),
            conv(2, 3, 23, 23, 8, 7, 7, 2, 2, Padding2D.of(3)),
            conv(1, 2, 15, 13, 3, 7, 7, 1, 1, Padding2D.NONE),
            conv(2, 2, 8, 11, 4, 3, 5, 2, 1, Padding2D.of(1, 2)),
            conv(2, 3, 10, 9, 4, 5, 3, 1, 2, Padding2D.of(2, 1)),
            conv(1, 3, 6, 16, 2, 1, 7, 1, 1, Padding2D.of(0, 3)),
            conv(2, 2, 9, 10, 3, 4, 2, 1, 1, same(9, 10, 4, 2, 1, 1)),
            conv(2, 64, 12, 12, 64, 3, 3, 1, 1, Padding2D.of(1)),
            conv(2, 32, 7, 7, 1, 1, 1, 1, 1, Padding2D.NONE),
            conv(33, 3, 11, 11, 8, 3, 3, 1, 1, Padding2D.of(1)),
            conv(5, 6, 13, 17, 7, 3, 3, 2, 3, Padding2D.NONE),
            conv(1, 1, 1, 1, 1, 1, 1, 1, 1, Padding2D.NONE),
            conv(3, 5, 5, 5, 2, 5, 5, 1, 1, Padding2D.NONE),
            conv(16, 6, 14, 14, 16, 5, 5, 1, 1, Padding2D.NONE),
            // AlexNet's two groups, MobileNet's depthwise 3x3 at stride 2, a dilation of 4
            ConvConfig.of(2, 16, 13, 13, 32, ConvSpec.of(3, 1, 1).withGroups(2)),
            ConvConfig.of(3, 32, 12, 12, 32, ConvSpec.of(3, 2, 1).withGroups(32)),
            ConvConfig.of(2, 8, 20, 20, 8, ConvSpec.of(3, 1, 4).withDilation(4, 4)));

    /**
     * Shapes that reach both code paths of the CPU backend (the stride-1 implicit product and
     * im2col) and their edges, from its fast-path tests.
     */
    static final List<ConvConfig> FAST_PATH = List.of(
            // LeNet's conv1 (5x5 SAME on 28x28) and conv2 (5x5 valid on 6x14x14, more samples than a group holds)
            conv(5, 1, 28, 28, 6, 5, 5, 1, 1, Padding2D.of(2)),
            conv(37, 6, 14, 14, 16, 5, 5, 1, 1, Padding2D.NONE),
            conv(2, 3, 7, 7, 4, 3, 3, 1, 1, Padding2D.of(1)),
            conv(3, 2, 8, 9, 3, 2, 3, 2, 1, new Padding2D(0, 1, 2, 0)),
            conv(1, 1, 7, 7, 2, 3, 3, 3, 3, Padding2D.of(1)),
            conv(2, 2, 6, 5, 3, 4, 2, 2, 3, new Padding2D(1, 2, 0, 1)),
            conv(3, 5, 4, 6, 7, 1, 1, 1, 1, Padding2D.NONE),
            // a kernel as large as the input; padding larger than the kernel
            conv(4, 1, 5, 5, 1, 5, 5, 1, 1, Padding2D.NONE),
            conv(2, 2, 5, 5, 3, 2, 2, 1, 1, new Padding2D(3, 1, 2, 3)),
            conv(3, 3, 9, 8, 5, 4, 4, 1, 1, new Padding2D(1, 2, 1, 2)),
            conv(2, 2, 3, 11, 2, 1, 7, 1, 1, new Padding2D(0, 0, 3, 3)),
            conv(2, 9, 6, 6, 10, 3, 3, 1, 1, Padding2D.of(1)),
            conv(3, 4, 11, 11, 6, 3, 3, 2, 2, Padding2D.of(1)),
            conv(1, 2, 3, 3, 5, 3, 3, 1, 1, Padding2D.NONE),
            conv(2, 3, 5, 9, 4, 3, 3, 1, 2, Padding2D.of(1)),
            // wide rows, 17 samples
            conv(17, 2, 3, 40, 9, 3, 3, 1, 1, Padding2D.of(1)),
            // padding on one side only, and bottom and right padding past the kernel
            conv(3, 2, 6, 7, 3, 3, 3, 1, 1, new Padding2D(0, 2, 0, 2)),
            conv(2, 3, 5, 6, 4, 3, 2, 1, 1, new Padding2D(2, 0, 1, 0)),
            conv(2, 1, 4, 4, 2, 2, 2, 1, 1, new Padding2D(0, 2, 0, 3)));

    /** Transposed convolutions: PyTorch's golden geometries, with output padding, and a decoder's. */
    static final List<ConvTransposeConfig> TRANSPOSED = List.of(
            new ConvTransposeConfig(1, 2, 3, 3, 2, new ConvSpec(2, 2, 3, 3, Padding2D.NONE), 2, 1),
            new ConvTransposeConfig(1, 2, 4, 4, 3, new ConvSpec(2, 2, 2, 2, Padding2D.NONE), 0, 0),
            new ConvTransposeConfig(1, 2, 4, 6, 3, new ConvSpec(2, 3, 2, 1, Padding2D.NONE), 0, 0),
            new ConvTransposeConfig(2, 3, 5, 5, 4, ConvSpec.of(3, 2, 1), 1, 1),
            new ConvTransposeConfig(2, 3, 6, 6, 5, ConvSpec.of(3, 1, 1), 0, 0),
            new ConvTransposeConfig(2, 4, 3, 3, 2, ConvSpec.of(4, 2, 1), 0, 0),
            new ConvTransposeConfig(4, 16, 7, 7, 8, ConvSpec.of(3, 2, 1), 1, 1),
            // dilated (square and rectangular, with asymmetric padding), grouped, depthwise, both at once
            new ConvTransposeConfig(2, 3, 4, 4, 2, ConvSpec.of(3, 1, 1).withDilation(2, 2), 0, 0),
            new ConvTransposeConfig(1, 2, 3, 4, 3, new ConvSpec(3, 2, 2, 1, new Padding2D(1, 0, 0, 1))
                    .withDilation(2, 3), 1, 0),
            new ConvTransposeConfig(2, 4, 4, 4, 6, ConvSpec.of(3, 2, 1).withGroups(2), 1, 1),
            new ConvTransposeConfig(2, 4, 5, 5, 4, ConvSpec.of(3, 1, 1).withGroups(4), 0, 0),
            new ConvTransposeConfig(1, 3, 3, 3, 6, ConvSpec.of(3, 2, 0).withGroups(3), 1, 0),
            new ConvTransposeConfig(2, 6, 4, 5, 4, ConvSpec.of(3, 2, 2).withDilation(2, 2).withGroups(2), 1, 1));

    private ConvolutionCases() {
    }

    static void addTo(List<OpCase> table) {
        for (List<ConvConfig> list : List.of(SMALL, LARGE, FAST_PATH)) {
            list.forEach(c -> table.add(conv2d(c)));
        }
        TRANSPOSED.forEach(c -> table.add(convTranspose2d(c)));
    }

    static void addGolden(Map<String, GoldenOp> golden) {
        golden.put("conv2d", new GoldenOp("conv2d", Set.of("kernel", "stride", "padding", "dilation", "groups"), g -> {
            Shape x = g.inputShape("x");
            int[] d = g.pairParam("dilation", 1);
            ConvSpec spec = spec(g).withDilation(d[0], d[1]).withGroups(g.intParam("groups", 1));
            return conv2d(ConvConfig.of(x.dim(0), x.dim(1), x.dim(2), x.dim(3), g.inputShape("w").dim(0), spec));
        }));
        golden.put("conv_transpose2d", new GoldenOp("conv_transpose2d",
                Set.of("kernel", "stride", "padding", "output_padding", "dilation", "groups"), g -> {
                    Shape x = g.inputShape("x");
                    int[] op = g.pairParam("output_padding");
                    int[] d = g.pairParam("dilation", 1);
                    int groups = g.intParam("groups", 1);
                    // PyTorch's weights are (C_in, C_out/groups, kh, kw)
                    return convTranspose2d(new ConvTransposeConfig(x.dim(0), x.dim(1), x.dim(2), x.dim(3),
                            g.inputShape("w").dim(1) * groups, spec(g).withDilation(d[0], d[1]).withGroups(groups),
                            op[0], op[1]));
                }));
    }

    /** y = x ⋆ w + b and without b, dx, dw (twice: it must overwrite, not accumulate), db. */
    public static OpCase conv2d(ConvConfig cfg) {
        ConvSpec spec = cfg.spec();
        return OpCase.of("conv2d", cfg.toString(), SUMS, r -> {
            Backend b = r.backend();
            Tensor x = r.gaussian("x", cfg.inputShape(), 1.0);
            Tensor w = r.gaussian("w", cfg.weightShape(), 1.0 / Math.sqrt(cfg.weightShape().sampleSize()));
            Tensor bias = r.gaussian("b", Shape.of(cfg.k()), 0.5);
            Tensor y = r.output(cfg.outputShape());
            b.convolution().forward(x, w, bias, spec, y);
            r.forward("y", y);
            Tensor y0 = r.output(cfg.outputShape());
            b.convolution().forward(x, w, null, spec, y0);
            r.forward("y without bias", y0);
            Tensor dy = r.gaussian("dy", cfg.outputShape(), 1.0);
            Tensor dx = r.output(cfg.inputShape());
            b.convolution().backwardData(dy, w, spec, dx);
            r.backward("dx", dx);
            Tensor dw = r.output(cfg.weightShape());
            b.convolution().backwardFilter(x, dy, spec, dw);
            r.backward("dw", dw);
            b.convolution().backwardFilter(x, dy, spec, dw);
            r.backward("dw after a second call", dw);
            Tensor db = r.output(Shape.of(cfg.k()));
            b.convolution().biasBackward(dy, db);
            r.backward("db", db);
        });
    }

    /**
     * PyTorch's ConvTranspose2d with weights (C_in, C_out/groups, kh, kw), as Conv2DTranspose runs it:
     * the adjoint of a convolution from its output to its input, y = convBackwardData(x) + b,
     * dx = convForward(dy), dw = convBackwardFilter(dy, x).
     */
    public static OpCase convTranspose2d(ConvTransposeConfig cfg) {
        ConvSpec spec = cfg.spec();
        Shape ws = cfg.weightShape();
        return OpCase.of("conv_transpose2d", cfg.toString(), SUMS, r -> {
            Backend b = r.backend();
            Tensor x = r.gaussian("x", cfg.inputShape(), 1.0);
            Tensor w = r.gaussian("w", ws, 1.0 / Math.sqrt(ws.sampleSize()));
            Tensor bias = r.gaussian("b", Shape.of(cfg.out()), 0.5);
            Tensor y = r.output(cfg.outputShape());
            b.convolution().backwardData(x, w, spec, y);
            b.channels().addBias(y, bias, y);
            r.forward("y", y);
            Tensor dy = r.gaussian("dy", cfg.outputShape(), 1.0);
            Tensor dx = r.output(cfg.inputShape());
            b.convolution().forward(dy, w, null, spec, dx);
            r.backward("dx", dx);
            Tensor dw = r.output(ws);
            b.convolution().backwardFilter(dy, x, spec, dw);
            r.backward("dw", dw);
            Tensor db = r.output(Shape.of(cfg.out()));
            b.convolution().biasBackward(dy, db);
            r.backward("db", db);
        });
    }

    private static ConvSpec spec(GoldenParams g) {
        int[] k = g.pairParam("kernel");
        int[] s = g.pairParam("stride");
        int[] p = g.pairParam("padding");
        return new ConvSpec(k[0], k[1], s[0], s[1], Padding2D.of(p[0], p[1]));
    }

    private static ConvConfig conv(int n, int c, int h, int w, int k, int kh, int kw, int sh, int sw, Padding2D p) {
        return ConvConfig.of(n, c, h, w, k, new ConvSpec(kh, kw, sh, sw, p));
    }

    /** Keras/TensorFlow SAME padding of an (h, w) input. */
    private static Padding2D same(int h, int w, int kh, int kw, int sh, int sw) {
        int[] ph = Geometry.samePadding(h, kh, sh);
        int[] pw = Geometry.samePadding(w, kw, sw);
        return new Padding2D(ph[0], ph[1], pw[0], pw[1]);
    }
}
