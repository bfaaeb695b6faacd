/**
 * Test utilities shared by every backend's tests (core's test-jar):
 * {@link AllClose} compares tensors as |a − r| ≤ atol + rtol·|r| and reports the worst
 * element's index, both values, the errors and the mismatch count, PyTorch-style;
 * {@link GradientChecker} checks gradients by central differences in double, as Caffe does;
 * {@link TensorScope} closes a test's tensors; {@link ForwardingBackend} wraps a backend to
 * inject faults or count calls; {@link TestData} gives seeded inputs.
 */
package dev.jcnn.testing;
