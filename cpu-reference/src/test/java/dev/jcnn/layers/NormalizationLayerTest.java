package dev.jcnn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.data.SampleSource;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.TestData;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Normalization layer: (x − mean)/std per channel, gradient dy/std, statistics measured by adapt. */
class NormalizationLayerTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @AfterEach
    void close() {
        cpu.close();
    }

    @Test
    void standardisesEachChannelAndScalesTheGradient() {
        float[] mean = {0.5f, -2f, 10f};
        float[] std = {0.25f, 3f, 0.1f};
        Shape s = Shape.of(2, 3, 2, 2);
        float[] xv = new TestData(1).gaussian(s.size(), 4);
        float[] dyv = new TestData(2).gaussian(s.size(), 1);
        try (Normalization n = new Normalization(mean, std).named("norm"); Tensor x = cpu.upload(s, xv);
                Tensor dy = cpu.upload(s, dyv)) {
            n.build(s.withoutBatch(), cpu, new Random(0));
            float[] y = n.forward(x, true).toArray();
            float[] dx = n.backward(dy).toArray();
            for (int i = 0; i < xv.length; i++) {
                int c = (i / 4) % 3;
                assertEquals((xv[i] - mean[c]) / std[c], y[i], 1e-6 * Math.max(1, Math.abs(y[i])), "y " + i);
                assertEquals(dyv[i] / std[c], dx[i], 1e-6 * Math.max(1, Math.abs(dx[i])), "dx " + i);
            }
            assertEquals(0, n.parameters().size(), "nothing to train");
            assertEquals(2, n.state().size(), "mean and variance are state, saved with the weights");
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        GradientCheck.checkLayer(cpu, new Normalization(new float[] {1, -1}, new float[] {0.5f, 2}),
                Shape.of(2, 2, 3, 3), 31);
        GradientCheck.checkLayer(cpu, new Normalization(new float[] {0, 1, 2}, new float[] {1, 2, 3}), Shape.of(4, 3), 32);
    }

    @Test
    void adaptMeasuresThePopulationStatisticsStreaming() {
        Shape sample = Shape.of(2, 3, 3);
        int count = 50;
        float[] x = new float[count * sample.size()];
        Random r = new Random(4);
        for (int i = 0; i < x.length; i++) {
            int c = (i / 9) % 2;
            x[i] = (float) (c == 0 ? 100 + 0.01 * r.nextGaussian() : -3 + 2 * r.nextGaussian());
        }
        double[] sum = new double[2];
        double[] sq = new double[2];
        for (int i = 0; i < x.length; i++) {
            sum[(i / 9) % 2] += x[i];
        }
        int per = count * 9;
        for (int i = 0; i < x.length; i++) {
            int c = (i / 9) % 2;
            double d = x[i] - sum[c] / per;
            sq[c] += d * d;
        }
        int[] reads = {0};
        SampleSource counted = new SampleSource() {
            final SampleSource inner = SampleSource.of(sample, x);

            public int size() {
                return inner.size();
            }

            public Shape sampleShape() {
                return sample;
            }

            public void copySample(int index, float[] dst, int offset) {
                reads[0]++;
                inner.copySample(index, dst, offset);
            }

            public dev.jcnn.data.Targets targets() {
                return inner.targets();
            }
        };
        Normalization n = Normalization.adapt(counted);
        assertEquals(count, reads[0], "one pass, one sample at a time");
        for (int c = 0; c < 2; c++) {
            assertEquals((float) (sum[c] / per), n.mean()[c], 1e-6 * Math.abs(sum[c] / per), "mean " + c);
            assertEquals((float) Math.sqrt(sq[c] / per), n.std()[c], 1e-4 * Math.sqrt(sq[c] / per), "std " + c);
        }
        assertEquals(0.01, n.std()[0], 0.002, "channel 0's tiny spread survives its large mean");
    }

    @Test
    void refusesStatisticsThatCannotStandardise() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> new Normalization(new float[] {0, 0, 0}, new float[] {1, 0, 1})).getMessage();
        assertTrue(m.contains("Normalization") && m.contains("channel 1") && m.contains("0.0"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> new Normalization(new float[] {0, Float.NaN}, new float[] {1, 1})).getMessage();
        assertTrue(m.contains("mean of channel 1 is NaN"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> new Normalization(new float[] {0}, new float[] {Float.POSITIVE_INFINITY})).getMessage();
        assertTrue(m.contains("channel 0") && m.contains("Infinity"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> new Normalization(new float[] {0, 1}, new float[] {1})).getMessage();
        assertTrue(m.contains("2 means and 1 standard deviations"), m);
        float[] constant = new float[3 * 4];
        for (int i = 0; i < constant.length; i++) {
            constant[i] = i % 4 == 0 ? 5f : i;
        }
        m = assertThrows(IllegalArgumentException.class,
                () -> Normalization.adapt(Shape.of(4), constant)).getMessage();
        assertTrue(m.contains("channel 0 is constant"), m);
        Normalization two = new Normalization(new float[] {0, 0}, new float[] {1, 1}).named("n");
        m = assertThrows(IllegalArgumentException.class, () -> two.outputShape(Shape.of(3, 2, 2))).getMessage();
        assertTrue(m.contains("n: input (3, 2, 2) has 3 channels") && m.contains("statistics for 2"), m);
    }

    @Test
    void builtLayerReportsTheStatisticsItHolds() {
        try (Normalization n = new Normalization(new float[] {1, 2}, new float[] {3, 4}).named("n")) {
            n.build(Shape.of(2), cpu, new Random(0));
            assertArrayEquals(new float[] {1, 2}, n.mean());
            assertArrayEquals(new float[] {3, 4}, n.std());
            assertArrayEquals(new float[] {9, 16}, n.state().get(1).value().toArray());
        }
    }
}
