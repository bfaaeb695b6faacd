package dev.jcnn.cuda.parity;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.ConvolutionOps;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.testing.ForwardingBackend;
import dev.jcnn.testing.cases.OpCase;
import dev.jcnn.testing.cases.OpTable;
import org.junit.jupiter.api.Test;

/**
 * The parity suite without a GPU: every case of the op table that CUDA runs goes through the
 * suite's check with the CPU reference on two threads against one (so a case that cannot
 * run, or whose outputs differ between runs, shows here first), and a perturbed result fails
 * with the case, the output, the index and both values, and shows in the summary.
 */
class ParitySuiteTest {

    @Test
    void everyCaseRunsOnTheCpuAndAgreesWithItselfAcrossThreadCounts() {
        ParitySummary summary = new ParitySummary();
        try (Backend one = new CpuBackend(BackendOptions.exact().withThreads(1));
             Backend two = new CpuBackend(BackendOptions.exact().withThreads(2))) {
            for (OpCase c : OpTable.all()) {
                if (c.skipOn(OpTable.CUDA).isEmpty()) {
                    CudaParityTest.check(c, two, one, summary);
                }
            }
        }
        String table = summary.table("cpu against cpu");
        assertTrue(table.contains("conv2d"), table);
        assertTrue(table.contains(" 0 failed"), table);
    }

    @Test
    void aMismatchNamesTheCaseTheOutputTheIndexAndBothValues() {
        OpCase c = OpTable.all().get(0);
        ParitySummary summary = new ParitySummary();
        try (Backend cpu = new CpuBackend(BackendOptions.exact().withThreads(1));
             Backend off = new ForwardingBackend(new CpuBackend(BackendOptions.exact().withThreads(1))) {
                 private final ConvolutionOps<?> offByHalf = new Convolution(this) {
                     @Override
                     protected void computeForward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y) {
                         super.computeForward(x, w, b, spec, y);
                         if (b != null) {
                             float[] v = y.toArray();
                             v[3] += 0.5f;
                             delegate.write(y, v);
                         }
                     }
                 };

                 @Override
                 public ConvolutionOps<?> convolution() {
                     return offByHalf;
                 }
             }) {
            AssertionError e = assertThrows(AssertionError.class, () -> CudaParityTest.check(c, off, cpu, summary));
            String m = e.getMessage();
            assertTrue(m.startsWith("conv2d n1 c1 7x7 k1 f3x3 s1x1 p0/0/0/0: 1 of 6 output(s) differ from the CPU"
                    + " reference (tolerance: "), m);
            assertTrue(m.contains("y: 1 of 25 elements differ"), m);
            assertTrue(m.contains("worst at index [0, 0, 0, 3]"), m);
            assertTrue(summary.table("t").contains("FAIL (1)"), summary.table("t"));
        }
    }
}
