package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.CrossEntropySpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One training step of a small CNN, and the per-position cross-entropy, give bit-identical results on 1, 2, 3 and 7 threads. */
class ThreadCountIndependenceTest {

    @Test
    void trainingStepIsBitIdenticalForEveryThreadCount() {
        List<float[]> reference = trainingStep(1);
        for (int threads : new int[] {2, 3, 7}) {
            List<float[]> other = trainingStep(threads);
            assertEquals(reference.size(), other.size());
            for (int i = 0; i < reference.size(); i++) {
                AllClose.compareBits("result " + i + " with " + threads + " threads", null, other.get(i), reference.get(i))
                        .assertPassed();
            }
        }
    }

    /** The per-position cross-entropy with every option runs its positions in parallel and adds their terms in order. */
    @Test
    void perPositionCrossEntropyIsBitIdenticalForEveryThreadCount() {
        Shape s = Shape.of(3, 5, 17, 19);
        float[] logits = Random32.uniform(s.size(), 21);
        int[] labels = new int[3 * 17 * 19];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 7 == 3 ? 255 : (i * 31 + i / 5) % 5;
        }
        CrossEntropySpec spec = CrossEntropySpec.PLAIN.withLabelSmoothing(0.1f).withClassWeights(0.5f, 1, 2, 1.5f, 3)
                .withIgnoreIndex(255);
        float[] reference = null;
        for (int threads : new int[] {1, 2, 3, 7}) {
            try (CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(threads));
                    Tensor x = cpu.upload(s, logits); Tensor d = cpu.allocate(s)) {
                float loss = cpu.losses().softmaxCrossEntropy(x, labels, spec, d);
                float[] result = d.toArray();
                float[] all = java.util.Arrays.copyOf(result, result.length + 1);
                all[result.length] = loss;
                if (reference == null) {
                    reference = all;
                } else {
                    AllClose.compareBits("loss and dlogits with " + threads + " threads", null, all, reference)
                            .assertPassed();
                }
            }
        }
    }

    /** conv 5x5 SAME → ReLU → max pool → dense → softmax cross-entropy, backward, SGD; returns every result. */
    private static List<float[]> trainingStep(int threads) {
        int n = 9;
        Shape xs = Shape.of(n, 1, 12, 12);
        ConvSpec conv = new ConvSpec(5, 5, 1, 1, new Padding2D(2, 2, 2, 2));
        Shape ws = conv.weightShape(1, 4);
        Shape cs = conv.outputShape(xs, 4);
        PoolSpec pool = PoolSpec.of(PoolMode.MAX, 2, 2);
        Shape ps = pool.outputShape(cs);
        Shape ds = Shape.of(10, ps.sampleSize());
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        List<float[]> out = new ArrayList<>();
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(threads));
                Tensor x = cpu.upload(xs, Random32.uniform(xs.size(), 11));
                Tensor w = cpu.upload(ws, Random32.uniform(ws.size(), 12));
                Tensor b = cpu.upload(Shape.of(4), Random32.uniform(4, 13));
                Tensor c = cpu.allocate(cs); Tensor r = cpu.allocate(cs); Tensor p = cpu.allocate(ps);
                Tensor dw1 = cpu.upload(ds, Random32.uniform(ds.size(), 14));
                Tensor logits = cpu.allocate(Shape.of(n, 10)); Tensor dlogits = cpu.allocate(Shape.of(n, 10));
                Tensor gDense = cpu.allocate(ds); Tensor dp = cpu.allocate(ps); Tensor dr = cpu.allocate(cs);
                Tensor dc = cpu.allocate(cs); Tensor gw = cpu.allocate(ws); Tensor gb = cpu.allocate(Shape.of(4));
                Tensor dx = cpu.allocate(xs); Tensor v = cpu.allocate(ws)) {
            cpu.convolution().forward(x, w, b, conv, c);
            cpu.activations().forward(ActivationSpec.RELU, c, r);
            cpu.pooling().forward(r, pool, p);
            cpu.dense().forward(p, dw1, null, logits);
            float loss = cpu.losses().softmaxCrossEntropy(logits, labels, dlogits);
            cpu.dense().backwardWeights(p, dlogits, gDense);
            cpu.dense().backwardData(dlogits, dw1, dp);
            cpu.pooling().backward(r, p, dp, pool, dr);
            cpu.activations().backward(ActivationSpec.RELU, c, r, dr, dc);
            cpu.convolution().backwardFilter(x, dc, conv, gw);
            cpu.convolution().biasBackward(dc, gb);
            cpu.convolution().backwardData(dc, w, conv, dx);
            cpu.optimizers().sgd(w, gw, v, new SgdSpec(0.1f, 0.9f, true, 1e-4f));
            out.add(new float[] {loss});
            for (Tensor t : new Tensor[] {c, p, logits, dlogits, gDense, dp, dr, gw, gb, dx, w}) {
                out.add(t.toArray());
            }
        }
        return out;
    }
}
