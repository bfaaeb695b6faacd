package dev.jcnn.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** docs/library.md's example of predictions from many threads: PredictorExampleTest runs it. */
final class PredictorExample {

    private PredictorExample() {
    }

    /** Each request's predictions, computed on a pool of threads that share one predictor. */
    static List<float[]> predictAll(Model model, List<float[]> requests) throws Exception {
        List<float[]> results = new ArrayList<>();
        try (Predictor predictor = model.predictor()) {                 // once; share it between threads
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<float[]>> answers = new ArrayList<>();
            for (float[] images : requests) {
                answers.add(pool.submit(() -> predictor.predict(images, 32)));   // from any thread, at once
            }
            for (Future<float[]> a : answers) {
                results.add(a.get());
            }
            pool.shutdown();
        }
        return results;
    }
}
