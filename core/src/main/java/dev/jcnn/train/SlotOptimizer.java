package dev.jcnn.train;

import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer whose state is a few tensors per parameter ("slots": Adam's moments, a momentum
 * buffer), each the parameter's shape, allocated as zeros on first use and saved in checkpoints
 * as "parameter name/slot". Subclasses say which slots they keep and how one parameter is updated.
 */
public abstract class SlotOptimizer implements Optimizer {

    private final Map<String, Tensor> slots = new LinkedHashMap<>();
    private long iterations;

    /** The slots kept per parameter with the current settings, in the order files list them. */
    protected abstract List<String> slotNames();

    /** Updates one parameter from its gradient; {@code step} counts this step, 1 for the first. */
    protected abstract void update(Parameter p, long step);

    @Override
    public final void step(List<Parameter> parameters) {
        iterations++;
        for (Parameter p : parameters) {
            update(p, iterations);
        }
    }

    /** The parameter's slot tensor, allocated as zeros on first use. */
    protected final Tensor slot(Parameter p, String slot) {
        return slots.computeIfAbsent(p.name() + "/" + slot, k -> p.value().backend().allocate(p.value().shape()));
    }

    @Override
    public final long iterations() {
        return iterations;
    }

    @Override
    public final void setIterations(long n) {
        iterations = n;
    }

    @Override
    public final Map<String, Tensor> state(List<Parameter> parameters) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            for (String s : slotNames()) {
                out.put(p.name() + "/" + s, slot(p, s));
            }
        }
        return out;
    }

    @Override
    public final void close() {
        slots.values().forEach(Tensor::close);
        slots.clear();
    }
}
