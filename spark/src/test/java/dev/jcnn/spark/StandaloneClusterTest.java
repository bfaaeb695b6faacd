package dev.jcnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Backends;
import dev.jcnn.data.Mnist;
import dev.jcnn.model.Model;
import dev.jcnn.train.Evaluation;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real standalone cluster on loopback: a Master and two Workers of one core each, started
 * from Spark's own classes, each in its own JVM, and the executors the Workers launch in
 * theirs. A Worker builds its executors' class path from SPARK_HOME/jars, as in a Spark
 * distribution (marked by its RELEASE file): here a folder of links to this test's own jars.
 */
class StandaloneClusterTest {

    private static final Path SLICE = Path.of("../samples/src/test/resources/mnist-slice");
    private static final List<Process> STARTED = new ArrayList<>();
    private static String masterUrl;

    @BeforeAll
    static void startCluster() throws Exception {
        Path home = Path.of("target/spark-home").toAbsolutePath();
        Path jars = home.resolve("jars");
        Files.createDirectories(jars);
        // a distribution's marker: with it, the launcher takes SPARK_HOME/jars as Spark's class path
        Files.writeString(home.resolve("RELEASE"), "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
                + " for the tests of jcnn-spark\n");
        List<String> jcnnClasses = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(p)) {
                jcnnClasses.add(p.toString());
            } else if (p.toString().endsWith(".jar") && !Files.exists(jars.resolve(p.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(p.getFileName()), p);
            }
        }
        int port = freePort();
        masterUrl = "spark://127.0.0.1:" + port;
        String cp = jars + File.separator + "*";
        STARTED.add(start(home, "master", cp, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--webui-port", Integer.toString(freePort())));
        for (int w = 1; w <= 2; w++) {
            Path work = home.resolve("work-" + w);
            Files.createDirectories(work);
            STARTED.add(start(home, "worker-" + w, cp, "org.apache.spark.deploy.worker.Worker", masterUrl, "--host",
                    "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", Integer.toString(freePort()),
                    "--work-dir", work.toString()));
        }
        System.setProperty("jcnn.test.classes", String.join(File.pathSeparator, jcnnClasses));
    }

    @AfterAll
    static void stopCluster() {
        for (Process p : STARTED) {
            p.destroy();
        }
    }

    /**
     * The test: two workers train LeNet-5 on MNIST (the slice) to the accuracy of one
     * worker with the same global batch. Midway through the second epoch the test kills one
     * executor's JVM: Spark retries its task elsewhere, the Worker launches a new executor,
     * the lost cached partition is rebuilt from its lineage, and the weights still end within
     * the float-summation tolerance of the one worker's.
     */
    @Test
    void twoWorkersTrainLeNet5ToTheAccuracyOfOneWorkerEvenWhenAnExecutorIsKilled() throws Exception {
        SparkConf conf = new SparkConf().setMaster(masterUrl).setAppName("jcnn-standalone-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1").set("spark.executor.cores", "1")
                .set("spark.cores.max", "2").set("spark.executor.memory", "768m")
                .set("spark.executor.extraClassPath", System.getProperty("jcnn.test.classes"))
                .set("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector");
        Mnist mnist = Mnist.load(SLICE);
        double clusterAccuracy;
        Map<String, float[]> clusterWeights = new LinkedHashMap<>();
        AtomicInteger removed = new AtomicInteger();
        AtomicLong killed = new AtomicLong(-1);
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            long deadline = System.currentTimeMillis() + 90_000;
            while (sc.sc().getExecutorMemoryStatus().size() < 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(250);
            }
            assertEquals(3, sc.sc().getExecutorMemoryStatus().size(), "the driver and two executors");
            JavaRDD<Sample> samples = SampleRdds.of(sc, mnist.train(), 2);
            List<String> executors = samples.mapPartitions(it -> List.of(SparkEnv.get().executorId() + " "
                    + ProcessHandle.current().pid()).iterator()).distinct().collect();
            assertEquals(2, executors.size(), "the partitions ran on executors (id, pid) " + executors);
            long victim = Long.parseLong(executors.get(0).split(" ")[1]);
            AtomicInteger jobs = new AtomicInteger();
            sc.sc().addSparkListener(new SparkListener() {
                @Override
                public void onJobEnd(SparkListenerJobEnd end) {
                    // job 1 checks the partitions; 32 steps an epoch follow: kill in step 12 of epoch 2
                    if (jobs.incrementAndGet() == 1 + 32 + 11 && killed.compareAndSet(-1, victim)) {
                        ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }

                @Override
                public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
                    removed.incrementAndGet();
                }
            });
            try (SparkTrainer t = new SparkTrainer(sc, StandaloneClusterTest::lenet5,
                    SparseCategoricalCrossEntropy::new, new Sgd(0.05f, 0.9f), "cpu", 7)) {
                t.fit(samples, SparkFitOptions.of(2, 32).shuffle(false));
                clusterAccuracy = t.model().evaluate(mnist.test(), 256).accuracy();
                t.model().weights().forEach((k, v) -> clusterWeights.put(k, v.toArray()));
            }
        }
        assertEquals(victim(killed), killed.get(), "an executor was killed");
        assertTrue(removed.get() >= 1, "Spark saw the killed executor go");
        Map<String, float[]> oneWorkerWeights = new LinkedHashMap<>();
        double oneWorker = oneWorker(mnist, oneWorkerWeights);
        System.out.printf("standalone cluster, 2 workers of batch 32, one executor killed: test accuracy %.4f; one worker"
                + " of batch 64: %.4f%n", clusterAccuracy, oneWorker);
        assertTrue(clusterAccuracy > 0.75, "accuracy " + clusterAccuracy);
        assertEquals(oneWorker, clusterAccuracy, 0.003);
        double worst = 0;
        for (Map.Entry<String, float[]> e : oneWorkerWeights.entrySet()) {
            float[] w = e.getValue();
            float[] c = clusterWeights.get(e.getKey());
            for (int i = 0; i < w.length; i++) {
                worst = Math.max(worst, Math.abs(w[i] - c[i]));
                assertTrue(Math.abs(w[i] - c[i]) <= 1e-5 + 1e-4 * Math.abs(w[i]), e.getKey() + "[" + i + "]: one worker "
                        + w[i] + ", the cluster " + c[i]);
            }
        }
        System.out.printf("worst |Δw| between one worker and the cluster after 64 steps: %.3g%n", worst);
    }

    private static long victim(AtomicLong killed) {
        return killed.get() < 0 ? -2 : killed.get();
    }

    static Model lenet5() {
        return ModelZoo.create(ModelZoo.LENET5);
    }

    /**
     * One worker, global batch 64: each batch the two partitions' slices of 32, as the
     * cluster's steps take them; returns the test accuracy and fills in the weights.
     */
    private static double oneWorker(Mnist mnist, Map<String, float[]> weights) throws IOException {
        int n = mnist.train().size();
        int half = n / 2;
        int size = mnist.train().sampleShape().size();
        float[] x = new float[n * size];
        int[] labels = new int[n];
        int at = 0;
        for (int s = 0; s * 32 < half; s++) {
            for (int p = 0; p < 2; p++) {
                for (int i = p * half + s * 32; i < Math.min(p * half + (s + 1) * 32, (p + 1) * half); i++) {
                    mnist.train().copySample(i, x, at * size);
                    labels[at++] = mnist.train().label(i);
                }
            }
        }
        Backend cpu = Backends.create("cpu");
        try (Model model = lenet5()) {
            model.build(cpu, 7).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f));
            model.fit(x, labels, FitOptions.of(2, 64).shuffle(false));
            Evaluation e = model.evaluate(mnist.test(), 256);
            model.weights().forEach((k, v) -> weights.put(k, v.toArray()));
            return e.accuracy();
        } finally {
            cpu.close();
        }
    }

    private static Process start(Path home, String name, String cp, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", cp, main));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile());
        b.environment().put("SPARK_HOME", home.toString());
        // else the launcher looks for the Scala version in a Spark source tree's build folders
        b.environment().put("SPARK_SCALA_VERSION", "2.13");
        return b.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
