package io.github.nnunetfiji.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.nnunetfiji.train.ModelFolder;
import io.github.nnunetfiji.util.Json;

/**
 * How far a fold's training is, read from the shared work folder: the epochs of
 * {@code training_log.csv} against the trainer state's planned epochs, and whether the final
 * validation is written (then the fold is finished, whatever the queue says).
 *
 * @param finished the fold's final validation is written
 * @param epochs   epochs trained so far (rows of the training log)
 * @param planned  epochs planned, or 0 where no checkpoint says yet
 */
public record FoldProgress(boolean finished, int epochs, int planned) {

    /** The progress of one fold of a configuration in a data set's work folder. */
    public static FoldProgress of(Path datasetWork, String configuration, String fold) {
        Path dir = datasetWork.resolve("models").resolve(configuration).resolve("fold_" + fold);
        boolean finished = Files.isRegularFile(dir.resolve(ModelFolder.VALIDATION).resolve(
                ModelFolder.VALIDATION_SUMMARY));
        int epochs = 0;
        int planned = 0;
        try {
            Path log = dir.resolve(ModelFolder.TRAINING_LOG);
            if (Files.isRegularFile(log)) {
                epochs = (int) Math.max(0, Files.readAllLines(log).stream().filter(l -> !l.isBlank()).count() - 1);
            }
            Path state = dir.resolve(ModelFolder.Checkpoint.LATEST.stateFileName());
            if (Files.isRegularFile(state)) {
                Object e = Json.read(state, Map.class).get("epochs");
                planned = e instanceof Number n ? n.intValue() : 0;
            }
        } catch (IOException | RuntimeException e) {
            // A file being replaced as it is read: the progress is a hint; the next look reads it whole.
        }
        return new FoldProgress(finished, epochs, planned);
    }

    @Override
    public String toString() {
        if (finished) {
            return "finished (validated)";
        }
        if (epochs == 0) {
            return "no epoch yet";
        }
        return "epoch " + epochs + (planned > 0 ? "/" + planned : "");
    }
}
