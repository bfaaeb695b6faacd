package dev.jcnn.samples.cifar;

import dev.jcnn.data.Cifar10;
import dev.jcnn.samples.mnist.FetchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the CIFAR-10 binary folder ({@code cifar-10-batches-bin}). Nothing can be downloaded
 * here, so it only looks: in the flag's folder, else {@code $JCNN_CIFAR10}'s, else
 * {@code ~/.cache/jcnn/cifar10}; each may be the folder itself or the one the archive was
 * unpacked in. When the files are not there, the message says which are missing and where to
 * put them. The files' format is checked when they are read ({@link dev.jcnn.data.CifarImages}).
 */
public final class CifarLocator {

    /** Environment variable naming the folder. */
    public static final String DATA_ENV = "JCNN_CIFAR10";
    /** The archive of the binary version, as it is published. */
    public static final String ARCHIVE = "cifar-10-binary.tar.gz";

    private final Path dir;

    public CifarLocator(Path dir) {
        this.dir = dir;
    }

    /** The flag's folder, else $JCNN_CIFAR10's, else ~/.cache/jcnn/cifar10. */
    public static CifarLocator configured(Path dataDirFlag, Map<String, String> env) {
        if (dataDirFlag != null) {
            return new CifarLocator(dataDirFlag);
        }
        String fromEnv = env.get(DATA_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new CifarLocator(Path.of(fromEnv));
        }
        return new CifarLocator(Path.of(System.getProperty("user.home"), ".cache", "jcnn", "cifar10"));
    }

    /** The folder looked in. */
    public Path dir() {
        return dir;
    }

    /**
     * The folder that holds every file: {@code dir} or {@code dir/cifar-10-batches-bin}.
     *
     * @throws FetchException naming the missing files and where to put them
     */
    public Path locate() throws FetchException {
        Path nested = dir.resolve(Cifar10.FOLDER);
        Path folder = Files.isDirectory(nested) ? nested : dir;
        List<String> missing = new ArrayList<>();
        for (String name : Cifar10.files()) {
            if (!Files.isRegularFile(folder.resolve(name))) {
                missing.add(name);
            }
        }
        if (missing.isEmpty()) {
            return folder;
        }
        throw new FetchException("CIFAR-10 not found in " + folder + (Files.isDirectory(folder) ? ": it lacks "
                + String.join(", ", missing) : ": no such folder") + ". It cannot be downloaded here: unpack the"
                + " binary version (" + ARCHIVE + ", which holds " + Cifar10.FOLDER + "/ with "
                + String.join(", ", Cifar10.files()) + ") into " + dir + " (tar -xzf " + ARCHIVE + " -C " + dir
                + "), or point --data-dir or " + DATA_ENV + " at the folder that holds them.");
    }
}
