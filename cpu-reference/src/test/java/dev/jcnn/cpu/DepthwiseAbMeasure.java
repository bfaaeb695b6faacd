package dev.jcnn.cpu;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.tensor.Shape;
import java.util.Arrays;
import java.util.Random;

/**
 * A/B of the depthwise fast path against the grouped loop it replaced, in one JVM, the two
 * taking turns so that a loaded machine slows both alike; prints the median time of each
 * pass and their ratio. Not a test: run by hand with the test class path, e.g.
 * {@code java --add-modules jdk.incubator.vector -cp ... dev.jcnn.cpu.DepthwiseAbMeasure [rounds] [threads]}.
 */
final class DepthwiseAbMeasure {

    private DepthwiseAbMeasure() {
    }

    /** One pass on one path. */
    private interface Pass {
        void run();
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Kernels kr = Vectorization.kernels();
        System.out.println("kernels: " + kr.describe() + ", threads " + threads + ", rounds " + rounds);
        // MobileNetV2's first depthwise layer and a stride-2 one of its expanded blocks, batch 8, PyTorch's padding 1
        measure("32ch 112x112 3x3 s1", Shape.of(8, 32, 112, 112), ConvSpec.of(3, 1, 1).withGroups(32), rounds,
                threads, kr);
        measure("144ch 56x56 3x3 s2", Shape.of(8, 144, 56, 56), ConvSpec.of(3, 2, 1).withGroups(144), rounds, threads,
                kr);
        measure("144ch 56x56 3x3 s2 pad 0/1", Shape.of(8, 144, 56, 56),
                new ConvSpec(3, 3, 2, 2, new Padding2D(0, 1, 0, 1)).withGroups(144), rounds, threads, kr);
    }

    private static void measure(String name, Shape xs, ConvSpec s, int rounds, int threads, Kernels kr) {
        int k = xs.dim(1);
        Shape ys = s.outputShape(xs, k);
        Random r = new Random(1);
        float[] x = Random32.gaussian(r, xs.size());
        float[] w = Random32.gaussian(r, k * s.kernelH() * s.kernelW());
        float[] b = Random32.gaussian(r, k);
        float[] dy = Random32.gaussian(r, ys.size());
        float[] y = new float[ys.size()];
        float[] dx = new float[xs.size()];
        float[] dw = new float[w.length];
        try (Parallel par = new Parallel(threads)) {
            Pass[][] passes = {
                {() -> LoopConvolution.forward(x, xs, w, k, b, s, y, par),
                    () -> DepthwiseConvolution.forward(x, xs, w, k, b, s, y, par, kr)},
                {() -> LoopConvolution.backwardData(dy, w, xs, k, s, dx, par),
                    () -> DepthwiseConvolution.backwardData(dy, w, xs, k, s, dx, par, kr)},
                {() -> LoopConvolution.backwardFilter(x, xs, dy, k, s, dw, par),
                    () -> DepthwiseConvolution.backwardFilter(x, xs, dy, k, s, dw, par, kr)}};
            String[] names = {"forward", "backward data", "backward filter"};
            for (int p = 0; p < passes.length; p++) {
                double[][] ms = new double[2][rounds];
                // one warm-up each, then turns: old, new, old, new ...
                passes[p][0].run();
                passes[p][1].run();
                for (int i = 0; i < rounds; i++) {
                    for (int path = 0; path < 2; path++) {
                        long t0 = System.nanoTime();
                        passes[p][path].run();
                        ms[path][i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                double old = median(ms[0]);
                double fast = median(ms[1]);
                System.out.printf("%-28s %-16s loop %8.1f ms  depthwise %7.1f ms  speed-up %5.1fx%n", name, names[p],
                        old, fast, old / fast);
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

}
