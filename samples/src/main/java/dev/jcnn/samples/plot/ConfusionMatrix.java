package dev.jcnn.samples.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * Counts of true class (row) against predicted class (column), and its picture.
 *
 * @param counts classes × classes counts
 */
public record ConfusionMatrix(int[][] counts) {

    /** Cell size in pixels. */
    public static final int CELL = 44;
    static final int MARGIN = 70;

    /** Tallies truth against prediction. */
    public static ConfusionMatrix of(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true labels but " + predicted.length + " predictions");
        }
        int[][] c = new int[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            c[truth[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(c);
    }

    public int classes() {
        return counts.length;
    }

    /** The fraction on the diagonal. */
    public double accuracy() {
        long right = 0;
        long all = 0;
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts.length; j++) {
                all += counts[i][j];
                if (i == j) {
                    right += counts[i][j];
                }
            }
        }
        return all == 0 ? Double.NaN : (double) right / all;
    }

    /** The picture's side in pixels for this many classes. */
    public static int side(int classes) {
        return MARGIN + classes * CELL + 20;
    }

    /** Cells shaded by each row's share, counts written in, truth down the side, predictions across. */
    public BufferedImage draw(String title) {
        int k = classes();
        int size = side(k);
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Png.canvas(img);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, (size - fm.stringWidth(title)) / 2, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        fm = g.getFontMetrics();
        g.drawString("predicted", MARGIN + k * CELL / 2 - fm.stringWidth("predicted") / 2, 40);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString("true", -(MARGIN + k * CELL / 2 + fm.stringWidth("true") / 2), 18);
        r.dispose();
        for (int i = 0; i < k; i++) {
            long rowSum = 0;
            for (int j = 0; j < k; j++) {
                rowSum += counts[i][j];
            }
            String label = Integer.toString(i);
            g.setColor(Color.BLACK);
            g.drawString(label, MARGIN - 12 - fm.stringWidth(label), MARGIN + i * CELL + CELL / 2 + 4);
            g.drawString(label, MARGIN + i * CELL + CELL / 2 - fm.stringWidth(label) / 2, MARGIN - 6);
            for (int j = 0; j < k; j++) {
                double share = rowSum == 0 ? 0 : (double) counts[i][j] / rowSum;
                Color fill = i == j ? blend(new Color(0x2ca02c), share) : blend(new Color(0xd62728), Math.sqrt(share));
                int x = MARGIN + j * CELL;
                int y = MARGIN + i * CELL;
                g.setColor(fill);
                g.fillRect(x, y, CELL, CELL);
                g.setColor(new Color(0xcccccc));
                g.drawRect(x, y, CELL, CELL);
                if (counts[i][j] > 0) {
                    String t = Integer.toString(counts[i][j]);
                    g.setColor(share > 0.6 ? Color.WHITE : Color.BLACK);
                    g.drawString(t, x + CELL / 2 - fm.stringWidth(t) / 2, y + CELL / 2 + 4);
                }
            }
        }
        g.dispose();
        return img;
    }

    private static Color blend(Color c, double t) {
        t = Math.max(0, Math.min(1, t));
        return new Color((int) (255 + (c.getRed() - 255) * t), (int) (255 + (c.getGreen() - 255) * t),
                (int) (255 + (c.getBlue() - 255) * t));
    }
}
