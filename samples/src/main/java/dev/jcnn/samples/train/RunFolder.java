package dev.jcnn.samples.train;

import dev.jcnn.io.TensorFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A training run's output folder, held by one process at a time. {@link #claim} creates the
 * folder, takes an exclusive lock on its {@value #LOCK} file (an OS file lock, released by the
 * OS when the process dies) and writes the owner into it: pid, host, start time and command.
 * A second run on the same folder, in this JVM or another process, is refused with the owner's
 * name. A lock file whose OS lock is free but whose content names a process is the mark of a
 * run that was killed: it is taken over with a log line, unless that process still runs on
 * this host (a file system without working locks), which is refused as well.
 *
 * <p>Holding the folder, {@link #claim} then deals with what a killed write left behind: the
 * temporary files {@code NAME.<random>.tmp} of the atomic writes. A temporary checkpoint that
 * reads back whole (every check of {@link TensorFile#read} passes) and is of a later epoch
 * than {@code checkpoint.jcnn}, or there is none, is what the killed process was about to
 * rename into place: it is renamed into place. Every other temporary file is removed.
 */
public final class RunFolder implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(RunFolder.class);

    /** The lock file's name in the run folder. */
    public static final String LOCK = "run.lock";
    /** The checkpoint's name in the run folder. */
    public static final String CHECKPOINT = "checkpoint.jcnn";

    /**
     * Folders this JVM holds, by real path. In one JVM a second {@code tryLock} throws, and
     * merely opening and closing another channel on the file would drop the first one's lock
     * (POSIX record locks belong to the process), so a claim checks here before it opens.
     */
    private static final Map<Path, Owner> HELD = new ConcurrentHashMap<>();

    private final Path dir;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    /** Who holds a run folder, as its lock file says. */
    public record Owner(long pid, String host, String started, String command) {

        static Owner current(String command) {
            ProcessHandle self = ProcessHandle.current();
            String started = self.info().startInstant().orElse(Instant.now()).toString();
            return new Owner(self.pid(), hostName(), started, command);
        }

        String text() {
            return "pid=" + pid + "\nhost=" + host + "\nstarted=" + started + "\ncommand=" + command + "\n";
        }

        /** The owner a lock file names, or empty when it names none (a cleanly released lock). */
        static Optional<Owner> parse(String text) {
            Properties p = new Properties();
            try {
                p.load(new java.io.StringReader(text));
            } catch (IOException | IllegalArgumentException e) {
                return Optional.empty();
            }
            String pid = p.getProperty("pid");
            if (pid == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Owner(Long.parseLong(pid.trim()), p.getProperty("host", "?"),
                        p.getProperty("started", "?"), p.getProperty("command", "?")));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        /** Whether this process still runs: same host, a live pid, and the same start time where known. */
        boolean isAlive() {
            if (!host.equals(hostName())) {
                return false;
            }
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty() || !h.get().isAlive()) {
                return false;
            }
            // a reused pid: another process with this number, started at another time
            return h.get().info().startInstant().map(i -> i.toString().equals(started)).orElse(true);
        }

        @Override
        public String toString() {
            return "pid " + pid + " on " + host + ", started " + started + " (" + command + ")";
        }
    }

    private RunFolder(Path dir, Path key, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the folder if need be, locks it for this process and cleans up the temporary
     * files of a killed write.
     *
     * @param command what this process does there, written into the lock file for the message a second run gets
     * @throws IllegalStateException naming the owner when another run holds the folder
     */
    public static RunFolder claim(Path dir, String command) throws IOException {
        Files.createDirectories(dir);
        Path key = dir.toRealPath();
        Path lockFile = dir.resolve(LOCK);
        Owner me = Owner.current(command);
        Owner here = HELD.putIfAbsent(key, me);
        if (here != null) {
            throw busy(dir, here);
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                // held in this JVM by a channel the registry does not know of; reading the file would drop that lock
                throw new IllegalStateException(dir + " is in use by another run in this process", e);
            }
            if (lock == null) {
                String text = Files.readString(lockFile, StandardCharsets.UTF_8);
                throw busy(dir, Owner.parse(text).orElse(null));
            }
            Optional<Owner> before = Owner.parse(read(ch));
            if (before.isPresent() && before.get().pid() != me.pid() && before.get().isAlive()) {
                lock.release();
                throw busy(dir, before.get());
            }
            before.ifPresent(o -> LOG.info("{}: taking the run folder over from {}, which is gone (killed?)", dir, o));
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me.text().getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            RunFolder folder = new RunFolder(dir, key, ch, lock);
            folder.cleanLeftovers();
            return folder;
        } catch (IOException | RuntimeException e) {
            HELD.remove(key, me);
            if (ch != null) {
                ch.close();
            }
            throw e;
        }
    }

    private static IllegalStateException busy(Path dir, Owner owner) {
        return new IllegalStateException(dir + " is in use by another run: "
                + (owner != null ? owner.toString() : "a process that has not written its name into " + LOCK + " yet")
                + "; wait for it to finish or use another --output folder");
    }

    private static String read(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size > 64 * 1024) {
            return ""; // not a lock file this class wrote: ignore its content, the lock is what counts
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // read on
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** Removes or promotes the temporary files a killed write left (see the class comment). */
    private void cleanLeftovers() throws IOException {
        List<Path> temps = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> isTemporary(p.getFileName().toString())).forEach(temps::add);
        }
        Path checkpoint = dir.resolve(CHECKPOINT);
        for (Path t : temps) {
            String name = t.getFileName().toString();
            if (name.startsWith(CHECKPOINT + ".")) {
                int epoch = checkpointEpoch(t);
                if (epoch > 0 && epoch > (Files.exists(checkpoint) ? checkpointEpoch(checkpoint) : 0)) {
                    Files.move(t, checkpoint, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    LOG.info("{}: a killed write left {}, a whole checkpoint of epoch {}: renamed it to {}", dir, name,
                            epoch, CHECKPOINT);
                    continue;
                }
            }
            Files.deleteIfExists(t);
            LOG.info("{}: removed {}, left by a killed write", dir, name);
        }
    }

    /** {@code NAME.<digits>.tmp}, as {@link TensorFile#writeAtomically} names its temporary files. */
    public static boolean isTemporary(String name) {
        return name.matches(".+\\.[0-9]+\\.tmp");
    }

    /** The epoch of a checkpoint file that reads back whole, else 0. */
    private static int checkpointEpoch(Path file) {
        try {
            return Checkpointer.read(TensorFile.read(file).metadata(), file).epoch();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} is not a whole checkpoint: {}", file, e.toString());
            return 0;
        }
    }

    /** Releases the lock and clears the owner from the lock file (the file stays: see docs/files.md). */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            channel.force(true);
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("could not release " + dir.resolve(LOCK) + ": " + e.getMessage(), e);
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("closing {}: {}", dir.resolve(LOCK), e.toString());
            }
            HELD.remove(key);
        }
    }

    static String hostName() {
        return HOST;
    }

    private static final String HOST = lookUpHostName();

    private static String lookUpHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
