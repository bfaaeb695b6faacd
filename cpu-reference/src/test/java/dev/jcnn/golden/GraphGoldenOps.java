package dev.jcnn.golden;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.TensorScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The golden ops of functional models and segmentation (scripts/make_golden_extra.py, format
 * in its docstring), through the {@link Backend} interface as the layers call it:
 * conv_transpose2d, upsample_nearest2d, upsample_bilinear2d, batch_norm, global_avg_pool2d
 * and concat.
 */
final class GraphGoldenOps {

    private GraphGoldenOps() {
    }

    static void register(Map<String, GoldenOp> table) {
        table.put("conv_transpose2d", GoldenOp.of(Set.of("kernel", "stride", "padding", "output_padding"),
                GraphGoldenOps::convTranspose));
        table.put("upsample_nearest2d", GoldenOp.of(Set.of("factor"), (c, s) -> upsample(c, s, Interpolation.NEAREST)));
        table.put("upsample_bilinear2d", GoldenOp.of(Set.of("factor"), (c, s) -> upsample(c, s, Interpolation.BILINEAR)));
        table.put("batch_norm", GoldenOp.of(Set.of("training", "eps", "momentum"), GraphGoldenOps::batchNorm));
        table.put("global_avg_pool2d", GoldenOp.of(Set.of(), GraphGoldenOps::globalAveragePool));
        table.put("concat", GoldenOp.of(Set.of("parts"), GraphGoldenOps::concat));
    }

    private static Tensor in(GoldenCase c, TensorScope s, String key) {
        GoldenTensor t = c.input(key);
        return s.upload(t.shape(), t.floats());
    }

    /**
     * PyTorch's ConvTranspose2d with weights (C_in, C_out, kh, kw) is the adjoint of a
     * convolution from its output (C_out channels) to its input (C_in channels) with the same
     * weights: y = convBackwardData(x) + b, dx = convForward(dy), dw = convBackwardFilter(dy, x).
     * The output padding adds rows and columns at the bottom and right of y.
     */
    private static GoldenOp.Outputs convTranspose(GoldenCase c, TensorScope s) {
        int[] k = c.pairParam("kernel");
        int[] st = c.pairParam("stride");
        int[] p = c.pairParam("padding");
        int[] op = c.pairParam("output_padding");
        ConvSpec spec = new ConvSpec(k[0], k[1], st[0], st[1], Padding2D.of(p[0], p[1]));
        Backend b = s.backend();
        Tensor x = in(c, s, "x");
        Tensor w = in(c, s, "w");
        Tensor dy = in(c, s, "dy");
        Shape xs = x.shape();
        Shape ys = Shape.of(xs.dim(0), w.shape().dim(1), (xs.dim(2) - 1) * st[0] - 2 * p[0] + k[0] + op[0],
                (xs.dim(3) - 1) * st[1] - 2 * p[1] + k[1] + op[1]);
        Tensor y = s.zeros(ys);
        Tensor dx = s.zeros(xs);
        Tensor dw = s.zeros(w.shape());
        Tensor db = s.zeros(Shape.of(w.shape().dim(1)));
        b.convolution().backwardData(x, w, spec, y);
        b.channels().addBias(y, in(c, s, "b"), y);
        b.convolution().forward(dy, w, null, spec, dx);
        b.convolution().backwardFilter(dy, x, spec, dw);
        b.convolution().biasBackward(dy, db);
        return new GoldenOp.Outputs().put("y", y).put("dx", dx).put("dw", dw).put("db", db);
    }

    private static GoldenOp.Outputs upsample(GoldenCase c, TensorScope s, Interpolation mode) {
        int[] f = c.pairParam("factor");
        UpsampleSpec spec = new UpsampleSpec(mode, f[0], f[1]);
        Tensor x = in(c, s, "x");
        Tensor y = s.zeros(spec.outputShape(x.shape()));
        Tensor dx = s.zeros(x.shape());
        s.backend().resampling().forward(x, spec, y);
        s.backend().resampling().backward(in(c, s, "dy"), spec, dx);
        return new GoldenOp.Outputs().put("y", y).put("dx", dx);
    }

    /** PyTorch's momentum is the batch's weight in the running averages: BatchNormSpec's average factor. */
    private static GoldenOp.Outputs batchNorm(GoldenCase c, TensorScope s) {
        boolean training = c.booleanParam("training", true);
        BatchNormSpec spec = new BatchNormSpec((float) c.doubleParam("eps"), (float) c.doubleParam("momentum"));
        Backend b = s.backend();
        Tensor x = in(c, s, "x");
        Tensor gamma = in(c, s, "gamma");
        Tensor beta = in(c, s, "beta");
        Tensor rm = in(c, s, "running_mean");
        Tensor rv = in(c, s, "running_var");
        Tensor y = s.zeros(x.shape());
        if (!training) {
            b.normalization().forwardInference(x, gamma, beta, rm, rv, spec, y);
            return new GoldenOp.Outputs().put("y", y);
        }
        Shape cs = gamma.shape();
        Tensor mean = s.zeros(cs);
        Tensor invStd = s.zeros(cs);
        Tensor dx = s.zeros(x.shape());
        Tensor dgamma = s.zeros(cs);
        Tensor dbeta = s.zeros(cs);
        b.normalization().forwardTraining(x, gamma, beta, spec, rm, rv, y, mean, invStd);
        b.normalization().backward(x, in(c, s, "dy"), gamma, mean, invStd, dx, dgamma, dbeta);
        return new GoldenOp.Outputs().put("y", y).put("dx", dx).put("dgamma", dgamma).put("dbeta", dbeta)
                .put("running_mean", rm).put("running_var", rv);
    }

    /** The mean over H × W as GlobalAveragePooling2D runs it: one average-pooling window over the whole image. */
    private static GoldenOp.Outputs globalAveragePool(GoldenCase c, TensorScope s) {
        Tensor x = in(c, s, "x");
        Shape xs = x.shape();
        PoolSpec spec = new PoolSpec(PoolMode.AVERAGE_EXCLUDE_PAD, xs.dim(2), xs.dim(3), xs.dim(2), xs.dim(3), Padding2D.NONE);
        Shape pooled = Shape.of(xs.dim(0), xs.dim(1), 1, 1);
        Tensor y = s.zeros(pooled);
        Tensor dy = s.zeros(pooled);
        Tensor dx = s.zeros(xs);
        s.backend().pooling().forward(x, spec, y);
        s.backend().elementwise().copy(in(c, s, "dy"), dy);
        s.backend().pooling().backward(x, y, dy, spec, dx);
        return new GoldenOp.Outputs().put("y", Shape.of(xs.dim(0), xs.dim(1)), y.toArray()).put("dx", dx);
    }

    private static GoldenOp.Outputs concat(GoldenCase c, TensorScope s) {
        int parts = c.intParam("parts");
        List<Tensor> xs = new ArrayList<>();
        int channels = 0;
        for (int i = 0; i < parts; i++) {
            xs.add(in(c, s, "x" + i));
            channels += xs.get(i).shape().dim(1);
        }
        int[] dims = xs.get(0).shape().dims();
        dims[1] = channels;
        Tensor y = s.zeros(Shape.of(dims));
        s.backend().channels().concat(xs, y);
        List<Tensor> dxs = new ArrayList<>();
        for (Tensor x : xs) {
            dxs.add(s.zeros(x.shape()));
        }
        s.backend().channels().split(in(c, s, "dy"), dxs);
        GoldenOp.Outputs out = new GoldenOp.Outputs().put("y", y);
        for (int i = 0; i < parts; i++) {
            out.put("dx" + i, dxs.get(i));
        }
        return out;
    }
}
