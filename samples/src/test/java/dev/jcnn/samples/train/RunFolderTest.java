package dev.jcnn.samples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One process per run folder: the lock file, its owner, a stale lock taken over, another JVM refused. */
class RunFolderTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondClaimInThisJvmIsRefusedNamingTheOwnerAndTheFolderIsFreeAgainAfterClose() throws IOException {
        Path dir = tmp.resolve("run");
        try (RunFolder first = RunFolder.claim(dir, "first")) {
            String lock = Files.readString(first.dir().resolve(RunFolder.LOCK));
            assertTrue(lock.contains("pid=" + ProcessHandle.current().pid() + "\n"), lock);
            assertTrue(lock.contains("command=first\n"), lock);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunFolder.claim(dir, "second"));
            assertTrue(e.getMessage().startsWith(dir + " is in use by another run: pid " + ProcessHandle.current().pid()
                    + " on " + RunFolder.hostName() + ", started "), e.getMessage());
            assertTrue(e.getMessage().endsWith(" (first); wait for it to finish or use another --output folder"),
                    e.getMessage());
            // the refused claim did not drop the first one's lock: a third is refused too
            assertThrows(IllegalStateException.class, () -> RunFolder.claim(dir.resolve("..").resolve("run"), "third"));
        }
        assertEquals("", Files.readString(dir.resolve(RunFolder.LOCK)), "a released lock names nobody");
        try (RunFolder again = RunFolder.claim(dir, "again")) {
            assertEquals(dir, again.dir());
        }
    }

    @Test
    void aLockLeftByAProcessThatIsGoneIsTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        Path dir = Files.createDirectories(tmp.resolve("stale"));
        Files.writeString(dir.resolve(RunFolder.LOCK), "pid=" + gone.pid() + "\nhost=" + RunFolder.hostName()
                + "\nstarted=2026-01-01T00:00:00Z\ncommand=jcnn train lenet5\n");
        try (RunFolder f = RunFolder.claim(dir, "taker")) {
            String lock = Files.readString(f.dir().resolve(RunFolder.LOCK));
            assertTrue(lock.contains("pid=" + ProcessHandle.current().pid() + "\n"), lock);
        }
    }

    @Test
    void aLockNamingALiveProcessOfThisHostIsRefusedEvenWhereTheFileSystemDoesNotLock() throws Exception {
        // the OS lock is free (as on a file system without locks), but its owner still runs
        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            Path dir = Files.createDirectories(tmp.resolve("alive"));
            String started = alive.info().startInstant().orElseThrow().toString();
            Files.writeString(dir.resolve(RunFolder.LOCK), "pid=" + alive.pid() + "\nhost=" + RunFolder.hostName()
                    + "\nstarted=" + started + "\ncommand=jcnn train fcn\n");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunFolder.claim(dir, "second"));
            assertEquals(dir + " is in use by another run: pid " + alive.pid() + " on " + RunFolder.hostName()
                    + ", started " + started + " (jcnn train fcn); wait for it to finish or use another --output folder",
                    e.getMessage());
        } finally {
            alive.destroy();
            alive.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRunFolderHeldByAnotherJvmIsRefusedNamingThatProcess() throws Exception {
        Path dir = tmp.resolve("other-jvm");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process holder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Holder.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null && !line.equals("held")) {
                // log lines of the holder
            }
            assertEquals("held", line, "the holder JVM claimed the folder");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunFolder.claim(dir, "second"));
            assertTrue(e.getMessage().startsWith(dir + " is in use by another run: pid " + holder.pid() + " on "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("(holder)"), e.getMessage());
        } finally {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        // killed, it released the OS lock: the folder is taken over
        try (RunFolder f = RunFolder.claim(dir, "after")) {
            assertTrue(Files.readString(f.dir().resolve(RunFolder.LOCK)).contains("command=after"));
        }
    }

    @Test
    void temporaryFilesOfAKilledWriteAreRemovedAndOnlyTheirNamesMatch() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("leftovers"));
        Files.write(dir.resolve("checkpoint.jcnn.8817263.tmp"), new byte[] {'J', 'C'});
        Files.write(dir.resolve("loss.png.42.tmp"), new byte[] {1});
        Files.write(dir.resolve("notes.tmp"), new byte[] {1});
        try (RunFolder f = RunFolder.claim(dir, "cleaner")) {
            try (var s = Files.list(f.dir())) {
                List<String> left = s.map(p -> p.getFileName().toString()).sorted().toList();
                assertEquals(List.of("notes.tmp", RunFolder.LOCK), left);
            }
        }
        assertTrue(RunFolder.isTemporary("model.jcnn.123.tmp"));
        assertFalse(RunFolder.isTemporary("run.lock"));
        assertFalse(RunFolder.isTemporary("x.tmp"));
    }

    /** Holds a run folder in its own JVM until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            RunFolder f = RunFolder.claim(Path.of(args[0]), "holder");
            System.out.println("held");
            System.out.flush();
            Thread.sleep(120_000);
            f.close();
        }
    }
}
