package dev.jcnn.testing.cases;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.TensorScope;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a case's body works with: its backend, named inputs (drawn or given, see {@link Inputs}),
 * output tensors filled with NaN (so that an op which reads its output instead of overwriting
 * it shows), and the outputs it records, read back to the host in the order recorded. Every
 * tensor closes with the run.
 */
public final class Run {

    private final TensorScope scope;
    private final Inputs inputs;
    private final Map<String, Output> outputs = new LinkedHashMap<>();

    Run(TensorScope scope, Inputs inputs) {
        this.scope = scope;
        this.inputs = inputs;
    }

    public Backend backend() {
        return scope.backend();
    }

    /** Input values N(0, scale²). */
    public Tensor gaussian(String name, Shape shape, double scale) {
        return input(name, shape, (data, n) -> data.gaussian(n, scale));
    }

    /** Input values uniform in [lo, hi). */
    public Tensor uniform(String name, Shape shape, double lo, double hi) {
        return input(name, shape, (data, n) -> data.uniform(n, lo, hi));
    }

    /**
     * Input values N(mean_c, scale_c²) per channel c (axis 1), mean_c = c − 1 and scale_c = 1 + c,
     * so that per-channel statistics differ by channel and not all centre on 0.
     */
    public Tensor perChannelGaussian(String name, Shape shape) {
        int channels = shape.dim(1);
        int inner = shape.sampleSize() / channels;
        return input(name, shape, (data, n) -> {
            float[] v = data.gaussian(n, 1.0);
            for (int i = 0; i < v.length; i++) {
                int c = (i / inner) % channels;
                v[i] = v[i] * (1 + c) + c - 1;
            }
            return v;
        });
    }

    /** Distinct input values spaced apart, in random order: no ties for max pooling to break. */
    public Tensor distinct(String name, Shape shape, double spacing) {
        return input(name, shape, (data, n) -> data.distinct(n, spacing));
    }

    /** Input values fixed by the case, e.g. extreme ones. */
    public Tensor given(String name, Shape shape, float... values) {
        return input(name, shape, (data, n) -> values.clone());
    }

    /** An input drawn as draw says. */
    public Tensor input(String name, Shape shape, Inputs.Draw draw) {
        return scope.upload(shape, inputs.floats(name, shape, draw));
    }

    /** Host values of an input that an op takes as an array (class weights), drawn as draw says or given. */
    public float[] values(String name, Shape shape, Inputs.Draw draw) {
        return inputs.floats(name, shape, draw);
    }

    /** n class labels in [0, classes). */
    public int[] labels(String name, int n, int classes) {
        return inputs.labels(name, n, classes);
    }

    /** An output tensor filled with NaN: the op must overwrite every element. */
    public Tensor output(Shape shape) {
        Tensor t = scope.zeros(shape);
        backend().elementwise().fill(t, Float.NaN);
        return t;
    }

    /** A zero-filled tensor (state that an op accumulates into, such as momentum). */
    public Tensor zeros(Shape shape) {
        return scope.zeros(shape);
    }

    /** Records a forward output. */
    public void forward(String name, Tensor t) {
        record(name, new Output(t.shape(), scope.read(t), Output.Kind.FORWARD));
    }

    /** Records a forward output under another shape of the same size, as a layer would reshape it. */
    public void forward(String name, Shape as, Tensor t) {
        record(name, new Output(as, scope.read(t), Output.Kind.FORWARD));
    }

    /** Records a gradient, an updated parameter or a statistic. */
    public void backward(String name, Tensor t) {
        record(name, new Output(t.shape(), scope.read(t), Output.Kind.BACKWARD));
    }

    /** Records a scalar (a loss) as a forward output of shape (1). */
    public void scalar(String name, float value) {
        record(name, new Output(Shape.of(1), new float[] {value}, Output.Kind.FORWARD));
    }

    Map<String, Output> outputs() {
        return Collections.unmodifiableMap(outputs);
    }

    private void record(String name, Output o) {
        if (outputs.putIfAbsent(name, o) != null) {
            throw new IllegalStateException("output '" + name + "' is recorded twice");
        }
    }
}
