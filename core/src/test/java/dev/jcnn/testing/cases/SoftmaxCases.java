package dev.jcnn.testing.cases;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The table's softmax and log-softmax over axis 1, per sample and per pixel, and of logits in the thousands. */
public final class SoftmaxCases {

    /** Per sample, per pixel, one class; the conformance suite also checks these by finite differences. */
    public static final List<Shape> SMALL_SHAPES = List.of(Shape.of(3, 10), Shape.of(5, 2), Shape.of(1, 1),
            Shape.of(2, 4, 3, 5), Shape.of(1, 7, 1, 1));

    /** Logits that overflow exp unless shifted by the maximum. */
    static final float[] LARGE_LOGITS = {1000, 999, -1000, 0, -5000, -5001, -5002, -4999};

    private SoftmaxCases() {
    }

    static void addTo(List<OpCase> table) {
        for (boolean log : new boolean[] {false, true}) {
            for (List<Shape> shapes : List.of(SMALL_SHAPES, List.of(Shape.of(33, 100), Shape.of(2, 5, 3, 4)))) {
                shapes.forEach(s -> table.add(softmax(log, s)));
            }
            table.add(largeLogits(log));
        }
    }

    static void addGolden(Map<String, GoldenOp> golden) {
        golden.put("softmax", new GoldenOp("softmax", Set.of(), g -> softmax(false, g.inputShape("x"))));
        golden.put("log_softmax", new GoldenOp("log_softmax", Set.of(), g -> softmax(true, g.inputShape("x"))));
    }

    /** y and dx; the backward pass takes y, as the layer keeps it. */
    public static OpCase softmax(boolean log, Shape s) {
        return OpCase.of(op(log), s.toString(), Tolerances.DEFAULT, r -> run(r, log, s, r.gaussian("x", s, 3.0)));
    }

    /** Logits in the thousands: no overflow, no NaN. */
    public static OpCase largeLogits(boolean log) {
        Shape s = Shape.of(2, 4);
        return OpCase.of(op(log), "of large logits " + s, Tolerances.DEFAULT,
                r -> run(r, log, s, r.given("x", s, LARGE_LOGITS)));
    }

    private static void run(Run r, boolean log, Shape s, Tensor x) {
        Backend b = r.backend();
        Tensor y = r.output(s);
        b.softmax().forward(x, log, y);
        r.forward("y", y);
        Tensor dy = r.gaussian("dy", s, 1.0);
        Tensor dx = r.output(s);
        b.softmax().backward(y, dy, log, dx);
        r.backward("dx", dx);
    }

    private static String op(boolean log) {
        return log ? "log_softmax" : "softmax";
    }
}
