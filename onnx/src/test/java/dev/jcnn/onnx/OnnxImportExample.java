package dev.jcnn.onnx;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.model.Functional;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.nio.file.Path;
import java.util.Random;

/**
 * docs/onnx.md's import example, line for line (OnnxImportExampleTest keeps the two equal and
 * runs it): import a LeNet-5 that PyTorch exported, predict, train one more epoch, export again.
 */
public final class OnnxImportExample {

    private OnnxImportExample() {
    }

    /** Imports {@code file} (a 1×28×28 classifier), writes the further-trained model to {@code tuned}; returns the predictions. */
    public static float[] run(Path file, Path tuned) throws Exception {
        float[] images = new float[2 * 28 * 28];
        Random random = new Random(1);
        for (int i = 0; i < images.length; i++) {
            images[i] = random.nextFloat();
        }
        int[] labels = {3, 7};

        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact());
                Functional model = OnnxImport.read(file, cpu)) { // e.g. a torch.onnx.export file
            System.out.println(model.summary());
            float[] probabilities = model.predict(images, 2); // (2, 10), as PyTorch predicts

            model.compile(new SparseCategoricalCrossEntropy(), new Sgd(0.01f));
            model.fit(images, labels, FitOptions.of(1, 2)); // train further in jcnn
            OnnxExport.export(model, tuned); // and back to ONNX
            return probabilities;
        }
    }

    public static void main(String[] args) throws Exception {
        run(Path.of(args.length > 0 ? args[0] : "lenet5.onnx"), Path.of(args.length > 1 ? args[1] : "tuned.onnx"));
    }
}
