package dev.jcnn.samples.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcnn.data.Mnist;
import dev.jcnn.samples.fetch.FileServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
    void theFlagWinsThenTheEnvironmentThenDebiansFolderAndTheCache() {
        Path flag = tmp.resolve("flag");
        FashionMnist given = FashionMnist.configured(flag, Map.of(FashionMnist.DATA_ENV, "/env"));
        assertEquals(List.of(flag), given.folders());
        assertNull(given.cache(), "a --data-dir folder is never downloaded into");
        FashionMnist env = FashionMnist.configured(null, Map.of(FashionMnist.DATA_ENV, "/env",
                FashionMnist.MIRRORS_ENV, "http://a.example/x/, http://b.example/"));
        assertEquals(List.of(Path.of("/env")), env.folders());
        assertEquals(Path.of("/env"), env.cache());
        assertEquals(List.of(URI.create("http://a.example/x/"), URI.create("http://b.example/")), env.mirrors());
        FashionMnist defaults = FashionMnist.configured(null, Map.of());
        assertEquals(List.of(FashionMnist.DEBIAN_DIR, FashionMnist.defaultCache()), defaults.folders());
        assertTrue(defaults.cache().endsWith(Path.of(".cache", "jcnn", "fashion-mnist")), defaults.cache()::toString);
        assertEquals(FashionMnist.DEFAULT_MIRRORS, defaults.mirrors());
        URI flagMirror = URI.create("http://c.example/");
        assertEquals(List.of(flagMirror), FashionMnist.configured(null, List.of(flagMirror),
                Map.of(FashionMnist.MIRRORS_ENV, "http://a.example/")).mirrors());
        assertEquals(List.of(), FashionMnist.configured(null, Map.of(FashionMnist.MIRRORS_ENV, "")).mirrors());
    }

    /** Serves the four .gz files under /NAME/; a corrupt copy of the training images under /corrupt/. */
    private FileServer serve(FileServer server) throws Exception {
        for (FashionMnist.Expected f : table) {
            byte[] gz = FakeMnist.gzip(fake.contents.get(f.name()));
            server.put("/good/" + f.name() + ".gz", gz);
            byte[] wrong = fake.contents.get(f.name()).clone();
            wrong[wrong.length - 1] ^= 0x55;
            server.put("/corrupt/" + f.name() + ".gz", f.name().startsWith("train-images") ? FakeMnist.gzip(wrong) : gz);
        }
        return server;
    }

    @Test
    void downloadsTheMissingFilesIntoTheCacheSkippingACorruptMirror() throws Exception {
        Path cache = tmp.resolve("cache");
        try (FileServer server = serve(new FileServer())) {
            FashionMnist f = new FashionMnist(List.of(tmp.resolve("absent")), table, cache,
                    List.of(server.folder("corrupt"), server.folder("good")));
            assertEquals(cache, f.locate());
            // the corrupt mirror gave three good files; only the training images came from the second
            assertEquals(List.of("/corrupt/train-images-idx3-ubyte.gz", "/corrupt/train-labels-idx1-ubyte.gz",
                    "/corrupt/t10k-images-idx3-ubyte.gz", "/corrupt/t10k-labels-idx1-ubyte.gz",
                    "/good/train-images-idx3-ubyte.gz"), server.requests);
        }
        for (FashionMnist.Expected e : table) {
            assertArrayEquals(FakeMnist.gzip(fake.contents.get(e.name())),
                    Files.readAllBytes(cache.resolve(e.name() + ".gz")), e.name());
        }
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(4, left.count(), "only the four checked files, no temporary file or folder");
        }
        Mnist m = Mnist.load(cache);
        assertEquals(12, m.train().size());
        // found in the cache next time, without a mirror
        assertEquals(cache, new FashionMnist(List.of(tmp.resolve("absent")), table, cache, List.of()).locate());
    }

    @Test
    void whenEveryMirrorFailsItSaysWhatWasTriedAndWhereToPutTheFilesLeavingNothing() throws Exception {
        Path cache = tmp.resolve("cache");
        try (FileServer server = serve(new FileServer())) {
            URI corrupt = server.folder("corrupt");
            URI missing = server.folder("missing");
            URI refused = URI.create("http://127.0.0.1:1/fashion/");
            FashionMnist f = new FashionMnist(List.of(), table, cache, List.of(corrupt, missing, refused));
            String m = assertThrows(FetchException.class, f::locate).getMessage();
            assertTrue(m.contains("no mirror provided them for " + cache), m);
            assertTrue(m.contains("\n  - " + corrupt + "train-images-idx3-ubyte.gz: not the expected Fashion-MNIST"
                    + " train-images-idx3-ubyte"), m);
            assertTrue(m.contains("\n  - " + missing + "train-images-idx3-ubyte.gz: HTTP status 404, expected 200"), m);
            assertTrue(m.contains("\n  - " + refused + ": cannot connect"), m);
            assertTrue(m.contains("dataset-fashion-mnist") && m.contains("--data-dir") && m.contains(FashionMnist.DATA_ENV)
                    && m.contains(FashionMnist.MIRRORS_ENV) && m.contains(table.get(0).gzipSha256()), m);
        }
        try (Stream<Path> left = Files.list(cache)) {
            // the three good files of the corrupt mirror stay (checked); the bad one and every temporary file are gone
            assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte.gz"),
                    left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aGivenFolderIsNeverDownloadedInto() throws Exception {
        Path given = tmp.resolve("given");
        FashionMnist f = FashionMnist.configured(given, Map.of(FashionMnist.MIRRORS_ENV, "http://127.0.0.1:1/"));
        String m = assertThrows(FetchException.class, f::locate).getMessage();
        assertTrue(m.contains("only looked in, never downloaded into") && m.contains(given + ": no such folder"), m);
        assertTrue(!Files.exists(given));
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
