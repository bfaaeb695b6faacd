package dev.jcnn.model;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.MergeLayer;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Wall-clock time per layer of a model's forward and backward passes, summed over the passes
 * run while it is attached ({@link Functional#timeLayers}). The clock is read on the calling
 * thread around each layer's call, so on the CPU backend, whose ops return when their work is
 * done, a layer's time is its ops' time on every thread; on a backend that queues work (CUDA)
 * it is mostly the launch. Gradient sums where a node feeds several layers are not counted.
 *
 * <pre>{@code
 * LayerTimes times = new LayerTimes();
 * model.timeLayers(times);
 * model.fit(x, labels, FitOptions.of(1, 64));
 * model.timeLayers(null);
 * System.out.print(times.report(64, peakGflops));
 * }</pre>
 */
public final class LayerTimes {

    /**
     * One layer's totals.
     *
     * @param layer the layer
     * @param inputGradient whether its backward pass computes the gradient of its input (a layer fed only by
     *     the model's input computes none)
     * @param forwardNanos wall time of its forward calls
     * @param backwardNanos wall time of its backward calls
     * @param forwardCalls how many forward calls
     * @param backwardCalls how many backward calls
     */
    public record Entry(Layer layer, boolean inputGradient, long forwardNanos, long backwardNanos, long forwardCalls,
            long backwardCalls) {

        /**
         * The multiply-adds of one sample's forward pass through a {@link Conv2D} or {@link Dense} layer (each
         * output value's kernel or weight row, over its group's input channels); 0 for other layers.
         */
        public long multiplyAddsPerSample() {
            Shape in = layer.inputShape();
            if (layer instanceof Conv2D c) {
                Shape out = c.outputShape(in);
                ConvSpec k = c.spec(in);
                return (long) out.size() * (in.dim(0) / c.groups()) * k.kernelH() * k.kernelW();
            }
            if (layer instanceof Dense d) {
                return (long) in.size() * d.units();
            }
            return 0;
        }

        /** Floating-point operations (2 per multiply-add) of its forward pass on a batch. */
        public double forwardFlops(int batch) {
            return 2.0 * multiplyAddsPerSample() * batch;
        }

        /** The same for its backward pass: the weight gradient, and the input gradient where one is computed. */
        public double backwardFlops(int batch) {
            return forwardFlops(batch) * (inputGradient ? 2 : 1);
        }
    }

    private final Map<Layer, long[]> times = new IdentityHashMap<>();
    private final Map<Layer, Boolean> inputGradients = new IdentityHashMap<>();
    private final List<Layer> order = new ArrayList<>();

    synchronized void forward(Layer layer, boolean inputGradient, long nanos) {
        long[] t = slot(layer, inputGradient);
        t[0] += nanos;
        t[2]++;
    }

    synchronized void backward(Layer layer, boolean inputGradient, long nanos) {
        long[] t = slot(layer, inputGradient);
        t[1] += nanos;
        t[3]++;
    }

    private long[] slot(Layer layer, boolean inputGradient) {
        long[] t = times.get(layer);
        if (t == null) {
            t = new long[4];
            times.put(layer, t);
            inputGradients.put(layer, inputGradient);
            order.add(layer);
        }
        return t;
    }

    /** Forgets every total (after a warm-up, say). */
    public synchronized void reset() {
        times.clear();
        inputGradients.clear();
        order.clear();
    }

    /** The totals, one per layer in the order the layers first ran. */
    public synchronized List<Entry> entries() {
        List<Entry> out = new ArrayList<>(order.size());
        for (Layer l : order) {
            long[] t = times.get(l);
            out.add(new Entry(l, inputGradients.get(l), t[0], t[1], t[2], t[3]));
        }
        return out;
    }

    /**
     * A table of the convolution and dense layers: microseconds per pass, the GFLOP/s achieved forward and
     * backward, and (when {@code peakGflops} is positive) their share of that peak; then every layer's share of
     * the total time. {@code batch} is the samples per pass.
     */
    public String report(int batch, double peakGflops) {
        List<Entry> entries = entries();
        double total = 0;
        for (Entry e : entries) {
            total += e.forwardNanos() + e.backwardNanos();
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-22s %-16s %10s %10s %8s %8s %7s %7s %6s%n", "layer", "output",
                "fwd us", "bwd us", "fwd GF/s", "bwd GF/s", "fwd %pk", "bwd %pk", "time%"));
        for (Entry e : entries) {
            double fwdUs = e.forwardCalls() == 0 ? 0 : e.forwardNanos() / 1e3 / e.forwardCalls();
            double bwdUs = e.backwardCalls() == 0 ? 0 : e.backwardNanos() / 1e3 / e.backwardCalls();
            double share = total == 0 ? 0 : 100 * (e.forwardNanos() + e.backwardNanos()) / total;
            String shape = (e.layer() instanceof MergeLayer m ? m.outputShape(m.inputShapes())
                    : e.layer().outputShape(e.layer().inputShape())).toString();
            if (e.multiplyAddsPerSample() > 0) {
                double fwd = fwdUs == 0 ? 0 : e.forwardFlops(batch) / fwdUs / 1e3;
                double bwd = bwdUs == 0 ? 0 : e.backwardFlops(batch) / bwdUs / 1e3;
                sb.append(String.format(Locale.ROOT, "%-22s %-16s %10.1f %10.1f %8.1f %8.1f %7s %7s %6.1f%n",
                        e.layer().name(), shape, fwdUs, bwdUs, fwd, bwd, percent(fwd, peakGflops),
                        percent(bwd, peakGflops), share));
            } else {
                sb.append(String.format(Locale.ROOT, "%-22s %-16s %10.1f %10.1f %8s %8s %7s %7s %6.1f%n",
                        e.layer().name(), shape, fwdUs, bwdUs, "", "", "", "", share));
            }
        }
        return sb.toString();
    }

    private static String percent(double gflops, double peak) {
        return peak > 0 ? String.format(Locale.ROOT, "%.1f%%", 100 * gflops / peak) : "";
    }
}
