/**
 * The one naive oracle: obviously correct definitions of every backend op (nested loops,
 * double accumulation, like Caffe's {@code caffe_conv}), and {@link OracleBackend}, the same
 * definitions behind the Backend interface. It is the reference of every op case
 * ({@link dev.jcnn.testing.cases.OpTable}: the case's body run on it) and of the CPU backend's
 * fast-path tests; cpu-reference runs every PyTorch golden case on it too, so the oracle is
 * itself checked against PyTorch.
 */
package dev.jcnn.testing.oracle;
