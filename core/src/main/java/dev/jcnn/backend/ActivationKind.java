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
    },
    /**
     * GELU, x·Φ(x) with Φ the standard normal distribution function: PyTorch's
     * {@code gelu(approximate='none')}, Keras' {@code gelu} (approximate=False). Φ(x) is
     * erfc(−x/√2)/2, which keeps its relative precision in the negative tail.
     */
    GELU {
        @Override
        public double value(double x, double alpha) {
            return x * normalCdf(x);
        }

        /** Φ(x) + x·φ(x). */
        @Override
        public double derivative(double x, double y, double alpha) {
            return normalCdf(x) + x * Math.exp(-0.5 * x * x) / SQRT_2PI;
        }
    },
    /**
     * GELU's tanh form, x/2·(1 + tanh(u)) with u = √(2/π)·(x + 0.044715·x³): PyTorch's
     * {@code gelu(approximate='tanh')}, Keras' {@code gelu(approximate=True)}. Evaluated as the
     * equal x·σ(2u), which does not cancel where tanh(u) nears −1.
     */
    GELU_TANH {
        @Override
        public double value(double x, double alpha) {
            return x * sigmoid(2 * geluTanhArgument(x));
        }

        /** σ(2u) + 2x·u'·σ(2u)·σ(−2u), with u' = √(2/π)·(1 + 3·0.044715·x²). */
        @Override
        public double derivative(double x, double y, double alpha) {
            double u = geluTanhArgument(x);
            double s = sigmoid(2 * u);
            double du = SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_CUBIC * x * x);
            return s + 2 * x * du * s * sigmoid(-2 * u);
        }
    },
    /** SiLU (swish), x·σ(x): PyTorch's {@code silu}, Keras' {@code silu} and {@code swish}. */
    SILU {
        @Override
        public double value(double x, double alpha) {
            return x * sigmoid(x);
        }

        /** σ(x)·(1 + x·σ(−x)), with σ(−x) for 1 − σ(x), which would cancel for x ≫ 0. */
        @Override
        public double derivative(double x, double y, double alpha) {
            return sigmoid(x) * (1 + x * sigmoid(-x));
        }
    },
    /**
     * ReLU6, min(max(x, 0), 6): PyTorch's {@code relu6}, Keras' {@code relu6} (MobileNet). Its
     * derivative is 1 strictly between the kinks and 0 at them, as PyTorch's (a hardtanh's).
     */
    RELU6 {
        @Override
        public double value(double x, double alpha) {
            return relu6(x);
        }

        @Override
        public double derivative(double x, double y, double alpha) {
            return x > 0 && x < 6 ? 1 : 0;
        }
    },
    /**
     * Hard sigmoid, relu6(x + 3)/6: PyTorch's {@code hardsigmoid}, Keras 3's {@code hard_sigmoid}
     * (Keras 2's was 0.2·x + 0.5). Its derivative is 1/6 strictly between −3 and 3 and 0 at
     * them, as PyTorch's.
     */
    HARD_SIGMOID {
        @Override
        public double value(double x, double alpha) {
            return relu6(x + 3) / 6;
        }

        @Override
        public double derivative(double x, double y, double alpha) {
            return x > -3 && x < 3 ? 1.0 / 6 : 0;
        }
    },
    /**
     * Hard swish, x·relu6(x + 3)/6: PyTorch's {@code hardswish}, Keras' {@code hard_swish}
     * (MobileNetV3).
     */
    HARD_SWISH {
        @Override
        public double value(double x, double alpha) {
            return x * relu6(x + 3) / 6;
        }

        /**
         * x/3 + 1/2 on [−3, 3], both ends included as in PyTorch (so −1/2 at −3 and 3/2 at 3),
         * 0 below and 1 above.
         */
        @Override
        public double derivative(double x, double y, double alpha) {
            if (x < -3) {
                return 0;
            }
            return x <= 3 ? x / 3 + 0.5 : 1;
        }
    };

    private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double GELU_TANH_CUBIC = 0.044715;

    /**
     * f(x).
     *
     * @param alpha the spec's parameter (Leaky ReLU's slope, ELU's alpha); the other kinds ignore it
     */
    public abstract double value(double x, double alpha);

    /**
     * f'(x), given x and y = f(x): each kind reads whichever is more exact (tanh and sigmoid
     * the output, as cuDNN does). At a kink it is PyTorch's choice: the negative side's slope
     * at x = 0 for the ReLU family; ReLU6, hard sigmoid and hard swish as their own Javadoc says.
     *
     * @param alpha the spec's parameter; the other kinds ignore it
     */
    public abstract double derivative(double x, double y, double alpha);

    /** min(max(v, 0), 6), NaN kept. */
    private static double relu6(double v) {
        return v <= 0 ? 0 : v >= 6 ? 6 : v;
    }

    /** σ(v) = 1/(1 + e^−v): no cancellation and no overflow to NaN for any v. */
    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** u = √(2/π)·(x + 0.044715·x³) of GELU's tanh form. */
    private static double geluTanhArgument(double x) {
        return SQRT_2_OVER_PI * (x + GELU_TANH_CUBIC * x * x * x);
    }

    /** Φ(x) = erfc(−x/√2)/2. */
    private static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /**
     * erfc(z) = 1 − erf(z) in double, for z &gt; 0 too (where 1 − erf(z) would cancel): within
     * 6e-14 of the exact value, relative (a float rounds to 6e-8), up to |z| = 26, where it
     * underflows. Java has no erf: below |z| = 1.5 the series
     * 2/√π·e^(−z²)·Σ (2z²)^n·z/(1·3·…·(2n+1)), whose terms are all positive; above it erfc's
     * continued fraction, evaluated bottom-up from 100 terms.
     */
    private static double erfc(double z) {
        if (Double.isNaN(z)) {
            return z;
        }
        double a = Math.abs(z);
        double tail; // erfc(|z|)
        if (a < 1.5) {
            double term = a;
            double sum = a;
            double a2 = 2 * a * a;
            for (int n = 1; term > 1e-17 * sum; n++) {
                term *= a2 / (2 * n + 1);
                sum += term;
            }
            tail = 1 - 2 / Math.sqrt(Math.PI) * Math.exp(-a * a) * sum;
        } else if (a < 27) {
            double f = a;
            for (int k = 100; k >= 1; k--) {
                f = a + (k / 2.0) / f;
            }
            tail = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        } else {
            tail = 0;
        }
        return z >= 0 ? tail : 2 - tail;
    }
}
