package io.github.nnunetfiji.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.github.nnunetfiji.util.AtomicFiles;

/**
 * {@code training_log.csv}: one row per epoch, rewritten whole (atomically) after every epoch. New
 * columns go at the end, so readers that index the older columns keep working.
 */
final class TrainingLogCsv {

    private TrainingLogCsv() {
    }

    static String header(int foregroundClasses) {
        StringBuilder sb = new StringBuilder("epoch,train_loss,val_loss");
        for (int c = 1; c <= foregroundClasses; c++) {
            sb.append(",pseudo_dice_").append(c);
        }
        return sb.append(",mean_pseudo_dice,ema_pseudo_dice,learning_rate,epoch_seconds,samples_per_second,data_wait_fraction")
                .toString();
    }

    static String row(EpochRecord r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.epoch()).append(',').append(num(r.trainLoss())).append(',').append(num(r.validationLoss()));
        for (Double d : r.pseudoDice()) {
            sb.append(',').append(num(EpochRecord.orNaN(d)));
        }
        sb.append(',').append(num(EpochRecord.orNaN(r.meanPseudoDice()))).append(',')
                .append(num(EpochRecord.orNaN(r.emaPseudoDice())))
                .append(',').append(String.format(Locale.ROOT, "%.6g", r.learningRate()))
                .append(',').append(String.format(Locale.ROOT, "%.2f", r.epochSeconds()))
                .append(',').append(String.format(Locale.ROOT, "%.3f", r.samplesPerSecond()))
                .append(',').append(r.dataWaitFraction() == null ? "NaN"
                        : String.format(Locale.ROOT, "%.4f", r.dataWaitFraction()));
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.5f", v);
    }

    static void write(Path file, List<EpochRecord> log, int foregroundClasses) throws IOException {
        StringBuilder sb = new StringBuilder(header(foregroundClasses)).append('\n');
        for (EpochRecord r : log) {
            sb.append(row(r)).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }
}
