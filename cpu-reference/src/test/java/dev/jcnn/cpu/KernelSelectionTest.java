package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/**
 * The choice between the Vector API and the scalar kernels. Surefire runs the tests once
 * with {@code --add-modules jdk.incubator.vector} and once without, telling each run through
 * {@code jcnn.test.vectorModule} (present or absent) what it must find, so that neither run
 * can quietly test the wrong path.
 */
class KernelSelectionTest {

    private static boolean moduleExpected() {
        String expected = System.getProperty("jcnn.test.vectorModule", "present");
        assertTrue(expected.equals("present") || expected.equals("absent"),
                "jcnn.test.vectorModule must be present or absent, got " + expected);
        return expected.equals("present");
    }

    @Test
    void thisJvmUsesTheKernelsItShould() {
        boolean present = moduleExpected();
        assertEquals(present, ModuleLayer.boot().findModule(Vectorization.MODULE).isPresent(),
                "is the incubator module in this JVM");
        assertEquals(present, Vectorization.vector().isPresent(), "can the vector kernels be loaded");
        Kernels chosen = Vectorization.kernels();
        assertEquals(present ? "VectorKernels" : "ScalarKernels", chosen.getClass().getSimpleName());
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact())) {
            assertTrue(cpu.device().contains(chosen.describe()), cpu.device());
        }
    }

    @Test
    void withoutTheModuleTheLogLineSaysHowToEnableIt() {
        Vectorization.Choice c = Vectorization.choose(null, Optional.empty());
        assertSame(ScalarKernels.INSTANCE, c.kernels());
        assertEquals(Level.WARN, c.level());
        assertTrue(c.message().contains("--add-modules jdk.incubator.vector"), c.message());
    }

    @Test
    void thePropertyForcesTheScalarKernels() {
        Kernels vector = new FakeVectorKernels();
        Vectorization.Choice forced = Vectorization.choose("false", Optional.of(vector));
        assertSame(ScalarKernels.INSTANCE, forced.kernels());
        assertTrue(forced.message().contains("-Djcnn.cpu.vector=false"), forced.message());
        Vectorization.Choice normal = Vectorization.choose(null, Optional.of(vector));
        assertSame(vector, normal.kernels());
        assertEquals(Level.INFO, normal.level());
        assertFalse(Vectorization.choose("true", Optional.of(vector)).kernels() instanceof ScalarKernels);
    }

    /** Stands in for the vector kernels, which a JVM without the module cannot load. */
    private static final class FakeVectorKernels implements Kernels {
        private final Kernels delegate = ScalarKernels.INSTANCE;

        @Override
        public int nr() {
            return delegate.nr();
        }

        @Override
        public String describe() {
            return "fake vectors";
        }

        @Override
        public int fmaLanes() {
            return delegate.fmaLanes();
        }

        @Override
        public float fmaLoop(long iterations) {
            return delegate.fmaLoop(iterations);
        }

        @Override
        public void tile(int k, float[] a, int aOff, float[] b, int bOff, int[] bRows, float[] c, int cOff, int ldc,
                boolean accumulate) {
            delegate.tile(k, a, aOff, b, bOff, bRows, c, cOff, ldc, accumulate);
        }

        @Override
        public void dots(int len, float[] a, int aOff, int lda, float[] b, int bOff, int[] bRows, int q0, int rows,
                int cols, float[] c, int cOff, int ldc) {
            delegate.dots(len, a, aOff, lda, b, bOff, bRows, q0, rows, cols, c, cOff, ldc);
        }

        @Override
        public void taps(int rows, int len, int taps, float[] tw, float[] x, int[] xo, int ldx, float[] y, int yOff,
                int ldy) {
            delegate.taps(rows, len, taps, tw, x, xo, ldx, y, yOff, ldy);
        }

        @Override
        public void tapDots(int rows, int len, int taps, float[] a, int aOff, int lda, float[] x, int[] xo, int ldx,
                float[] c, int cOff) {
            delegate.tapDots(rows, len, taps, a, aOff, lda, x, xo, ldx, c, cOff);
        }

        @Override
        public void rowProducts(int len, float[] a, int aOff, float[] b, int bOff, int ldb, int cols, float[] c,
                int cOff) {
            delegate.rowProducts(len, a, aOff, b, bOff, ldb, cols, c, cOff);
        }

        @Override
        public void winogradInput(float[] src, int off, int ld, int odd, int tiles, float[] dst, int dOff,
                int dStride) {
            delegate.winogradInput(src, off, ld, odd, tiles, dst, dOff, dStride);
        }

        @Override
        public void winogradOutput(float[] m, int mOff, int mStride, int tiles, float bias, float[] out) {
            delegate.winogradOutput(m, mOff, mStride, tiles, bias, out);
        }

        @Override
        public void copyAdding(float[] src, int srcOff, float[] dst, int dstOff, int len, float add) {
            delegate.copyAdding(src, srcOff, dst, dstOff, len, add);
        }

        @Override
        public void addTo(float[] src, int srcOff, float[] dst, int dstOff, int len) {
            delegate.addTo(src, srcOff, dst, dstOff, len);
        }

        @Override
        public float sum(float[] x, int from, int to) {
            return delegate.sum(x, from, to);
        }

        @Override
        public void relu(float[] x, float[] y, int from, int to) {
            delegate.relu(x, y, from, to);
        }

        @Override
        public void reluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
            delegate.reluBackward(x, dy, dx, from, to);
        }
    }
}
