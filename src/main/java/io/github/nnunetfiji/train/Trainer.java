package io.github.nnunetfiji.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.LossSpec;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.train.ModelFolder.Checkpoint;
import io.github.nnunetfiji.train.augment.AugmentationOptions;
import io.github.nnunetfiji.train.data.BatchSource;
import io.github.nnunetfiji.train.data.DataOptions;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.RequestField;

/**
 * The training loop of one fold: epochs of training iterations, validation batches with the
 * pseudo-Dice and its moving average, the learning-rate policy, checkpoints (latest regularly and
 * at every stop, best on the moving average, final), the log and the progress picture.
 *
 * <p>Every epoch opens a fresh batch source seeded from (run seed, epoch), so a checkpoint taken
 * anywhere resumes exactly: a mid-epoch checkpoint (a cancel) records how many batches of the
 * epoch were used, and the resumed run draws and skips them.
 */
final class Trainer {

    /** Weight of the newest epoch in the moving average of the pseudo-Dice (the reference's). */
    static final double EMA_NEW = 0.1;

    private final Network network;
    private final TrainerState state;
    private final ModelFolder folder;
    private final Fold fold;
    private final BatchSourceFactory sources;
    private final Path preprocessedDir;
    private final Plans plans;
    private final TrainRequest request;
    private final LearningRatePolicy policy;
    private final int classes;
    private final LossSpec lossSpec;
    private final int batchSize;
    private final Progress progress;
    private final Consumer<String> log;
    private final boolean keepIterations;
    private final boolean keepValidation;

    private long lastSave = System.nanoTime();
    private long epochStart = System.nanoTime();
    private long sessionStart;
    private double sessionStartTrainingSeconds;
    private double[] timed = new double[0];
    /** When this session's first epoch ended, and epochs since: the wall time per epoch for refitting. */
    private long firstEpochEnd;
    private int epochsAfterFirst;

    Trainer(Network network, TrainerState state, ModelFolder folder, Fold fold, BatchSourceFactory sources,
            Path preprocessedDir, Plans plans, TrainRequest request, Progress progress, Consumer<String> log) {
        this.network = network;
        this.state = state;
        this.folder = folder;
        this.fold = fold;
        this.sources = sources;
        this.preprocessedDir = preprocessedDir;
        this.plans = plans;
        this.request = request;
        this.policy = TrainRequest.Optimizer.valueOf(state.optimizer) == TrainRequest.Optimizer.ADAM
                ? LearningRatePolicy.PLATEAU : LearningRatePolicy.POLY;
        this.classes = network.spec().classes();
        this.lossSpec = network.spec().loss();
        this.batchSize = plans.configuration(state.configuration).batchSize();
        this.progress = progress;
        this.log = log;
        this.keepIterations = request.iterationsPerEpoch() != null;
        this.keepValidation = request.validationIterations() != null;
    }

    /** The seed of one epoch's training or validation batches. */
    static long epochSeed(long runSeed, int epoch, boolean validation) {
        return new SplittableRandom(runSeed ^ (0x9E3779B97F4A7C15L * (2L * epoch + (validation ? 1 : 0) + 1))).nextLong();
    }

    /** Trains until the planned epochs are done; returns the reason it stopped. */
    String run() throws IOException, InterruptedException {
        sessionStart = System.nanoTime();
        sessionStartTrainingSeconds = state.trainingSeconds;
        try {
            while (state.epoch < state.epochs) {
                if (policy == LearningRatePolicy.PLATEAU
                        && network.spec().optimizer().learningRate() * policy.factor(state) < LearningRatePolicy.MIN_LEARNING_RATE) {
                    return finish("learning rate below " + LearningRatePolicy.MIN_LEARNING_RATE);
                }
                runEpoch();
                refitToBudget();
                if (state.timeLimitSeconds > 0 && state.trainingSeconds > state.timeLimitSeconds * 1.05
                        && state.epoch < state.epochs) {
                    return finish("time limit reached after " + state.epoch + " of " + state.epochs + " epochs");
                }
            }
            return finish("finished " + state.epochs + " epochs");
        } catch (CanceledException e) {
            state.stopReason = "canceled";
            save(Checkpoint.LATEST);
            progress.note(Message.of("Canceled; resume with ", RequestField.CONTINUE, " (",
                    folder.checkpoint(fold, Checkpoint.LATEST), ")"));
            throw e;
        } catch (IOException | RuntimeException | InterruptedException e) {
            // Keep what was learned: a resumable checkpoint at every stop.
            state.stopReason = "stopped by an error: " + e;
            try {
                save(Checkpoint.LATEST);
            } catch (IOException | RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    private void runEpoch() throws IOException, InterruptedException {
        int epoch = state.epoch;
        network.setLearningRateFactor(policy.factor(state));
        double lr = network.learningRate();
        epochStart = System.nanoTime() - (long) (state.partialEpochSeconds * 1e9);
        double lossSum = state.partialTrainLossSum;
        // Time the training iterations of this session spent in source.next() (batches not ready yet).
        long waitNanos = 0;
        long iterationNanos = 0;
        try (BatchSource source = sources.open(preprocessedDir, state.trainCases, plans, state.configuration, false,
                epochSeed(state.seed, epoch, false), request.resolvedThreads(), dataOptions())) {
            for (int skip = 0; skip < state.iteration; skip++) {
                progress.checkCanceled();
                source.next(); // batches the checkpoint had already used
            }
            while (state.iteration < state.iterationsPerEpoch) {
                progress.checkCanceled();
                long t0 = System.nanoTime();
                Batch batch = source.next();
                long t1 = System.nanoTime();
                float loss = network.trainStep(batch);
                long t2 = System.nanoTime();
                double seconds = (t2 - t0) / 1e9;
                waitNanos += t1 - t0;
                iterationNanos += t2 - t0;
                if (!Float.isFinite(loss)) {
                    throw new IllegalStateException("The training loss became " + loss + " in epoch " + epoch
                            + "; lower the learning rate or check the data");
                }
                lossSum += loss;
                state.partialTrainLossSum = lossSum;
                state.iteration++;
                updateTrainingTime();
                if (!state.scheduleFixed) {
                    timeForSchedule(seconds);
                }
                report(epoch, loss, lr);
            }
        }
        double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
        ValidationMetrics m = validate(epoch);
        double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
        updateTrainingTime();
        double trainLoss = lossSum / state.iterationsPerEpoch;
        double[] dice = m.pseudoDice();
        double mean = ValidationMetrics.nanMean(dice);
        if (!Double.isNaN(mean)) {
            state.ema = state.ema == null ? mean : (1 - EMA_NEW) * state.ema + EMA_NEW * mean;
        }
        EpochRecord r = new EpochRecord(epoch, trainLoss, m.loss(), EpochRecord.orNull(dice), EpochRecord.orNull(mean),
                state.ema, lr, epochSeconds, state.iterationsPerEpoch * (double) batchSize / trainSeconds,
                iterationNanos > 0 ? (double) waitNanos / iterationNanos : null);
        state.log.add(r);
        policy.afterEpoch(state, trainLoss);
        state.epoch++;
        state.iteration = 0;
        state.partialTrainLossSum = 0;
        state.partialEpochSeconds = 0;
        log.accept(String.format(Locale.ROOT,
                "epoch %d/%d: train loss %.4f, val loss %.4f, pseudo-Dice %s, moving average %.4f, lr %.3g, %.1f s, %.2f samples/s, data wait %s",
                epoch + 1, state.epochs, trainLoss, m.loss(), diceText(dice), EpochRecord.orNaN(state.ema), lr, epochSeconds,
                r.samplesPerSecond(), r.dataWaitFraction() == null ? "-"
                        : String.format(Locale.ROOT, "%.1f%%", 100 * r.dataWaitFraction())));
        if (state.ema != null && (state.bestEma == null || state.ema > state.bestEma)) {
            state.bestEma = state.ema;
            state.bestEpoch = epoch;
            save(Checkpoint.BEST);
        }
        TrainingLogCsv.write(folder.trainingLog(fold), state.log, classes - 1);
        ProgressPlot.write(folder.progressPlot(fold), state.log);
        if (state.epoch < state.epochs && System.nanoTime() - lastSave >= request.saveInterval().toNanos()) {
            save(Checkpoint.LATEST);
        }
    }

    /** The loader's settings for this training: the reference's, with elastic deformation as set. */
    private DataOptions dataOptions() {
        return DataOptions.defaults().withAugmentation(
                state.elasticDeformation() ? AugmentationOptions.defaults() : AugmentationOptions.reference());
    }

    private ValidationMetrics validate(int epoch) throws IOException, InterruptedException {
        ValidationMetrics m = new ValidationMetrics(classes, lossSpec);
        progress.status(String.format(Locale.ROOT, "epoch %d/%d: validation", epoch + 1, state.epochs));
        try (BatchSource source = sources.open(preprocessedDir, state.validationCases, plans, state.configuration, true,
                epochSeed(state.seed, epoch, true), request.resolvedThreads(), dataOptions())) {
            for (int i = 0; i < state.validationIterations; i++) {
                Batch b = source.next();
                m.add(b, network.predict(Batch.images(b.size(), b.shape(), b.channels(), b.images())));
            }
        }
        return m;
    }

    /**
     * Under a time limit, fits the remaining epochs to the wall time that this session's epochs
     * after its first (which warms up) took, everything included.
     */
    private void refitToBudget() {
        if (state.timeLimitSeconds <= 0 || !state.scheduleFixed) {
            return;
        }
        updateTrainingTime();
        long now = System.nanoTime();
        if (firstEpochEnd == 0) {
            firstEpochEnd = now;
            return;
        }
        epochsAfterFirst++;
        double perEpoch = (now - firstEpochEnd) / 1e9 / epochsAfterFirst;
        int before = state.epochs;
        int cap = request.epochs() != null ? Math.max(request.epochs(), state.epoch)
                : Math.max(plans.configuration(state.configuration).numEpochs(), state.epoch);
        if (ScheduleFit.refit(state, perEpoch, cap)) {
            log.accept(String.format(Locale.ROOT, "Schedule: %.1f s per epoch measured, so %d epochs instead of %d",
                    perEpoch, state.epochs, before));
        }
    }

    private void timeForSchedule(double seconds) {
        timed = java.util.Arrays.copyOf(timed, timed.length + 1);
        timed[timed.length - 1] = seconds;
        if (state.iteration >= Math.min(ScheduleFit.TIMED_ITERATIONS, state.iterationsPerEpoch)) {
            ScheduleFit.fit(state, ScheduleFit.stepSeconds(timed), state.iteration, state.trainingSeconds, keepIterations,
                    keepValidation);
            log.accept("Schedule: " + state.scheduleNote);
        }
    }

    private void report(int epoch, float loss, double lr) {
        long done = (long) epoch * state.iterationsPerEpoch + state.iteration;
        long total = (long) state.epochs * state.iterationsPerEpoch;
        double sessionSeconds = (System.nanoTime() - sessionStart) / 1e9;
        long sessionIterations = done - sessionStartIterations();
        String eta = sessionIterations > 0
                ? formatDuration(sessionSeconds / sessionIterations * (total - done)) : "?";
        progress.status(String.format(Locale.ROOT, "epoch %d/%d, iteration %d/%d, loss %.4f, lr %.3g, %.2f s/it, ETA %s",
                epoch + 1, state.epochs, state.iteration, state.iterationsPerEpoch, loss, lr,
                sessionIterations > 0 ? sessionSeconds / sessionIterations : 0.0, eta));
        progress.progress(done, total);
    }

    private long sessionStartIterationsValue = -1;

    private long sessionStartIterations() {
        if (sessionStartIterationsValue < 0) {
            sessionStartIterationsValue = (long) state.epoch * state.iterationsPerEpoch + state.iteration - 1;
        }
        return sessionStartIterationsValue;
    }

    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private static String diceText(double[] dice) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dice.length; i++) {
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", dice[i]));
        }
        return sb.append(']').toString();
    }

    private String finish(String reason) throws IOException {
        state.finished = true;
        state.epochs = state.epoch;
        state.stopReason = reason;
        // The inference model before the final checkpoint: a final checkpoint then always has its
        // exported model, and a stop in between resumes from the latest checkpoint and exports again.
        network.exportInferenceModel(folder.inferenceModel(fold));
        save(Checkpoint.FINAL);
        Files.deleteIfExists(folder.checkpoint(fold, Checkpoint.LATEST));
        Files.deleteIfExists(folder.trainerState(fold, Checkpoint.LATEST));
        log.accept("Training " + reason + "; best moving average of the pseudo-Dice "
                + String.format(Locale.ROOT, "%.4f", state.bestEma()) + " (epoch " + (state.bestEpoch + 1) + "); " + folder.checkpoint(fold, Checkpoint.FINAL));
        return reason;
    }

    /** Training time is wall time, data waits and validation included, summed over sessions. */
    private void updateTrainingTime() {
        state.trainingSeconds = sessionStartTrainingSeconds + (System.nanoTime() - sessionStart) / 1e9;
    }

    /** Writes a checkpoint and the trainer state beside it (each file atomically, checkpoint first). */
    void save(Checkpoint c) throws IOException {
        updateTrainingTime();
        state.partialEpochSeconds = state.iteration > 0 ? (System.nanoTime() - epochStart) / 1e9 : 0;
        state.networkStep = network.step();
        network.saveCheckpoint(folder.checkpoint(fold, c));
        state.write(folder.trainerState(fold, c));
        if (c == Checkpoint.LATEST) {
            lastSave = System.nanoTime();
        }
    }

    TrainerState state() {
        return state;
    }
}
