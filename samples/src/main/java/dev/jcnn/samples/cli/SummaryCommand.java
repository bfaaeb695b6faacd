package dev.jcnn.samples.cli;

import dev.jcnn.model.Model;
import dev.jcnn.zoo.ModelZoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints the Keras-like summary of a zoo model or a saved model. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Prints a model's layers, output shapes and parameter counts.")
final class SummaryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "lenet5, cifar-cnn, fcn, or a saved model file.")
    String model;

    @Override
    public Integer call() throws Exception {
        Model m = model.endsWith(".jcnn") || Files.isRegularFile(Path.of(model)) ? ModelFiles.unbuilt(Path.of(model))
                : ModelZoo.create(model);
        spec.commandLine().getOut().print(m.summary());
        if (!m.classNames().isEmpty()) {
            spec.commandLine().getOut().println("Classes: " + String.join(", ", m.classNames()));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
