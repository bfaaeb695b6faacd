package dev.jcnn.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.model.Sequential;
import dev.jcnn.zoo.ModelZoo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * docs/onnx.md's example, line for line (OnnxExampleTest keeps the two equal and runs it):
 * export LeNet-5 to ONNX and run the file in ONNX Runtime beside jcnn.
 */
public final class OnnxExample {

    private OnnxExample() {
    }

    /** Writes lenet5.onnx (or the path given) and returns the largest difference between the two engines. */
    public static double run(Path file) throws Exception {
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact());
                Sequential model = ModelZoo.lenet5()) {
            model.build(cpu, 42); // or model.load(weightsFile) after building
            OnnxExport.export(model, file); // opset 17, weights inside

            float[] images = new float[2 * 28 * 28];
            Random random = new Random(1);
            for (int i = 0; i < images.length; i++) {
                images[i] = random.nextFloat();
            }
            float[] jcnn = model.predict(images, 2);

            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
                    OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[] {2, 1, 28, 28});
                    OrtSession.Result result = session.run(Map.of("input", input))) {
                float[][] onnx = (float[][]) result.get(0).getValue(); // (2, 10) class probabilities
                double worst = 0;
                for (int n = 0; n < 2; n++) {
                    for (int k = 0; k < 10; k++) {
                        worst = Math.max(worst, Math.abs(onnx[n][k] - jcnn[n * 10 + k]));
                    }
                }
                System.out.println("largest difference between jcnn and ONNX Runtime: " + worst);
                return worst;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        run(Path.of(args.length > 0 ? args[0] : "lenet5.onnx"));
    }
}
