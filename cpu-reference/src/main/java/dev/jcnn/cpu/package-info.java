/**
 * The plain-Java reference backend: {@link dev.jcnn.cpu.CpuBackend} (memory, threads,
 * lifecycle) and one class per op family, each extending its family in
 * {@code dev.jcnn.backend} ({@code Convolution}, {@code Pooling}, {@code Dense},
 * {@code Activations}, {@code Softmax}, {@code Channels}, {@code Resampling},
 * {@code Normalization}, {@code Losses}, {@code Optimizers}, {@code Elementwise}), each a set
 * of loops over {@code float[]}: convolution and dense layers are float matrix products
 * ({@code Kernels}: the Vector API or plain loops, each sum in a fixed order), the other ops
 * sum in double. None is exact: the tests hold each to a naive oracle summed in double within
 * stated tolerances. The families in core check every
 * argument before these kernels get the arrays; work is split over samples (or filters,
 * channels, weight rows for the sums over the batch) so that no two threads write the same
 * element and results do not depend on the thread count.
 */
package dev.jcnn.cpu;
