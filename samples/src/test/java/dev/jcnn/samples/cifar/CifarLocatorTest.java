package dev.jcnn.samples.cifar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.data.Cifar10;
import dev.jcnn.data.CifarImages;
import dev.jcnn.samples.fetch.FileServer;
import dev.jcnn.samples.fetch.Mirrors;
import dev.jcnn.samples.mnist.FetchException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
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
        assertTrue(m.contains("only looked in, never downloaded into") && m.contains(CifarLocator.ARCHIVE)
                && m.contains("tar -xzf cifar-10-binary.tar.gz -C " + tmp) && m.contains(CifarLocator.DATA_ENV), m);
        Path none = tmp.resolve("none");
        String m2 = assertThrows(FetchException.class, () -> new CifarLocator(none).locate()).getMessage();
        assertTrue(m2.contains(none + ": no such folder"), m2);
    }

    @Test
    void theFlagWinsThenTheEnvironment() {
        CifarLocator given = CifarLocator.configured(tmp, Map.of(CifarLocator.DATA_ENV, "/env"));
        assertEquals(tmp, given.dir());
        assertEquals(List.of(), given.mirrors(), "a --data-dir folder is never downloaded into");
        CifarLocator env = CifarLocator.configured(null, Map.of(CifarLocator.DATA_ENV, "/env",
                CifarLocator.MIRRORS_ENV, "http://a.example/cifar"));
        assertEquals(Path.of("/env"), env.dir());
        assertEquals(List.of(URI.create("http://a.example/cifar")), env.mirrors());
        CifarLocator defaults = CifarLocator.configured(null, Map.of());
        assertTrue(defaults.dir().endsWith(Path.of(".cache", "jcnn", "cifar10")));
        assertEquals(CifarLocator.DEFAULT_MIRRORS, defaults.mirrors());
        assertEquals(URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"),
                Mirrors.url(defaults.mirrors().get(0), CifarLocator.ARCHIVE));
        assertEquals(10_000L * 3_073, CifarLocator.Archive.CIFAR10.batchBytes());
        assertEquals(List.of("data_batch_1.bin"), Cifar10.TRAIN_FILES.subList(0, 1));
    }

    @Test
    void downloadsChecksAndUnpacksTheArchiveSkippingACorruptMirror() throws Exception {
        byte[] tgz = FakeCifar.tarGz(tmp.resolve("source"), 4);
        byte[] corrupt = tgz.clone();
        corrupt[corrupt.length / 2] ^= 1;
        Path cache = tmp.resolve("cache");
        try (FileServer server = new FileServer()) {
            server.put("/corrupt/" + CifarLocator.ARCHIVE, corrupt).put("/good/" + CifarLocator.ARCHIVE, tgz);
            CifarLocator locator = new CifarLocator(cache, List.of(server.folder("corrupt"), server.folder("good")),
                    FakeCifar.archive(tgz, 4));
            Path dir = locator.locate();
            assertEquals(cache.resolve(Cifar10.FOLDER), dir);
            assertEquals(List.of("/corrupt/" + CifarLocator.ARCHIVE, "/good/" + CifarLocator.ARCHIVE), server.requests);
        }
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(List.of(cache.resolve(Cifar10.FOLDER)), left.toList(), "no archive or temporary folder left");
        }
        try (Cifar10 c = Cifar10.open(cache)) {
            assertEquals(20, c.train().size());
            assertEquals(4, c.test().size());
        }
        assertArrayEquals(Files.readAllBytes(tmp.resolve("source").resolve(Cifar10.FOLDER).resolve("test_batch.bin")),
                Files.readAllBytes(cache.resolve(Cifar10.FOLDER).resolve("test_batch.bin")));
    }

    @Test
    void whenEveryMirrorFailsItNamesThemAndWhereToPutTheFiles() throws Exception {
        byte[] tgz = FakeCifar.tarGz(tmp.resolve("source"), 1);
        Path cache = tmp.resolve("cache");
        try (FileServer server = new FileServer()) {
            server.put("/wrong/" + CifarLocator.ARCHIVE, "<html>moved</html>".getBytes(StandardCharsets.UTF_8));
            URI wrong = server.folder("wrong");
            URI missing = server.folder("missing");
            URI refused = URI.create("http://127.0.0.1:1/");
            CifarLocator.Archive archive = FakeCifar.archive(tgz, 1);
            String m = assertThrows(FetchException.class, () -> new CifarLocator(cache, List.of(wrong, missing, refused),
                    archive).locate()).getMessage();
            assertTrue(m.contains("CIFAR-10 not found in " + cache + ": no such folder and no mirror provided "
                    + CifarLocator.ARCHIVE), m);
            assertTrue(m.contains("\n  - " + wrong + CifarLocator.ARCHIVE + ": not the expected " + CifarLocator.ARCHIVE
                    + ": MD5 "), m);
            assertTrue(m.contains("expected MD5 " + archive.md5()), m);
            assertTrue(m.contains("\n  - " + missing + CifarLocator.ARCHIVE + ": HTTP status 404"), m);
            assertTrue(m.contains("\n  - " + refused + ": cannot connect"), m);
            assertTrue(m.contains("tar -xzf cifar-10-binary.tar.gz -C " + cache) && m.contains(CifarLocator.DATA_ENV)
                    && m.contains(CifarLocator.MIRRORS_ENV), m);
        }
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(List.of(), left.toList(), "nothing left of the failed downloads");
        }
    }

    /** One hostile entry after a good folder entry; returns the archive's bytes. */
    private static byte[] hostile(TarArchiveEntry entry, byte[] content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.putArchiveEntry(new TarArchiveEntry(Cifar10.FOLDER + "/"));
            tar.closeArchiveEntry();
            if (content != null) {
                entry.setSize(content.length);
            }
            tar.putArchiveEntry(entry);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void aHostileArchiveIsRefusedNamingTheArchiveAndTheEntryAndNothingIsUnpacked() throws Exception {
        TarArchiveEntry link = new TarArchiveEntry(Cifar10.FOLDER + "/data_batch_1.bin", TarConstants.LF_SYMLINK);
        link.setLinkName("/etc/passwd");
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("'" + Cifar10.FOLDER + "/../evil': refused: the path leaves the folder",
                hostile(new TarArchiveEntry(Cifar10.FOLDER + "/../evil"), new byte[3]));
        cases.put("'/tmp/evil': refused: the path leaves the folder",
                hostile(new TarArchiveEntry("/tmp/evil", true), new byte[3]));
        cases.put("'" + Cifar10.FOLDER + "/data_batch_1.bin': refused: a link (to '/etc/passwd')",
                hostile(link, null));
        cases.put("'" + Cifar10.FOLDER + "/data_batch_1.bin': refused: " + (2 * CifarImages.RECORD_BYTES + 1)
                + " bytes, expected exactly " + 2 * CifarImages.RECORD_BYTES,
                hostile(new TarArchiveEntry(Cifar10.FOLDER + "/data_batch_1.bin"),
                        new byte[2 * CifarImages.RECORD_BYTES + 1]));
        cases.put("'" + Cifar10.FOLDER + "/readme.html': refused: " + (CifarLocator.MAX_OTHER_BYTES + 1)
                + " bytes, expected at most " + CifarLocator.MAX_OTHER_BYTES,
                hostile(new TarArchiveEntry(Cifar10.FOLDER + "/readme.html"), new byte[(int) CifarLocator.MAX_OTHER_BYTES + 1]));
        cases.put("'elsewhere/data_batch_1.bin': refused: outside " + Cifar10.FOLDER,
                hostile(new TarArchiveEntry("elsewhere/data_batch_1.bin"), new byte[3]));
        int i = 0;
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            Path root = Files.createDirectories(tmp.resolve("case" + i++));
            Path mirror = Files.createDirectories(root.resolve("mirror"));
            Files.write(mirror.resolve(CifarLocator.ARCHIVE), c.getValue());
            Path cache = root.resolve("cache");
            CifarLocator locator = new CifarLocator(cache, List.of(mirror.toUri()), FakeCifar.archive(c.getValue(), 2));
            String m = assertThrows(FetchException.class, locator::locate).getMessage();
            assertTrue(m.contains(mirror.toUri() + CifarLocator.ARCHIVE + ", entry " + c.getKey()), m);
            try (Stream<Path> left = Files.walk(root)) {
                assertEquals(List.of(root, cache, mirror, mirror.resolve(CifarLocator.ARCHIVE)),
                        left.sorted().toList(), "nothing unpacked or left over");
            }
        }
    }
}
