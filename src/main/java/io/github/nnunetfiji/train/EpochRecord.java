package io.github.nnunetfiji.train;

/**
 * One epoch of training as the log and the progress picture show it. Figures that do not exist
 * (a class neither predicted nor present in the validation batches) are null, as JSON holds no NaN.
 *
 * @param pseudoDice       per foreground class (class 1 first)
 * @param dataWaitFraction share of the training iterations' time spent waiting for a batch (0-1);
 *                         null in logs written before it was recorded
 */
public record EpochRecord(int epoch, double trainLoss, double validationLoss, Double[] pseudoDice, Double meanPseudoDice,
        Double emaPseudoDice, double learningRate, double epochSeconds, double samplesPerSecond,
        Double dataWaitFraction) {

    /** null for NaN. */
    static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** NaN for null. */
    static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    static Double[] orNull(double[] v) {
        Double[] d = new Double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = orNull(v[i]);
        }
        return d;
    }
}
