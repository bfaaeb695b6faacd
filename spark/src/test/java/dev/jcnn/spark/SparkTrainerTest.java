package dev.jcnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Backends;
import dev.jcnn.backend.Tensor;
import dev.jcnn.data.Dataset;
import dev.jcnn.data.Mnist;
import dev.jcnn.data.SampleSource;
import dev.jcnn.model.Model;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training on local[2] (two task threads, one retry allowed per task) against
 * core's own {@code Model.fit} on the same global batches.
 */
class SparkTrainerTest {

    private static final long SEED = 7;
    private static final float LR = 0.05f;
    private static final float MOMENTUM = 0.9f;
    /**
     * Worst allowed |Δw| ≤ ABS + REL·|w| between N workers and one: the two differ only in the
     * order of float sums (per-slice sums then their sum, against one sum over the batch),
     * about 1e-7 relative per step, which momentum carries over the steps (measured: 6e-8 at
     * most after eight steps of LeNet-5).
     */
    private static final double ABS = 1e-6;
    private static final double REL = 1e-5;

    private static JavaSparkContext sc;
    private static Dataset mnist;

    /** Calls of the failing architecture; the second (the first replica) throws. */
    private static final AtomicInteger CALLS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        SparkConf conf = new SparkConf().setMaster("local[2,2]").setAppName("jcnn-spark-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        sc = new JavaSparkContext(conf);
        mnist = Mnist.load(Path.of("../samples/src/test/resources/mnist-slice")).train();
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void twoWorkersOfBatch16TakeTheStepsOfOneWorkerOfBatch32() {
        JavaRDD<Sample> rdd = SampleRdds.of(sc, first(128), 2);
        SparkFitOptions options = SparkFitOptions.of(2, 16).shuffle(false);
        Map<String, float[]> spark = trainOnSpark(rdd, options, SparkTrainerTest::lenet5);
        Map<String, float[]> local = trainLocally(rdd, options);
        assertClose(local, spark);
    }

    @Test
    void unequalPartitionsAndShortSlicesStillTakeTheGlobalBatchesSteps() {
        // 100 samples over 3 partitions (33, 33, 34) in slices of 10: the last step has 3, 3 and 4
        JavaRDD<Sample> rdd = SampleRdds.of(sc, first(100), 3);
        SparkFitOptions options = SparkFitOptions.of(1, 10).shuffle(false);
        assertEquals(List.of(33, 33, 34), rdd.glom().map(List::size).collect());
        Map<String, float[]> spark = trainOnSpark(rdd, options, SparkTrainerTest::lenet5);
        Map<String, float[]> local = trainLocally(rdd, options);
        assertClose(local, spark);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedBySparkAndTheResultIsTheSame() {
        JavaRDD<Sample> rdd = SampleRdds.of(sc, first(64), 2);
        SparkFitOptions options = SparkFitOptions.of(1, 16);
        Map<String, float[]> clean = trainOnSpark(rdd, options, SparkTrainerTest::lenet5);
        CALLS.set(0);
        Map<String, float[]> retried = trainOnSpark(rdd, options, SparkTrainerTest::failsOnFirstReplica);
        assertTrue(CALLS.get() >= 3, "the failing architecture was called " + CALLS.get() + " times: no retry happened");
        // two partitions: Spark adds the two gradients in either order, which float addition does not mind
        for (Map.Entry<String, float[]> e : clean.entrySet()) {
            assertArrayEquals(e.getValue(), retried.get(e.getKey()), e.getKey());
        }
    }

    @Test
    void trainingOnTheMnistSliceLearns() {
        JavaRDD<Sample> rdd = SampleRdds.of(sc, mnist, 2);
        try (SparkTrainer t = new SparkTrainer(sc, SparkTrainerTest::lenet5, SparseCategoricalCrossEntropy::new,
                new Sgd(LR, MOMENTUM), "cpu", SEED)) {
            List<SparkEpoch> epochs = t.fit(rdd, SparkFitOptions.of(2, 32));
            assertEquals(2, epochs.size());
            assertEquals(2000, epochs.get(1).samples());
            assertEquals(32, epochs.get(1).steps());
            assertTrue(epochs.get(1).loss() < epochs.get(0).loss(), epochs.toString());
            assertTrue(epochs.get(1).accuracy() > 0.8, epochs.toString());
            assertTrue(epochs.get(1).computeMillis() > 0 && epochs.get(1).communicationMillis() > 0, epochs.toString());
        }
    }

    @Test
    void samplesOfTheWrongSizeAreRefusedNamingThePartitionAndTheModelsInput() {
        JavaRDD<Sample> rdd = sc.parallelize(List.of(new Sample(new float[10], 1), new Sample(new float[10], 2)), 2);
        try (SparkTrainer t = new SparkTrainer(sc, SparkTrainerTest::lenet5, SparseCategoricalCrossEntropy::new,
                new Sgd(LR), "cpu", SEED)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> t.fit(rdd, SparkFitOptions.of(1, 1)));
            assertTrue(e.getMessage().contains("have 10 values") && e.getMessage().contains("takes (1, 28, 28) = 784"),
                    e.getMessage());
        }
    }

    @Test
    void labelsBeyondTheModelsClassesAndBadOptionsAreRefused() {
        JavaRDD<Sample> rdd = sc.parallelize(List.of(new Sample(new float[784], 12)), 1);
        try (SparkTrainer t = new SparkTrainer(sc, SparkTrainerTest::lenet5, SparseCategoricalCrossEntropy::new,
                new Sgd(LR), "cpu", SEED)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> t.fit(rdd, SparkFitOptions.of(1, 1)));
            assertTrue(e.getMessage().contains("label 12") && e.getMessage().contains("10 classes"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> SparkFitOptions.of(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sample(new float[1], -1));
    }

    @Test
    void aRunResumedFromTheDriversCheckpointEndsWithTheUninterruptedRunsWeights(@TempDir Path dir) throws Exception {
        JavaRDD<Sample> rdd = SampleRdds.of(sc, first(64), 2);
        SparkFitOptions two = SparkFitOptions.of(2, 16);
        Map<String, float[]> straight = trainOnSpark(rdd, two, SparkTrainerTest::lenet5);
        Path checkpoint = dir.resolve("spark.ckpt");
        try (SparkTrainer t = trainer()) {
            assertEquals(1, t.fit(rdd, SparkFitOptions.of(1, 16), checkpoint).size());
        }
        try (SparkTrainer t = trainer()) {
            List<SparkEpoch> resumed = t.fit(rdd, two, checkpoint);
            assertEquals(1, resumed.size());
            assertEquals(2, resumed.get(0).epoch());
            Map<String, float[]> after = values(t.model());
            for (Map.Entry<String, float[]> e : straight.entrySet()) {
                assertArrayEquals(e.getValue(), after.get(e.getKey()), e.getKey());
            }
        }
    }

    private static SparkTrainer trainer() {
        return new SparkTrainer(sc, SparkTrainerTest::lenet5, SparseCategoricalCrossEntropy::new, new Sgd(LR, MOMENTUM),
                "cpu", SEED);
    }

    static Model lenet5() {
        return ModelZoo.create(ModelZoo.LENET5);
    }

    static Model failsOnFirstReplica() {
        if (CALLS.incrementAndGet() == 2) {
            throw new IllegalStateException("injected failure of the first replica's build");
        }
        return lenet5();
    }

    private static SampleSource first(int n) {
        int size = mnist.sampleShape().size();
        float[] x = new float[n * size];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            mnist.copySample(i, x, i * size);
            labels[i] = mnist.label(i);
        }
        return SampleSource.of(mnist.sampleShape(), x, labels);
    }

    private static Map<String, float[]> trainOnSpark(JavaRDD<Sample> rdd, SparkFitOptions options,
            SerializableSupplier<Model> architecture) {
        try (SparkTrainer t = new SparkTrainer(sc, architecture, SparseCategoricalCrossEntropy::new,
                new Sgd(LR, MOMENTUM), "cpu", SEED)) {
            t.fit(rdd, options);
            return values(t.model());
        }
    }

    /**
     * One worker: core's Model.fit, one call per step on that step's global batch (every
     * partition's slice, in partition order), so the optimizer's momentum runs on across them.
     */
    private static Map<String, float[]> trainLocally(JavaRDD<Sample> rdd, SparkFitOptions options) {
        List<List<Sample>> partitions = rdd.glom().collect();
        int largest = partitions.stream().mapToInt(List::size).max().orElseThrow();
        int b = options.batchPerWorker();
        Backend backend = Backends.create("cpu");
        try (Model model = lenet5()) {
            model.build(backend, SEED).compile(new SparseCategoricalCrossEntropy(), new Sgd(LR, MOMENTUM));
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                for (int step = 0; step * b < largest; step++) {
                    List<Sample> batch = new ArrayList<>();
                    for (List<Sample> p : partitions) {
                        batch.addAll(p.subList(Math.min(step * b, p.size()), Math.min((step + 1) * b, p.size())));
                    }
                    int size = batch.get(0).values().length;
                    float[] x = new float[batch.size() * size];
                    int[] labels = new int[batch.size()];
                    for (int i = 0; i < batch.size(); i++) {
                        System.arraycopy(batch.get(i).values(), 0, x, i * size, size);
                        labels[i] = batch.get(i).label();
                    }
                    model.fit(SampleSource.of(mnist.sampleShape(), x, labels), FitOptions.of(1, batch.size()).shuffle(false));
                }
            }
            return values(model);
        } finally {
            backend.close();
        }
    }

    private static Map<String, float[]> values(Model model) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.weights().entrySet()) {
            out.put(e.getKey(), e.getValue().toArray());
        }
        return out;
    }

    private static void assertClose(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        double worst = 0;
        for (Map.Entry<String, float[]> e : expected.entrySet()) {
            float[] w = e.getValue();
            float[] a = actual.get(e.getKey());
            assertEquals(w.length, a.length, e.getKey());
            for (int i = 0; i < w.length; i++) {
                double d = Math.abs(w[i] - a[i]);
                worst = Math.max(worst, d);
                assertTrue(d <= ABS + REL * Math.abs(w[i]), e.getKey() + "[" + i + "]: one worker " + w[i]
                        + ", Spark's workers " + a[i]);
            }
        }
        System.out.printf("worst |Δw| between one worker and Spark's: %.3g%n", worst);
    }

}
