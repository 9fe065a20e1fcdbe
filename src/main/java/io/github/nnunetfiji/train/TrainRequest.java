package io.github.nnunetfiji.train;

import java.nio.file.Path;
import java.time.Duration;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.engine.Device;
import io.github.nnunetfiji.engine.EngineOptions;

/** What to train: one configuration and fold of a planned, preprocessed data set, and how. */
public final class TrainRequest {

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

    public Path dataset;
    public WorkFolder work = WorkFolder.fromEnvironment();
    public String configuration;
    public Fold fold;
    /** Epochs; null: the plan's. */
    public Integer epochs;
    /** Training iterations per epoch; null: the plan's (250). */
    public Integer iterationsPerEpoch;
    /** Validation batches per epoch; null: a fifth of the iterations (50 of 250, as the reference). */
    public Integer validationIterations;
    /** Training time budget; null: none. */
    public Duration timeLimit;
    /** Resume from the latest checkpoint (or extend a finished training). */
    public boolean continueTraining;
    /** A split to use (the reference's splits_final.json format); null: WORK/<data set>/splits.json, made if absent. */
    public Path splitsFile;
    public Optimizer optimizer = Optimizer.SGD;
    /** Threads for the network and for batch preparation; 0: all processors. */
    public int threads;
    public long seed = DEFAULT_SEED;
    public Device device = Device.AUTO;
    public EngineOptions.Precision precision = EngineOptions.Precision.AUTO;
    /** The latest checkpoint is written at least this often (and at every stop). */
    public Duration saveInterval = Duration.ofMinutes(5);
    /** Predict the validation cases at full size at the end of the fold. */
    public boolean validateAtEnd = true;

    /** Threads resolved: 0 means all processors. */
    public int resolvedThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
