/**
 * Test utilities shared by every backend's tests (core's test-jar); values are compared by
 * core's {@link dev.jcnn.tensor.AllClose}, PyTorch-style.
 * {@link GradientChecker} checks gradients by central differences in double, as Caffe does;
 * {@link TensorScope} closes a test's tensors; {@link ForwardingBackend} wraps a backend to
 * inject faults or count calls; {@link TestData} gives seeded inputs.
 */
package dev.jcnn.testing;
