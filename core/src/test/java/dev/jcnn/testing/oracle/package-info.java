/**
 * Naive, obviously correct definitions of every backend op (nested loops, double
 * accumulation, like Caffe's {@code caffe_conv}), and {@link OracleBackend}, the same
 * definitions behind the Backend interface so the suites and the golden runner can be
 * checked themselves. cpu-reference runs every PyTorch golden case on the oracle too.
 */
package dev.jcnn.testing.oracle;
