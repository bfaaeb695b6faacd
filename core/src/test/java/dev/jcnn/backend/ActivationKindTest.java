package dev.jcnn.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The definitions every backend is held to, in double: each kind's derivative is the slope of
 * its value, and GELU's two forms (whose erfc and tanh this code writes itself) match
 * 50-digit values.
 */
class ActivationKindTest {

    /** x, GELU(x), GELU'(x): mpmath at 50 digits, x·ncdf(x) and ncdf(x) + x·npdf(x). */
    private static final double[][] GELU = {
            {-8, -4.976768459417427e-15, -3.979607261086796e-14},
            {-5.5, -1.0444259356238245e-07, -5.733472398739924e-07},
            {-3, -0.0040496940948902835, -0.011945647204183927},
            {-1.25, -0.13206221708356908, -0.12266158306942213},
            {-0.5, -0.15426876936299344, 0.13250487534383715},
            {-0.001, -0.000499601057786089, 0.4992021157051586},
            {0.3, 0.1853734266566858, 0.7323277668271099},
            {1, 0.8413447460685429, 1.0833154705876864},
            {2.5, 2.4844758366855597, 1.037611085908145},
            {4, 3.9998733150326675, 1.0005036496612265},
            {8, 7.999999999999995, 1.0000000000000397}};

    /**
     * x, GELU_TANH(x), its derivative: mpmath at 50 digits, x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
     * as PyTorch writes it, differentiated numerically. At x = −8 PyTorch's own float64 gives 0.
     */
    private static final double[][] GELU_TANH = {
            {-8, -3.1077829375011112e-21, -4.7147845041068414e-20},
            {-5.5, -5.9276402638802624e-09, -4.676552810807415e-08},
            {-3, -0.003637392081773019, -0.011584166630969726},
            {-1.25, -0.1322857970302854, -0.12249263224964864},
            {-0.5, -0.15428599017485609, 0.1326300964653577},
            {-0.001, -0.000499601057786418, 0.499202115706475},
            {0.3, 0.18537092354275925, 0.7322954516388018},
            {1, 0.8411919906082767, 1.0829640838457826},
            {2.5, 2.484915733910001, 1.037951576212666},
            {4, 3.9999297540518075, 1.0003351231971227},
            {8, 8.0, 1.0}};

    @ParameterizedTest
    @EnumSource(value = ActivationKind.class, names = {"GELU", "GELU_TANH"})
    void geluMatchesFiftyDigitValuesInBothTails(ActivationKind kind) {
        for (double[] row : kind == ActivationKind.GELU ? GELU : GELU_TANH) {
            double x = row[0];
            double y = kind.value(x, 0);
            assertRelative(kind + "(" + x + ")", row[1], y, 1e-13);
            assertRelative(kind + "'(" + x + ")", row[2], kind.derivative(x, y, 0), 1e-12);
        }
    }

    /**
     * derivative(x, value(x)) against the central difference of value in double, from −8 to 8
     * (0 left out: ReLU, Leaky ReLU and ELU have a kink there) and far into both tails.
     */
    @ParameterizedTest
    @EnumSource(ActivationKind.class)
    void eachDerivativeIsTheSlopeOfItsValue(ActivationKind kind) {
        double alpha = 0.3;
        for (int i = -80; i <= 80; i++) {
            double x = i == 0 ? 1e-3 : i / 10.0 + 0.013;
            assertSlope(kind, x, alpha);
        }
        for (double x : new double[] {-40, -20, -12, 12, 20, 40}) {
            assertSlope(kind, x, alpha);
        }
    }

    private static void assertSlope(ActivationKind kind, double x, double alpha) {
        double h = 1e-6 * Math.max(1, Math.abs(x));
        double numeric = (kind.value(x + h, alpha) - kind.value(x - h, alpha)) / (2 * h);
        double analytic = kind.derivative(x, kind.value(x, alpha), alpha);
        assertTrue(Math.abs(analytic - numeric) <= 1e-8 * Math.max(1, Math.abs(numeric)),
                kind + "'(" + x + "): derivative " + analytic + ", central difference " + numeric);
    }

    private static void assertRelative(String what, double expected, double actual, double rtol) {
        assertTrue(Math.abs(actual - expected) <= rtol * Math.abs(expected), what + ": " + actual + ", expected "
                + expected + " (relative error " + Math.abs(actual - expected) / Math.abs(expected) + ")");
    }
}
