package dev.jcnn.samples.parity;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.MergeLayer;
import dev.jcnn.layers.Node;
import dev.jcnn.layers.Parameter;
import dev.jcnn.model.Functional;
import dev.jcnn.model.Model;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Tolerance;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs each zoo model on a backend under test and on the CPU reference from the same seed
 * and input: every layer's forward output, then every parameter's gradient after one
 * training step, compared element by element.
 */
public final class ModelParity {

    /** Forward tolerance (float32, GPU against CPU, TF32 off). */
    public static final Tolerance FORWARD = Tolerance.of(1e-3, 1e-4);
    /** Gradient tolerance: sums over the batch accumulate in a different order. */
    public static final Tolerance GRADIENT = Tolerance.of(1e-2, 1e-4);

    private ModelParity() {
    }

    /** Every layer's output and every parameter's gradient, compared as {@link AllClose} does, the CPU as reference. */
    public static List<AllClose.Report> run(String model, Backend tested, Backend reference, int batch, long seed) {
        List<AllClose.Report> out = new ArrayList<>();
        try (Model t = ModelZoo.create(model); Model r = ModelZoo.create(model)) {
            t.build(tested, seed);
            r.build(reference, seed);
            Random rnd = new Random(seed);
            float[] x = new float[batch * t.inputShape().size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextFloat();
            }
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = rnd.nextInt(t.outputShape().size());
            }
            // layer by layer, each backend feeding its own outputs forward
            try (Tensor xt = tested.upload(t.inputShape().withBatch(batch), x);
                 Tensor xr = reference.upload(r.inputShape().withBatch(batch), x)) {
                int[][] inputsOf = inputsOf(t);
                Tensor[] vt = new Tensor[inputsOf.length];
                Tensor[] vr = new Tensor[inputsOf.length];
                for (int i = 0; i < inputsOf.length; i++) {
                    Layer lt = t.layers().get(i);
                    vt[i] = forward(lt, inputsOf[i], vt, xt);
                    vr[i] = forward(r.layers().get(i), inputsOf[i], vr, xr);
                    out.add(AllClose.compare(model + " " + lt.name() + " output", vt[i].shape(), vt[i].toArray(),
                            vr[i].toArray(), FORWARD));
                }
            }
            // one SGD step on the same batch: compare the gradients it computed
            t.compile(new SparseCategoricalCrossEntropy(), new Sgd(0.01f));
            r.compile(new SparseCategoricalCrossEntropy(), new Sgd(0.01f));
            FitOptions once = FitOptions.of(1, batch).shuffle(false);
            t.fit(x, labels, once);
            r.fit(x, labels, once);
            List<Parameter> pt = t.parameters();
            List<Parameter> pr = r.parameters();
            for (int i = 0; i < pt.size(); i++) {
                Tensor g = pt.get(i).grad();
                out.add(AllClose.compare(model + " " + pt.get(i).name() + " gradient", g.shape(), g.toArray(),
                        pr.get(i).grad().toArray(), GRADIENT));
            }
        }
        return out;
    }

    /** For each layer, the layers whose outputs it reads (-1: the model's input); a chain for a Sequential. */
    private static int[][] inputsOf(Model m) {
        int n = m.layers().size();
        int[][] inputs = new int[n][];
        if (m instanceof Functional f) {
            List<Node> nodes = f.nodes();
            for (int i = 0; i < n; i++) {
                inputs[i] = nodes.get(i).inputs().stream().mapToInt(nodes::indexOf).toArray();
            }
        } else {
            for (int i = 0; i < n; i++) {
                inputs[i] = new int[] {i - 1};
            }
        }
        return inputs;
    }

    private static Tensor forward(Layer layer, int[] inputs, Tensor[] values, Tensor x) {
        List<Tensor> xs = new ArrayList<>();
        for (int j : inputs) {
            xs.add(j < 0 ? x : values[j]);
        }
        return layer instanceof MergeLayer merge ? merge.forward(xs, false) : layer.forward(xs.get(0), false);
    }
}
