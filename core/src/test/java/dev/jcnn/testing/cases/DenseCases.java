package dev.jcnn.testing.cases;

import static dev.jcnn.testing.cases.OpTable.SUMS;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table's fully connected layers, for (N, in) inputs and for images flattened per sample,
 * from one value to LeNet's sizes at batch 64 and tiles of the CPU's kernels in every direction.
 */
public final class DenseCases {

    /** Small and flattened inputs; the conformance suite also checks their gradients by finite differences. */
    public static final List<DenseConfig> SMALL = List.of(DenseConfig.of(Shape.of(1, 1), 1),
            DenseConfig.of(Shape.of(3, 7), 5), DenseConfig.of(Shape.of(5, 13), 2), DenseConfig.of(Shape.of(4, 400), 120),
            DenseConfig.of(Shape.of(2, 3, 4, 5), 6), DenseConfig.of(Shape.of(3, 16, 1, 1), 10));

    /**
     * LeNet's layers at batch 33 and 64, sizes below, at and across a tile of the CPU's kernels
     * in every direction, a long dot product.
     */
    static final List<DenseConfig> LARGE = List.of(DenseConfig.of(Shape.of(33, 120), 84),
            DenseConfig.of(Shape.of(2, 3, 4, 5), 10), DenseConfig.of(Shape.of(8, 84), 10),
            DenseConfig.of(Shape.of(17, 1000), 3), DenseConfig.of(Shape.of(64, 400), 120),
            DenseConfig.of(Shape.of(64, 120), 84), DenseConfig.of(Shape.of(64, 84), 10), DenseConfig.of(Shape.of(17, 33), 65),
            DenseConfig.of(Shape.of(8, 16), 32), DenseConfig.of(Shape.of(9, 1), 20), DenseConfig.of(Shape.of(2, 50), 3),
            DenseConfig.of(Shape.of(5, 64), 16), DenseConfig.of(Shape.of(33, 3), 47));

    private DenseCases() {
    }

    static void addTo(List<OpCase> table) {
        SMALL.forEach(c -> table.add(dense(c)));
        LARGE.forEach(c -> table.add(dense(c)));
    }

    static void addGolden(Map<String, GoldenOp> golden) {
        golden.put("dense", new GoldenOp("dense", Set.of("in_features", "out_features"),
                g -> dense(DenseConfig.of(g.inputShape("x"), g.inputShape("w").dim(0)))));
    }

    /** y = x·wᵀ + b and without b, dx, dw (twice: it must overwrite, not accumulate), db. */
    public static OpCase dense(DenseConfig cfg) {
        return OpCase.of("dense", cfg.toString(), SUMS, r -> {
            Backend b = r.backend();
            Tensor x = r.gaussian("x", cfg.x(), 1.0);
            Tensor w = r.gaussian("w", cfg.weightShape(), 1.0 / Math.sqrt(cfg.in()));
            Tensor bias = r.gaussian("b", Shape.of(cfg.out()), 0.5);
            Tensor y = r.output(cfg.outputShape());
            b.dense().forward(x, w, bias, y);
            r.forward("y", y);
            Tensor y0 = r.output(cfg.outputShape());
            b.dense().forward(x, w, null, y0);
            r.forward("y without bias", y0);
            Tensor dy = r.gaussian("dy", cfg.outputShape(), 1.0);
            Tensor dx = r.output(cfg.x());
            b.dense().backwardData(dy, w, dx);
            r.backward("dx", dx);
            Tensor dw = r.output(cfg.weightShape());
            b.dense().backwardWeights(x, dy, dw);
            r.backward("dw", dw);
            b.dense().backwardWeights(x, dy, dw);
            r.backward("dw after a second call", dw);
            Tensor db = r.output(Shape.of(cfg.out()));
            b.convolution().biasBackward(dy, db);
            r.backward("db", db);
        });
    }
}
