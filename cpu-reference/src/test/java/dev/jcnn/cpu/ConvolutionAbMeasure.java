package dev.jcnn.cpu;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.tensor.Shape;
import java.util.Arrays;
import java.util.Random;

/**
 * A/B of the stride-1 3 × 3 convolution's paths on ResNet-20's and the CIFAR-style CNN's layers
 * at batch 64, and on narrow ones that decide {@link WinogradConvolution#MIN_CHANNELS}: Winograd's
 * F(2×2, 3×3) against the direct product ({@link ShiftedConvolution}) forward and for the input
 * gradient, and the weight gradient by matrix products against dot products. In one JVM, the
 * two taking turns so that a loaded machine slows both alike; prints the median time of each
 * pass, the direct method's GFLOP/s for both, and their ratio. Not a test: run by hand with the
 * test class path, e.g. {@code java --add-modules jdk.incubator.vector -cp ...
 * dev.jcnn.cpu.ConvolutionAbMeasure [rounds] [threads] [batch]}.
 */
final class ConvolutionAbMeasure {

    private ConvolutionAbMeasure() {
    }

    /** One pass on one path. */
    private interface Pass {
        void run();
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        Kernels kr = Vectorization.kernels();
        System.out.println("kernels: " + kr.describe() + ", threads " + threads + ", rounds " + rounds);
        int[][] shapes = {{16, 32, 16}, {32, 16, 32}, {64, 8, 64}, {32, 32, 32}, {32, 16, 64}, {64, 16, 64},
            {8, 32, 8}, {8, 32, 16}, {16, 32, 8}, {12, 32, 12}};
        for (int[] s : shapes) {
            measure(Shape.of(batch, s[0], s[1], s[1]), s[2], rounds, threads, kr);
        }
    }

    private static void measure(Shape xs, int k, int rounds, int threads, Kernels kr) {
        ConvSpec s = ConvSpec.of(3, 1, 1);
        Convolution.Dims d = Convolution.Dims.of(xs, k, s);
        Shape ys = s.outputShape(xs, k);
        Random r = new Random(1);
        float[] x = Random32.gaussian(r, xs.size());
        float[] w = Random32.gaussian(r, k * xs.dim(1) * 9);
        float[] b = Random32.gaussian(r, k);
        float[] dy = Random32.gaussian(r, ys.size());
        float[] y = new float[ys.size()];
        float[] dx = new float[xs.size()];
        float[] dw = new float[w.length];
        double flops = 2.0 * ys.size() * xs.dim(1) * 9;
        String name = xs.dim(1) + "->" + k + " " + xs.dim(2) + "x" + xs.dim(3);
        try (Parallel par = new Parallel(threads)) {
            Pass[][] passes = {
                {() -> ShiftedConvolution.forward(x, w, b, y, d, par, kr),
                    () -> WinogradConvolution.forward(x, w, b, y, d, par, kr)},
                {() -> ShiftedConvolution.backwardData(dy, w, dx, d, par, kr),
                    () -> WinogradConvolution.backwardData(dy, w, dx, d, par, kr)},
                {() -> ShiftedConvolution.backwardFilterByDots(x, dy, dw, d, par, kr),
                    () -> ShiftedConvolution.backwardFilterByProducts(x, dy, dw, d, par, kr)}};
            String[] names = {"forward", "backward data", "backward filter"};
            String[][] paths = {{"direct", "winograd"}, {"direct", "winograd"}, {"dots", "products"}};
            for (int p = 0; p < passes.length; p++) {
                if (p == 2 && xs.dim(1) % kr.nr() != 0) {
                    continue; // products need whole tiles of channels
                }
                double[][] ms = new double[2][rounds];
                for (int warm = 0; warm < 3; warm++) {
                    passes[p][0].run();
                    passes[p][1].run();
                }
                for (int i = 0; i < rounds; i++) {
                    for (int path = 0; path < 2; path++) {
                        long t0 = System.nanoTime();
                        passes[p][path].run();
                        ms[path][i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                double old = median(ms[0]);
                double fast = median(ms[1]);
                System.out.printf("%-16s %-15s %-6s %7.2f ms (%5.1f GFLOP/s)  %-8s %7.2f ms (%5.1f)  speed-up %4.2fx%n",
                        name, names[p], paths[p][0], old, flops / old / 1e6, paths[p][1], fast, flops / fast / 1e6,
                        old / fast);
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

}
