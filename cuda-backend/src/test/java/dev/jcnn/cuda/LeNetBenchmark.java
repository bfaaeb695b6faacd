package dev.jcnn.cuda;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Backends;
import dev.jcnn.backend.Numerics;
import dev.jcnn.data.ByteImageDataset;
import dev.jcnn.data.Mnist;
import dev.jcnn.model.Sequential;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.train.TrainingListener;
import java.nio.file.Path;
import java.util.Locale;

/**
 * LeNet-5 training throughput, the counterpart of the PyTorch peer (pytorch_lenet.py: SGD lr
 * 0.05, momentum 0.9, 20 warm-up steps): run by the GPU kit, not by the build.
 * usage: LeNetBenchmark MNIST_DIR BACKEND(cuda|cpu) NUMERICS(fast|exact) [steps] [batch]
 */
public final class LeNetBenchmark {

    private LeNetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String backendName = args[1];
        Numerics numerics = Numerics.valueOf(args[2].toUpperCase(Locale.ROOT));
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        int warmup = 20;
        ByteImageDataset train = Mnist.read(Mnist.locate(dir, Mnist.TRAIN_IMAGES), Mnist.locate(dir, Mnist.TRAIN_LABELS));
        int n = (warmup + steps) * batch;
        int per = 28 * 28;
        float[] all = train.images();
        float[] x = new float[n * per];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int j = i % train.size();
            System.arraycopy(all, j * per, x, i * per, per);
            labels[i] = train.label(j);
        }
        try (Backend b = Backends.create(backendName, BackendOptions.exact().withNumerics(numerics));
             Sequential m = LeNetParityTest.lenet5()) {
            m.build(b, 0).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f));
            long[] start = new long[1];
            double[] loss = new double[1];
            m.fit(x, labels, FitOptions.of(1, batch).shuffle(false).listener(new TrainingListener() {
                @Override
                public void onBatchEnd(int epoch, int step, double runningLoss, double runningAccuracy) {
                    if (step == warmup) {
                        start[0] = System.nanoTime();
                    }
                    loss[0] = runningLoss;
                }
            }));
            double seconds = (System.nanoTime() - start[0]) / 1e9;
            System.out.printf(Locale.ROOT, "jcnn %s %s bs=%d steps=%d images/s=%.0f s/epoch=%.2f running loss=%.3f (%s)%n",
                    backendName, numerics.name().toLowerCase(Locale.ROOT), batch, steps, steps * batch / seconds,
                    60000 / (steps * batch / seconds), loss[0], b.device());
        }
    }
}
