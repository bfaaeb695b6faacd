package dev.jcnn.samples.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** Downloads one gzipped file from a mirror: http, https or file URLs. */
final class MirrorDownload {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private MirrorDownload() {
    }

    /** The URL of {@code name}.gz under the mirror (a trailing slash is added where missing). */
    static URI url(URI mirror, String name) {
        String base = mirror.toString();
        return URI.create(base.endsWith("/") ? base + name + ".gz" : base + "/" + name + ".gz");
    }

    /** Copies the URL's content to target; throws with the HTTP status or the I/O error. */
    static void download(URI url, Path target) throws IOException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
        switch (scheme) {
            case "file" -> Files.copy(Path.of(url), target, StandardCopyOption.REPLACE_EXISTING);
            case "http", "https" -> http(url, target);
            default -> throw new IOException("unsupported URL scheme '" + scheme + "', expected http, https or file");
        }
    }

    private static void http(URI url, Path target) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP status " + response.statusCode() + ", expected 200");
                }
                Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
