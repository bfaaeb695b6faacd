package dev.jcnn.samples.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlotsTest {

    @Test
    void confusionMatrixCountsTruthAgainstPrediction() {
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {0, 0, 1, 2, 2}, new int[] {0, 1, 1, 2, 0}, 3);
        assertArrayEquals(new int[] {1, 1, 0}, cm.counts()[0]);
        assertArrayEquals(new int[] {0, 1, 0}, cm.counts()[1]);
        assertArrayEquals(new int[] {1, 0, 1}, cm.counts()[2]);
        assertEquals(0.6, cm.accuracy(), 1e-12);
        BufferedImage img = cm.draw("t");
        assertEquals(ConfusionMatrix.side(3), img.getWidth());
        // a perfect row's diagonal cell is full green, an empty cell white
        int m = ConfusionMatrix.MARGIN;
        int cell = ConfusionMatrix.CELL;
        assertEquals(0x2ca02c, img.getRGB(m + cell + 5, m + cell + 5) & 0xFFFFFF);
        assertEquals(0xFFFFFF, img.getRGB(m + 2 * cell + 5, m + 5) & 0xFFFFFF);
    }

    @Test
    void lineChartTicksAreRound() {
        assertEquals(0.05, LineChart.niceStep(0.036), 1e-12);
        assertEquals(0.2, LineChart.niceStep(0.13), 1e-12);
        assertEquals(1.0, LineChart.niceStep(0.9), 1e-12);
        assertEquals(10.0, LineChart.niceStep(6), 1e-12);
        BufferedImage img = LineChart.draw("loss", "loss", List.of(
                new LineChart.Series("a", new double[] {1, 0.5, 0.25}, LineChart.TRAIN),
                new LineChart.Series("b", new double[] {Double.NaN, Double.NaN, Double.NaN}, LineChart.VALIDATION)));
        assertEquals(LineChart.WIDTH, img.getWidth());
        assertEquals(LineChart.HEIGHT, img.getHeight());
    }

    @Test
    void imageGridStretchesEachTileToItsOwnRange() {
        float[] dim = {0f, 0.01f, 0.02f, 0.03f};
        float[] flat = {5f, 5f, 5f, 5f};
        BufferedImage img = ImageGrid.draw(List.of(dim, flat), 2, 2, 2, 3);
        assertEquals(ImageGrid.width(2, 2, 3), img.getWidth());
        assertEquals(ImageGrid.width(1, 2, 3), img.getHeight());
        int g = ImageGrid.GAP;
        assertEquals(0x000000, img.getRGB(g, g) & 0xFFFFFF, "the tile's minimum is black");
        assertEquals(0xFFFFFF, img.getRGB(g + 3 + 2, g + 3 + 2) & 0xFFFFFF, "its maximum white");
        assertNotEquals(0x404040, img.getRGB(g + 6 + g, g) & 0xFFFFFF, "the second tile is drawn");
    }
}
