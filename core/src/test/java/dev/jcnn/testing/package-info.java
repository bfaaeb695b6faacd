/**
 * Test utilities shared by every backend's tests (core's test-jar):
 * {@link GradientChecker} checks gradients by central differences in double, as Caffe does;
 * {@link TensorScope} closes a test's tensors; {@link ForwardingBackend} wraps a backend to
 * inject faults or count calls; {@link TestData} gives seeded inputs. Values are compared by
 * core's {@link dev.jcnn.tensor.AllClose}, PyTorch-style; the op cases every suite iterates are
 * in {@link dev.jcnn.testing.cases}, the oracle they are held to in {@link dev.jcnn.testing.oracle}.
 */
package dev.jcnn.testing;
