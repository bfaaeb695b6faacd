package dev.jcnn.samples.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcnn.data.IdxReader;
import dev.jcnn.io.TensorFile;
import dev.jcnn.samples.data.PngDigits;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed seeds are valid files that each reader reads as it reads the files the code writes today. */
class FuzzCorpusTest {

    @TempDir
    Path dir;

    @Test
    void everySeedIsReadByItsReader() throws Exception {
        FuzzCorpus.write(dir);
        for (String name : new String[] {FuzzCorpus.WEIGHTS, FuzzCorpus.CHECKPOINT}) {
            Path f = Files.write(dir.resolve("seed-" + name), FuzzCorpus.seed(name));
            assertEquals(TensorFile.read(dir.resolve(name)).tensors().keySet(), TensorFile.read(f).tensors().keySet());
        }
        for (String name : new String[] {FuzzCorpus.IMAGES, FuzzCorpus.IMAGES_GZ}) {
            Path f = Files.write(dir.resolve("seed-" + name), FuzzCorpus.seed(name));
            assertArrayEquals(IdxReader.read(dir.resolve(name), IdxReader.IMAGES_MAGIC).data(),
                    IdxReader.read(f, IdxReader.IMAGES_MAGIC).data(), name);
        }
        for (String name : new String[] {FuzzCorpus.LABELS, FuzzCorpus.LABELS_GZ}) {
            Path f = Files.write(dir.resolve("seed-" + name), FuzzCorpus.seed(name));
            assertEquals(FuzzCorpus.IMAGES_COUNT, IdxReader.read(f, IdxReader.LABELS_MAGIC).data().length);
        }
        for (String name : new String[] {FuzzCorpus.DIGIT_PNG, FuzzCorpus.COLOUR_PNG}) {
            Path f = Files.write(dir.resolve("seed-" + name), FuzzCorpus.seed(name));
            assertArrayEquals(PngDigits.read(dir.resolve(name), PngDigits.Invert.NO),
                    PngDigits.read(f, PngDigits.Invert.NO), 0f, name);
        }
    }
}
