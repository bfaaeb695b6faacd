package dev.jcnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.golden.GoldenCase;
import dev.jcnn.golden.GoldenCases;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.TensorScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The PyTorch golden cases of the losses (scripts/make_golden_losses.py, and make_golden.py's
 * plain cross-entropy) once more, through the training losses rather than the backend ops
 * (dev.jcnn.golden runs those): this checks what the losses add, the options handed to the op,
 * the (N, 1, H, W) class map read as labels, and the choice of op for each form.
 */
class LossGoldenTest {

    static final Set<String> OPS = Set.of("cross_entropy", "dice", "binary_dice");

    @TestFactory
    Stream<DynamicTest> goldenCasesThroughTheLosses() {
        List<GoldenCase> cases = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (GoldenCases.CaseFile f : GoldenCases.all()) {
            GoldenCase c = f.parse();
            if (OPS.contains(c.op())) {
                cases.add(c);
                seen.add(c.op() + (c.inputShape("logits").rank() > 2 ? " per position" : ""));
            }
        }
        assertEquals(new TreeSet<>(Set.of("cross_entropy", "cross_entropy per position", "dice per position",
                "binary_dice per position")), seen, "golden cases of every form");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.file(), () -> {
            try (CpuBackend cpu = new CpuBackend(BackendOptions.exact()); TensorScope scope = new TensorScope(cpu)) {
                run(c, scope);
            }
        }));
    }

    private static void run(GoldenCase c, TensorScope s) {
        Shape shape = c.inputShape("logits");
        Tensor logits = s.upload(shape, c.input("logits").floats());
        Tensor grad = s.zeros(shape);
        float loss;
        if (c.op().equals("binary_dice")) {
            loss = DiceLoss.binary(c.doubleParam("eps")).compute(s.backend(), logits,
                    s.upload(shape, c.input("targets").floats()), grad);
        } else if (c.op().equals("dice")) {
            loss = DiceLoss.multiClass(c.doubleParam("eps")).compute(s.backend(), logits, classMap(c, s), grad);
        } else if (shape.rank() == 2) {
            SparseCategoricalCrossEntropy sparse = new SparseCategoricalCrossEntropy()
                    .withLabelSmoothing((float) c.doubleParam("smoothing", 0));
            if (c.booleanParam("weighted", false)) {
                sparse = sparse.withClassWeights(c.input("weights").floats());
            }
            loss = sparse.compute(s.backend(), logits, c.input("labels").ints(c.file()), grad);
        } else {
            PixelwiseCrossEntropy pixel = new PixelwiseCrossEntropy()
                    .withLabelSmoothing((float) c.doubleParam("smoothing", 0));
            if (c.booleanParam("weighted", false)) {
                pixel = pixel.withClassWeights(c.input("weights").floats());
            }
            if (c.hasParam("ignore_index")) {
                pixel = pixel.withIgnoreIndex(c.intParam("ignore_index"));
            }
            loss = pixel.compute(s.backend(), logits, classMap(c, s), grad);
        }
        AllClose.assertClose(c.file() + " loss", Shape.of(1), new float[] {loss}, c.outputs().get("loss").data(),
                c.tolerance());
        AllClose.assertClose(c.file() + " dlogits", shape, grad.toArray(), c.outputs().get("dlogits").data(),
                c.tolerance());
    }

    /** The case's labels as the (N, 1, H, W) class map a segmentation data set gives the trainer. */
    private static Tensor classMap(GoldenCase c, TensorScope s) {
        int[] dims = c.inputShape("logits").dims().clone();
        dims[1] = 1;
        return s.upload(Shape.of(dims), c.input("labels").floats());
    }
}
