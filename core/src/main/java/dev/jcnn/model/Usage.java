package dev.jcnn.model;

/**
 * Who is using a model, so that a second thread is refused with the rule instead of reading
 * another call's activations: one call at a time on the model's own layers (fit, evaluate,
 * predict, forward, load, save, close), re-entrant on its thread, and any number of
 * {@link Predictor} calls, which run on copies of the layers but read the model's weights, so
 * that nothing that changes the weights may overlap them. On a backend that does not take
 * concurrent calls, the model's own calls and the predictor's exclude each other too.
 */
final class Usage {

    private final String model;
    private boolean concurrentBackend;
    private Thread owner;
    private String ownerCall;
    private int depth;
    private int writingDepth;
    private int predicting;

    Usage(String model) {
        this.model = model;
    }

    /** Set when the model is built: whether its backend runs ops from several threads at once. */
    synchronized void backendTakesConcurrentCalls(boolean concurrent) {
        this.concurrentBackend = concurrent;
    }

    /**
     * Starts a call on the model's own layers.
     *
     * @throws IllegalStateException when another thread's call runs, or when this one would
     *         change the weights (or share a one-caller backend) while predictions run
     */
    synchronized void enter(String call, boolean changesWeights) {
        Thread me = Thread.currentThread();
        if (owner != null && owner != me) {
            throw new IllegalStateException("model '" + model + "': " + call + " on thread '" + me.getName()
                    + "' while thread '" + owner.getName() + "' runs " + ownerCall + " on it; a model serves one"
                    + " call at a time (its layers keep each call's activations): predict from many threads through"
                    + " model.predictor(), or give each thread a model of its own");
        }
        if (predicting > 0 && (changesWeights || !concurrentBackend)) {
            throw new IllegalStateException("model '" + model + "': " + call + " while " + predicting
                    + " prediction(s) through its predictor() are running, "
                    + (changesWeights ? "which read the weights " + call + " changes"
                            : "on a backend that takes one call at a time")
                    + "; call it when they have returned");
        }
        if (depth == 0) {
            owner = me;
            ownerCall = call;
        }
        depth++;
        if (changesWeights) {
            writingDepth++;
        }
    }

    /** Ends a call that {@link #enter} started with the same {@code changesWeights}. */
    synchronized void exit(boolean changesWeights) {
        depth--;
        if (changesWeights) {
            writingDepth--;
        }
        if (depth == 0) {
            owner = null;
            ownerCall = null;
        }
    }

    /**
     * Starts a predictor's call.
     *
     * @throws IllegalStateException while a call that changes the weights runs (or, on a
     *         one-caller backend, any call on the model's own layers)
     */
    synchronized void enterPrediction() {
        if (writingDepth > 0 || (depth > 0 && !concurrentBackend)) {
            throw new IllegalStateException("model '" + model + "': a predictor's prediction while thread '"
                    + owner.getName() + "' runs " + ownerCall + " on the model, "
                    + (writingDepth > 0 ? "which changes the weights the prediction reads"
                            : "on a backend that takes one call at a time")
                    + "; predict when it has returned");
        }
        predicting++;
    }

    synchronized void exitPrediction() {
        predicting--;
    }
}
