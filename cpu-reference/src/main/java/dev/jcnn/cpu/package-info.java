/**
 * The plain-Java reference backend: {@link dev.jcnn.cpu.CpuBackend} and one class per op
 * family ({@code Convolution}, {@code Pooling}, {@code Dense}, {@code Activations},
 * {@code Softmax}, {@code Losses}, {@code Optimizers}, {@code Elementwise}), each a set of
 * loops over {@code float[]} with sums in double. {@code CpuBackend} checks every argument
 * and hands the arrays on; work is split over samples (or filters, channels, weight rows for
 * the sums over the batch) so that no two threads write the same element and results do not
 * depend on the thread count.
 */
package dev.jcnn.cpu;
