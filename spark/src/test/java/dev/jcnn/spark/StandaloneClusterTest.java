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
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
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

    @Test
    void twoWorkersTrainLeNet5ToTheAccuracyOfOneWorkerWithTheSameGlobalBatch() throws Exception {
        SparkConf conf = new SparkConf().setMaster(masterUrl).setAppName("jcnn-standalone-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1").set("spark.executor.cores", "1")
                .set("spark.cores.max", "2").set("spark.executor.memory", "768m")
                .set("spark.executor.extraClassPath", System.getProperty("jcnn.test.classes"))
                .set("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector");
        Mnist mnist = Mnist.load(SLICE);
        double clusterAccuracy;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            long deadline = System.currentTimeMillis() + 90_000;
            while (sc.sc().getExecutorMemoryStatus().size() < 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(250);
            }
            assertEquals(3, sc.sc().getExecutorMemoryStatus().size(), "the driver and two executors");
            JavaRDD<Sample> samples = SampleRdds.of(sc, mnist.train(), 2);
            List<String> hosts = samples.mapPartitions(it -> List.of(
                    org.apache.spark.SparkEnv.get().executorId()).iterator()).distinct().collect();
            assertEquals(2, hosts.size(), "the partitions ran on executors " + hosts);
            try (SparkTrainer t = new SparkTrainer(sc, StandaloneClusterTest::lenet5,
                    SparseCategoricalCrossEntropy::new, new Sgd(0.05f, 0.9f), "cpu", 7)) {
                t.fit(samples, SparkFitOptions.of(2, 32).shuffle(false));
                clusterAccuracy = t.model().evaluate(mnist.test(), 256).accuracy();
            }
        }
        double oneWorker = oneWorkerAccuracy(mnist);
        System.out.printf("standalone cluster, 2 workers of batch 32: test accuracy %.4f; one worker of batch 64: %.4f%n",
                clusterAccuracy, oneWorker);
        assertTrue(clusterAccuracy > 0.75, "accuracy " + clusterAccuracy);
        assertEquals(oneWorker, clusterAccuracy, 0.003);
    }

    static Model lenet5() {
        return ModelZoo.create(ModelZoo.LENET5);
    }

    /** One worker, global batch 64: each batch the two partitions' slices of 32, as the cluster's steps take them. */
    private static double oneWorkerAccuracy(Mnist mnist) throws IOException {
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
