package dev.jcnn.samples.cli;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.model.Model;
import dev.jcnn.onnx.OnnxExport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Writes a saved model as an ONNX file (docs/onnx.md), for ONNX Runtime and the other ONNX engines. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Exports a saved model (model.jcnn or checkpoint.jcnn) to an ONNX file (opset 17, weights inside).")
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_FILE", description = "A file written by 'jcnn train', e.g. runs/lenet5/model.jcnn.")
    Path file;

    @Option(names = "--onnx", required = true, paramLabel = "OUT.onnx", description = "The ONNX file to write (replaced if it exists).")
    Path onnx;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ModelFiles.readableFile(file, "MODEL_FILE");
        Path parent = onnx.toAbsolutePath().getParent();
        if (Files.isDirectory(onnx)) {
            throw new IllegalArgumentException(onnx + ": a folder, not a file (--onnx)");
        }
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(onnx + ": its folder " + parent + " does not exist (--onnx)");
        }
        // the export reads the weights only: the CPU backend holds them on every machine
        try (Backend cpu = new CpuBackend(BackendOptions.exact()); Model m = ModelFiles.open(file, cpu)) {
            OnnxExport.export(m, onnx);
            out.printf("exported %s (%s) to %s: ONNX opset %d, %,d bytes, input (N, %s), output (N, %s)%n", m.name(), file,
                    onnx, OnnxExport.OPSET, Files.size(onnx), dims(m.inputShape().dims()), dims(m.outputShape().dims()));
        }
        out.flush();
        return 0;
    }

    private static String dims(int[] d) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < d.length; i++) {
            b.append(i > 0 ? ", " : "").append(d[i]);
        }
        return b.toString();
    }
}
