package io.github.nnunetfiji.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * progress.png, drawn headless without ImageJ: an 800 x 480 PNG with every curve in its colour, the
 * frame, grid and legend; epochs without a pseudo-Dice leave a gap; a log without epochs still
 * gives the empty axes; each write replaces the file whole.
 */
class ProgressPlotTest {

    @TempDir
    Path tmp;

    private static EpochRecord epoch(int e, double train, double val, Double dice, Double ema) {
        return new EpochRecord(e, train, val, new Double[] {dice}, dice, ema, 0.01, 10, 2, 0.01);
    }

    private static List<EpochRecord> log(int epochs) {
        List<EpochRecord> log = new ArrayList<>();
        double ema = 0.5;
        for (int e = 0; e < epochs; e++) {
            Double dice = e == 3 ? null : 0.5 + 0.3 * e / epochs;
            if (dice != null) {
                ema = 0.9 * ema + 0.1 * dice;
            }
            log.add(epoch(e, -0.1 - 0.4 * e / epochs, -0.2 - 0.3 * e / epochs, dice, ema));
        }
        return log;
    }

    private static long count(BufferedImage image, Color c) {
        return count(image, c, 0);
    }

    /** Pixels of colour {@code c} from row {@code top} down (below the legend for top 150). */
    private static long count(BufferedImage image, Color c, int top) {
        long n = 0;
        for (int y = top; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (c.getRGB() & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void drawsEveryCurveIntoAPng() throws IOException {
        Path file = tmp.resolve("fold_0/progress.png");
        ProgressPlot.write(file, log(20));
        BufferedImage png = javax.imageio.ImageIO.read(file.toFile());
        assertNotNull(png, "a PNG");
        assertEquals(800, png.getWidth());
        assertEquals(480, png.getHeight());
        for (Color c : List.of(ProgressPlot.TRAIN, ProgressPlot.VALIDATION, ProgressPlot.DICE, ProgressPlot.MOVING_AVERAGE,
                ProgressPlot.GRID)) {
            assertTrue(count(png, c) > 20, "pixels of " + c);
        }
        assertEquals(Color.WHITE.getRGB(), png.getRGB(2, 2), "white background");
        assertEquals(Color.BLACK.getRGB(), png.getRGB(75, 200), "the frame's left line");
        assertEquals(Color.BLACK.getRGB(), png.getRGB(400, 432), "the frame's bottom line");

        ProgressPlot.write(file, log(25));
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertEquals(List.of(file), s.toList(), "replaced whole, no temporary file left");
        }
    }

    @Test
    void aLogWithoutEpochsGivesTheEmptyAxes() {
        BufferedImage image = ProgressPlot.draw(List.of());
        assertEquals(800, image.getWidth());
        assertTrue(count(image, ProgressPlot.GRID) > 100, "grid");
        assertEquals(0, count(image, ProgressPlot.VALIDATION, 150), "no curve below the legend");
    }

    @Test
    void aLossOutsideZeroToOneWidensTheAxis() {
        List<EpochRecord> log = List.of(epoch(0, 2.5, 1.8, 0.1, 0.1), epoch(1, 1.2, Double.NaN, null, 0.1));
        BufferedImage image = ProgressPlot.draw(log);
        assertTrue(count(image, ProgressPlot.TRAIN, 150) > 20, "the train loss, within the frame");
    }

    @Test
    void ticksAtOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(0.2, ProgressPlot.niceStep(0.17), 1e-12);
        assertEquals(0.5, ProgressPlot.niceStep(0.21), 1e-12);
        assertEquals(1, ProgressPlot.niceStep(1), 1e-12);
        assertEquals(5, ProgressPlot.niceStep(2.98), 1e-12);
        assertEquals(0.05, ProgressPlot.niceStep(0.03), 1e-12);
    }
}
