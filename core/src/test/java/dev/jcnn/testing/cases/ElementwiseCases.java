package dev.jcnn.testing.cases;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table's elementwise and channel ops: add, scale, fill and copy, zero padding and its
 * gradient, multiply, a bias per channel, concatenation along the channels and its split;
 * each also with its output written over an input where the op allows it.
 */
public final class ElementwiseCases {

    /** Paddings of zeroPad; the conformance suite also checks their gradients by finite differences. */
    public static final List<Padding2D> PADDINGS = List.of(Padding2D.of(1), Padding2D.of(2, 0), new Padding2D(0, 1, 0, 1),
            new Padding2D(3, 1, 2, 0), Padding2D.NONE);

    /** Parts stacked along axis 1: images, flat features, single channels; also checked by finite differences. */
    public static final List<List<Shape>> STACKS = List.of(
            List.of(Shape.of(2, 3, 4, 5), Shape.of(2, 1, 4, 5), Shape.of(2, 2, 4, 5)),
            List.of(Shape.of(3, 4), Shape.of(3, 2)),
            List.of(Shape.of(1, 1, 1, 1), Shape.of(1, 2, 1, 1)),
            List.of(Shape.of(2, 8, 3, 3), Shape.of(2, 8, 3, 3)));

    private static final List<Shape> CHANNEL_SHAPES = List.of(Shape.of(2, 3, 4, 5), Shape.of(3, 7), Shape.of(1, 1, 1, 1),
            Shape.of(4, 2, 1, 3));

    private ElementwiseCases() {
    }

    static void addTo(List<OpCase> table) {
        for (Shape s : List.of(Shape.of(3, 2, 4), Shape.of(3, 4, 5, 6))) {
            table.add(add(s));
        }
        for (float factor : new float[] {0.5f, -3f, 0f}) {
            table.add(scale(factor, Shape.of(2, 5)));
        }
        for (float factor : new float[] {-0.37f, 3f}) {
            table.add(scale(factor, Shape.of(3, 4, 5, 6)));
        }
        table.add(fillAndCopy(Shape.of(3, 4, 5, 6), Shape.of(12, 30)));
        PADDINGS.forEach(p -> table.add(zeroPad(Shape.of(2, 3, 4, 5), p)));
        for (Padding2D p : List.of(Padding2D.of(1), new Padding2D(0, 1, 2, 0), Padding2D.of(3, 0))) {
            table.add(zeroPad(Shape.of(3, 4, 5, 6), p));
        }
        List<Shape> shapes = new ArrayList<>(CHANNEL_SHAPES);
        shapes.addAll(List.of(Shape.of(3, 4, 5, 6), Shape.of(33, 84), Shape.of(1, 1)));
        shapes.forEach(s -> table.add(multiply(s)));
        shapes = new ArrayList<>(CHANNEL_SHAPES);
        shapes.addAll(List.of(Shape.of(33, 84), Shape.of(2, 64, 7, 7)));
        shapes.forEach(s -> table.add(addBias(s)));
        List<List<Shape>> stacks = new ArrayList<>(STACKS);
        stacks.addAll(List.of(List.of(Shape.of(33, 10), Shape.of(33, 6)),
                List.of(Shape.of(1, 16, 8, 8), Shape.of(1, 16, 8, 8), Shape.of(1, 32, 8, 8)),
                List.of(Shape.of(5, 1, 7, 9), Shape.of(5, 1, 7, 9)), List.of(Shape.of(3, 2, 3, 3))));
        stacks.forEach(parts -> table.add(concatChannels(parts)));
    }

    static void addGolden(Map<String, GoldenOp> golden) {
        golden.put("concat", new GoldenOp("concat", Set.of("parts"), g -> {
            List<Shape> parts = new ArrayList<>();
            for (int i = 0; i < g.intParam("parts"); i++) {
                parts.add(g.inputShape("x" + i));
            }
            return concatChannels(parts);
        }));
    }

    /** a + b into a third tensor, into a, then into b. */
    public static OpCase add(Shape s) {
        return OpCase.of("add", "out distinct, out = a, out = b on " + s, Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            Tensor x = r.gaussian("a", s, 1.0);
            Tensor y = r.gaussian("b", s, 1.0);
            Tensor out = r.output(s);
            b.elementwise().add(x, y, out);
            r.forward("a + b", out);
            b.elementwise().add(x, y, x);
            r.forward("a += b", x);
            b.elementwise().add(x, y, y);
            r.forward("b += a", y);
        });
    }

    /** a·factor into another tensor and into a. */
    public static OpCase scale(float factor, Shape s) {
        return OpCase.of("scale", "by " + factor + " on " + s, Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            Tensor a = r.gaussian("a", s, 1.0);
            Tensor out = r.output(s);
            b.elementwise().scale(a, factor, out);
            r.forward("a * factor", out);
            b.elementwise().scale(a, factor, a);
            r.forward("a *= factor", a);
        });
    }

    /** fill, and copy into a tensor of another shape with as many elements. */
    public static OpCase fillAndCopy(Shape s, Shape reshaped) {
        return OpCase.of("fill_copy", s + " to " + reshaped, Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            Tensor f = r.output(s);
            b.elementwise().fill(f, 2.5f);
            r.forward("filled", f);
            Tensor dst = r.output(reshaped);
            b.elementwise().copy(r.gaussian("src", s, 1.0), dst);
            r.forward("copied", dst);
        });
    }

    /** y = x padded with zeros, and dx = the inner part of dy. */
    public static OpCase zeroPad(Shape xs, Padding2D p) {
        Shape ys = Shape.of(xs.dim(0), xs.dim(1), xs.dim(2) + p.top() + p.bottom(), xs.dim(3) + p.left() + p.right());
        return OpCase.of("zero_pad", xs + " padding " + ConvConfig.padding(p), Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            Tensor x = r.gaussian("x", xs, 1.0);
            Tensor y = r.output(ys);
            b.elementwise().zeroPad(x, p, y);
            r.forward("y", y);
            Tensor dy = r.gaussian("dy", ys, 1.0);
            Tensor dx = r.output(xs);
            b.elementwise().zeroPadBackward(dy, p, dx);
            r.backward("dx", dx);
        });
    }

    /** a·b elementwise into a third tensor, into a, then into b. */
    public static OpCase multiply(Shape s) {
        return OpCase.of("multiply", "out distinct, out = a, out = b on " + s, Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            Tensor x = r.gaussian("a", s, 1.0);
            Tensor y = r.uniform("b", s, -2.0, 2.0);
            Tensor out = r.output(s);
            b.elementwise().multiply(x, y, out);
            r.forward("a * b", out);
            b.elementwise().multiply(x, y, x);
            r.forward("a *= b", x);
            b.elementwise().multiply(x, y, y);
            r.forward("b *= a", y);
        });
    }

    /** y = x + b[c] per channel (axis 1), into another tensor and into x. */
    public static OpCase addBias(Shape s) {
        return OpCase.of("add_bias", s.toString(), Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            Tensor x = r.gaussian("x", s, 1.0);
            Tensor bias = r.gaussian("b", Shape.of(s.dim(1)), 1.0);
            Tensor y = r.output(s);
            b.channels().addBias(x, bias, y);
            r.forward("y", y);
            b.channels().addBias(x, bias, x);
            r.forward("y = x", x);
        });
    }

    /** The parts stacked along axis 1, and dy split back into them. */
    public static OpCase concatChannels(List<Shape> parts) {
        int[] dims = parts.get(0).dims();
        dims[1] = parts.stream().mapToInt(p -> p.dim(1)).sum();
        Shape ys = Shape.of(dims);
        return OpCase.of("concat_channels", parts.toString(), Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            List<Tensor> xs = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                xs.add(r.gaussian("x" + i, parts.get(i), 1.0));
            }
            Tensor y = r.output(ys);
            b.channels().concat(xs, y);
            r.forward("y", y);
            Tensor dy = r.gaussian("dy", ys, 1.0);
            List<Tensor> dxs = new ArrayList<>();
            for (Shape p : parts) {
                dxs.add(r.output(p));
            }
            b.channels().split(dy, dxs);
            for (int i = 0; i < dxs.size(); i++) {
                r.backward("dx" + i, dxs.get(i));
            }
        });
    }
}
