package dev.jcnn.samples.cifar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.data.Cifar10;
import dev.jcnn.samples.mnist.FetchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarLocatorTest {

    @TempDir
    Path tmp;

    @Test
    void findsTheFolderItselfOrTheOneItWasUnpackedInAndTheReaderOpensIt() throws Exception {
        Path dir = FakeCifar.write(tmp, 3, 2);
        assertEquals(dir, new CifarLocator(tmp).locate());
        assertEquals(dir, new CifarLocator(dir).locate());
        try (Cifar10 c = Cifar10.open(new CifarLocator(tmp).locate())) {
            assertEquals(15, c.train().size());
            assertEquals(2, c.test().size());
            assertEquals("truck", c.classNames().get(9));
        }
    }

    @Test
    void saysWhichFilesAreMissingAndWhereToPutThem() throws Exception {
        Path dir = FakeCifar.write(tmp, 1, 1);
        Files.delete(dir.resolve("data_batch_4.bin"));
        Files.delete(dir.resolve("test_batch.bin"));
        String m = assertThrows(FetchException.class, () -> new CifarLocator(tmp).locate()).getMessage();
        assertTrue(m.contains("CIFAR-10 not found in " + dir + ": it lacks data_batch_4.bin, test_batch.bin"), m);
        assertTrue(m.contains("cannot be downloaded here") && m.contains(CifarLocator.ARCHIVE)
                && m.contains("tar -xzf cifar-10-binary.tar.gz -C " + tmp) && m.contains(CifarLocator.DATA_ENV), m);
        Path none = tmp.resolve("none");
        String m2 = assertThrows(FetchException.class, () -> new CifarLocator(none).locate()).getMessage();
        assertTrue(m2.contains(none + ": no such folder"), m2);
    }

    @Test
    void theFlagWinsThenTheEnvironment() {
        assertEquals(tmp, CifarLocator.configured(tmp, Map.of(CifarLocator.DATA_ENV, "/env")).dir());
        assertEquals(Path.of("/env"), CifarLocator.configured(null, Map.of(CifarLocator.DATA_ENV, "/env")).dir());
        assertTrue(CifarLocator.configured(null, Map.of()).dir().endsWith(Path.of(".cache", "jcnn", "cifar10")));
        assertEquals(List.of("data_batch_1.bin"), Cifar10.TRAIN_FILES.subList(0, 1));
    }
}
