package dev.jcnn.samples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/** A line chart of values per epoch (x = 1, 2, ...), one line per series, NaN values skipped. */
public final class LineChart {

    /** One line: its legend name, its values by epoch and its colour. */
    public record Series(String name, double[] values, Color color) {
    }

    public static final Color TRAIN = new Color(0x1f77b4);
    public static final Color VALIDATION = new Color(0xff7f0e);

    public static final int WIDTH = 640;
    public static final int HEIGHT = 400;

    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private LineChart() {
    }

    public static BufferedImage draw(String title, String yLabel, List<Series> series) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Png.canvas(img);
        int n = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            n = Math.max(n, s.values().length);
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!Double.isFinite(lo)) {
            lo = 0;
            hi = 1;
        }
        if (hi - lo < 1e-9) {
            double pad = Math.max(Math.abs(hi) * 0.05, 1e-3);
            lo -= pad;
            hi += pad;
        } else {
            double pad = (hi - lo) * 0.05;
            lo -= pad;
            hi += pad;
        }
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, (WIDTH - fm.stringWidth(title)) / 2, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        fm = g.getFontMetrics();
        // y grid and ticks at round values: 1, 2 or 5 times a power of ten apart
        double tick = niceStep((hi - lo) / 5);
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(tick)));
        for (double v = Math.ceil(lo / tick) * tick; v <= hi; v += tick) {
            int y = TOP + plotH - (int) Math.round(plotH * (v - lo) / (hi - lo));
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            String t = String.format("%." + decimals + "f", v);
            g.drawString(t, LEFT - 6 - fm.stringWidth(t), y + 4);
        }
        // x ticks at each epoch (thinned when many)
        int step = Math.max(1, (int) Math.ceil(n / 15.0));
        for (int e = 1; e <= n; e += step) {
            int x = xOf(e, n, plotW);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(x, TOP + plotH, x, TOP + plotH + 4);
            String t = Integer.toString(e);
            g.drawString(t, x - fm.stringWidth(t) / 2, TOP + plotH + 17);
        }
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("epoch", LEFT + plotW / 2 - fm.stringWidth("epoch") / 2, HEIGHT - 12);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + plotH / 2 + fm.stringWidth(yLabel) / 2), 16);
        rotated.dispose();
        // lines and points; the legend goes in the right-hand corner the last values leave free
        g.setStroke(new BasicStroke(2f));
        double lastSum = 0;
        int lastCount = 0;
        for (Series s : series) {
            for (int i = s.values().length - 1; i >= 0; i--) {
                if (Double.isFinite(s.values()[i])) {
                    lastSum += (s.values()[i] - lo) / (hi - lo);
                    lastCount++;
                    break;
                }
            }
        }
        boolean legendBelow = lastCount > 0 && lastSum / lastCount > 0.5;
        int legendY = legendBelow ? TOP + plotH - 10 - 16 * (int) series.stream()
                .filter(s -> java.util.Arrays.stream(s.values()).anyMatch(Double::isFinite)).count() + 16 : TOP + 16;
        for (Series s : series) {
            g.setColor(s.color());
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < s.values().length; i++) {
                double v = s.values()[i];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double x = xOf(i + 1, n, plotW);
                double y = TOP + plotH - plotH * (v - lo) / (hi - lo);
                if (started) {
                    path.lineTo(x, y);
                } else {
                    path.moveTo(x, y);
                    started = true;
                }
                g.fillOval((int) x - 3, (int) y - 3, 7, 7);
            }
            g.draw(path);
            if (started) {
                int lx = LEFT + plotW - 130;
                g.drawLine(lx, legendY - 4, lx + 24, legendY - 4);
                g.setColor(Color.BLACK);
                g.drawString(s.name(), lx + 30, legendY);
                legendY += 16;
            }
        }
        g.dispose();
        return img;
    }

    /** The round step (1, 2 or 5 × 10^k) nearest above raw. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    private static int xOf(int epoch, int n, int plotW) {
        if (n <= 1) {
            return LEFT + plotW / 2;
        }
        return LEFT + 10 + (int) Math.round((plotW - 20) * (epoch - 1) / (double) (n - 1));
    }
}
