package dev.jcnn.samples.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorsTest {

    @TempDir
    Path tmp;

    @Test
    void theFlagsWinThenTheEnvironmentThenTheDefaults() {
        List<URI> defaults = List.of(URI.create("http://d.example/"));
        List<URI> flags = List.of(URI.create("http://f.example/"));
        assertEquals(flags, Mirrors.configured(flags, Map.of("M", "http://e.example/"), "M", defaults));
        assertEquals(List.of(URI.create("http://e.example/"), URI.create("file:///m/")),
                Mirrors.configured(List.of(), Map.of("M", " http://e.example/,file:///m/ "), "M", defaults));
        assertEquals(List.of(), Mirrors.configured(null, Map.of("M", ""), "M", defaults), "set and empty: none");
        assertEquals(defaults, Mirrors.configured(null, Map.of(), "M", defaults));
        assertEquals(URI.create("http://a.example/x/f.gz"), Mirrors.url(URI.create("http://a.example/x"), "f.gz"));
        assertEquals(URI.create("http://a.example/x/f.gz"), Mirrors.url(URI.create("http://a.example/x/"), "f.gz"));
    }

    @Test
    void aDownloadOverTheLimitIsRefused() throws Exception {
        try (FileServer server = new FileServer()) {
            server.put("/m/big", new byte[200_000]);
            Path target = tmp.resolve("big");
            IOException e = assertThrows(IOException.class,
                    () -> Mirrors.download(Mirrors.url(server.folder("m"), "big"), target, 100_000));
            assertTrue(e.getMessage().contains("the download exceeds 100000 bytes"), e.getMessage());
            Mirrors.download(Mirrors.url(server.folder("m"), "big"), target, 200_000);
            assertEquals(200_000, Files.size(target));
        }
    }

    @Test
    void eachFileComesFromTheFirstMirrorWhoseCopyIsAcceptedAndRefusedCopiesAreDeleted() throws Exception {
        byte[] good = "good".getBytes(StandardCharsets.UTF_8);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path work = tmp.resolve("work");
        List<String> failures = new ArrayList<>();
        try (FileServer server = new FileServer()) {
            server.put("/bad/a", "bad".getBytes(StandardCharsets.UTF_8)).put("/bad/b", good).put("/good/a", good);
            List<String> left = Mirrors.fetch(List.of(server.folder("bad"), server.folder("good")),
                    List.of("a", "b", "c"), name -> name, work, (name, file, url) -> {
                        if (!Files.readString(file).equals("good")) {
                            throw new IOException(url + ": not good");
                        }
                        Mirrors.moveIntoPlace(file, out.resolve(name), false);
                    }, failures);
            assertEquals(List.of("c"), left);
            assertEquals(List.of(server.folder("bad") + "a: not good",
                    server.folder("bad") + "c: HTTP status 404, expected 200",
                    server.folder("good") + "c: HTTP status 404, expected 200"), failures);
        }
        assertArrayEquals(good, Files.readAllBytes(out.resolve("a")));
        assertArrayEquals(good, Files.readAllBytes(out.resolve("b")));
        try (var s = Files.list(work)) {
            assertEquals(0, s.count(), "no download left in the work folder");
        }
    }
}
