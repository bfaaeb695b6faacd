package dev.jcnn.bench;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.model.Sequential;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
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
 * End to end: one LeNet-5 training step through {@code Model.fit} (forward, loss, backward,
 * SGD with momentum) on one batch, and one forward pass of a single image through
 * {@code Model.predict}. Images/s of training = batch / (time per step).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar TrainStepBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainStepBenchmark {

    @Param({"64", "256"})
    public int batch;

    @Param({"2"})
    public int threads;

    private CpuBackend cpu;
    private Sequential model;
    private float[] x;
    private int[] y;
    private float[] one;
    private FitOptions step;

    @Setup(Level.Trial)
    public void setUp() {
        cpu = new CpuBackend(BackendOptions.defaults().withThreads(threads));
        model = ModelZoo.lenet5();
        model.build(cpu, 0).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f));
        SplittableRandom r = new SplittableRandom(1);
        x = new float[batch * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = r.nextInt(10);
        }
        one = new float[784];
        System.arraycopy(x, 0, one, 0, 784);
        step = FitOptions.of(1, batch).shuffle(false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
        cpu.close();
    }

    @Benchmark
    public double trainStep() {
        return model.fit(x, y, step).last().loss();
    }

    @Benchmark
    public float[] predictOneImage() {
        return model.predict(one, 1);
    }
}
