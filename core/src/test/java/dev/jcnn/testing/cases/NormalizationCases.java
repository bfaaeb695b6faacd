package dev.jcnn.testing.cases;

import static dev.jcnn.testing.cases.OpTable.CUDA;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.LrnSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tolerance;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table's batch normalization: training (output, saved and running statistics), its
 * backward pass and inference (also in place) with the updated statistics, and inference alone;
 * cross-channel local response normalization, forward and backward.
 */
public final class NormalizationCases {

    /** Images, flat features, one value per sample and channel (N = 2), a single sample with a spatial map. */
    public static final List<Shape> SMALL_SHAPES = List.of(Shape.of(4, 3, 5, 5), Shape.of(6, 4), Shape.of(2, 2, 1, 1),
            Shape.of(1, 3, 2, 2), Shape.of(8, 2, 3, 1));

    /** The conformance suite's finite-difference checks run with this spec. */
    public static final BatchNormSpec SPEC = new BatchNormSpec(1e-3f, 0.1f);

    private static final List<Shape> LARGE_SHAPES = List.of(Shape.of(33, 16, 8, 8), Shape.of(8, 64, 3, 3),
            Shape.of(33, 84), Shape.of(3, 5, 7, 11));

    private static final List<BatchNormSpec> SPECS = List.of(SPEC, new BatchNormSpec(1e-3f, 0.01f),
            new BatchNormSpec(1e-5f, 0.1f));

    private static final Tolerances TOLERANCES = Tolerances.of(Tolerance.DEFAULT, Tolerance.of(1e-4, 5e-5),
            "the gradients sum N·H·W values per channel, in float32 against the oracle's double sums")
            .on(CUDA, Tolerance.of(1e-4, 5e-5), Tolerance.of(1e-3, 1e-4), "per-channel sums over N·H·W values (mean,"
                    + " variance; Σdy, Σdy·x̂) accumulated in float by cuDNN, in double by the CPU, in a different order");

    /** Local response normalization: AlexNet's, a window as wide as the channels, size 1, a strong one. */
    public static final List<LrnSpec> LRN_SPECS = List.of(LrnSpec.ALEXNET, new LrnSpec(3, 0.5f, 0.75f, 1f),
            new LrnSpec(1, 1f, 0.5f, 1f), new LrnSpec(7, 2f, 1f, 0.5f));

    /** Shapes for local response normalization: fewer channels than a window, flat features, one channel. */
    public static final List<Shape> LRN_SHAPES = List.of(Shape.of(2, 7, 3, 3), Shape.of(1, 3, 2, 4), Shape.of(5, 6),
            Shape.of(2, 1, 2, 2));

    private static final Tolerances LRN_TOLERANCES = Tolerances.of(Tolerance.DEFAULT, Tolerance.of(1e-4, 5e-5),
            "a power of a sum over at most size squares, in float32 against the oracle's double")
            .on(CUDA, Tolerance.of(1e-4, 5e-5), Tolerance.of(1e-3, 1e-4), "cuDNN's window sums and powers in float,"
                    + " the CPU's in double");

    private NormalizationCases() {
    }

    static void addTo(List<OpCase> table) {
        for (List<Shape> shapes : List.of(SMALL_SHAPES, LARGE_SHAPES)) {
            for (Shape s : shapes) {
                SPECS.forEach(spec -> table.add(batchNorm(s, spec)));
            }
        }
        for (Shape s : List.of(Shape.of(3, 3, 4, 4), Shape.of(1, 2, 1, 1), Shape.of(33, 84))) {
            table.add(batchNormInference(s, SPEC));
        }
        for (Shape s : LRN_SHAPES) {
            LRN_SPECS.forEach(spec -> table.add(lrn(s, spec)));
        }
        for (Shape s : List.of(Shape.of(8, 96, 5, 5), Shape.of(33, 20, 3, 3))) {
            table.add(lrn(s, LrnSpec.ALEXNET));
        }
    }

    /** PyTorch's momentum is the batch's weight in the running averages: BatchNormSpec's average factor. */
    static void addGolden(Map<String, GoldenOp> golden) {
        golden.put("batch_norm", new GoldenOp("batch_norm", Set.of("training", "eps", "momentum"), g -> {
            BatchNormSpec spec = new BatchNormSpec((float) g.doubleParam("eps"), (float) g.doubleParam("momentum"));
            return g.booleanParam("training", true) ? batchNorm(g.inputShape("x"), spec)
                    : batchNormInference(g.inputShape("x"), spec);
        }));
        golden.put("local_response_norm", new GoldenOp("local_response_norm", Set.of("size", "alpha", "beta", "k"),
                g -> lrn(g.inputShape("x"), new LrnSpec(g.intParam("size"), (float) g.doubleParam("alpha"),
                        (float) g.doubleParam("beta"), (float) g.doubleParam("k")))));
    }

    /** Forward, then backward from x, y and a random dy. */
    public static OpCase lrn(Shape xs, LrnSpec spec) {
        return OpCase.of("local_response_norm", xs + " size " + spec.size() + " alpha " + spec.alpha() + " beta "
                + spec.beta() + " k " + spec.k(), LRN_TOLERANCES, r -> {
                    Backend b = r.backend();
                    Tensor x = r.gaussian("x", xs, 2.0);
                    Tensor y = r.output(xs);
                    b.normalization().lrnForward(x, spec, y);
                    r.forward("y", y);
                    Tensor dy = r.gaussian("dy", xs, 1.0);
                    Tensor dx = r.output(xs);
                    b.normalization().lrnBackward(x, y, dy, spec, dx);
                    r.backward("dx", dx);
                });
    }

    /** Training forward, backward, then inference with the running statistics it updated, also in place. */
    public static OpCase batchNorm(Shape xs, BatchNormSpec spec) {
        Shape cs = Shape.of(xs.dim(1));
        return OpCase.of("batch_norm", config(xs, spec), TOLERANCES, r -> {
            Backend b = r.backend();
            Tensor x = r.perChannelGaussian("x", xs);
            Tensor gamma = r.uniform("gamma", cs, 0.5, 1.5);
            Tensor beta = r.gaussian("beta", cs, 0.5);
            Tensor runningMean = r.gaussian("running_mean", cs, 0.5);
            Tensor runningVar = r.uniform("running_var", cs, 0.5, 2.0);
            Tensor y = r.output(xs);
            Tensor mean = r.output(cs);
            Tensor invStd = r.output(cs);
            b.normalization().forwardTraining(x, gamma, beta, spec, runningMean, runningVar, y, mean, invStd);
            r.forward("y", y);
            r.forward("saved_mean", mean);
            r.forward("saved_inv_std", invStd);
            r.backward("running_mean", runningMean);
            r.backward("running_var", runningVar);
            Tensor dy = r.gaussian("dy", xs, 1.0);
            Tensor dx = r.output(xs);
            Tensor dgamma = r.output(cs);
            Tensor dbeta = r.output(cs);
            b.normalization().backward(x, dy, gamma, mean, invStd, dx, dgamma, dbeta);
            r.backward("dx", dx);
            r.backward("dgamma", dgamma);
            r.backward("dbeta", dbeta);
            inference(r, x, gamma, beta, runningMean, runningVar, spec, "inference y");
        });
    }

    /** Inference alone from given running statistics, into another tensor and over x itself. */
    public static OpCase batchNormInference(Shape xs, BatchNormSpec spec) {
        Shape cs = Shape.of(xs.dim(1));
        return OpCase.of("batch_norm_inference", config(xs, spec), TOLERANCES, r -> {
            Tensor x = r.perChannelGaussian("x", xs);
            Tensor gamma = r.uniform("gamma", cs, 0.5, 1.5);
            Tensor beta = r.gaussian("beta", cs, 0.5);
            Tensor runningMean = r.gaussian("running_mean", cs, 0.5);
            Tensor runningVar = r.uniform("running_var", cs, 0.5, 2.0);
            inference(r, x, gamma, beta, runningMean, runningVar, spec, "y");
        });
    }

    private static void inference(Run r, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            BatchNormSpec spec, String name) {
        Backend b = r.backend();
        Tensor y = r.output(x.shape());
        b.normalization().forwardInference(x, gamma, beta, runningMean, runningVar, spec, y);
        r.forward(name, y);
        Tensor inPlace = r.zeros(x.shape());
        b.elementwise().copy(x, inPlace);
        b.normalization().forwardInference(inPlace, gamma, beta, runningMean, runningVar, spec, inPlace);
        r.forward(name + " written over x", inPlace);
    }

    private static String config(Shape xs, BatchNormSpec spec) {
        return xs + " epsilon " + spec.epsilon() + " factor " + spec.averageFactor();
    }
}
