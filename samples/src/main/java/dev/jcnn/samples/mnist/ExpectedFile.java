package dev.jcnn.samples.mnist;

import java.util.List;

/**
 * A data file as it must be once decompressed: its name, length and SHA-256.
 *
 * @param name   the file name, without .gz
 * @param bytes  its length uncompressed
 * @param sha256 the SHA-256 of its uncompressed bytes, lower-case hex
 */
public record ExpectedFile(String name, long bytes, String sha256) {

    /** The four MNIST files (the same checksums hold for every public copy, after gunzip). */
    public static final List<ExpectedFile> MNIST = List.of(
            new ExpectedFile("train-images-idx3-ubyte", 47_040_016L,
                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
            new ExpectedFile("train-labels-idx1-ubyte", 60_008L,
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
            new ExpectedFile("t10k-images-idx3-ubyte", 7_840_016L,
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
            new ExpectedFile("t10k-labels-idx1-ubyte", 10_008L,
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"));
}
