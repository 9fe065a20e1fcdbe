package io.github.nnunetfiji.train;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.LossSpec;

/**
 * The per-epoch validation figures from the network's full-resolution probabilities: the
 * reference's pseudo-Dice (argmax, true/false positives and false negatives summed over every
 * validation batch, Dice per foreground class) and the loss (Dice + cross-entropy as the engine
 * defines it, computed here from the same probabilities, so validation needs one forward pass per
 * batch; deep-supervision terms are not part of it).
 */
final class ValidationMetrics {

    private final int classes;
    private final LossSpec loss;
    private final long[] tp;
    private final long[] fp;
    private final long[] fn;
    private double lossSum;
    private int batches;

    ValidationMetrics(int classes, LossSpec loss) {
        this.classes = classes;
        this.loss = loss;
        tp = new long[classes];
        fp = new long[classes];
        fn = new long[classes];
    }

    /** Adds one batch: its labels and the network's probabilities (classes last). */
    void add(Batch batch, float[] probabilities) {
        byte[] labels = batch.labels();
        int n = batch.size();
        int voxels = (int) batch.voxelsPerSample();
        int groups = loss.batchDice() ? 1 : n;
        double diceSum = 0;
        int diceTerms = 0;
        double ce = 0;
        long counted = 0;
        int firstClass = loss.diceIncludesBackground() ? 0 : 1;
        for (int g = 0; g < groups; g++) {
            double[] inter = new double[classes];
            double[] sumU = new double[classes];
            double[] sumV = new double[classes];
            int from = loss.batchDice() ? 0 : g;
            int to = loss.batchDice() ? n : g + 1;
            for (int s = from; s < to; s++) {
                for (int v = 0; v < voxels; v++) {
                    int i = s * voxels + v;
                    int label = labels[i] & 0xFF;
                    if (label == loss.ignoreLabel() || label >= classes) {
                        continue;
                    }
                    int base = i * classes;
                    int arg = 0;
                    float best = probabilities[base];
                    for (int k = 0; k < classes; k++) {
                        float u = probabilities[base + k];
                        sumU[k] += u;
                        if (u > best) {
                            best = u;
                            arg = k;
                        }
                    }
                    inter[label] += probabilities[base + label];
                    sumV[label] += 1;
                    ce -= Math.log(Math.max(probabilities[base + label], 1e-12f));
                    counted++;
                    if (arg == label) {
                        tp[label]++;
                    } else {
                        fp[arg]++;
                        fn[label]++;
                    }
                }
            }
            for (int k = firstClass; k < classes; k++) {
                diceSum += (2 * inter[k] + loss.diceSmooth()) / (sumU[k] + sumV[k] + loss.diceSmooth());
                diceTerms++;
            }
        }
        double l = -loss.diceWeight() * diceSum / Math.max(1, diceTerms);
        if (counted > 0) {
            l += loss.crossEntropyWeight() * ce / counted;
        }
        lossSum += l;
        batches++;
    }

    /** Mean loss over the batches. */
    double loss() {
        return batches == 0 ? Double.NaN : lossSum / batches;
    }

    /** Pseudo-Dice per foreground class (class 1 first); NaN where the class never occurred. */
    double[] pseudoDice() {
        double[] d = new double[classes - 1];
        for (int k = 1; k < classes; k++) {
            long denominator = 2 * tp[k] + fp[k] + fn[k];
            d[k - 1] = denominator == 0 ? Double.NaN : 2.0 * tp[k] / denominator;
        }
        return d;
    }

    /** Mean of the defined entries, NaN if none. */
    static double nanMean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
