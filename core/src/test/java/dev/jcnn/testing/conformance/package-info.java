/**
 * The backend conformance suite: one abstract JUnit 5 class per op family, each test body
 * run on every backend and checked against the double-precision oracles of
 * {@link dev.jcnn.testing.oracle}, plus finite-difference gradient checks, the slides'
 * properties (translation equivariance, max pooling's small-shift invariance) and the
 * wording of bad-input messages. The configuration tables are {@link ConvConfig#table()} and
 * {@link PoolConfig#table()}.
 *
 * <p>A backend module depends on core's test-jar and subclasses each suite:
 * <pre>{@code
 * class CudaConformanceTest {
 *     @Nested
 *     class Convolution extends ConvolutionConformance {
 *         protected Backend createBackend() {
 *             Assumptions.assumeTrue(available, reason);   // skips the class, with the reason
 *             return new CudaBackend(BackendOptions.exact());
 *         }
 *         protected Tolerance tolerance(String op) { ... }          // looser, with the reason written
 *         protected boolean finiteDifferenceChecks() { return false; } // GPU gradients: parity suite
 *     }
 *     ...
 * }
 * }</pre>
 * {@code dev.jcnn.conformance.CpuConformanceTest} in cpu-reference is the complete example.
 */
package dev.jcnn.testing.conformance;
