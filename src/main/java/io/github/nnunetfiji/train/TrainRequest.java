package io.github.nnunetfiji.train;

import java.nio.file.Path;
import java.time.Duration;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.engine.Device;
import io.github.nnunetfiji.engine.EngineOptions;

/**
 * What to train: one configuration and fold of a planned, preprocessed data set, and how.
 * Immutable; a {@link Builder} collects the values (defaults: the reference's).
 *
 * @param dataset              the data set folder
 * @param work                 the work folder
 * @param configuration        a planned configuration
 * @param fold                 the fold
 * @param epochs               epochs; null: the plan's
 * @param iterationsPerEpoch   training iterations per epoch; null: the plan's (250)
 * @param validationIterations validation batches per epoch; null: a fifth of the iterations (50 of
 *                             250, as the reference)
 * @param timeLimit            training time budget; null: none
 * @param continueTraining     resume from the latest checkpoint (or extend a finished training)
 * @param splitsFile           a split to use (the reference's splits_final.json format); null:
 *                             WORK/&lt;data set&gt;/splits.json, made if absent
 * @param optimizer            the optimizer and its schedule
 * @param threads              threads for the network and for batch preparation; 0: all processors
 * @param seed                 seed of the split, the weights and the batches
 * @param device               where the network runs
 * @param precision            number format
 * @param saveInterval         the latest checkpoint is written at least this often (and at every stop)
 * @param validateAtEnd        predict the validation cases at full size at the end of the fold
 * @param elastic              elastic deformation in the augmentation (the paper: on; the
 *                             reference's current trainer: off); null: the default, or what a resumed
 *                             training used
 * @param saveProbabilities    the final validation keeps each case's class probabilities beside its
 *                             segmentation ({@code validation/CASE_probabilities.nii.gz}), which
 *                             scoring ensembles needs
 * @param validationMirroring  the final validation averages over every mirroring (the method);
 *                             off where a time budget cannot pay for it (its summary says so)
 */
public record TrainRequest(Path dataset, WorkFolder work, String configuration, Fold fold, Integer epochs,
        Integer iterationsPerEpoch, Integer validationIterations, Duration timeLimit, boolean continueTraining,
        Path splitsFile, Optimizer optimizer, int threads, long seed, Device device, EngineOptions.Precision precision,
        Duration saveInterval, boolean validateAtEnd, Boolean elastic, boolean saveProbabilities,
        boolean validationMirroring) {

    /** The optimizer and its schedule. */
    public enum Optimizer {
        /** The reference: SGD, Nesterov momentum 0.99, lr 0.01, polynomial decay to 0 over the epochs. */
        SGD,
        /** The paper: Adam lr 3e-4, cut by 5 after 30 epochs without improvement of the training loss. */
        ADAM
    }

    /** Split seed of the reference, used for ours too. */
    public static final long DEFAULT_SEED = 12345;
    /** Validation batches per 250 training iterations (the reference's 50 per epoch of 250). */
    public static final double VALIDATION_FRACTION = 50.0 / 250.0;

    /** Threads resolved: 0 means all processors. */
    public int resolvedThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.dataset = dataset;
        b.work = work;
        b.configuration = configuration;
        b.fold = fold;
        b.epochs = epochs;
        b.iterationsPerEpoch = iterationsPerEpoch;
        b.validationIterations = validationIterations;
        b.timeLimit = timeLimit;
        b.continueTraining = continueTraining;
        b.splitsFile = splitsFile;
        b.optimizer = optimizer;
        b.threads = threads;
        b.seed = seed;
        b.device = device;
        b.precision = precision;
        b.saveInterval = saveInterval;
        b.validateAtEnd = validateAtEnd;
        b.elastic = elastic;
        b.saveProbabilities = saveProbabilities;
        b.validationMirroring = validationMirroring;
        return b;
    }

    /**
     * The values of a request while the command line or a dialog fills them in; values as in
     * {@link TrainRequest}, with its defaults. Each setter sets the value of the same name and
     * returns this builder.
     */
    public static final class Builder {
        private Path dataset;
        private WorkFolder work = WorkFolder.fromEnvironment();
        private String configuration;
        private Fold fold;
        private Integer epochs;
        private Integer iterationsPerEpoch;
        private Integer validationIterations;
        private Duration timeLimit;
        private boolean continueTraining;
        private Path splitsFile;
        private Optimizer optimizer = Optimizer.SGD;
        private int threads;
        private long seed = DEFAULT_SEED;
        private Device device = Device.AUTO;
        private EngineOptions.Precision precision = EngineOptions.Precision.AUTO;
        private Duration saveInterval = Duration.ofMinutes(5);
        private boolean validateAtEnd = true;
        private Boolean elastic;
        private boolean saveProbabilities;
        private boolean validationMirroring = true;

        public Builder dataset(Path v) {
            dataset = v;
            return this;
        }

        public Builder work(WorkFolder v) {
            work = v;
            return this;
        }

        public Builder configuration(String v) {
            configuration = v;
            return this;
        }

        public Builder fold(Fold v) {
            fold = v;
            return this;
        }

        public Builder epochs(Integer v) {
            epochs = v;
            return this;
        }

        public Builder iterationsPerEpoch(Integer v) {
            iterationsPerEpoch = v;
            return this;
        }

        public Builder validationIterations(Integer v) {
            validationIterations = v;
            return this;
        }

        public Builder timeLimit(Duration v) {
            timeLimit = v;
            return this;
        }

        public Builder continueTraining(boolean v) {
            continueTraining = v;
            return this;
        }

        public Builder splitsFile(Path v) {
            splitsFile = v;
            return this;
        }

        public Builder optimizer(Optimizer v) {
            optimizer = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder device(Device v) {
            device = v;
            return this;
        }

        public Builder precision(EngineOptions.Precision v) {
            precision = v;
            return this;
        }

        public Builder saveInterval(Duration v) {
            saveInterval = v;
            return this;
        }

        public Builder validateAtEnd(boolean v) {
            validateAtEnd = v;
            return this;
        }

        public Builder elastic(Boolean v) {
            elastic = v;
            return this;
        }

        public Builder saveProbabilities(boolean v) {
            saveProbabilities = v;
            return this;
        }

        public Builder validationMirroring(boolean v) {
            validationMirroring = v;
            return this;
        }

        public TrainRequest build() {
            return new TrainRequest(dataset, work, configuration, fold, epochs, iterationsPerEpoch, validationIterations,
                    timeLimit, continueTraining, splitsFile, optimizer, threads, seed, device, precision, saveInterval,
                    validateAtEnd, elastic, saveProbabilities, validationMirroring);
        }
    }
}
