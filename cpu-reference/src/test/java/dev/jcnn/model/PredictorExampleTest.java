package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcnn.backend.Backend;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.testing.DocExample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/library.md's Predictor example is PredictorExample's code, and it predicts what the model does. */
class PredictorExampleTest {

    @Test
    void theDocsExampleIsTheProgram() throws Exception {
        DocExample.assertInProgram("docs/library.md", "## Threads", "cpu-reference/src/test/java/dev/jcnn/model/PredictorExample.java", 5);
    }

    @Test
    void theExamplePredictsWhatTheModelPredicts() throws Exception {
        try (Backend cpu = new CpuBackend();
             Sequential model = ConcurrentPredictionTest.small("example")) {
            model.build(cpu, 3);
            List<float[]> requests = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                requests.add(ConcurrentPredictionTest.inputs(i, 1 + i % 7));
            }
            List<float[]> got = PredictorExample.predictAll(model, requests);
            assertEquals(requests.size(), got.size());
            for (int i = 0; i < requests.size(); i++) {
                assertArrayEquals(model.predict(requests.get(i), 32), got.get(i), "request " + i);
            }
        }
    }
}
