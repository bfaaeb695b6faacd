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
            double gflops = cpu.fmaPeakGflops(1); // long enough for the JIT to compile the loop
            // any processor of the last decade issues more than 0.5 GFLOP/s of FMAs on one core, even shared
            assertTrue(gflops > 0.5 && gflops < 1e5, "peak " + gflops);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cpu.fmaPeakGflops(0));
            assertTrue(e.getMessage().contains("seconds 0.0"), e.getMessage());
        }
    }
}
