package io.github.nnunetfiji.train;

/**
 * One epoch of training as the log and the progress picture show it.
 *
 * @param pseudoDice per foreground class (class 1 first), NaN where a class was neither predicted
 *                   nor present in the validation batches
 */
public record EpochRecord(int epoch, double trainLoss, double validationLoss, double[] pseudoDice, double meanPseudoDice,
        double emaPseudoDice, double learningRate, double epochSeconds, double samplesPerSecond) {
}
