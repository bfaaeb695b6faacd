package dev.jcnn.testing.cases;

import static dev.jcnn.backend.ActivationKind.GELU;
import static dev.jcnn.backend.ActivationKind.GELU_TANH;
import static dev.jcnn.backend.ActivationKind.HARD_SIGMOID;
import static dev.jcnn.backend.ActivationKind.HARD_SWISH;
import static dev.jcnn.backend.ActivationKind.RELU6;
import static dev.jcnn.backend.ActivationKind.SILU;
import static dev.jcnn.testing.cases.OpTable.CUDA;
import static dev.jcnn.testing.cases.OpTable.GRADIENTS;
import static dev.jcnn.testing.cases.OpTable.GRADIENTS_REASON;

import dev.jcnn.backend.ActivationKind;
import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tolerance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The table's activations: every kind forward, backward and in place on images, features and
 * a single row, at extreme inputs, and PReLU with its per-channel alpha. A new kind is one
 * line of {@link #KINDS}: its conformance cases, parity rows, golden op and gradient checks
 * all follow from it.
 */
public final class ActivationCases {

    /**
     * One activation kind as the table runs it.
     *
     * @param golden     its name in PyTorch's golden cases (e.g. "leaky_relu")
     * @param params     the golden parameters it reads
     * @param fromGolden its spec from a golden case's parameters
     * @param kinks      where its derivative (or second derivative) jumps, where finite differences lose accuracy
     * @param specs      the specs the table runs
     */
    public record Kind(String golden, Set<String> params, Function<GoldenParams, ActivationSpec> fromGolden,
                       List<Double> kinks, List<ActivationSpec> specs) {
    }

    private static final List<Double> KINK = List.of(0.0);
    private static final List<Double> SMOOTH = List.of();

    /** Every activation kind. */
    public static final List<Kind> KINDS = List.of(
            new Kind("identity", Set.of(), g -> ActivationSpec.LINEAR, SMOOTH, List.of(ActivationSpec.LINEAR)),
            new Kind("relu", Set.of(), g -> ActivationSpec.RELU, KINK, List.of(ActivationSpec.RELU)),
            new Kind("leaky_relu", Set.of("negative_slope"), g -> ActivationSpec.leakyRelu((float) g.doubleParam(
                    "negative_slope", 0.01)), KINK, List.of(ActivationSpec.leakyRelu(0.01f), ActivationSpec.leakyRelu(0.2f))),
            new Kind("elu", Set.of("alpha"), g -> ActivationSpec.elu((float) g.doubleParam("alpha", 1.0)), KINK,
                    List.of(ActivationSpec.elu(1.0f), ActivationSpec.elu(0.5f))),
            new Kind("tanh", Set.of(), g -> ActivationSpec.TANH, SMOOTH, List.of(ActivationSpec.TANH)),
            new Kind("sigmoid", Set.of(), g -> ActivationSpec.SIGMOID, SMOOTH, List.of(ActivationSpec.SIGMOID)),
            new Kind("gelu", Set.of("approximate"), g -> plain(g.choiceParam("approximate", "none", "none", "tanh")
                    .equals("tanh") ? GELU_TANH : GELU), SMOOTH, List.of(plain(GELU), plain(GELU_TANH))),
            new Kind("silu", Set.of(), g -> plain(SILU), SMOOTH, List.of(plain(SILU))),
            new Kind("relu6", Set.of(), g -> plain(RELU6), List.of(0.0, 6.0), List.of(plain(RELU6))),
            new Kind("hardsigmoid", Set.of(), g -> plain(HARD_SIGMOID), List.of(-3.0, 3.0), List.of(plain(HARD_SIGMOID))),
            new Kind("hardswish", Set.of(), g -> plain(HARD_SWISH), List.of(-3.0, 3.0), List.of(plain(HARD_SWISH))));

    /** Images, features, a single row; the conformance suite also checks these by finite differences. */
    public static final List<Shape> SMALL_SHAPES = List.of(Shape.of(2, 3, 4, 5), Shape.of(3, 10), Shape.of(1, 1, 1, 7));

    /** PReLU's inputs: images, features, a single image, alpha of 3 to 6 channels. */
    public static final List<Shape> PRELU_SHAPES = List.of(Shape.of(2, 3, 4, 5), Shape.of(4, 6), Shape.of(1, 5, 3, 2));

    /** Inputs that saturate every kind (no overflow in exp, no 0·∞), and the hard kinds' kinks. */
    static final float[] EXTREME = {-100, -30, -1e-3f, 0, 1e-3f, 30, 100, -1e30f, 1e30f, -3, 3, 6};

    private static final Tolerances PRELU = Tolerances.DEFAULT.on(CUDA, Tolerance.DEFAULT, GRADIENTS, GRADIENTS_REASON);

    private ActivationCases() {
    }

    /** The spec of a kind without a parameter. */
    private static ActivationSpec plain(ActivationKind kind) {
        return new ActivationSpec(kind, 0f);
    }

    /** Every spec of every kind, in order. */
    public static List<ActivationSpec> specs() {
        List<ActivationSpec> all = new ArrayList<>();
        KINDS.forEach(k -> all.addAll(k.specs()));
        return all;
    }

    /** The kind a spec belongs to. */
    public static Kind kindOf(ActivationSpec f) {
        return KINDS.stream().filter(k -> k.specs().stream().anyMatch(s -> s.kind() == f.kind())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(f + " belongs to no kind of the table"));
    }

    static void addTo(List<OpCase> table) {
        List<Shape> shapes = new ArrayList<>(SMALL_SHAPES);
        shapes.add(Shape.of(33, 84));
        for (ActivationSpec f : specs()) {
            for (Shape s : shapes) {
                table.add(activation(f, s));
            }
            table.add(atExtremeInputs(f));
        }
        List<Shape> prelu = new ArrayList<>(PRELU_SHAPES);
        prelu.addAll(List.of(Shape.of(8, 10), Shape.of(33, 6, 7, 9)));
        prelu.forEach(s -> table.add(prelu(s)));
    }

    static void addGolden(Map<String, GoldenOp> golden) {
        for (Kind k : KINDS) {
            golden.put(k.golden(), new GoldenOp(k.golden(), k.params(),
                    g -> activation(k.fromGolden().apply(g), g.inputShape("x"))));
        }
        golden.put("prelu", new GoldenOp("prelu", Set.of("channels"), g -> prelu(g.inputShape("x"))));
    }

    /** y, dx, and y computed over x itself. */
    public static OpCase activation(ActivationSpec f, Shape s) {
        return OpCase.of("activation", describe(f) + " " + s, Tolerances.DEFAULT,
                r -> run(r, f, r.gaussian("x", s, 2.0), s, () -> r.gaussian("dy", s, 1.0)));
    }

    /** The same at inputs from −1e30 to 1e30. */
    public static OpCase atExtremeInputs(ActivationSpec f) {
        Shape s = Shape.of(1, EXTREME.length);
        float[] dy = new float[EXTREME.length];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = i % 2 == 0 ? 1 : -1;
        }
        return OpCase.of("activation", describe(f) + " at extreme inputs", Tolerances.DEFAULT,
                r -> run(r, f, r.given("x", s, EXTREME), s, () -> r.given("dy", s, dy)));
    }

    private static void run(Run r, ActivationSpec f, Tensor x, Shape s, Supplier<Tensor> upstream) {
        Backend b = r.backend();
        Tensor y = r.output(s);
        b.activations().forward(f, x, y);
        r.forward("y", y);
        Tensor dy = upstream.get();
        Tensor dx = r.output(s);
        b.activations().backward(f, x, y, dy, dx);
        r.backward("dx", dx);
        Tensor inPlace = r.zeros(s);
        b.elementwise().copy(x, inPlace);
        b.activations().forward(f, inPlace, inPlace);
        r.forward("y written over x", inPlace);
    }

    /** y, dx and dalpha (twice: it must overwrite) with one alpha per channel, some negative. */
    public static OpCase prelu(Shape s) {
        Shape cs = Shape.of(s.dim(1));
        return OpCase.of("prelu", s.toString(), PRELU, r -> {
            Backend b = r.backend();
            Tensor x = r.gaussian("x", s, 2.0);
            Tensor alpha = r.uniform("alpha", cs, -0.2, 0.5);
            Tensor y = r.output(s);
            b.activations().preluForward(x, alpha, y);
            r.forward("y", y);
            Tensor dy = r.gaussian("dy", s, 1.0);
            Tensor dx = r.output(s);
            Tensor dalpha = r.output(cs);
            b.activations().preluBackward(x, alpha, dy, dx, dalpha);
            r.backward("dx", dx);
            r.backward("dalpha", dalpha);
            b.activations().preluBackward(x, alpha, dy, dx, dalpha);
            r.backward("dalpha after a second call", dalpha);
        });
    }

    /** E.g. "relu" or "leaky_relu alpha 0.2". */
    public static String describe(ActivationSpec f) {
        return f.kind().name().toLowerCase(Locale.ROOT) + (f.alpha() != 0 ? " alpha " + f.alpha() : "");
    }
}
