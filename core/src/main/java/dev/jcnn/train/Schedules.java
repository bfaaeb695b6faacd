package dev.jcnn.train;

import java.util.Locale;

/** The schedules of {@link LearningRateSchedule}'s factories; arguments are checked there. */
final class Schedules {

    private Schedules() {
    }

    private static String per(LearningRateSchedule.Unit unit) {
        return unit.name().toLowerCase(Locale.ROOT) + "s";
    }

    private static void checkPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("learning-rate schedule: position " + position + ", expected 0 or more");
        }
    }

    record Step(float base, int stepSize, double gamma, LearningRateSchedule.Unit unit) implements LearningRateSchedule {
        @Override
        public float learningRate(long position) {
            checkPosition(position);
            return (float) (base * Math.pow(gamma, position / stepSize));
        }

        @Override
        public String describe() {
            return "step(lr=" + base + ", × " + gamma + " every " + stepSize + " " + per(unit) + ")";
        }
    }

    record Exponential(float base, double gamma, LearningRateSchedule.Unit unit) implements LearningRateSchedule {
        @Override
        public float learningRate(long position) {
            checkPosition(position);
            return (float) (base * Math.pow(gamma, position));
        }

        @Override
        public String describe() {
            return "exponential(lr=" + base + ", × " + gamma + " per " + unit.name().toLowerCase(Locale.ROOT) + ")";
        }
    }

    record Cosine(float base, long total, long warmup, float minimum, LearningRateSchedule.Unit unit)
            implements LearningRateSchedule {
        @Override
        public float learningRate(long position) {
            checkPosition(position);
            if (position < warmup) {
                return (float) ((double) base * (position + 1) / (warmup + 1));
            }
            if (position >= total) {
                return minimum;
            }
            double progress = (double) (position - warmup) / (total - warmup);
            return (float) (minimum + ((double) base - minimum) * (1 + Math.cos(Math.PI * progress)) / 2);
        }

        @Override
        public String describe() {
            return "cosine(lr=" + base + " to " + minimum + " over " + total + " " + per(unit)
                    + (warmup > 0 ? ", linear warm-up of " + warmup : "") + ")";
        }
    }
}
