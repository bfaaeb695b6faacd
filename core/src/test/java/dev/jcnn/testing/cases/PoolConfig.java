package dev.jcnn.testing.cases;

import dev.jcnn.backend.PoolSpec;
import dev.jcnn.tensor.Shape;
import java.util.Locale;

/** One pooling: input (n, c, h, w) and the spec. */
public record PoolConfig(int n, int c, int h, int w, PoolSpec spec) {

    public Shape inputShape() {
        return Shape.of(n, c, h, w);
    }

    public Shape outputShape() {
        return spec.outputShape(inputShape());
    }

    /** E.g. "max n2 c3 9x9 f3x3 s2x2 p1/1/1/1", with " ceil" in ceil mode. */
    @Override
    public String toString() {
        return spec.mode().name().toLowerCase(Locale.ROOT) + " n" + n + " c" + c + " " + h + "x" + w + " f" + spec.windowH()
                + "x" + spec.windowW() + " s" + spec.strideH() + "x" + spec.strideW() + " p"
                + ConvConfig.padding(spec.padding()) + (spec.ceilMode() ? " ceil" : "");
    }
}
