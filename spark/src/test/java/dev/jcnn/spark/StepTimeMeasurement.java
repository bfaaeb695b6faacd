package dev.jcnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcnn.data.Dataset;
import dev.jcnn.data.Mnist;
import dev.jcnn.data.SampleSource;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Padding;
import dev.jcnn.model.Model;
import dev.jcnn.model.Sequential;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import scala.Function1;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * The figures of docs/spark.md: the time of a LeNet-5 step on local[2] at 1 and 2 workers,
 * split into compute and communication, and the two ways Spark offers to combine the
 * gradients, side by side on the same replicas: {@code treeAggregate} (what SparkTrainer
 * uses) and barrier mode's {@code BarrierTaskContext.allGather}; and the step of a model of
 * ResNet-18's parameter count at 1 and 2 workers. A measurement, not a check:
 * it runs only with {@code -Djcnn.spark.measure=true}.
 */
class StepTimeMeasurement {

    private static final int STEPS = 40;
    private static final int GLOBAL_BATCH = 64;

    @Test
    void lenet5StepTimesOnLocal2() throws Exception {
        assumeTrue(Boolean.getBoolean("jcnn.spark.measure"), "a measurement: run with -Djcnn.spark.measure=true");
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("jcnn-spark-measure")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        Dataset mnist = Mnist.load(Path.of("../samples/src/test/resources/mnist-slice")).train();
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            for (int workers = 1; workers <= 2; workers++) {
                JavaRDD<Sample> rdd = SampleRdds.of(sc, mnist, workers);
                try (SparkTrainer t = new SparkTrainer(sc, StepTimeMeasurement::lenet5,
                        SparseCategoricalCrossEntropy::new, new Sgd(0.05f, 0.9f), "cpu", 7)) {
                    // epoch 1 warms the JIT and builds the replicas; epochs 2 and 3 are the figures
                    List<SparkEpoch> epochs = t.fit(rdd, SparkFitOptions.of(3, GLOBAL_BATCH / workers));
                    for (SparkEpoch e : epochs.subList(1, 3)) {
                        System.out.printf("MEASURE trainer workers=%d batch/worker=%d step %.1f ms = compute %.1f + "
                                + "communication %.1f + apply %.2f ms%n", workers, GLOBAL_BATCH / workers, e.stepMillis(),
                                e.computeMillis(), e.communicationMillis(), e.applyMillis());
                    }
                }
            }
            JavaRDD<PartitionBlock> blocks = SampleRdds.of(sc, mnist, 2)
                    .mapPartitionsWithIndex((p, it) -> List.of(PartitionBlock.of(p, it)).iterator(), true);
            blocks.persist(StorageLevel.MEMORY_ONLY());
            ReplicaRecipe recipe = new ReplicaRecipe("measure", StepTimeMeasurement::lenet5,
                    SparseCategoricalCrossEntropy::new, "cpu", 7);
            float[] w;
            try (SparkTrainer t = new SparkTrainer(sc, StepTimeMeasurement::lenet5, SparseCategoricalCrossEntropy::new,
                    new Sgd(0.05f), "cpu", 7)) {
                w = new float[Replica.vectorSize(t.model().parameters(), t.model().state())];
            }
            Broadcast<float[]> weights = sc.broadcast(w);
            int b = GLOBAL_BATCH / 2;
            for (int round = 0; round < 2; round++) {
                long tree = 0;
                long barrier = 0;
                long treeCompute = 0;
                long barrierCompute = 0;
                for (int s = 0; s < STEPS; s++) {
                    int step = s;
                    long t0 = System.nanoTime();
                    GradientSum a = blocks.treeAggregate(new GradientSum(),
                            (acc, block) -> acc.merge(slice(recipe, weights, block, step, b)), GradientSum::merge, 2);
                    long t1 = System.nanoTime();
                    List<GradientSum> g = blocks.rdd().barrier()
                            .mapPartitions(allGatherStep(recipe, weights, step, b), false,
                                    ClassTag$.MODULE$.apply(GradientSum.class)).toJavaRDD().collect();
                    long t2 = System.nanoTime();
                    assertEquals(1, g.size());
                    assertEquals(a.samples, g.get(0).samples);
                    tree += t1 - t0;
                    barrier += t2 - t1;
                    treeCompute += a.maxComputeNanos;
                    barrierCompute += g.get(0).maxComputeNanos;
                }
                System.out.printf("MEASURE round %d, 2 workers, batch/worker %d, %d values a step: treeAggregate %.1f ms"
                        + " (compute %.1f), barrier allGather %.1f ms (compute %.1f)%n", round, b, w.length,
                        tree / 1e6 / STEPS, treeCompute / 1e6 / STEPS, barrier / 1e6 / STEPS,
                        barrierCompute / 1e6 / STEPS);
            }
            weights.destroy();
            Replica.release("measure");
        }
    }

    /**
     * The ResNet-sized model at 1 and 2 workers: {@link #resnetSized}, on random 3×32×32
     * images (the times do not depend on the pixels), global batch 64, two epochs of 8 steps;
     * the first warms the JIT and builds the replicas, the second is the figure.
     */
    @Test
    void resnetSizedStepTimesOnLocal2() throws Exception {
        assumeTrue(Boolean.getBoolean("jcnn.spark.measure"), "a measurement: run with -Djcnn.spark.measure=true");
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("jcnn-spark-measure-resnet")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        int n = GLOBAL_BATCH * 8;
        java.util.Random random = new java.util.Random(5);
        float[] x = new float[n * 3 * 32 * 32];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        SampleSource images = SampleSource.of(Shape.of(3, 32, 32), x, labels);
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            for (int workers = 1; workers <= 2; workers++) {
                JavaRDD<Sample> rdd = SampleRdds.of(sc, images, workers);
                try (SparkTrainer t = new SparkTrainer(sc, StepTimeMeasurement::resnetSized,
                        SparseCategoricalCrossEntropy::new, new Sgd(0.01f, 0.9f), "cpu", 7)) {
                    long parameters = t.model().parameterCount();
                    List<SparkEpoch> epochs = t.fit(rdd, SparkFitOptions.of(2, GLOBAL_BATCH / workers));
                    SparkEpoch e = epochs.get(1);
                    System.out.printf("MEASURE resnet-sized (%,d parameters) workers=%d batch/worker=%d step %.1f ms ="
                            + " compute %.1f + communication %.1f + apply %.2f ms (epoch 1: step %.1f, compute %.1f)%n",
                            parameters, workers, GLOBAL_BATCH / workers, e.stepMillis(), e.computeMillis(),
                            e.communicationMillis(), e.applyMillis(), epochs.get(0).stepMillis(),
                            epochs.get(0).computeMillis());
                }
            }
        }
    }

    /**
     * A stand-in for ResNet-18's communication: about its parameter count (11.65 M against
     * 11.69 M), most of it in 3×3 convolutions of 512 channels, but at 2×2 pixels, so that its
     * compute on 3×32×32 stays modest (about 46 M multiply-adds a sample forward, a tenth of a
     * CIFAR ResNet-18's 0.56 G). No residual connections or batch normalization: the bytes a
     * step moves depend only on the parameter count.
     */
    static Model resnetSized() {
        return new Sequential("resnet18-sized", Shape.of(3, 32, 32),
                new Conv2D(64, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU),
                new MaxPool2D(2),
                new Conv2D(128, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(256, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(512, 3).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(512, 3).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(512, 3).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(512, 3).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(512, 3).padding(Padding.SAME).activation(Activation.RELU),
                new Flatten(),
                new Dense(320, Activation.RELU),
                new Dense(10, Activation.SOFTMAX));
    }

    static Model lenet5() {
        return ModelZoo.create(ModelZoo.LENET5);
    }

    private static GradientSum slice(ReplicaRecipe recipe, Broadcast<float[]> weights, PartitionBlock block, int step,
            int b) {
        int from = (step * b) % block.count();
        int to = Math.min(from + b, block.count());
        int[] order = new int[block.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Replica r = Replica.borrow(recipe);
        try {
            return r.gradients(weights.value(), block, order, from, to);
        } finally {
            Replica.giveBack(recipe, r);
        }
    }

    /**
     * Barrier mode's step: every task computes its gradient, all tasks exchange them through
     * allGather (strings, so Base64 of the floats) and sum them in partition order; the first
     * returns the sum to the driver.
     */
    @SuppressWarnings("unchecked")
    private static Function1<Iterator<PartitionBlock>, Iterator<GradientSum>> allGatherStep(ReplicaRecipe recipe,
            Broadcast<float[]> weights, int step, int b) {
        return (Function1<Iterator<PartitionBlock>, Iterator<GradientSum>> & Serializable) it -> {
            PartitionBlock block = it.next();
            GradientSum mine = slice(recipe, weights, block, step, b);
            ByteBuffer bytes = ByteBuffer.allocate(4 * mine.weighted.length + 24).order(ByteOrder.LITTLE_ENDIAN);
            bytes.putLong(mine.samples).putDouble(mine.lossSum).putLong(mine.maxComputeNanos);
            bytes.asFloatBuffer().put(mine.weighted);
            BarrierTaskContext ctx = BarrierTaskContext.get();
            String[] all = ctx.allGather(Base64.getEncoder().encodeToString(bytes.array()));
            GradientSum sum = new GradientSum();
            for (String m : all) {
                ByteBuffer in = ByteBuffer.wrap(Base64.getDecoder().decode(m)).order(ByteOrder.LITTLE_ENDIAN);
                GradientSum g = new GradientSum();
                g.samples = in.getLong();
                g.lossSum = in.getDouble();
                g.maxComputeNanos = in.getLong();
                g.weighted = new float[mine.weighted.length];
                in.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(g.weighted);
                sum.merge(g);
            }
            List<GradientSum> out = ctx.partitionId() == 0 ? List.of(sum) : List.of();
            return CollectionConverters.asScala(out.iterator());
        };
    }
}
