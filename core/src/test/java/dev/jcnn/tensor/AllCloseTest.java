package dev.jcnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AllCloseTest {

    private static final Tolerance TOL = Tolerance.of(1e-3, 1e-5);

    @Test
    void equalValuesPass() {
        AllClose.Report r = AllClose.compare("y", Shape.of(2), new float[] {1, -2}, new double[] {1, -2}, TOL);
        assertTrue(r.passed());
        assertEquals(0, r.mismatches());
        assertEquals(0.0, r.maxAbsError());
    }

    @Test
    void toleranceIsAtolPlusRtolTimesReference() {
        // allowed at r = 100: 1e-5 + 0.1
        assertTrue(AllClose.compare("y", null, new float[] {100.09f}, new double[] {100}, TOL).passed());
        assertFalse(AllClose.compare("y", null, new float[] {100.11f}, new double[] {100}, TOL).passed());
        // allowed at r = 0: atol only
        assertTrue(AllClose.compare("y", null, new float[] {9e-6f}, new double[] {0}, TOL).passed());
        assertFalse(AllClose.compare("y", null, new float[] {2e-5f}, new double[] {0}, TOL).passed());
    }

    @Test
    void messageNamesTheWorstElementBothValuesErrorsAndCount() {
        Shape s = Shape.of(2, 2, 3);
        float[] actual = new float[12];
        double[] expected = new double[12];
        actual[4] = 0.5f;   // a small miss: 1e-3 off where 5e-4 is allowed
        expected[4] = 0.499;
        actual[7] = 3f;     // the worst: index [1, 0, 1]
        expected[7] = 2;
        AssertionError e = assertThrows(AssertionError.class, () -> AllClose.assertClose("conv y", s, actual, expected, TOL));
        String m = e.getMessage();
        assertTrue(m.startsWith("conv y: 2 of 12 elements differ"), m);
        assertTrue(m.contains("worst at index [1, 0, 1] (flat 7)"), m);
        assertTrue(m.contains("actual 3.0000000, expected 2.0000000"), m);
        assertTrue(m.contains("abs error 1.000e+00, rel error 5.000e-01"), m);
        assertTrue(m.contains("greatest abs error 1.000e+00, greatest rel error 5.000e-01"), m);
    }

    @Test
    void nanIsTheWorstMismatch() {
        AllClose.Report r = AllClose.compare("y", Shape.of(3), new float[] {5, Float.NaN, 0}, new double[] {1, 1, 0}, TOL);
        assertEquals(2, r.mismatches());
        assertEquals(1, r.worst());
        assertTrue(Double.isNaN(r.actual()));
    }

    @Test
    void lengthMismatchFails() {
        assertThrows(AssertionError.class, () -> AllClose.compare("y", Shape.of(3), new float[2], new double[3], TOL));
    }

    @Test
    void multiIndexIsRowMajor() {
        assertEquals("[1, 2, 3]", AllClose.index(Shape.of(2, 3, 4), 1 * 12 + 2 * 4 + 3));
        assertEquals("[7]", AllClose.index(null, 7));
    }

    @Test
    void aScaledBoundUsesTheScaleInsteadOfTheReference() {
        // r = 0 after cancellation of terms of size 10: 1e-4 off is within 2e-5·20 + 1e-6
        Tolerance sums = Tolerance.of(2e-5, 1e-6);
        float[] a = {1e-4f};
        double[] r = {0};
        assertFalse(AllClose.compare("dot", null, a, r, sums).passed());
        AllClose.Report scaled = AllClose.compareScaled("dot", null, a, r, new double[] {20}, sums);
        assertTrue(scaled.passed(), scaled.describe());
        assertTrue(AllClose.compareScaled("dot", null, new float[] {1e-3f}, r, new double[] {20}, sums).describe()
                .contains("beyond |a - r| <= 1.0e-06 + 2.0e-05·Σ|term|"));
    }

    @Test
    void bitsTellSignedZerosApartButNotNanPayloads() {
        float otherNan = Float.intBitsToFloat(0x7fc00001);
        assertTrue(AllClose.compareBits("y", null, new float[] {Float.NaN, 1}, new float[] {otherNan, 1}).passed());
        AllClose.Report r = AllClose.compareBits("y", Shape.of(3), new float[] {1, -0f, 2}, new float[] {1, 0f, 2.5f});
        assertEquals(2, r.mismatches());
        assertEquals(2, r.worst());
        assertTrue(r.describe().contains("2 of 3 elements differ (66.67%) beyond bit-for-bit equality"), r.describe());
    }

    @Test
    void summaryIsOneLineStartingWithTheVerdict() {
        AllClose.Report ok = AllClose.compare("lenet5 conv2d_1 output", Shape.of(2), new float[] {1, 2}, new double[] {1, 2}, TOL);
        assertTrue(ok.summary().startsWith("ok   lenet5 conv2d_1 output: 2 elements"), ok.summary());
        AllClose.Report bad = AllClose.compare("w gradient", Shape.of(2), new float[] {1, 3}, new double[] {1, 2}, TOL);
        assertFalse(bad.summary().contains("\n"), bad.summary());
        assertTrue(bad.summary().startsWith("FAIL w gradient: 1 of 2 elements beyond"), bad.summary());
        assertTrue(bad.summary().contains("worst at [1]: actual 3.0000000, expected 2.0000000"), bad.summary());
    }
}
