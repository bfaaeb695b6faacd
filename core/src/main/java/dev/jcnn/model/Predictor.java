package dev.jcnn.model;

import dev.jcnn.data.SampleSource;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.Loss;
import dev.jcnn.train.PredictionSink;
import dev.jcnn.train.Trainer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * Predictions from many threads at once on one model, as {@link Model#predict} makes them on
 * one: {@code predict} is safe to call from any number of threads. Each call borrows one of a
 * pool of copies of the model's layers ({@link dev.jcnn.layers.Layer#inferenceCopy}: the
 * weights shared and only read, the buffers of activations one copy's own) and returns it
 * when done; a call that finds every copy busy waits for one. The copies are made as calls
 * need them, up to {@link #maxConcurrency()}: the backend's thread count's worth on a backend
 * that takes concurrent calls (the CPU), one on a backend that does not (CUDA), where calls
 * run one after another. Results are the same, bit for bit, whatever the number of threads.
 *
 * <p>The model's weights must not change under running predictions: fit, load or close on the
 * model while a prediction runs, and a prediction while the model trains, are refused with
 * {@link IllegalStateException}. Between predictions the model may train; later predictions
 * then see the new weights. Predictions apply the link of the loss the model was compiled
 * with when the predictor was made (probabilities for a classifier).
 *
 * <pre>{@code
 * Predictor predictor = model.predictor();          // once, then share it between threads
 * float[] p = predictor.predict(images, 32);        // from any thread
 * }</pre>
 */
public final class Predictor implements AutoCloseable {

    private final Functional model;
    private final Loss loss;
    private final int maxConcurrency;
    private final Deque<Trainer> idle = new ArrayDeque<>();
    private final List<InferenceReplica> replicas = new ArrayList<>();
    private final List<Trainer> trainers = new ArrayList<>();
    private int running;
    private boolean closed;

    Predictor(Functional model, Loss loss, int maxConcurrency) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("model '" + model.name() + "': a predictor needs at least one copy of"
                    + " the layers, got maxConcurrency " + maxConcurrency);
        }
        this.model = model;
        this.loss = loss;
        this.maxConcurrency = maxConcurrency;
    }

    /** The most predictions that run at once: the number of copies of the layers it makes at most. */
    public int maxConcurrency() {
        return maxConcurrency;
    }

    /** The predictions for whole samples of the model's input shape: n × the per-sample output size values. */
    public float[] predict(float[] x, int batchSize) {
        return predict(SampleSource.of(model.inputShape(), x), batchSize);
    }

    /** The predictions for samples of another per-sample shape (fully convolutional models). */
    public float[] predict(float[] x, Shape sampleShape, int batchSize) {
        return predict(SampleSource.of(sampleShape, x), batchSize);
    }

    /** The predictions for the source's samples, as {@link Model#predict(SampleSource, int)} makes them. */
    public float[] predict(SampleSource data, int batchSize) {
        return run(t -> t.predict(data, batchSize));
    }

    /** The predictions handed to the sink batch by batch, on the calling thread. */
    public void predict(SampleSource data, int batchSize, PredictionSink sink) {
        run(t -> {
            t.predict(data, batchSize, sink);
            return null;
        });
    }

    /** The most probable class of each sample. */
    public int[] predictClasses(SampleSource data, int batchSize) {
        return run(t -> t.predictClasses(data, batchSize));
    }

    /** The most probable class of each whole sample of the input shape. */
    public int[] predictClasses(float[] x, int batchSize) {
        return predictClasses(SampleSource.of(model.inputShape(), x), batchSize);
    }

    private <T> T run(Function<Trainer, T> call) {
        model.usage().enterPrediction();
        try {
            Trainer t = borrow();
            try {
                return call.apply(t);
            } finally {
                giveBack(t);
            }
        } finally {
            model.usage().exitPrediction();
        }
    }

    private synchronized Trainer borrow() {
        while (true) {
            requireOpen();
            if (!idle.isEmpty()) {
                running++;
                return idle.pop();
            }
            if (replicas.size() < maxConcurrency) {
                InferenceReplica r = model.newReplica();
                replicas.add(r);
                Trainer t = new Trainer(r, loss, null);
                trainers.add(t);
                running++;
                return t;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("model '" + model.name() + "': interrupted while waiting for a free"
                        + " copy of the layers", e);
            }
        }
    }

    private synchronized void giveBack(Trainer t) {
        running--;
        idle.push(t);
        notifyAll();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("model '" + model.name() + "': the predictor is closed");
        }
    }

    /**
     * Frees the copies' buffers (the model's weights stay); the model closes its predictors
     * too. Throws {@link IllegalStateException} while predictions run.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (running > 0) {
            throw new IllegalStateException("model '" + model.name() + "': cannot close its predictor while " + running
                    + " prediction(s) run; close it when they have returned");
        }
        closed = true;
        trainers.forEach(Trainer::close);
        replicas.forEach(InferenceReplica::close);
        trainers.clear();
        replicas.clear();
        idle.clear();
        notifyAll();
        model.forget(this);
    }
}
