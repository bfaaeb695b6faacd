package dev.jcnn.backend;

/**
 * Elementwise activation functions, each with its math in double: the definition the test
 * oracle computes and every backend is held to. PReLU has its own ops because its alpha is
 * learned.
 *
 * <p>A new kind must define both methods here, and every backend's activation family
 * switches over the kinds exhaustively, so it does not compile until each backend handles it.
 */
public enum ActivationKind {
    /** The identity: no activation. */
    LINEAR {
        @Override
        public double value(double x, double alpha) {
            return x;
        }

        @Override
        public double derivative(double x, double y, double alpha) {
            return 1;
        }
    },
    RELU {
        @Override
        public double value(double x, double alpha) {
            return x > 0 ? x : 0;
        }

        @Override
        public double derivative(double x, double y, double alpha) {
            return x > 0 ? 1 : 0;
        }
    },
    /** x for x &gt; 0, slope·x otherwise (the spec's alpha is the slope). */
    LEAKY_RELU {
        @Override
        public double value(double x, double alpha) {
            return x > 0 ? x : alpha * x;
        }

        @Override
        public double derivative(double x, double y, double alpha) {
            return x > 0 ? 1 : alpha;
        }
    },
    /** x for x &gt; 0, alpha·(e^x − 1) otherwise. */
    ELU {
        @Override
        public double value(double x, double alpha) {
            return x > 0 ? x : alpha * Math.expm1(x);
        }

        /** alpha·e^x from x: from y, y + alpha would cancel badly for x ≪ 0. */
        @Override
        public double derivative(double x, double y, double alpha) {
            return x > 0 ? 1 : alpha * Math.exp(x);
        }
    },
    TANH {
        @Override
        public double value(double x, double alpha) {
            return Math.tanh(x);
        }

        @Override
        public double derivative(double x, double y, double alpha) {
            return 1 - y * y;
        }
    },
    SIGMOID {
        @Override
        public double value(double x, double alpha) {
            return 1 / (1 + Math.exp(-x));
        }

        @Override
        public double derivative(double x, double y, double alpha) {
            return y * (1 - y);
        }
    };

    /**
     * f(x).
     *
     * @param alpha the spec's parameter (Leaky ReLU's slope, ELU's alpha); the other kinds ignore it
     */
    public abstract double value(double x, double alpha);

    /**
     * f'(x), given x and y = f(x): each kind reads whichever is more exact (tanh and sigmoid
     * the output, as cuDNN does). At a kink (x = 0) it is the negative side's slope.
     *
     * @param alpha the spec's parameter; the other kinds ignore it
     */
    public abstract double derivative(double x, double y, double alpha);
}
