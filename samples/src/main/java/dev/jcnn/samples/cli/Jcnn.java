package dev.jcnn.samples.cli;

import dev.jcnn.samples.segmentation.SegmentationDemo;
import java.io.PrintWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code jcnn} command line: train, evaluate and inspect CNNs on MNIST. */
@Command(name = "jcnn", mixinStandardHelpOptions = true, version = "jcnn 0.1.0",
        description = "Trains and inspects convolutional networks on MNIST with the jcnn framework.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, SummaryCommand.class,
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
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (e instanceof java.nio.file.NoSuchFileException && e.getMessage() != null && !message.contains(":")) {
                message = "no such file: " + message;
            }
            err.println("jcnn " + cmd.getCommandName() + ": error: " + message);
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cl;
    }
}
