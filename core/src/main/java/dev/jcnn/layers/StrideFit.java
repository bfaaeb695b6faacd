package dev.jcnn.layers;

import dev.jcnn.backend.Geometry;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.tensor.Shape;
import java.util.Set;
import org.apache.logging.log4j.Logger;

/**
 * The slides' check that a window and stride tile the input: (I − F + 2P) must be a multiple
 * of S, else the last rows or columns are never covered (or, in pooling's ceil mode, the last
 * window reaches past the padded input). A WARN once per input shape, or an error in strict
 * mode.
 */
final class StrideFit {

    private StrideFit() {
    }

    static void check(Logger log, String layer, Shape input, Set<Shape> warned, boolean strict,
                      int kh, int kw, int sh, int sw, Padding2D p) {
        check(log, layer, input, warned, strict, kh, kw, sh, sw, p, false);
    }

    /** The same, for an output size rounded up when ceil is set. */
    static void check(Logger log, String layer, Shape input, Set<Shape> warned, boolean strict,
                      int kh, int kw, int sh, int sw, Padding2D p, boolean ceil) {
        String h = describe("height", "row", input.dim(1), kh, sh, p.top(), p.bottom(), ceil);
        String w = describe("width", "column", input.dim(2), kw, sw, p.left(), p.right(), ceil);
        if (h == null && w == null) {
            return;
        }
        String msg = layer + ": the stride does not fit the input " + input + ": "
                + (h == null ? w : w == null ? h : h + "; " + w);
        if (strict) {
            throw new IllegalArgumentException(msg);
        }
        if (warned.add(input)) {
            log.warn(msg);
        }
    }

    private static String describe(String axis, String unit, int in, int f, int s, int pb, int pa, boolean ceil) {
        int left = Geometry.uncovered(in, f, s, pb, pa, ceil);
        int past = ceil ? Geometry.overhang(in, f, s, pb, pa) : 0;
        if (left == 0 && past == 0) {
            return null;
        }
        int out = Geometry.outputSize(in, f, s, pb, pa, ceil, axis);
        String formula = axis + " (I − F + 2P)/S + 1 = (" + in + " − " + f + " + " + (pb + pa) + ")/" + s
                + " + 1 is not whole, so it ";
        if (past > 0) {
            return formula + "rounds up to " + out + " (ceil mode) and the last window reaches " + past + " "
                    + unit + (past == 1 ? "" : "s") + " past the padded input";
        }
        return formula + (ceil ? "rounds up (ceil mode), less the window that would start past the input, to "
                : "floors to ") + out + " and the last " + left + " input " + unit + (left == 1 ? " is" : "s are")
                + " never covered";
    }
}
