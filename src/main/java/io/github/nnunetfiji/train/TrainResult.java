package io.github.nnunetfiji.train;

import java.nio.file.Path;

/**
 * What a training session did.
 *
 * @param foldFolder      the fold's model folder
 * @param epochsDone      epochs finished so far (all sessions)
 * @param epochs          epochs planned
 * @param finished        whether every planned epoch is done (final checkpoint and inference model written)
 * @param stopReason      why the session stopped
 * @param bestEma         best moving average of the pseudo-Dice
 * @param validation      the end-of-fold validation, or null if it did not run
 */
public record TrainResult(Path foldFolder, int epochsDone, int epochs, boolean finished, String stopReason, double bestEma,
        FoldValidation.Summary validation) {
}
