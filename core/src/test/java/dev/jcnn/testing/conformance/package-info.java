/**
 * The backend conformance suite. {@link OpCaseConformance} runs every case of the op table
 * ({@link dev.jcnn.testing.cases.OpTable}) on the backend and on the oracle
 * ({@link dev.jcnn.testing.oracle.OracleBackend}) and compares each output under the case's
 * tolerance for the backend; one abstract JUnit 5 class per op family adds what a comparison
 * with the oracle cannot show: finite-difference gradient checks (on the table's small
 * configurations), the slides' properties (translation equivariance, max pooling's
 * small-shift invariance) and the wording of bad-input messages.
 *
 * <p>A backend module depends on core's test-jar and subclasses each suite:
 * <pre>{@code
 * class CudaConformanceTest {
 *     @Nested
 *     class OpCases extends OpCaseConformance {
 *         protected Backend createBackend() {
 *             return GpuTests.backend(Numerics.EXACT);   // skips every case, with the reason, without a GPU
 *         }
 *     }
 *     @Nested
 *     class Convolution extends ConvolutionConformance {
 *         protected Backend createBackend() { ... }
 *         protected boolean finiteDifferenceChecks() { return false; } // GPU gradients: parity suite
 *     }
 *     ...
 * }
 * }</pre>
 * A backend's looser tolerances and its skips are written, with their reasons, in the op
 * table's cases, not in the subclass. {@code dev.jcnn.conformance.CpuConformanceTest} in
 * cpu-reference is the complete example.
 */
package dev.jcnn.testing.conformance;
