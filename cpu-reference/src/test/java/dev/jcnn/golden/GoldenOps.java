package dev.jcnn.golden;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.TensorScope;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The table of golden ops, by the name make_golden.py gives them. Each runs the forward and
 * backward ops of one layer through the {@link Backend} interface; {@code sgd_step} trains a
 * small Sequential for one step ({@link SgdStep}).
 */
public final class GoldenOps {

    private static final Map<String, GoldenOp> TABLE = new TreeMap<>();

    static {
        TABLE.put("conv2d", GoldenOp.of(Set.of("kernel", "stride", "padding"), GoldenOps::conv2d));
        TABLE.put("max_pool2d", GoldenOp.of(Set.of("kernel", "stride", "padding"), (c, s) -> pool(c, s, PoolMode.MAX)));
        TABLE.put("avg_pool2d", GoldenOp.of(Set.of("kernel", "stride", "padding", "count_include_pad"),
                (c, s) -> pool(c, s, c.booleanParam("count_include_pad", true)
                        ? PoolMode.AVERAGE_INCLUDE_PAD : PoolMode.AVERAGE_EXCLUDE_PAD)));
        TABLE.put("dense", GoldenOp.of(Set.of("in_features", "out_features"), GoldenOps::dense));
        TABLE.put("relu", activation(c -> ActivationSpec.RELU));
        TABLE.put("sigmoid", activation(c -> ActivationSpec.SIGMOID));
        TABLE.put("tanh", activation(c -> ActivationSpec.TANH));
        TABLE.put("leaky_relu", GoldenOp.of(Set.of("negative_slope"), (c, s) ->
                activation(c, s, ActivationSpec.leakyRelu((float) c.doubleParam("negative_slope", 0.01)))));
        TABLE.put("elu", GoldenOp.of(Set.of("alpha"), (c, s) ->
                activation(c, s, ActivationSpec.elu((float) c.doubleParam("alpha", 1.0)))));
        TABLE.put("prelu", GoldenOp.of(Set.of("channels"), GoldenOps::prelu));
        TABLE.put("softmax", GoldenOp.of(Set.of(), (c, s) -> softmax(c, s, false)));
        TABLE.put("log_softmax", GoldenOp.of(Set.of(), (c, s) -> softmax(c, s, true)));
        TABLE.put("cross_entropy", GoldenOp.of(Set.of("classes"), GoldenOps::crossEntropy));
        TABLE.put("sgd_step", GoldenOp.of(Set.of("layers", "lr", "momentum", "classes"), SgdStep::run));
        GraphGoldenOps.register(TABLE);
    }

    private GoldenOps() {
    }

    /** The op of this name, or null. */
    public static GoldenOp get(String op) {
        return TABLE.get(op);
    }

    /** Every op name the table knows, sorted. */
    public static Set<String> names() {
        return TABLE.keySet();
    }

    private static Tensor in(GoldenCase c, TensorScope s, String key) {
        GoldenTensor t = c.input(key);
        return s.upload(t.shape(), t.floats());
    }

    private static GoldenOp.Outputs conv2d(GoldenCase c, TensorScope s) {
        int[] k = c.pairParam("kernel");
        int[] st = c.pairParam("stride");
        int[] p = c.pairParam("padding");
        ConvSpec spec = new ConvSpec(k[0], k[1], st[0], st[1], Padding2D.of(p[0], p[1]));
        Backend b = s.backend();
        Tensor x = in(c, s, "x");
        Tensor w = in(c, s, "w");
        Tensor dy = in(c, s, "dy");
        Tensor y = s.zeros(spec.outputShape(x.shape(), w.shape().dim(0)));
        Tensor dx = s.zeros(x.shape());
        Tensor dw = s.zeros(w.shape());
        Tensor db = s.zeros(Shape.of(w.shape().dim(0)));
        b.convolution().forward(x, w, in(c, s, "b"), spec, y);
        b.convolution().backwardData(dy, w, spec, dx);
        b.convolution().backwardFilter(x, dy, spec, dw);
        b.convolution().biasBackward(dy, db);
        return new GoldenOp.Outputs().put("y", y).put("dx", dx).put("dw", dw).put("db", db);
    }

    private static GoldenOp.Outputs pool(GoldenCase c, TensorScope s, PoolMode mode) {
        int[] k = c.pairParam("kernel");
        int[] st = c.pairParam("stride");
        int[] p = c.pairParam("padding");
        PoolSpec spec = new PoolSpec(mode, k[0], k[1], st[0], st[1], Padding2D.of(p[0], p[1]));
        Tensor x = in(c, s, "x");
        Tensor y = s.zeros(spec.outputShape(x.shape()));
        Tensor dx = s.zeros(x.shape());
        s.backend().pooling().forward(x, spec, y);
        s.backend().pooling().backward(x, y, in(c, s, "dy"), spec, dx);
        return new GoldenOp.Outputs().put("y", y).put("dx", dx);
    }

    private static GoldenOp.Outputs dense(GoldenCase c, TensorScope s) {
        Backend b = s.backend();
        Tensor x = in(c, s, "x");
        Tensor w = in(c, s, "w");
        Tensor dy = in(c, s, "dy");
        Tensor y = s.zeros(Shape.of(x.shape().batch(), w.shape().dim(0)));
        Tensor dx = s.zeros(x.shape());
        Tensor dw = s.zeros(w.shape());
        Tensor db = s.zeros(Shape.of(w.shape().dim(0)));
        b.dense().forward(x, w, in(c, s, "b"), y);
        b.dense().backwardData(dy, w, dx);
        b.dense().backwardWeights(x, dy, dw);
        b.convolution().biasBackward(dy, db);
        return new GoldenOp.Outputs().put("y", y).put("dx", dx).put("dw", dw).put("db", db);
    }

    private static GoldenOp activation(java.util.function.Function<GoldenCase, ActivationSpec> f) {
        return GoldenOp.of(Set.of(), (c, s) -> activation(c, s, f.apply(c)));
    }

    private static GoldenOp.Outputs activation(GoldenCase c, TensorScope s, ActivationSpec f) {
        Tensor x = in(c, s, "x");
        Tensor y = s.zeros(x.shape());
        Tensor dx = s.zeros(x.shape());
        s.backend().activations().forward(f, x, y);
        s.backend().activations().backward(f, x, y, in(c, s, "dy"), dx);
        return new GoldenOp.Outputs().put("y", y).put("dx", dx);
    }

    private static GoldenOp.Outputs prelu(GoldenCase c, TensorScope s) {
        Tensor x = in(c, s, "x");
        Tensor alpha = in(c, s, "alpha");
        Tensor y = s.zeros(x.shape());
        Tensor dx = s.zeros(x.shape());
        Tensor dalpha = s.zeros(alpha.shape());
        s.backend().activations().preluForward(x, alpha, y);
        s.backend().activations().preluBackward(x, alpha, in(c, s, "dy"), dx, dalpha);
        return new GoldenOp.Outputs().put("y", y).put("dx", dx).put("dalpha", dalpha);
    }

    private static GoldenOp.Outputs softmax(GoldenCase c, TensorScope s, boolean log) {
        Tensor x = in(c, s, "x");
        Tensor y = s.zeros(x.shape());
        Tensor dx = s.zeros(x.shape());
        s.backend().softmax().forward(x, log, y);
        s.backend().softmax().backward(y, in(c, s, "dy"), log, dx);
        return new GoldenOp.Outputs().put("y", y).put("dx", dx);
    }

    private static GoldenOp.Outputs crossEntropy(GoldenCase c, TensorScope s) {
        Tensor logits = in(c, s, "logits");
        int[] labels = c.input("labels").ints(c.file() + ": inputs.labels");
        Tensor dlogits = s.zeros(logits.shape());
        float loss = s.backend().losses().softmaxCrossEntropy(logits, labels, dlogits);
        return new GoldenOp.Outputs().put("loss", Shape.of(1), new float[] {loss}).put("dlogits", dlogits);
    }
}
