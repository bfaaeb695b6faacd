package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;

/** The FMA peak that benchmarks divide by: the kernels' loop does the work it counts. */
class FmaPeakTest {

    @Test
    void theLoopComputesItsFixedPointOnBothKernels() {
        for (Named<Kernels> named : KernelsUnderTest.all()) {
            Kernels k = named.getPayload();
            // a = a·m + 1e-7 tends to 1e-7 / (1 − m) ≈ 0.099 from every start (m is 0.999999 rounded to a float, and
            // the float steps stall within ±0.004 of it); 12 chains after 20 million steps sum to about 1.19
            float sum = k.fmaLoop(20_000_000);
            assertTrue(Math.abs(sum - 1.19f) < 0.1f, k.describe() + ": " + sum);
            assertTrue(k.fmaLanes() >= 1, k.describe());
        }
    }

    @Test
    void thePeakIsAPositiveRateAndTheDurationIsChecked() {
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(1))) {
            double gflops = cpu.fmaPeakGflops(0.2);
            // a rate, whatever the machine: on a busy one the JIT may not even have compiled the loop yet (0.12 was
            // seen in a full build), so only its sign and finiteness are certain; the work itself is checked above
            assertTrue(gflops > 0 && Double.isFinite(gflops), "peak " + gflops);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cpu.fmaPeakGflops(0));
            assertTrue(e.getMessage().contains("seconds 0.0"), e.getMessage());
        }
    }
}
