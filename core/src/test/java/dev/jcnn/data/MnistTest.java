package dev.jcnn.data;

import static dev.jcnn.data.IdxFiles.idx;
import static dev.jcnn.data.IdxFiles.images;
import static dev.jcnn.data.IdxFiles.labels;
import static dev.jcnn.data.IdxFiles.write;
import static dev.jcnn.data.IdxFiles.writeGz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcnn.tensor.Shape;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {

    @TempDir
    Path dir;

    @Test
    void loadsAFolderMixingRawAndGzippedFiles() throws IOException {
        write(dir.resolve(Mnist.TRAIN_IMAGES), images(30, 28, 28));
        writeGz(dir.resolve(Mnist.TRAIN_LABELS + ".gz"), labels(30));
        writeGz(dir.resolve(Mnist.TEST_IMAGES + ".gz"), images(7, 28, 28));
        write(dir.resolve(Mnist.TEST_LABELS), labels(7));
        Mnist m = Mnist.load(dir);
        assertEquals(30, m.train().size());
        assertEquals(7, m.test().size());
        assertEquals(Shape.of(1, 28, 28), m.train().imageShape());
        assertEquals(10, m.train().classes());
        assertEquals(3, m.train().label(13));
        float[] img = m.train().image(2);
        assertEquals(2 / 255f, img[0], 1e-7f);
        assertEquals(((2 + 783) % 256) / 255f, img[783], 1e-7f);
    }

    @Test
    void missingFileNamesBothCandidates() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(dir));
        Path raw = dir.resolve(Mnist.TRAIN_IMAGES);
        assertEquals(raw + ": neither " + raw + " nor " + raw + ".gz exists", e.getMessage());
    }

    @Test
    void imagesOfAnotherSizeAreRejected() throws IOException {
        Path img = write(dir.resolve("i"), images(2, 32, 32));
        Path lab = write(dir.resolve("l"), labels(2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Mnist.read(img, lab));
        assertEquals(img + ", offset 8: images are 32×32, expected MNIST's 28×28", e.getMessage());
    }

    @Test
    void labelCountMustMatchImageCount() throws IOException {
        Path img = write(dir.resolve("i"), images(5, 28, 28));
        Path lab = write(dir.resolve("l"), labels(4));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Mnist.read(img, lab));
        assertEquals(lab + ", offset 4: holds 4 labels, but " + img + " holds 5 images; expected one label per image",
                e.getMessage());
    }

    @Test
    void labelThatIsNotADigitNamesImageAndOffset() throws IOException {
        Path img = write(dir.resolve("i"), images(3, 28, 28));
        Path lab = write(dir.resolve("l"), idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, (byte) 200}));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Mnist.read(img, lab));
        assertEquals(lab + ", offset 10: label 200 of image 2 is outside 0..9", e.getMessage());
        assertEquals(10, e.offset());
    }
}
