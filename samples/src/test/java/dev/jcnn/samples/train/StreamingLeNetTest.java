package dev.jcnn.samples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.data.IdxImages;
import dev.jcnn.data.Mnist;
import dev.jcnn.model.Sequential;
import dev.jcnn.testing.WatchedDataset;
import dev.jcnn.train.Evaluation;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * LeNet-5 trained on real MNIST (the committed slice: 2,000 training and 500 test images) from
 * a source that reads each image from its IDX file when a batch needs it reaches exactly what
 * the array path reaches with the same seed: the same weights bit for bit, the same accuracy.
 * The source is watched: no request ever asks for more than one batch of images at a time, and
 * nothing gathers the set into one array.
 */
class StreamingLeNetTest {

    private static final int BATCH = 32;

    static Path slice() throws Exception {
        return Path.of(StreamingLeNetTest.class.getResource("/mnist-slice").toURI());
    }

    @Test
    void streamingFromTheIdxFileTrainsLeNetExactlyAsTheArrays() throws Exception {
        Path dir = slice();
        Mnist inMemory = Mnist.load(dir);
        float[] x = inMemory.train().images();
        int[] y = inMemory.train().labels();
        float[] testX = inMemory.test().images();
        int[] testY = inMemory.test().labels();
        FitOptions options = FitOptions.of(1, BATCH).seed(11);

        Map<String, float[]> arrayWeights;
        Evaluation arrayEval;
        History arrayHistory;
        try (CpuBackend cpu = new CpuBackend(BackendOptions.defaults()); Sequential m = ModelZoo.lenet5()) {
            m.build(cpu, 3).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f));
            arrayHistory = m.fit(x, y, options.validation(testX, testY));
            arrayEval = m.evaluate(testX, testY, 100);
            arrayWeights = host(m);
        }

        try (CpuBackend cpu = new CpuBackend(BackendOptions.defaults()); Sequential m = ModelZoo.lenet5();
             IdxImages trainFile = Mnist.openTrain(dir); IdxImages testFile = Mnist.openTest(dir)) {
            WatchedDataset train = new WatchedDataset(trainFile);
            WatchedDataset test = new WatchedDataset(testFile);
            m.build(cpu, 3).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f));
            History h = m.fit(train, options.validation(test));
            Evaluation ev = m.evaluate(test, 100);

            assertEquals(arrayHistory.last().loss(), h.last().loss(), 0.0);
            assertEquals(arrayHistory.last().valAccuracy(), h.last().valAccuracy(), 0.0);
            assertEquals(arrayEval.accuracy(), ev.accuracy(), 0.0, "the same test accuracy");
            assertEquals(arrayEval.loss(), ev.loss(), 0.0);
            Map<String, float[]> streamed = host(m);
            assertEquals(arrayWeights.keySet(), streamed.keySet());
            for (String k : arrayWeights.keySet()) {
                assertArrayEquals(arrayWeights.get(k), streamed.get(k), 0f, k + " bit for bit");
            }
            // one epoch over the 2,000 training images; the 500 test images once for validation, once for evaluate
            assertEquals(2_000, train.reads());
            assertEquals(2 * 500, test.reads());
            assertEquals(BATCH * 784, train.largestDestination(), "never more than one batch of images at a time");
            assertEquals(100 * 784, test.largestDestination());
            assertTrue(ev.accuracy() > 0.8, "one epoch on 2,000 images: test accuracy " + ev.accuracy());
        }
    }

    private static Map<String, float[]> host(Sequential m) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        m.weights().forEach((k, t) -> out.put(k, t.toArray()));
        return out;
    }
}
