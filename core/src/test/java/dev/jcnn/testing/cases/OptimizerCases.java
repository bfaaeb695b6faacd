package dev.jcnn.testing.cases;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.RmsPropSpec;
import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table's optimizer steps: several steps of SGD (plain, momentum, Nesterov, weight
 * decay), of Adam, AdamW and RMSprop (plain, momentum, centered, weight decay) from the same
 * parameter, every updated tensor recorded after each step. AdamW and RMSprop also run
 * PyTorch's golden trajectories ({@code make_golden_optimizers.py}).
 */
public final class OptimizerCases {

    static final List<SgdSpec> SGD = List.of(new SgdSpec(0.1f, 0f, false, 0f), new SgdSpec(0.05f, 0.9f, false, 0f),
            new SgdSpec(0.05f, 0.9f, true, 0f), new SgdSpec(0.1f, 0f, false, 0.01f), new SgdSpec(0.03f, 0.8f, true, 5e-3f),
            new SgdSpec(0.2f, 0.5f, false, 1e-3f), new SgdSpec(0.01f, 0.5f, false, 1e-2f));

    static final List<AdamSpec> ADAM = List.of(AdamSpec.of(1e-3f), new AdamSpec(0.01f, 0.8f, 0.99f, 1e-6f, 0.01f),
            new AdamSpec(0.1f, 0f, 0.5f, 1e-3f, 0f), new AdamSpec(0.01f, 0.8f, 0.99f, 1e-6f, 1e-3f));

    static final List<AdamSpec> ADAMW = List.of(new AdamSpec(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f),
            new AdamSpec(0.05f, 0.8f, 0.99f, 1e-6f, 0.1f), new AdamSpec(0.1f, 0f, 0.5f, 1e-3f, 0f));

    static final List<RmsPropSpec> RMSPROP = List.of(RmsPropSpec.of(0.01f), new RmsPropSpec(0.01f, 0.9f, 1e-6f, 0f, 0.9f,
            false), new RmsPropSpec(0.005f, 0.95f, 1e-8f, 0f, 0f, true), new RmsPropSpec(0.02f, 0.8f, 1e-5f, 0.01f, 0.5f,
            true));

    private static final int STEPS = 5;

    private OptimizerCases() {
    }

    static void addTo(List<OpCase> table) {
        for (Shape s : List.of(Shape.of(3, 2, 3, 2), Shape.of(7, 11), Shape.of(13, 5))) {
            SGD.forEach(spec -> table.add(sgd(spec, s)));
            ADAM.forEach(spec -> table.add(adam(spec, s)));
            ADAMW.forEach(spec -> table.add(adamW(spec, s)));
            RMSPROP.forEach(spec -> table.add(rmsProp(spec, s)));
        }
        for (Shape s : List.of(Shape.of(7), Shape.of(3, 2, 3, 2), Shape.of(64, 300), Shape.of(5, 64, 33, 33))) {
            table.add(squaredNorm(s));
        }
    }

    /** Gradient clipping's squared norm: a sum of squares in double, over one to many blocks of the GPU's reduction. */
    public static OpCase squaredNorm(Shape s) {
        return OpCase.of("squared_norm", "Σx² of " + s, Tolerances.DEFAULT, r -> r.scalar("squared norm",
                (float) r.backend().optimizers().squaredNorm(r.gaussian("x", s, 1.0))));
    }

    static void addGolden(Map<String, GoldenOp> golden) {
        golden.put("adamw", new GoldenOp("adamw", Set.of("lr", "beta1", "beta2", "eps", "weight_decay"), g -> adamW(
                new AdamSpec((float) g.doubleParam("lr"), (float) g.doubleParam("beta1"), (float) g.doubleParam("beta2"),
                        (float) g.doubleParam("eps"), (float) g.doubleParam("weight_decay")), g.inputShape("param"))));
        golden.put("rmsprop", new GoldenOp("rmsprop", Set.of("lr", "alpha", "eps", "weight_decay", "momentum",
                "centered"), g -> rmsProp(new RmsPropSpec((float) g.doubleParam("lr"), (float) g.doubleParam("alpha"),
                        (float) g.doubleParam("eps"), (float) g.doubleParam("weight_decay"),
                        (float) g.doubleParam("momentum"), g.booleanParam("centered", false)), g.inputShape("param"))));
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

    /** AdamW: the parameter and both moments after each of five steps, each with a new gradient. */
    public static OpCase adamW(AdamSpec spec, Shape s) {
        String config = "lr " + spec.learningRate() + " betas " + spec.beta1() + "/" + spec.beta2() + " eps "
                + spec.epsilon() + " decoupled weight decay " + spec.weightDecay() + ", " + STEPS + " steps of " + s;
        return OpCase.of("adamw", config, Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            Tensor w = r.gaussian("param", s, 1.0);
            Tensor m = r.zeros(s);
            Tensor v = r.zeros(s);
            for (int step = 1; step <= STEPS; step++) {
                b.optimizers().adamW(w, r.gaussian("grad " + step, s, 1.0), m, v, spec, step);
                r.backward("param after step " + step, w);
                r.backward("m after step " + step, m);
                r.backward("v after step " + step, v);
            }
        });
    }

    /** RMSprop: the parameter and every buffer the spec uses after each of five steps, each with a new gradient. */
    public static OpCase rmsProp(RmsPropSpec spec, Shape s) {
        String config = "lr " + spec.learningRate() + " alpha " + spec.alpha() + " eps " + spec.epsilon()
                + " weight decay " + spec.weightDecay() + " momentum " + spec.momentum()
                + (spec.centered() ? " centered" : "") + ", " + STEPS + " steps of " + s;
        return OpCase.of("rmsprop", config, Tolerances.DEFAULT, r -> {
            Backend b = r.backend();
            Tensor w = r.gaussian("param", s, 1.0);
            Tensor squareAvg = r.zeros(s);
            Tensor gradAvg = spec.centered() ? r.zeros(s) : null;
            Tensor buffer = spec.momentum() > 0 ? r.zeros(s) : null;
            for (int step = 1; step <= STEPS; step++) {
                b.optimizers().rmsProp(w, r.gaussian("grad " + step, s, 1.0), squareAvg, gradAvg, buffer, spec);
                r.backward("param after step " + step, w);
                r.backward("square_avg after step " + step, squareAvg);
                if (gradAvg != null) {
                    r.backward("grad_avg after step " + step, gradAvg);
                }
                if (buffer != null) {
                    r.backward("momentum_buffer after step " + step, buffer);
                }
            }
        });
    }
}
