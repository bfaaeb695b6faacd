package dev.jcnn.samples.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.data.IdxFormatException;
import dev.jcnn.data.IdxImages;
import dev.jcnn.data.IdxReader;
import dev.jcnn.io.TensorFile;
import dev.jcnn.io.WeightsFileException;
import dev.jcnn.layers.Parameter;
import dev.jcnn.model.Sequential;
import dev.jcnn.samples.data.PngDigits;
import dev.jcnn.train.Adam;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutated seed files (see {@link FuzzCorpus}) given to every reader of files: weights,
 * checkpoints, IDX raw and gzip, eager and lazy, and images. Each reader either reads the
 * file or refuses it with its documented exception, whose message names the file; anything
 * else (another exception, an OutOfMemoryError in this JVM of 256 MB) fails the property.
 * Loading into a model changes nothing when it fails.
 *
 * <p>The number of tries per property is {@code jcnn.fuzz.tries} (see docs/files.md).
 */
class ReadersFuzz {

    private static Path dir;
    private static CpuBackend cpu;

    @BeforeContainer
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("jcnn-fuzz-");
        cpu = new CpuBackend(BackendOptions.exact());
    }

    @AfterContainer
    static void tearDown() throws IOException {
        cpu.close();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Provide
    Arbitrary<List<Mutation>> edits() {
        return Mutation.edits();
    }

    @Provide
    Arbitrary<String> weightsSeeds() {
        return Arbitraries.of(FuzzCorpus.WEIGHTS, FuzzCorpus.CHECKPOINT);
    }

    @Provide
    Arbitrary<String> idxSeeds() {
        return Arbitraries.of(FuzzCorpus.IMAGES, FuzzCorpus.LABELS, FuzzCorpus.IMAGES_GZ, FuzzCorpus.LABELS_GZ);
    }

    @Provide
    Arbitrary<String> imageSeeds() {
        return Arbitraries.of(FuzzCorpus.DIGIT_PNG, FuzzCorpus.COLOUR_PNG);
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** The exception is the reader's refusal and names the file; anything else is rethrown, failing the try. */
    private static void assertDocumented(Exception e, Path file, Class<?>... documented) throws Exception {
        for (Class<?> c : documented) {
            if (c.isInstance(e)) {
                assertNotNull(e.getMessage(), () -> "no message: " + e);
                assertTrue(e.getMessage().contains(file.toString()), () -> "the message does not name " + file + ": "
                        + e.getMessage());
                return;
            }
        }
        throw e;
    }

    private static List<float[]> values(Sequential m) {
        List<float[]> v = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            v.add(p.value().toArray());
        }
        return v;
    }

    private static void assertUnchanged(List<float[]> before, Sequential m) {
        List<float[]> after = values(m);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "parameter " + i + " changed by a failed load");
        }
    }

    @Property
    void weightsFiles(@ForAll("weightsSeeds") String seed, @ForAll("edits") List<Mutation> edits,
                      @ForAll boolean validChecksum) throws Exception {
        byte[] bytes = Mutation.applyAll(FuzzCorpus.seed(seed), edits);
        Path file = write("fuzz.jcnn", validChecksum ? Mutation.withValidChecksum(bytes) : bytes);
        try {
            TensorFile.Contents c = TensorFile.read(file);
            assertNotNull(c.metadata());
        } catch (WeightsFileException | IOException e) {
            assertDocumented(e, file, WeightsFileException.class, IOException.class);
        }
        try (Sequential m = FuzzCorpus.model()) {
            m.build(cpu, 7);
            List<float[]> before = values(m);
            try {
                m.load(file);
            } catch (WeightsFileException | IOException e) {
                assertDocumented(e, file, WeightsFileException.class, IOException.class);
                assertUnchanged(before, m);
            }
        }
    }

    @Property
    void checkpoints(@ForAll("edits") List<Mutation> edits, @ForAll boolean validChecksum) throws Exception {
        byte[] bytes = Mutation.applyAll(FuzzCorpus.seed(FuzzCorpus.CHECKPOINT), edits);
        Path file = write("fuzz-checkpoint.jcnn", validChecksum ? Mutation.withValidChecksum(bytes) : bytes);
        try (Sequential m = FuzzCorpus.model()) {
            m.build(cpu, 7).compile(new SparseCategoricalCrossEntropy(), new Adam(0.01f));
            List<float[]> before = values(m);
            try {
                m.loadCheckpoint(file);
            } catch (WeightsFileException | IOException e) {
                assertDocumented(e, file, WeightsFileException.class, IOException.class);
                assertUnchanged(before, m);
            }
        }
    }

    @Property
    void idxFiles(@ForAll("idxSeeds") String seed, @ForAll("edits") List<Mutation> edits,
                  @ForAll boolean mutateBeforeCompressing) throws Exception {
        byte[] original = FuzzCorpus.seed(seed);
        boolean gz = seed.endsWith(".gz");
        byte[] bytes = gz && mutateBeforeCompressing
                ? FuzzCorpus.gzip(Mutation.applyAll(FuzzCorpus.seed(seed.substring(0, seed.length() - 3)), edits))
                : Mutation.applyAll(original, edits);
        Path file = write("fuzz-" + seed, bytes);
        int magic = seed.startsWith("tiny-images") ? IdxReader.IMAGES_MAGIC : IdxReader.LABELS_MAGIC;
        try {
            assertNotNull(IdxReader.read(file, magic).data());
        } catch (IOException e) {
            assertDocumented(e, file, IdxFormatException.class, IOException.class);
        }
    }

    @Property
    void lazyIdxImages(@ForAll boolean gzipped, @ForAll boolean mutateLabels, @ForAll("edits") List<Mutation> edits)
            throws Exception {
        String images = gzipped ? FuzzCorpus.IMAGES_GZ : FuzzCorpus.IMAGES;
        String labels = gzipped ? FuzzCorpus.LABELS_GZ : FuzzCorpus.LABELS;
        Path imageFile = write("lazy-" + images, mutateLabels ? FuzzCorpus.seed(images)
                : Mutation.applyAll(FuzzCorpus.seed(images), edits));
        Path labelFile = write("lazy-" + labels, mutateLabels ? Mutation.applyAll(FuzzCorpus.seed(labels), edits)
                : FuzzCorpus.seed(labels));
        try (IdxImages d = IdxImages.open(imageFile, labelFile, FuzzCorpus.CLASSES)) {
            float[] pixels = new float[d.imageShape().size()];
            for (int i = 0; i < d.size(); i++) {
                d.copyImage(i, pixels, 0);
                assertTrue(d.label(i) >= 0 && d.label(i) < FuzzCorpus.CLASSES);
            }
        } catch (IOException e) {
            assertDocumented(e, mutateLabels ? labelFile : imageFile, IdxFormatException.class, IOException.class);
        }
    }

    @Property
    void images(@ForAll("imageSeeds") String seed, @ForAll("edits") List<Mutation> edits) throws Exception {
        Path file = write("fuzz-" + seed, Mutation.applyAll(FuzzCorpus.seed(seed), edits));
        try {
            float[] v = PngDigits.read(file, PngDigits.Invert.AUTO);
            assertEquals(28 * 28, v.length);
            for (float x : v) {
                assertTrue(x >= 0 && x <= 1, "grey level " + x);
            }
        } catch (IOException e) {
            assertDocumented(e, file, IOException.class);
        }
    }
}
