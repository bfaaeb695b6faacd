/**
 * The one table of op cases, in the manner of PyTorch's OpInfo
 * ({@code torch/testing/_internal/opinfo/core.py}): {@link OpTable#all()} lists every
 * {@link OpCase}, each with its op, its configuration, the body that draws its inputs from
 * the case's seed and calls the backend, its {@link Tolerances} (looser ones with their
 * reasons, per backend) and its {@link Skip}s (with their reasons, per backend). The
 * reference is the body run on the oracle. The conformance suite, the CUDA parity suite, the
 * golden runner (through {@link GoldenOp}, by PyTorch's op name) and the CPU's fast-path
 * tests iterate it, and compare through {@link CaseReport}.
 *
 * <p>A new case is one line in its family's file, e.g. a convolution in
 * {@link ConvolutionCases}:
 * <pre>{@code
 * ConvConfig.of(2, 3, 9, 9, 4, ConvSpec.of(3, 1, 1)),
 * }</pre>
 * and a new activation kind one line of {@link ActivationCases#KINDS}, which gives it
 * conformance cases on every backend, parity rows, its golden op and gradient checks:
 * <pre>{@code
 * new Kind("silu", Set.of(), g -> ActivationSpec.SILU, SMOOTH, List.of(ActivationSpec.SILU)),
 * }</pre>
 * (the oracle learns the kind in {@code oracle.ActivationOracle}; its PyTorch golden file is
 * data, made by {@code make_golden.py}).
 */
package dev.jcnn.testing.cases;
