package io.github.nnunetfiji.train;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.io.FileSaver;

import io.github.nnunetfiji.util.AtomicFiles;

/**
 * {@code progress.png}: train and validation loss, mean pseudo-Dice and its moving average per
 * epoch, drawn with ImageJ 1's {@link Plot}, which renders without a display.
 */
final class ProgressPlot {

    private ProgressPlot() {
    }

    static void write(Path file, List<EpochRecord> log, String title) throws IOException {
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
        Plot plot = new Plot(title, "epoch", "loss / pseudo-Dice");
        plot.setSize(800, 480);
        plot.setLimits(0, Math.max(1, n > 0 ? log.get(n - 1).epoch() : 1), lo - 0.05, hi + 0.05);
        plot.setColor(Color.BLUE);
        plot.addPoints(epochs, train, Plot.LINE);
        plot.setColor(Color.RED);
        plot.addPoints(epochs, val, Plot.LINE);
        plot.setColor(new Color(0, 150, 0));
        plot.addPoints(epochs, dice, Plot.CONNECTED_CIRCLES);
        plot.setColor(new Color(0, 90, 0));
        plot.setLineWidth(2);
        plot.addPoints(epochs, ema, Plot.LINE);
        plot.setLineWidth(1);
        plot.setColor(Color.BLACK);
        plot.addLegend("train loss\tvalidation loss\tpseudo-Dice (mean foreground)\tpseudo-Dice moving average");
        ImagePlus imp = plot.getImagePlus();
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp.png");
        try {
            if (!new FileSaver(imp).saveAsPng(tmp.toString())) {
                throw new IOException("Could not write " + file);
            }
            AtomicFiles.moveIntoPlace(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
