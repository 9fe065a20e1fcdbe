package io.github.nnunetfiji.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;


import io.github.nnunetfiji.util.PngFiles;

/**
 * {@code progress.png}: train and validation loss, mean pseudo-Dice and its moving average per
 * epoch, drawn with Java 2D into an image and written by {@link PngFiles}, which needs no display
 * and no ImageJ (a training on a cluster node draws it as Fiji does).
 *
 * <p>The picture is the one ImageJ 1's {@code Plot} drew before: 800 x 480 pixels, a black frame
 * with the epochs along x (0 to the last epoch, at least 1) and the losses and pseudo-Dice along y
 * (0 to 1 at least, widened to every finite loss, with 0.05 to spare), light gray grid lines at
 * the labelled ticks, minor ticks between them, and a legend in the upper left corner. Train loss
 * blue, validation loss red, the mean pseudo-Dice as green circles joined by a black line, its
 * moving average a thick dark green line. A figure that is not a number (no pseudo-Dice in an
 * epoch) leaves a gap.
 */
final class ProgressPlot {

    static final int WIDTH = 800;
    static final int HEIGHT = 480;

    static final Color TRAIN = Color.BLUE;
    static final Color VALIDATION = Color.RED;
    static final Color DICE = new Color(0, 150, 0);
    static final Color DICE_LINE = Color.BLACK;
    static final Color MOVING_AVERAGE = new Color(0, 90, 0);
    static final Color GRID = new Color(0xc0c0c0);

    /** The frame: its left, top, right and bottom lines (pixels), as ImageJ's plot placed them. */
    private static final int LEFT = 75;
    private static final int TOP = 17;
    private static final int RIGHT = 779;
    private static final int BOTTOM = 432;
    private static final int TICK = 7;
    private static final int MINOR_TICK = 3;
    /** Least distance between labelled ticks, in pixels. */
    private static final int X_SPACING = 100;
    private static final int Y_SPACING = 55;
    private static final int LEGEND_PADDING = 4;
    private static final int LEGEND_LINE = 20;
    private static final String[] LEGEND = {"train loss", "validation loss", "pseudo-Dice (mean foreground)",
            "pseudo-Dice moving average"};

    private ProgressPlot() {
    }

    /** Writes the picture of {@code log} to {@code file} (atomically). */
    static void write(Path file, List<EpochRecord> log) throws IOException {
        PngFiles.write(file, draw(log));
    }

    /** The picture of {@code log}. */
    static BufferedImage draw(List<EpochRecord> log) {
        int n = log.size();
        double[] epochs = new double[n];
        double[] train = new double[n];
        double[] val = new double[n];
        double[] dice = new double[n];
        double[] ema = new double[n];
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < n; i++) {
            EpochRecord r = log.get(i);
            epochs[i] = r.epoch();
            train[i] = r.trainLoss();
            val[i] = r.validationLoss();
            dice[i] = EpochRecord.orNaN(r.meanPseudoDice());
            ema[i] = EpochRecord.orNaN(r.emaPseudoDice());
            for (double v : new double[] {train[i], val[i]}) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        Axes axes = new Axes(0, Math.max(1, n > 0 ? log.get(n - 1).epoch() : 1), lo - 0.05, hi + 0.05);

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            axes.drawGrid(g);

            g.setClip(LEFT, TOP, RIGHT - LEFT + 1, BOTTOM - TOP + 1);
            g.setStroke(new BasicStroke(1));
            g.setColor(TRAIN);
            axes.line(g, epochs, train);
            g.setColor(VALIDATION);
            axes.line(g, epochs, val);
            g.setColor(DICE_LINE);
            axes.line(g, epochs, dice);
            for (int i = 0; i < n; i++) {
                if (Double.isFinite(dice[i])) {
                    circle(g, axes.x(epochs[i]), axes.y(dice[i]));
                }
            }
            g.setColor(MOVING_AVERAGE);
            g.setStroke(new BasicStroke(2));
            axes.line(g, epochs, ema);
            g.setStroke(new BasicStroke(1));
            g.setClip(null);

            axes.drawFrameAndLabels(g);
            legend(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** A hollow circle of 5 pixels around a point (white inside). */
    private static void circle(Graphics2D g, int x, int y) {
        Color c = g.getColor();
        g.setColor(Color.WHITE);
        g.fillOval(x - 2, y - 2, 4, 4);
        g.setColor(DICE);
        g.drawOval(x - 2, y - 2, 4, 4);
        g.setColor(c);
    }

    /** The legend: a white box with a black border in the frame's upper left corner, one row per curve. */
    private static void legend(Graphics2D g) {
        FontMetrics fm = g.getFontMetrics();
        int row = fm.getHeight();
        int textWidth = 0;
        for (String s : LEGEND) {
            textWidth = Math.max(textWidth, fm.stringWidth(s));
        }
        int x0 = LEFT + 11;
        int y0 = TOP + 10;
        int w = 2 * LEGEND_PADDING + LEGEND_LINE + LEGEND_PADDING + textWidth + LEGEND_PADDING;
        int h = LEGEND.length * row + 2 * LEGEND_PADDING;
        g.setColor(Color.WHITE);
        g.fillRect(x0, y0, w, h);
        g.setColor(Color.BLACK);
        g.drawRect(x0, y0, w, h);
        Color[] text = {TRAIN, VALIDATION, DICE, MOVING_AVERAGE};
        for (int i = 0; i < LEGEND.length; i++) {
            int baseline = y0 + LEGEND_PADDING + i * row + fm.getAscent();
            int mid = baseline - fm.getAscent() / 2 + 1;
            int lx = x0 + 2 * LEGEND_PADDING;
            if (i == 2) {
                g.setColor(DICE_LINE);
                g.drawLine(lx, mid, lx + LEGEND_LINE, mid);
                circle(g, lx + LEGEND_LINE / 2, mid);
            } else {
                g.setColor(text[i]);
                g.setStroke(new BasicStroke(i == 3 ? 2 : 1));
                g.drawLine(lx, mid, lx + LEGEND_LINE, mid);
                g.setStroke(new BasicStroke(1));
            }
            g.setColor(text[i]);
            g.drawString(LEGEND[i], lx + LEGEND_LINE + LEGEND_PADDING, baseline);
        }
    }

    /** The data range and its mapping onto the frame; ticks at "nice" steps (1, 2 or 5 times a power of 10). */
    private static final class Axes {
        final double xMin;
        final double xMax;
        final double yMin;
        final double yMax;
        final double xStep;
        final double yStep;

        Axes(double xMin, double xMax, double yMin, double yMax) {
            this.xMin = xMin;
            this.xMax = xMax;
            this.yMin = yMin;
            this.yMax = yMax;
            this.xStep = niceStep((xMax - xMin) * X_SPACING / (RIGHT - LEFT));
            this.yStep = niceStep((yMax - yMin) * Y_SPACING / (BOTTOM - TOP));
        }

        int x(double v) {
            return (int) Math.round(LEFT + (v - xMin) * (RIGHT - LEFT) / (xMax - xMin));
        }

        int y(double v) {
            return (int) Math.round(BOTTOM - (v - yMin) * (BOTTOM - TOP) / (yMax - yMin));
        }

        /** The curve through the finite points, broken where a value is not a number. */
        void line(Graphics2D g, double[] xs, double[] ys) {
            int px = 0;
            int py = 0;
            boolean have = false;
            for (int i = 0; i < xs.length; i++) {
                if (!Double.isFinite(ys[i])) {
                    have = false;
                    continue;
                }
                int cx = x(xs[i]);
                int cy = y(ys[i]);
                if (have) {
                    g.drawLine(px, py, cx, cy);
                }
                px = cx;
                py = cy;
                have = true;
            }
        }

        void drawGrid(Graphics2D g) {
            g.setColor(GRID);
            for (double v : ticks(xMin, xMax, xStep)) {
                g.drawLine(x(v), TOP, x(v), BOTTOM);
            }
            for (double v : ticks(yMin, yMax, yStep)) {
                g.drawLine(LEFT, y(v), RIGHT, y(v));
            }
        }

        void drawFrameAndLabels(Graphics2D g) {
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP);
            FontMetrics fm = g.getFontMetrics();
            for (double v : ticks(xMin, xMax, minorStep(xStep))) {
                g.drawLine(x(v), BOTTOM, x(v), BOTTOM - MINOR_TICK);
                g.drawLine(x(v), TOP, x(v), TOP + MINOR_TICK);
            }
            for (double v : ticks(yMin, yMax, minorStep(yStep))) {
                g.drawLine(LEFT, y(v), LEFT + MINOR_TICK, y(v));
                g.drawLine(RIGHT, y(v), RIGHT - MINOR_TICK, y(v));
            }
            for (double v : ticks(xMin, xMax, xStep)) {
                g.drawLine(x(v), BOTTOM, x(v), BOTTOM - TICK);
                g.drawLine(x(v), TOP, x(v), TOP + TICK);
                String s = label(v, xStep);
                g.drawString(s, x(v) - fm.stringWidth(s) / 2, BOTTOM + 4 + fm.getAscent());
            }
            int widest = 0;
            for (double v : ticks(yMin, yMax, yStep)) {
                g.drawLine(LEFT, y(v), LEFT + TICK, y(v));
                g.drawLine(RIGHT, y(v), RIGHT - TICK, y(v));
                String s = label(v, yStep);
                widest = Math.max(widest, fm.stringWidth(s));
                g.drawString(s, LEFT - 7 - fm.stringWidth(s), y(v) + fm.getAscent() / 2 - 1);
            }
            String xLabel = "epoch";
            g.drawString(xLabel, (LEFT + RIGHT) / 2 - fm.stringWidth(xLabel) / 2,
                    BOTTOM + 4 + fm.getHeight() + 6 + fm.getAscent());
            String yLabel = "loss / pseudo-Dice";
            AffineTransform t = g.getTransform();
            g.translate(Math.max(fm.getAscent(), LEFT - 7 - widest - 5 - fm.getDescent()), (TOP + BOTTOM) / 2.0
                    + fm.stringWidth(yLabel) / 2.0);
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, 0, 0);
            g.setTransform(t);
        }
    }

    /** The least of 1, 2 and 5 times a power of 10 that is at least {@code v}. */
    static double niceStep(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v * (1 - 1e-9)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** Minor ticks: a fifth of a step of 1 or 5 times a power of 10, a quarter of one of 2. */
    private static double minorStep(double step) {
        double mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
        return Math.abs(mantissa - 2) < 1e-6 ? step / 4 : step / 5;
    }

    /** The multiples of {@code step} in [min, max]. */
    private static double[] ticks(double min, double max, double step) {
        long first = (long) Math.ceil(min / step - 1e-9);
        long last = (long) Math.floor(max / step + 1e-9);
        double[] t = new double[(int) Math.max(0, last - first + 1)];
        for (int i = 0; i < t.length; i++) {
            t[i] = (first + i) * step;
        }
        return t;
    }

    /** A tick's number with as many decimals as the step needs ("0.5", "10"), never "-0". */
    private static String label(double v, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        return s.matches("-0(\\.0*)?") ? s.substring(1) : s;
    }
}
