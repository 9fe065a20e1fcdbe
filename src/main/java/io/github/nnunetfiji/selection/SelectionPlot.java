package io.github.nnunetfiji.selection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * The selection as a picture: one bar per candidate, its cross-validated mean foreground Dice, the
 * chosen one filled dark and marked. Drawn with Java 2D, which needs no display.
 */
public final class SelectionPlot {

    static final int WIDTH = 720;
    static final int ROW = 34;
    static final int TOP = 44;
    static final int LEFT = 230;
    static final int RIGHT = 650;
    static final Color CHOSEN = new Color(0, 110, 0);
    static final Color OTHER = new Color(150, 180, 150);

    private SelectionPlot() {
    }

    /** The picture of {@code candidates}, in their order, {@code chosen} among them. */
    public static BufferedImage draw(List<CandidateScore> candidates, CandidateScore chosen, String title) {
        int height = TOP + ROW * candidates.size() + 36;
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, 10, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            int bottom = TOP + ROW * candidates.size();
            g.setColor(new Color(0xc0c0c0));
            for (int t = 0; t <= 10; t += 2) {
                int x = LEFT + (RIGHT - LEFT) * t / 10;
                g.drawLine(x, TOP - 4, x, bottom);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%.1f", t / 10.0), x - 9, bottom + 16);
                g.setColor(new Color(0xc0c0c0));
            }
            for (int i = 0; i < candidates.size(); i++) {
                CandidateScore c = candidates.get(i);
                boolean isChosen = c.name().equals(chosen.name());
                int y = TOP + ROW * i;
                double v = c.foregroundDice() == null ? 0 : Math.max(0, Math.min(1, c.foregroundDice()));
                int w = (int) Math.round((RIGHT - LEFT) * v);
                g.setColor(isChosen ? CHOSEN : OTHER);
                g.fillRect(LEFT, y + 6, w, ROW - 12);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(1f));
                g.drawRect(LEFT, y + 6, w, ROW - 12);
                String label = (isChosen ? "\u2605 " : "") + c.name();
                g.drawString(label, LEFT - 10 - g.getFontMetrics().stringWidth(label), y + ROW / 2 + 5);
                String value = c.foregroundDice() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", c.foregroundDice());
                g.drawString(value, LEFT + w + 6, y + ROW / 2 + 5);
            }
            g.drawString("mean foreground Dice, cross-validation", LEFT, bottom + 32);
        } finally {
            g.dispose();
        }
        return img;
    }
}
