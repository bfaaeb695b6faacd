package dev.jcnn.testing.cases;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.Tensor;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The table's upsampling, nearest and bilinear, over square, rectangular, single-row and single-pixel inputs. */
public final class ResamplingCases {

    /** n, c, h, w, factorH, factorW of the small cases, which the conformance suite also checks by finite differences. */
    private static final int[][] SMALL_GEOMETRIES = {
        {2, 3, 4, 5, 2, 2}, {1, 2, 3, 3, 3, 2}, {1, 1, 1, 3, 2, 4}, {2, 1, 5, 4, 1, 3}, {1, 2, 1, 1, 3, 3}};

    private static final int[][] LARGE_GEOMETRIES = {
        {33, 4, 7, 9, 2, 2}, {2, 8, 16, 16, 2, 2}, {1, 3, 6, 5, 4, 4}, {2, 2, 9, 2, 1, 1}};

    /** An input shape and how it is upsampled. */
    public record Config(Shape x, UpsampleSpec spec) {
        @Override
        public String toString() {
            return "n" + x.dim(0) + " c" + x.dim(1) + " " + x.dim(2) + "x" + x.dim(3) + " by " + spec.factorH() + "x"
                    + spec.factorW();
        }
    }

    /** The small cases in both interpolations. */
    public static final List<Config> SMALL = inEveryMode(SMALL_GEOMETRIES);

    private ResamplingCases() {
    }

    static void addTo(List<OpCase> table) {
        SMALL.forEach(c -> table.add(upsample(c)));
        inEveryMode(LARGE_GEOMETRIES).forEach(c -> table.add(upsample(c)));
    }

    static void addGolden(Map<String, GoldenOp> golden) {
        for (Interpolation mode : Interpolation.values()) {
            String name = "upsample_" + mode.name().toLowerCase(Locale.ROOT) + "2d";
            golden.put(name, new GoldenOp(name, Set.of("factor"), g -> {
                int[] f = g.pairParam("factor");
                return upsample(new Config(g.inputShape("x"), new UpsampleSpec(mode, f[0], f[1])));
            }));
        }
    }

    /** y and dx. */
    public static OpCase upsample(Config cfg) {
        Shape ys = cfg.spec().outputShape(cfg.x());
        String op = "upsample_" + cfg.spec().mode().name().toLowerCase(Locale.ROOT);
        return OpCase.of(op, cfg.toString(), Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            Tensor x = r.gaussian("x", cfg.x(), 1.0);
            Tensor y = r.output(ys);
            b.resampling().forward(x, cfg.spec(), y);
            r.forward("y", y);
            Tensor dy = r.gaussian("dy", ys, 1.0);
            Tensor dx = r.output(cfg.x());
            b.resampling().backward(dy, cfg.spec(), dx);
            r.backward("dx", dx);
        });
    }

    private static List<Config> inEveryMode(int[][] geometries) {
        List<Config> all = new ArrayList<>();
        for (Interpolation mode : Interpolation.values()) {
            for (int[] g : geometries) {
                all.add(new Config(Shape.of(g[0], g[1], g[2], g[3]), new UpsampleSpec(mode, g[4], g[5])));
            }
        }
        return all;
    }
}
