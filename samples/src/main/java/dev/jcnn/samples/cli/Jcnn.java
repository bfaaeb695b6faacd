package dev.jcnn.samples.cli;

import dev.jcnn.samples.segmentation.SegmentationDemo;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code jcnn} command line: train, evaluate and inspect CNNs on MNIST. */
@Command(name = "jcnn", mixinStandardHelpOptions = true, version = "jcnn 0.1.0",
        description = "Trains and inspects convolutional networks on MNIST with the jcnn framework.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ExportCommand.class, SummaryCommand.class,
                DevicesCommand.class, ParityCommand.class, VisualizeCommand.class, BenchCommand.class, SegmentationDemo.class,
                CommandLine.HelpCommand.class})
public final class Jcnn implements Runnable {

    /** Exit status when a command cannot do its work on this machine (parity without a GPU). */
    public static final int NOT_AVAILABLE = 3;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log at DEBUG (cuDNN algorithm choices, fetch details) and print stack traces.")
    void verbose(boolean on) {
        verbose = on;
        if (on) {
            Configurator.setRootLevel(Level.DEBUG);
        }
    }

    static boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run it in process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Jcnn());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("jcnn " + cmd.getCommandName() + ": error: " + describe(e));
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cl;
    }

    /**
     * What went wrong, in one line that names the file: a file system error says its path and
     * the reason (the JDK's message of an unreadable file is the bare path), and a message that
     * says nothing by itself ("Caught exception during read: ") is followed by its cause's.
     */
    static String describe(Throwable e) {
        String message;
        if (e instanceof FileSystemException f) {
            String reason = f.getReason() != null ? f.getReason() : reasonOf(f);
            message = (f.getFile() != null ? f.getFile() : "?") + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "")
                    + ": " + reason;
        } else {
            message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        }
        String trimmed = message.strip();
        boolean saysNothing = e.getMessage() == null || e.getMessage().isBlank() || trimmed.endsWith(":");
        if (saysNothing && e.getCause() != null && e.getCause() != e) {
            message = trimmed + (trimmed.endsWith(":") ? " " : ": ") + describe(e.getCause());
        }
        if (e instanceof OutOfMemoryError) {
            message += " (out of memory: raise -Xmx in JAVA_OPTS, or use a smaller input or batch)";
        }
        return message;
    }

    private static String reasonOf(FileSystemException f) {
        if (f instanceof NoSuchFileException) {
            return "no such file";
        }
        if (f instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (f instanceof FileAlreadyExistsException) {
            return "already exists (and is not what was expected: a file where a folder should be, or the other way)";
        }
        if (f instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (f instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        return f.getClass().getSimpleName();
    }
}
