package dev.jcnn.samples.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcnn.data.Mnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir
    Path tmp;
    FakeMnist fake;
    List<FashionMnist.Expected> table;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeMnist();
        table = new ArrayList<>();
        for (ExpectedFile raw : fake.table) {
            byte[] gz = FakeMnist.gzip(fake.contents.get(raw.name()));
            table.add(new FashionMnist.Expected(raw.name(), sha(gz), raw));
        }
    }

    private static String sha(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The .gz files exactly as the table's checksums describe them. */
    private Path gzipFolder(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (FashionMnist.Expected f : table) {
            Files.write(dir.resolve(f.name() + ".gz"), FakeMnist.gzip(fake.contents.get(f.name())));
        }
        return dir;
    }

    @Test
    void findsTheFirstFolderHoldingEveryFileChecksAndLoadsIt() throws Exception {
        Path partial = gzipFolder("partial");
        Files.delete(partial.resolve("t10k-labels-idx1-ubyte.gz"));
        Path full = gzipFolder("full");
        Path dir = new FashionMnist(List.of(tmp.resolve("absent"), partial, full), table).locate();
        assertEquals(full, dir);
        Mnist m = Mnist.load(dir);
        assertEquals(12, m.train().size());
        assertEquals(5, m.test().size());
        assertEquals(3, m.train().label(3));
    }

    @Test
    void takesRawFilesByTheirDecompressedChecksum() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("raw"));
        for (Map.Entry<String, byte[]> e : fake.contents.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        assertEquals(dir, new FashionMnist(List.of(dir), table).locate());
    }

    @Test
    void refusesAFileWithTheWrongContentNamingItAndTheExpectedChecksums() throws Exception {
        Path dir = gzipFolder("wrong");
        byte[] other = fake.contents.get("train-labels-idx1-ubyte").clone();
        other[9] ^= 1;
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), FakeMnist.gzip(other));
        FetchException e = assertThrows(FetchException.class, () -> new FashionMnist(List.of(dir), table).locate());
        String m = e.getMessage();
        assertTrue(m.contains(dir.resolve("train-labels-idx1-ubyte.gz").toString()), m);
        assertTrue(m.contains(table.get(1).gzipSha256()), m);
        assertTrue(m.contains(table.get(1).raw().sha256()), m);
    }

    @Test
    void saysWhereItLookedAndWhereToPutTheFilesWhenNoFolderHoldsThem() throws Exception {
        Path partial = gzipFolder("partial");
        Files.delete(partial.resolve("train-images-idx3-ubyte.gz"));
        Path absent = tmp.resolve("absent");
        FashionMnist f = new FashionMnist(List.of(absent, partial), table);
        assertNull(f.find());
        String m = assertThrows(FetchException.class, f::locate).getMessage();
        assertTrue(m.contains(absent + ": no such folder"), m);
        assertTrue(m.contains(partial + ": lacks train-images-idx3-ubyte"), m);
        assertTrue(m.contains("dataset-fashion-mnist") && m.contains(FashionMnist.DEBIAN_DIR.toString()), m);
        assertTrue(m.contains("--data-dir") && m.contains(FashionMnist.DATA_ENV), m);
        assertTrue(m.contains(table.get(0).gzipSha256()), m);
    }

    @Test
    void theFlagWinsThenTheEnvironmentThenDebiansFolder() {
        Path flag = tmp.resolve("flag");
        assertEquals(List.of(flag), FashionMnist.configured(flag, Map.of(FashionMnist.DATA_ENV, "/env")).folders());
        assertEquals(List.of(Path.of("/env")), FashionMnist.configured(null, Map.of(FashionMnist.DATA_ENV, "/env"))
                .folders());
        assertEquals(List.of(FashionMnist.DEBIAN_DIR), FashionMnist.configured(null, Map.of()).folders());
    }

    @Test
    void knowsTheTenClassNames() {
        assertEquals(10, FashionMnist.CLASS_NAMES.size());
        assertEquals("T-shirt/top", FashionMnist.CLASS_NAMES.get(0));
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get(9));
    }

    @Test
    void theRealFilesFromDebiansPackageCheckAndLoad() throws Exception {
        FashionMnist real = FashionMnist.configured(null, Map.of());
        assumeTrue(real.find() != null, "Debian's package dataset-fashion-mnist is not installed (no "
                + FashionMnist.DEBIAN_DIR + "): the test of the real files is skipped");
        Mnist m = Mnist.load(real.locate());
        assertEquals(60_000, m.train().size());
        assertEquals(10_000, m.test().size());
        // the published files begin with an ankle boot in both sets, and hold 6,000 / 1,000 of each class
        assertEquals(9, m.train().label(0));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6},
                new int[] {m.test().label(0), m.test().label(1), m.test().label(2), m.test().label(3),
                        m.test().label(4)});
        int[] counts = new int[10];
        for (int label : m.train().labels()) {
            counts[label]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, counts[c], FashionMnist.CLASS_NAMES.get(c));
        }
    }
}
