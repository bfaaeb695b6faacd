package dev.jcnn.bench;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each backend op of a LeNet-5 training step on its own, at LeNet's shapes: the two
 * convolutions forward, input gradient (conv2 only; conv1's input is data) and weight
 * gradient, max pooling forward and backward, the first dense layer's three products, ReLU,
 * and the bias gradient. Time per call of one batch; divide by the batch for time per image.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar OpBenchmarks}.
 * Add {@code -jvmArgsAppend -Djcnn.cpu.vector=false} for the scalar kernels.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class OpBenchmarks {

    @Param({"64", "256"})
    public int batch;

    @Param({"2"})
    public int threads;

    private static final ConvSpec CONV1 = new ConvSpec(5, 5, 1, 1, Padding2D.of(2));
    private static final ConvSpec CONV2 = new ConvSpec(5, 5, 1, 1, Padding2D.NONE);
    private static final PoolSpec POOL = PoolSpec.of(PoolMode.MAX, 2, 2);

    private CpuBackend cpu;
    private final List<Tensor> tensors = new ArrayList<>();
    private Tensor x1;
    private Tensor w1;
    private Tensor b1;
    private Tensor y1;
    private Tensor dw1;
    private Tensor p1;
    private Tensor dp1;
    private Tensor dy1;
    private Tensor dz1;
    private Tensor w2;
    private Tensor b2;
    private Tensor y2;
    private Tensor dw2;
    private Tensor db2;
    private Tensor flat;
    private Tensor dflat;
    private Tensor wd;
    private Tensor bd;
    private Tensor yd;
    private Tensor dwd;

    @Setup(Level.Trial)
    public void setUp() {
        cpu = new CpuBackend(BackendOptions.defaults().withThreads(threads));
        x1 = random(Shape.of(batch, 1, 28, 28));
        w1 = random(Shape.of(6, 1, 5, 5));
        b1 = random(Shape.of(6));
        y1 = random(Shape.of(batch, 6, 28, 28));
        dy1 = random(Shape.of(batch, 6, 28, 28));
        dz1 = random(Shape.of(batch, 6, 28, 28));
        dw1 = random(Shape.of(6, 1, 5, 5));
        p1 = random(Shape.of(batch, 6, 14, 14));
        dp1 = random(Shape.of(batch, 6, 14, 14));
        w2 = random(Shape.of(16, 6, 5, 5));
        b2 = random(Shape.of(16));
        y2 = random(Shape.of(batch, 16, 10, 10));
        dw2 = random(Shape.of(16, 6, 5, 5));
        db2 = random(Shape.of(16));
        flat = random(Shape.of(batch, 400));
        dflat = random(Shape.of(batch, 400));
        wd = random(Shape.of(120, 400));
        bd = random(Shape.of(120));
        yd = random(Shape.of(batch, 120));
        dwd = random(Shape.of(120, 400));
        // Pooling's backward pass takes the forward output, as in training.
        cpu.pooling().forward(y1, POOL, p1);
    }

    private Tensor random(Shape s) {
        SplittableRandom r = new SplittableRandom(tensors.size());
        float[] v = new float[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        Tensor t = cpu.upload(s, v);
        tensors.add(t);
        return t;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tensors.forEach(Tensor::close);
        cpu.close();
    }

    @Benchmark
    public void conv1Forward() {
        cpu.convolution().forward(x1, w1, b1, CONV1, y1);
    }

    @Benchmark
    public void conv1BackwardFilter() {
        cpu.convolution().backwardFilter(x1, dy1, CONV1, dw1);
    }

    @Benchmark
    public void relu1Forward() {
        cpu.activations().forward(ActivationSpec.RELU, dy1, y1);
    }

    @Benchmark
    public void relu1Backward() {
        cpu.activations().backward(ActivationSpec.RELU, y1, y1, dy1, dz1);
    }

    @Benchmark
    public void pool1Forward() {
        cpu.pooling().forward(y1, POOL, p1);
    }

    @Benchmark
    public void pool1Backward() {
        cpu.pooling().backward(y1, p1, dp1, POOL, dy1);
    }

    @Benchmark
    public void conv2Forward() {
        cpu.convolution().forward(p1, w2, b2, CONV2, y2);
    }

    @Benchmark
    public void conv2BackwardData() {
        cpu.convolution().backwardData(y2, w2, CONV2, dp1);
    }

    @Benchmark
    public void conv2BackwardFilter() {
        cpu.convolution().backwardFilter(p1, y2, CONV2, dw2);
    }

    @Benchmark
    public void conv2BiasBackward() {
        cpu.convolution().biasBackward(y2, db2);
    }

    @Benchmark
    public void dense1Forward() {
        cpu.dense().forward(flat, wd, bd, yd);
    }

    @Benchmark
    public void dense1BackwardData() {
        cpu.dense().backwardData(yd, wd, dflat);
    }

    @Benchmark
    public void dense1BackwardWeights() {
        cpu.dense().backwardWeights(flat, yd, dwd);
    }
}
