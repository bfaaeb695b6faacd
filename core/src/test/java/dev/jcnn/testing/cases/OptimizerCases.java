package dev.jcnn.testing.cases;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.List;

/**
 * The table's optimizer steps: several steps of SGD (plain, momentum, Nesterov, weight
 * decay) and of Adam from the same parameter, every updated tensor recorded after each step.
 */
public final class OptimizerCases {

    static final List<SgdSpec> SGD = List.of(new SgdSpec(0.1f, 0f, false, 0f), new SgdSpec(0.05f, 0.9f, false, 0f),
            new SgdSpec(0.05f, 0.9f, true, 0f), new SgdSpec(0.1f, 0f, false, 0.01f), new SgdSpec(0.03f, 0.8f, true, 5e-3f),
            new SgdSpec(0.2f, 0.5f, false, 1e-3f), new SgdSpec(0.01f, 0.5f, false, 1e-2f));

    static final List<AdamSpec> ADAM = List.of(AdamSpec.of(1e-3f), new AdamSpec(0.01f, 0.8f, 0.99f, 1e-6f, 0.01f),
            new AdamSpec(0.1f, 0f, 0.5f, 1e-3f, 0f), new AdamSpec(0.01f, 0.8f, 0.99f, 1e-6f, 1e-3f));

    private static final int STEPS = 5;

    private OptimizerCases() {
    }

    static void addTo(List<OpCase> table) {
        for (Shape s : List.of(Shape.of(3, 2, 3, 2), Shape.of(7, 11), Shape.of(13, 5))) {
            SGD.forEach(spec -> table.add(sgd(spec, s)));
            ADAM.forEach(spec -> table.add(adam(spec, s)));
        }
    }

    /** The parameter (and velocity) after each of five steps, each with a new gradient. */
    public static OpCase sgd(SgdSpec spec, Shape s) {
        String config = "lr " + spec.learningRate() + " momentum " + spec.momentum() + (spec.nesterov() ? " nesterov" : "")
                + " weight decay " + spec.weightDecay() + ", " + STEPS + " steps of " + s;
        return OpCase.of("sgd", config, Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            Tensor w = r.gaussian("param", s, 1.0);
            Tensor v = spec.momentum() > 0 ? r.zeros(s) : null;
            for (int step = 1; step <= STEPS; step++) {
                b.optimizers().sgd(w, r.gaussian("grad " + step, s, 1.0), v, spec);
                r.backward("param after step " + step, w);
                if (v != null) {
                    r.backward("velocity after step " + step, v);
                }
            }
        });
    }

    /** The parameter and both moments after each of five steps, each with a new gradient. */
    public static OpCase adam(AdamSpec spec, Shape s) {
        String config = "lr " + spec.learningRate() + " betas " + spec.beta1() + "/" + spec.beta2() + " eps "
                + spec.epsilon() + " weight decay " + spec.weightDecay() + ", " + STEPS + " steps of " + s;
        return OpCase.of("adam", config, Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            Tensor w = r.gaussian("param", s, 1.0);
            Tensor m = r.zeros(s);
            Tensor v = r.zeros(s);
            for (int step = 1; step <= STEPS; step++) {
                b.optimizers().adam(w, r.gaussian("grad " + step, s, 1.0), m, v, spec, step);
                r.backward("param after step " + step, w);
                r.backward("m after step " + step, m);
                r.backward("v after step " + step, v);
            }
        });
    }
}
