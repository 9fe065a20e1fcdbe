package io.github.nnunetfiji.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.RequestField;
import io.github.nnunetfiji.util.VersionedJson;

/**
 * Everything besides the network that a resumed training needs to continue exactly where it
 * stopped, written beside each checkpoint ({@code checkpoint_*.json}). Batches depend only on
 * (run seed, epoch, batch index), so the random state is the seed plus the position.
 */
public final class TrainerState {

    public static final String FORMAT = "nnunet-fiji-trainer-state";
    public static final int VERSION = 1;

    String format = FORMAT;
    int version = VERSION;
    String configuration;
    String fold;
    /** The split of this fold. */
    List<String> trainCases = new ArrayList<>();
    List<String> validationCases = new ArrayList<>();
    long seed;
    String optimizer;
    /** Elastic deformation in the augmentation; null (states written before it was a setting): on. */
    Boolean elastic;
    /** Planned length: epochs, iterations per epoch, validation batches per epoch. */
    int epochs;
    int iterationsPerEpoch;
    int validationIterations;
    /** The time budget in seconds (0: none) and whether the schedule has been fitted to it. */
    double timeLimitSeconds;
    boolean scheduleFixed = true;
    /** How the schedule was fitted to the budget, for the log. */
    String scheduleNote;
    /** Next epoch to run, and the iterations of it already done (a checkpoint taken mid-epoch). */
    int epoch;
    int iteration;
    double partialTrainLossSum;
    double partialEpochSeconds;
    /** Optimizer steps the network has taken; must match the checkpoint. */
    long networkStep;
    /** Moving average of the validation pseudo-Dice, and the best of it so far (null: none yet). */
    Double ema;
    Double bestEma;
    int bestEpoch = -1;
    /** Learning-rate factor of the paper's plateau rule (Adam): 1 / 5^cuts. */
    double plateauFactor = 1;
    /** The plateau rule's moving average of the training loss and its best (null: none yet). */
    Double trainLossAverage;
    Double bestTrainLossAverage;
    int epochsWithoutImprovement;
    /** Training time so far (seconds, all sessions). */
    double trainingSeconds;
    /** True once the last planned epoch has finished. */
    boolean finished;
    /** Why the last session stopped: finished, canceled, time limit, learning rate below the floor. */
    String stopReason;
    List<EpochRecord> log = new ArrayList<>();

    /** Whether this training deforms its samples elastically. */
    public boolean elasticDeformation() {
        return elastic == null || elastic;
    }

    public int epoch() {
        return epoch;
    }

    public int epochs() {
        return epochs;
    }

    public int iterationsPerEpoch() {
        return iterationsPerEpoch;
    }

    public boolean finished() {
        return finished;
    }

    /** The best moving average of the pseudo-Dice, NaN before the first epoch with one. */
    public double bestEma() {
        return EpochRecord.orNaN(bestEma);
    }

    public List<EpochRecord> log() {
        return List.copyOf(log);
    }

    public List<String> trainCases() {
        return List.copyOf(trainCases);
    }

    public List<String> validationCases() {
        return List.copyOf(validationCases);
    }

    public long seed() {
        return seed;
    }

    public String stopReason() {
        return stopReason;
    }

    public String scheduleNote() {
        return scheduleNote;
    }

    void write(Path file) throws IOException {
        Json.write(file, this);
    }

    static TrainerState read(Path file) throws IOException {
        return VersionedJson.read(file, TrainerState.class, VersionedJson.Layout.named("a trainer state", FORMAT,
                VERSION, Message.of("train this fold again without ", RequestField.CONTINUE)));
    }
}
