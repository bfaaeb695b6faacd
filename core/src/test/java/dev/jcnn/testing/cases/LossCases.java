package dev.jcnn.testing.cases;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table's losses: softmax cross-entropy with class labels, binary cross-entropy on
 * logits and mean squared error, each with and without its gradient, and at logits that
 * overflow exp unless handled.
 */
public final class LossCases {

    /** (N, classes) of softmax cross-entropy; the conformance suite also checks these by finite differences. */
    public static final List<Shape> LOGIT_SHAPES = List.of(Shape.of(1, 2), Shape.of(8, 10), Shape.of(5, 3), Shape.of(3, 1));

    /** Shapes of the elementwise losses; the conformance suite also checks these by finite differences. */
    public static final List<Shape> ELEMENT_SHAPES = List.of(Shape.of(4, 3), Shape.of(2, 1, 5, 5), Shape.of(1, 1));

    private LossCases() {
    }

    static void addTo(List<OpCase> table) {
        LOGIT_SHAPES.forEach(s -> table.add(softmaxCrossEntropy(s)));
        for (Shape s : List.of(Shape.of(33, 10), Shape.of(1, 1000), Shape.of(300, 7))) {
            table.add(softmaxCrossEntropy(s));
        }
        table.add(OpCase.of("softmax_cross_entropy", "of large logits (2, 3)", Tolerances.DEFAULT,
                r -> crossEntropy(r, r.given("logits", Shape.of(2, 3), 1000, -1000, 0, 500, 501, 499), new int[] {1, 2})));
        List<Shape> elements = new java.util.ArrayList<>(ELEMENT_SHAPES);
        elements.addAll(List.of(Shape.of(2, 1, 8, 8), Shape.of(16, 3), Shape.of(5, 2, 33, 33)));
        elements.forEach(s -> table.add(sigmoidCrossEntropy(s)));
        Shape five = Shape.of(1, 5);
        table.add(OpCase.of("sigmoid_cross_entropy", "of large logits " + five, Tolerances.DEFAULT,
                r -> sigmoidCrossEntropy(r, r.given("logits", five, 100, -100, 100, -100, 0),
                        r.given("targets", five, 1, 0, 0, 1, 0.5f))));
        elements.forEach(s -> table.add(meanSquaredError(s)));
    }

    static void addGolden(Map<String, GoldenOp> golden) {
        golden.put("cross_entropy", new GoldenOp("cross_entropy", Set.of("classes"),
                g -> softmaxCrossEntropy(g.inputShape("logits"))));
    }

    /** The batch's mean loss and dlogits, and the loss once more without a gradient tensor. */
    public static OpCase softmaxCrossEntropy(Shape s) {
        return OpCase.of("softmax_cross_entropy", s.toString(), Tolerances.DEFAULT,
                r -> crossEntropy(r, r.gaussian("logits", s, 3.0), r.labels("labels", s.dim(0), s.dim(1))));
    }

    private static void crossEntropy(Run r, Tensor logits, int[] labels) {
        Backend b = r.backend();
        Tensor d = r.output(logits.shape());
        r.scalar("loss", b.losses().softmaxCrossEntropy(logits, labels, d));
        r.backward("dlogits", d);
        r.scalar("loss without a gradient", b.losses().softmaxCrossEntropy(logits, labels, null));
    }

    /** Binary cross-entropy on logits against targets in [0, 1], including exact 0 and 1. */
    public static OpCase sigmoidCrossEntropy(Shape s) {
        return OpCase.of("sigmoid_cross_entropy", s.toString(), Tolerances.DEFAULT,
                r -> sigmoidCrossEntropy(r, r.gaussian("logits", s, 3.0), r.input("targets", s, (data, n) -> {
                    float[] t = data.uniform(n, 0, 1);
                    t[0] = 0;
                    if (n > 1) {
                        t[1] = 1;
                    }
                    return t;
                })));
    }

    private static void sigmoidCrossEntropy(Run r, Tensor logits, Tensor targets) {
        Backend b = r.backend();
        Tensor d = r.output(logits.shape());
        r.scalar("loss", b.losses().sigmoidCrossEntropy(logits, targets, d));
        r.backward("dlogits", d);
        r.scalar("loss without a gradient", b.losses().sigmoidCrossEntropy(logits, targets, null));
    }

    /** The mean of (p − t)² and its gradient. */
    public static OpCase meanSquaredError(Shape s) {
        return OpCase.of("mean_squared_error", s.toString(), Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            Tensor p = r.gaussian("predictions", s, 2.0);
            Tensor t = r.gaussian("targets", s, 2.0);
            Tensor d = r.output(s);
            r.scalar("loss", b.losses().meanSquaredError(p, t, d));
            r.backward("dpredictions", d);
            r.scalar("loss without a gradient", b.losses().meanSquaredError(p, t, null));
        });
    }
}
