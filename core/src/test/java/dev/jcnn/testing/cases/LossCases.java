package dev.jcnn.testing.cases;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.CrossEntropySpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.TestData;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table's losses: softmax cross-entropy with class labels, over (N, C) and per position
 * of (N, C, H, W) with label smoothing, class weights and an ignored label; soft Dice on
 * softmax and on sigmoid probabilities; binary cross-entropy on logits and mean squared
 * error; each with and without its gradient, and at logits that overflow exp unless handled.
 */
public final class LossCases {

    /** (N, classes) of softmax cross-entropy; the conformance suite also checks these by finite differences. */
    public static final List<Shape> LOGIT_SHAPES = List.of(Shape.of(1, 2), Shape.of(8, 10), Shape.of(5, 3), Shape.of(3, 1));

    /** Shapes of the elementwise losses; the conformance suite also checks these by finite differences. */
    public static final List<Shape> ELEMENT_SHAPES = List.of(Shape.of(4, 3), Shape.of(2, 1, 5, 5), Shape.of(1, 1));

    /** (N, C, H, W) of the per-position cross-entropy and Dice; the conformance suite also checks these by finite differences. */
    public static final List<Shape> MAP_SHAPES = List.of(Shape.of(2, 3, 4, 5), Shape.of(1, 4, 3, 3), Shape.of(3, 2, 1, 7));

    /**
     * Cross-entropy options: label smoothing, whether the case draws class weights (in [0.2, 3)),
     * and the ignored label (null for none; 0 is a class, 255 and −100 are not).
     */
    public record Options(float smoothing, boolean weighted, Integer ignore) {
        @Override
        public String toString() {
            String s = (smoothing != 0f ? " smoothing " + smoothing : "") + (weighted ? " weighted" : "")
                    + (ignore != null ? " ignore " + ignore : "");
            return s.isEmpty() ? "" : s.substring(1);
        }
    }

    /** The options every map shape runs with; the conformance suite checks their gradients too. */
    public static final List<Options> OPTIONS = List.of(new Options(0f, false, null), new Options(0.1f, false, null),
            new Options(0f, true, null), new Options(0.2f, true, null), new Options(0f, false, 255),
            new Options(0.25f, true, -100), new Options(0f, true, 0));

    /** Dice's ε: a large one and one that leaves the ratio almost bare. */
    public static final List<Double> DICE_EPSILONS = List.of(1.0, 1e-6);

    private LossCases() {
    }

    static void addTo(List<OpCase> table) {
        LOGIT_SHAPES.forEach(s -> table.add(softmaxCrossEntropy(s)));
        for (Shape s : List.of(Shape.of(33, 10), Shape.of(1, 1000), Shape.of(300, 7))) {
            table.add(softmaxCrossEntropy(s));
        }
        table.add(OpCase.of("softmax_cross_entropy", "of large logits (2, 3)", Tolerances.DEFAULT,
                r -> crossEntropy(r, r.given("logits", Shape.of(2, 3), 1000, -1000, 0, 500, 501, 499), new int[] {1, 2})));
        for (Shape s : MAP_SHAPES) {
            OPTIONS.forEach(o -> table.add(softmaxCrossEntropy(s, o)));
        }
        table.add(softmaxCrossEntropy(Shape.of(5, 3), new Options(0.1f, true, null)));
        table.add(softmaxCrossEntropy(Shape.of(8, 10), new Options(0f, false, 7)));
        // several blocks of positions on the GPU, and many classes
        table.add(softmaxCrossEntropy(Shape.of(4, 5, 16, 16), new Options(0f, false, null)));
        table.add(softmaxCrossEntropy(Shape.of(2, 21, 33, 33), new Options(0.1f, true, 255)));
        table.add(OpCase.of("softmax_cross_entropy", "of large logits (1, 3, 1, 2) smoothing 0.3 weighted",
                Tolerances.DEFAULT, r -> crossEntropy(r, r.given("logits", Shape.of(1, 3, 1, 2), 1000, -1000, 0, 500, 501, 499),
                        new int[] {1, 2}, CrossEntropySpec.PLAIN.withLabelSmoothing(0.3f).withClassWeights(1f, 2f, 0.5f))));
        for (Shape s : MAP_SHAPES) {
            DICE_EPSILONS.forEach(e -> table.add(softmaxDice(s, e)));
        }
        table.add(softmaxDice(Shape.of(6, 4), 1.0));
        table.add(softmaxDice(Shape.of(4, 5, 16, 16), 1.0));
        table.add(softmaxDice(Shape.of(2, 21, 33, 33), 1e-6));
        table.add(OpCase.of("softmax_dice", "of large logits (1, 3, 1, 2) eps 1.0", Tolerances.DEFAULT,
                r -> dice(r, r.given("logits", Shape.of(1, 3, 1, 2), 1000, -1000, 0, 500, 501, 499), new int[] {1, 2}, 1.0)));
        List<Shape> elements = new java.util.ArrayList<>(ELEMENT_SHAPES);
        elements.addAll(List.of(Shape.of(2, 1, 8, 8), Shape.of(16, 3), Shape.of(5, 2, 33, 33)));
        elements.forEach(s -> table.add(sigmoidCrossEntropy(s)));
        Shape five = Shape.of(1, 5);
        table.add(OpCase.of("sigmoid_cross_entropy", "of large logits " + five, Tolerances.DEFAULT,
                r -> sigmoidCrossEntropy(r, r.given("logits", five, 100, -100, 100, -100, 0),
                        r.given("targets", five, 1, 0, 0, 1, 0.5f))));
        elements.forEach(s -> table.add(meanSquaredError(s)));
        for (Shape s : elements) {
            DICE_EPSILONS.forEach(e -> table.add(sigmoidDice(s, e)));
        }
        table.add(OpCase.of("sigmoid_dice", "of large logits " + five + " eps 1.0", Tolerances.DEFAULT,
                r -> sigmoidDice(r, r.given("logits", five, 100, -100, 100, -100, 0), r.given("targets", five, 1, 0, 0, 1, 0.5f),
                        1.0)));
    }

    static void addGolden(Map<String, GoldenOp> golden) {
        golden.put("cross_entropy", new GoldenOp("cross_entropy", Set.of("classes", "smoothing", "weighted",
                "ignore_index"), g -> softmaxCrossEntropy(g.inputShape("logits"), new Options(
                        (float) g.doubleParam("smoothing", 0), g.booleanParam("weighted", false),
                        g.hasParam("ignore_index") ? g.intParam("ignore_index") : null))));
        golden.put("dice", new GoldenOp("dice", Set.of("eps"), g -> softmaxDice(g.inputShape("logits"),
                g.doubleParam("eps"))));
        golden.put("binary_dice", new GoldenOp("binary_dice", Set.of("eps"), g -> sigmoidDice(g.inputShape("logits"),
                g.doubleParam("eps"))));
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

    /**
     * Cross-entropy over axis 1 of logits (N, C) or (N, C, H, W) with the options; the plain
     * options run the three-argument op. Labels are drawn in [0, C), or [0, C] with C standing
     * for the ignored label; class weights are the input "weights".
     */
    public static OpCase softmaxCrossEntropy(Shape s, Options o) {
        if (o.equals(new Options(0f, false, null))) {
            return s.rank() == 2 ? softmaxCrossEntropy(s) : OpCase.of("softmax_cross_entropy", s.toString(), Tolerances.DEFAULT,
                    r -> crossEntropy(r, r.gaussian("logits", s, 3.0), r.labels("labels", s.size() / s.dim(1), s.dim(1)),
                            CrossEntropySpec.PLAIN));
        }
        return OpCase.of("softmax_cross_entropy", s + " " + o, Tolerances.DEFAULT, r -> {
            int classes = s.dim(1);
            Tensor logits = r.gaussian("logits", s, 3.0);
            int[] labels = r.labels("labels", s.size() / classes, o.ignore() == null ? classes : classes + 1);
            CrossEntropySpec spec = CrossEntropySpec.PLAIN.withLabelSmoothing(o.smoothing());
            if (o.ignore() != null) {
                spec = spec.withIgnoreIndex(o.ignore());
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = labels[i] == classes ? o.ignore() : labels[i];
                }
            }
            if (o.weighted()) {
                spec = spec.withClassWeights(r.values("weights", Shape.of(classes), (data, n) -> data.uniform(n, 0.2, 3)));
            }
            crossEntropy(r, logits, labels, spec);
        });
    }

    private static void crossEntropy(Run r, Tensor logits, int[] labels, CrossEntropySpec spec) {
        Backend b = r.backend();
        Tensor d = r.output(logits.shape());
        r.scalar("loss", b.losses().softmaxCrossEntropy(logits, labels, spec, d));
        r.backward("dlogits", d);
        r.scalar("loss without a gradient", b.losses().softmaxCrossEntropy(logits, labels, spec, null));
    }

    /** Multi-class soft Dice of logits (N, C, ...) against drawn class labels, one per sample and position. */
    public static OpCase softmaxDice(Shape s, double epsilon) {
        return OpCase.of("softmax_dice", s + " eps " + epsilon, Tolerances.DEFAULT,
                r -> dice(r, r.gaussian("logits", s, 3.0), r.labels("labels", s.size() / s.dim(1), s.dim(1)), epsilon));
    }

    private static void dice(Run r, Tensor logits, int[] labels, double epsilon) {
        Backend b = r.backend();
        Tensor d = r.output(logits.shape());
        r.scalar("loss", b.losses().softmaxDice(logits, labels, epsilon, d));
        r.backward("dlogits", d);
        r.scalar("loss without a gradient", b.losses().softmaxDice(logits, labels, epsilon, null));
    }

    /** Binary soft Dice on logits against targets in [0, 1], including exact 0 and 1. */
    public static OpCase sigmoidDice(Shape s, double epsilon) {
        return OpCase.of("sigmoid_dice", s + " eps " + epsilon, Tolerances.DEFAULT,
                r -> sigmoidDice(r, r.gaussian("logits", s, 3.0), r.input("targets", s, LossCases::unitTargets), epsilon));
    }

    private static void sigmoidDice(Run r, Tensor logits, Tensor targets, double epsilon) {
        Backend b = r.backend();
        Tensor d = r.output(logits.shape());
        r.scalar("loss", b.losses().sigmoidDice(logits, targets, epsilon, d));
        r.backward("dlogits", d);
        r.scalar("loss without a gradient", b.losses().sigmoidDice(logits, targets, epsilon, null));
    }

    /** Uniform targets in [0, 1) with an exact 0 and 1 first. */
    private static float[] unitTargets(TestData data, int n) {
        float[] t = data.uniform(n, 0, 1);
        t[0] = 0;
        if (n > 1) {
            t[1] = 1;
        }
        return t;
    }

    /** Binary cross-entropy on logits against targets in [0, 1], including exact 0 and 1. */
    public static OpCase sigmoidCrossEntropy(Shape s) {
        return OpCase.of("sigmoid_cross_entropy", s.toString(), Tolerances.DEFAULT,
                r -> sigmoidCrossEntropy(r, r.gaussian("logits", s, 3.0), r.input("targets", s, LossCases::unitTargets)));
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
