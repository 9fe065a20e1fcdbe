package io.github.nnunetfiji.train.data;

import io.github.nnunetfiji.train.augment.AugmentationOptions;

/**
 * Settings of the batch loader beyond the plan; the defaults are the reference's. Immutable: each
 * {@code with*} returns a copy.
 *
 * @param augmentation       augmentation of training batches (validation batches are never
 *                           augmented)
 * @param foregroundFraction share of each batch forced to be centred on a foreground class. As the
 *                           reference counts: the slots from round-half-even(B x (1 - fraction)) on;
 *                           but never fewer than ceil(B x fraction) slots, so that 0.33 gives the
 *                           paper's "at least a third" for every batch size (the reference forces 1
 *                           of 4, this loader 2)
 * @param queueBatches       batches made ahead of the consumer (memory: this many batches plus one
 *                           per thread); 0: max(2, threads)
 * @param openCases          cases kept open (memory-mapped) at once; others are reopened on demand
 */
public record DataOptions(AugmentationOptions augmentation, double foregroundFraction, int queueBatches,
        int openCases) {

    public static DataOptions defaults() {
        return new DataOptions(AugmentationOptions.defaults(), 0.33, 0, 64);
    }

    public DataOptions withAugmentation(AugmentationOptions a) {
        return new DataOptions(a, foregroundFraction, queueBatches, openCases);
    }

    public DataOptions withForegroundFraction(double f) {
        return new DataOptions(augmentation, f, queueBatches, openCases);
    }

    public DataOptions withQueueBatches(int q) {
        return new DataOptions(augmentation, foregroundFraction, q, openCases);
    }

    public DataOptions withOpenCases(int n) {
        return new DataOptions(augmentation, foregroundFraction, queueBatches, n);
    }

    DataOptions validate() {
        augmentation.validate();
        if (!(foregroundFraction >= 0 && foregroundFraction <= 1)) {
            throw new IllegalArgumentException("foregroundFraction must be in [0, 1], got " + foregroundFraction);
        }
        if (queueBatches < 0 || openCases < 1) {
            throw new IllegalArgumentException("queueBatches must be >= 0 and openCases >= 1");
        }
        return this;
    }
}
