package dev.jcnn.samples.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Downloads dataset files from mirrors, shared by the MNIST, Fashion-MNIST and CIFAR-10
 * fetchers: each file is tried on each mirror in turn, downloaded into a work folder, checked
 * by the caller and only then moved into place (atomically), so that a bad download is deleted
 * and the next mirror tried, and a data folder never holds a partial or wrong file written here.
 */
public final class Mirrors {

    private static final Logger LOG = LogManager.getLogger(Mirrors.class);

    /** The most bytes one download may have: far above CIFAR-10's 170 MB archive. */
    public static final long MAX_DOWNLOAD_BYTES = 256L << 20;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private Mirrors() {
    }

    /** Checks a downloaded file and puts it in place; throws (with the reason) when it is not the one expected. */
    @FunctionalInterface
    public interface Install<T> {
        void install(T wanted, Path downloaded, URI url) throws IOException;
    }

    /**
     * The mirrors: the flags when given, else the environment variable's (separated by commas or
     * spaces; set and empty for none), else the defaults.
     */
    public static List<URI> configured(List<URI> flags, Map<String, String> env, String envName, List<URI> defaults) {
        if (flags != null && !flags.isEmpty()) {
            return List.copyOf(flags);
        }
        if (env.containsKey(envName)) {
            return Arrays.stream(env.get(envName).split("[,\\s]+")).filter(s -> !s.isBlank()).map(URI::create)
                    .toList();
        }
        return defaults;
    }

    /** The URL of {@code fileName} under the mirror (a trailing slash is added where missing). */
    public static URI url(URI mirror, String fileName) {
        String base = mirror.toString();
        return URI.create(base.endsWith("/") ? base + fileName : base + "/" + fileName);
    }

    /**
     * Fetches each wanted file from the mirrors, in order, until each is installed. A mirror that
     * cannot be reached is given up for the remaining files (one line in failures). Each download
     * lands in work; what {@code install} refuses is deleted.
     *
     * @param remoteName the file's name on a mirror
     * @param failures   gets one line per failed attempt: the URL (or mirror) and why
     * @return the wanted files that no mirror provided
     */
    public static <T> List<T> fetch(List<URI> mirrors, List<T> wanted, Function<T, String> remoteName, Path work,
                                    Install<T> install, List<String> failures) throws IOException {
        List<T> missing = new ArrayList<>(wanted);
        Files.createDirectories(work);
        for (URI mirror : mirrors) {
            for (T f : List.copyOf(missing)) {
                URI url = url(mirror, remoteName.apply(f));
                Path tmp = work.resolve(remoteName.apply(f) + ".download");
                try {
                    LOG.info("downloading {}", url);
                    download(url, tmp);
                    install.install(f, tmp, url);
                    missing.remove(f);
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(tmp);
                    if (unreachable(e)) {
                        // the other files would fail the same way: one line for the mirror
                        String reason = mirror + ": cannot connect (" + describe(e) + ")";
                        LOG.info("mirror failed: {}", reason);
                        failures.add(reason);
                        break;
                    }
                    String reason = e.getMessage() != null && e.getMessage().contains(url.toString())
                            ? e.getMessage() : url + ": " + describe(e);
                    LOG.info("mirror failed: {}", reason);
                    failures.add(reason);
                }
            }
            if (missing.isEmpty()) {
                break;
            }
        }
        return missing;
    }

    /** Copies the URL's content (http, https or file) to target; throws with the HTTP status or the I/O error. */
    public static void download(URI url, Path target) throws IOException {
        download(url, target, MAX_DOWNLOAD_BYTES);
    }

    /** As {@link #download(URI, Path)}, refusing more than maxBytes. */
    static void download(URI url, Path target, long maxBytes) throws IOException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        switch (scheme) {
            case "file" -> {
                try (InputStream in = Files.newInputStream(Path.of(url))) {
                    copyBounded(in, target, maxBytes);
                }
            }
            case "http", "https" -> http(url, target, maxBytes);
            default -> throw new IOException("unsupported URL scheme '" + scheme + "', expected http, https or file");
        }
    }

    private static void http(URI url, Path target, long maxBytes) throws IOException {
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
                copyBounded(body, target, maxBytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void copyBounded(InputStream in, Path target, long maxBytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new IOException("the download exceeds " + maxBytes + " bytes (Mirrors.MAX_DOWNLOAD_BYTES),"
                            + " expected a dataset file");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    /** Moves a finished file or folder into place in one step, so readers see all of it or nothing. */
    public static void moveIntoPlace(Path finished, Path target, boolean replace) throws IOException {
        StandardCopyOption[] options = replace
                ? new StandardCopyOption[] {StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING}
                : new StandardCopyOption[] {StandardCopyOption.ATOMIC_MOVE};
        try {
            Files.move(finished, target, options);
        } catch (AtomicMoveNotSupportedException e) {
            if (replace) {
                Files.move(finished, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(finished, target);
            }
        }
    }

    /** The hex digest (e.g. "SHA-256", "MD5") of the file's bytes as they are. */
    public static String fileDigest(Path file, String algorithm) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no " + algorithm, e);
        }
        try (InputStream in = new DigestInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16),
                md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Whether the error means the host cannot be reached at all (so its other files need not be tried). */
    public static boolean unreachable(Throwable e) {
        return e instanceof java.net.ConnectException || e instanceof java.net.UnknownHostException
                || e instanceof java.net.NoRouteToHostException || e instanceof java.net.http.HttpConnectTimeoutException;
    }

    /** The error in a few words, for the list of attempts. */
    public static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName()
                : e instanceof java.net.UnknownHostException ? "unknown host " + m
                : e instanceof java.nio.file.NoSuchFileException ? "no such file " + m
                : e.getClass().getSimpleName().equals("IOException") || e.getClass().getSimpleName()
                        .equals("FetchException") ? m
                : m + " (" + e.getClass().getSimpleName() + ")";
    }

    /** Deletes a work folder and all in it, as far as it can (what is left is logged). */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("could not delete {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.debug("could not clean {}: {}", root, e.getMessage());
        }
    }
}
