package dev.jcnn.spark;

import dev.jcnn.data.Mnist;
import dev.jcnn.model.Model;
import dev.jcnn.train.Evaluation;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The {@code spark-submit} entry point (docs/spark.md): trains a zoo model on MNIST across
 * the application's executors with {@link SparkTrainer}, evaluates it on the test set on the
 * driver and saves it. Options, each with its default: {@code --data-dir data/mnist
 * --model lenet5 --epochs 2 --partitions 2 --batch-per-worker 32 --lr 0.05 --momentum 0.9
 * --backend cpu --seed 42 --checkpoint FILE --out FILE --master URL} (the master only when
 * spark-submit does not set it). The partitions are the workers: each step takes
 * batch-per-worker samples from each.
 */
public final class SparkTrain {

    /** What a run did: its epochs and the test set's figures. */
    public record Result(List<SparkEpoch> epochs, Evaluation test) {
    }

    private static final Map<String, String> DEFAULTS = Map.of("--data-dir", "data/mnist", "--model", ModelZoo.LENET5,
            "--epochs", "2", "--partitions", "2", "--batch-per-worker", "32", "--lr", "0.05", "--momentum", "0.9",
            "--backend", "cpu", "--seed", "42");

    private SparkTrain() {
    }

    /** Runs {@link #run} and prints the test figures. */
    public static void main(String[] args) throws IOException {
        Result r = run(args);
        System.out.printf("test: loss %.4f, accuracy %.4f on %d images%n", r.test().loss(), r.test().accuracy(),
                r.test().samples());
    }

    /**
     * Trains as the options say, in a Spark context of its own (stopped at the end).
     *
     * @throws IllegalArgumentException naming an unknown option or a bad value
     */
    public static Result run(String[] args) throws IOException {
        Map<String, String> o = parse(args);
        String architecture = o.get("--model");
        if (!ModelZoo.NAMES.contains(architecture)) {
            throw new IllegalArgumentException("--model: unknown model '" + architecture + "', expected one of "
                    + ModelZoo.NAMES);
        }
        SparkConf conf = new SparkConf().setAppName("jcnn train " + architecture);
        if (o.containsKey("--master")) {
            conf.setMaster(o.get("--master"));
        }
        Mnist mnist = Mnist.load(Path.of(o.get("--data-dir")));
        Path checkpoint = o.containsKey("--checkpoint") ? Path.of(o.get("--checkpoint")) : null;
        Sgd sgd = new Sgd(number(o, "--lr"), number(o, "--momentum"));
        SparkFitOptions options = SparkFitOptions.of(whole(o, "--epochs"), whole(o, "--batch-per-worker"))
                .seed(Long.parseLong(o.get("--seed")));
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            JavaRDD<Sample> samples = SampleRdds.of(sc, mnist.train(), whole(o, "--partitions"));
            try (SparkTrainer trainer = new SparkTrainer(sc, () -> ModelZoo.create(architecture),
                    SparseCategoricalCrossEntropy::new, sgd, o.get("--backend"), options.seed())) {
                List<SparkEpoch> epochs = trainer.fit(samples, options, checkpoint);
                Model model = trainer.model();
                Evaluation test = model.evaluate(mnist.test(), 256);
                if (o.containsKey("--out")) {
                    model.save(Path.of(o.get("--out")));
                }
                return new Result(epochs, test);
            }
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i];
            boolean known = DEFAULTS.containsKey(key) || key.equals("--checkpoint") || key.equals("--out")
                    || key.equals("--master");
            if (!known) {
                throw new IllegalArgumentException("unknown option '" + key + "' (argument " + (i + 1) + "), expected one"
                        + " of " + DEFAULTS.keySet() + ", --checkpoint, --out, --master");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + key + " needs a value");
            }
            o.put(key, args[i + 1]);
        }
        return o;
    }

    private static int whole(Map<String, String> o, String key) {
        try {
            return Integer.parseInt(o.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected a whole number, got '" + o.get(key) + "'", e);
        }
    }

    private static float number(Map<String, String> o, String key) {
        try {
            return Float.parseFloat(o.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected a number, got '" + o.get(key) + "'", e);
        }
    }
}
