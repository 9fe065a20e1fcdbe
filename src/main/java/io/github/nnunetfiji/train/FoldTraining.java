package io.github.nnunetfiji.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.OptimizerSpec;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.train.ModelFolder.Checkpoint;
import io.github.nnunetfiji.util.AtomicFiles;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.RequestException;
import io.github.nnunetfiji.util.RequestField;
import io.github.nnunetfiji.util.StageName;
import io.github.nnunetfiji.util.WorkLock;

/**
 * Trains one configuration and fold whose plans and preprocessed data the caller has found
 * ({@code pipeline.TrainStage} checks those): checks the split and whether the fold may start or
 * resume (every problem stops it before anything is written), fixes the split, fills the model
 * folder, trains or resumes, and validates the fold at full size.
 */
public final class FoldTraining {

    /** Base learning rates: the reference's SGD and the paper's Adam. */
    static final double SGD_LEARNING_RATE = 0.01;
    /** Elastic deformation unless the request says otherwise (see {@link TrainRequest#elastic()}). */
    public static final boolean DEFAULT_ELASTIC = true;
    static final double ADAM_LEARNING_RATE = 3e-4;

    private final BatchSourceFactory sources;
    private final Consumer<String> log;

    /**
     * @param sources opens the batches of an epoch
     * @param log     receives one line per epoch and the messages a user should see
     */
    public FoldTraining(BatchSourceFactory sources, Consumer<String> log) {
        this.sources = sources;
        this.log = log;
    }

    /**
     * What earlier stages made, checked: the data set, its plans and the preprocessed cases of the
     * configuration.
     *
     * @param dataset         the loaded data set
     * @param work            its work folder
     * @param plans           its plans
     * @param configuration   the configuration to train, planned in {@code plans}
     * @param preprocessedDir the configuration's preprocessed data
     * @param preprocessed    ids of the complete, current preprocessed cases there
     */
    public record Inputs(Dataset dataset, WorkFolder.DatasetWork work, Plans plans, PlanConfiguration configuration,
            Path preprocessedDir, Set<String> preprocessed) {

        public Inputs {
            preprocessed = Set.copyOf(preprocessed);
        }
    }

    /** Everything checked and resolved before training starts; nothing written yet. */
    private record Prepared(Dataset dataset, WorkFolder.DatasetWork work, Plans plans, PlanConfiguration config,
            Path preprocessedDir, Splits splits, boolean writeSplits, Splits.FoldCases cases, ModelFolder folder,
            TrainerState resumeState, Checkpoint resumeFrom) {
    }

    /**
     * Trains as requested, holding the fold's lock ({@link WorkLock}) throughout.
     *
     * @throws IllegalArgumentException for a request that cannot run (a split naming missing cases,
     *                                  a fold already trained without --continue, settings that differ
     *                                  from the run being continued, ...); nothing is written then
     * @throws io.github.nnunetfiji.util.WorkInUseException if another run trains the same fold
     */
    public TrainResult run(Inputs in, TrainRequest r, Progress progress) throws IOException, InterruptedException {
        Path lockFile = in.work().lockFile("train_" + in.configuration().name() + "_" + r.fold().folderName());
        try (WorkLock lock = WorkLock.acquire(lockFile, "training of " + in.configuration().name() + " fold " + r.fold(),
                log)) {
            return runLocked(in, r, progress);
        }
    }

    private TrainResult runLocked(Inputs in, TrainRequest r, Progress progress) throws IOException, InterruptedException {
        Prepared p = prepare(in, r);
        AtomicFiles.removeLeftovers(p.folder().fold(r.fold()));
        AtomicFiles.removeLeftovers(p.folder().validation(r.fold()));
        TrainResult complete = alreadyComplete(p, r);
        if (complete != null) {
            return complete;
        }
        if (p.writeSplits()) {
            p.splits().write(p.work().root().resolve(ModelFolder.SPLITS));
        }
        fillModelFolder(p);
        EngineOptions options = EngineOptions.defaults().withDevice(r.device()).withPrecision(r.precision())
                .withIntraOpThreads(r.resolvedThreads());
        try (Engine engine = EngineLoader.load(options)) {
            log.accept("Engine: " + engine.description());
            TrainerState state;
            Network network;
            boolean completing = false;
            if (p.resumeState() != null) {
                state = p.resumeState();
                network = engine.loadCheckpoint(p.folder().checkpoint(r.fold(), p.resumeFrom()));
                if (network.step() != state.networkStep) {
                    network.close();
                    throw new IOException(p.folder().checkpoint(r.fold(), p.resumeFrom()) + " holds step " + network.step()
                            + " but its trainer state says " + state.networkStep + " (the run stopped between writing the"
                            + " two); start over by deleting " + p.folder().fold(r.fold()));
                }
                applyContinueOptions(state, r);
                completing = state.finished;
                log.accept(completing ? "The training of " + p.config().name() + " fold " + r.fold() + " finished its "
                        + state.epochs + " epochs; completing its final validation"
                        : "Resuming " + p.config().name() + " fold " + r.fold() + " at epoch " + (state.epoch + 1)
                                + (state.iteration > 0 ? ", iteration " + (state.iteration + 1) : "") + " of "
                                + state.epochs);
            } else {
                state = newState(r, p);
                network = engine.create(spec(p.plans(), p.config().name(), r));
                log.accept("Training " + p.config().name() + " fold " + r.fold() + ": " + p.cases().train().size()
                        + " training and " + p.cases().val().size() + " validation cases, " + state.epochs + " epochs of "
                        + state.iterationsPerEpoch + " iterations" + (r.timeLimit() != null ? " (to be fitted to "
                                + Trainer.formatDuration(r.timeLimit().toSeconds()) + " after the first iterations)" : ""));
            }
            try (Network net = network) {
                String reason;
                if (completing) {
                    reason = state.stopReason;
                    // A stop after the final checkpoint may have left the latest one of an earlier step behind.
                    Files.deleteIfExists(p.folder().checkpoint(r.fold(), Checkpoint.LATEST));
                    Files.deleteIfExists(p.folder().trainerState(r.fold(), Checkpoint.LATEST));
                } else {
                    // The weights change from here on: validation results of the network before are stale.
                    FoldValidation.discard(p.folder().validation(r.fold()));
                    state.stopReason = null;
                    Trainer trainer = new Trainer(net, state, p.folder(), r.fold(), sources, p.preprocessedDir(),
                            p.plans(), r, progress, log);
                    reason = trainer.run();
                }
                FoldValidation.Summary summary = null;
                if (r.validateAtEnd()) {
                    summary = FoldValidation.run(net, state.networkStep, p.plans(), p.config().name(), p.dataset(),
                            p.work(), state.validationCases, r.fold(), p.folder().validation(r.fold()), r.resolvedThreads(),
                            r.saveProbabilities(), r.validationMirroring(), progress, log);
                    log.accept(FoldValidation.describe(summary) + "; " + p.folder().validationSummary(r.fold()));
                }
                return new TrainResult(p.folder().fold(r.fold()), state.epoch, state.epochs, state.finished, reason,
                        state.bestEma(), summary);
            }
        }
    }

    /**
     * A continued fold with nothing left to do (its epochs, its inference model and its final
     * validation all done, no larger epoch count asked for): the result as it stands, so that a
     * rerun after a stop (a requeued cluster job, an interrupted automatic run) succeeds; null
     * when there is work.
     */
    private TrainResult alreadyComplete(Prepared p, TrainRequest r) throws IOException {
        TrainerState s = p.resumeState();
        if (s == null || !s.finished || (r.epochs() != null && r.epochs() > s.epochs)) {
            return null;
        }
        java.util.Optional<FoldValidation.Summary> validation = FoldValidation.completed(p.folder(), r.fold());
        if (r.validateAtEnd() && (validation.isEmpty()
                || r.saveProbabilities() && !FoldValidation.hasProbabilities(p.folder(), validation.get()))) {
            return null;
        }
        Path next = io.github.nnunetfiji.preprocess.PreviousStagePredictions.writtenBy(p.work(), p.plans(), p.config());
        if (r.validateAtEnd() && next != null) {
            for (String id : s.validationCases) {
                if (!FoldValidation.nextStageDone(next, id, r.fold(), s.networkStep)) {
                    return null; // the validation runs again and writes the cascade's input
                }
            }
        }
        log.accept("The training of " + p.config().name() + " fold " + r.fold() + " is complete (" + s.epochs
                + " epochs" + (validation.isPresent() ? ", final validation done" : "") + "); nothing to do. A larger"
                + " epoch count extends it.");
        return new TrainResult(p.folder().fold(r.fold()), s.epoch, s.epochs, true, s.stopReason, s.bestEma(),
                validation.orElse(null));
    }

    /** The network of a configuration: the plan's, with the trainer's optimizer and the run seed. */
    static NetworkSpec spec(Plans plans, String configuration, TrainRequest r) {
        // Constant base rate: the trainer sets the schedule per epoch (LearningRatePolicy).
        OptimizerSpec optimizer = r.optimizer() == TrainRequest.Optimizer.ADAM ? OptimizerSpec.adam(ADAM_LEARNING_RATE)
                : OptimizerSpec.sgdNesterov(0).withLearningRate(SGD_LEARNING_RATE);
        return new PlanNetworkAdapter().spec(plans, configuration).toBuilder().optimizer(optimizer).seed(r.seed())
                .build().validate();
    }

    private static TrainerState newState(TrainRequest r, Prepared p) {
        TrainerState s = new TrainerState();
        s.configuration = p.config().name();
        s.fold = r.fold().toString();
        s.trainCases.addAll(p.cases().train());
        s.validationCases.addAll(p.cases().val());
        s.seed = r.seed();
        s.optimizer = r.optimizer().name();
        s.elastic = r.elastic() != null ? r.elastic() : DEFAULT_ELASTIC;
        s.epochs = r.epochs() != null ? r.epochs() : p.config().numEpochs();
        s.iterationsPerEpoch = r.iterationsPerEpoch() != null ? r.iterationsPerEpoch() : p.config().iterationsPerEpoch();
        s.validationIterations = r.validationIterations() != null ? r.validationIterations()
                : Math.max(1, (int) Math.round(s.iterationsPerEpoch * TrainRequest.VALIDATION_FRACTION));
        if (r.timeLimit() != null) {
            s.timeLimitSeconds = r.timeLimit().toMillis() / 1000.0;
            s.scheduleFixed = false;
        }
        return s;
    }

    /**
     * A resumed training takes a larger --epochs (extension); other settings must stay as they were.
     * An extension runs the epochs asked for: a time budget it was fitted to no longer applies (it
     * is spent, and would stop the extension after one epoch).
     */
    private static void applyContinueOptions(TrainerState s, TrainRequest r) {
        if (r.epochs() != null && r.epochs() > s.epochs) {
            s.epochs = r.epochs();
            s.finished = false;
            s.timeLimitSeconds = 0;
        }
    }

    private Prepared prepare(Inputs in, TrainRequest r) throws IOException {
        Dataset ds = in.dataset();
        WorkFolder.DatasetWork work = in.work();
        PlanConfiguration c = in.configuration();
        Set<String> preprocessed = in.preprocessed();
        Path dir = in.preprocessedDir();
        Path workSplits = work.root().resolve(ModelFolder.SPLITS);
        Splits splits = null;
        boolean writeSplits = false;
        if (r.splitsFile() != null) {
            try {
                splits = Splits.read(r.splitsFile());
            } catch (IOException e) {
                // The user's file: a problem of the request, refused before anything is written.
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            splits.check(preprocessed, r.splitsFile());
            if (Files.isRegularFile(workSplits) && !Splits.read(workSplits).equals(splits)) {
                throw new IllegalArgumentException(r.splitsFile() + " differs from the split already used for this data set ("
                        + workSplits + "); folds trained on different splits cannot be compared or ensembled. Delete "
                        + workSplits + " (and the trained folds) to change the split");
            }
            writeSplits = !Files.isRegularFile(workSplits);
        } else if (Files.isRegularFile(workSplits)) {
            splits = Splits.read(workSplits);
            splits.check(preprocessed, workSplits);
        } else if (!r.fold().isAll() || Splits.foldCount(ds.cases().size()) > 0) {
            splits = Splits.generate(ds.cases().stream().map(e -> e.id()).toList(), r.seed());
            splits.check(preprocessed, workSplits);
            writeSplits = true;
        }
        List<String> caseIds = ds.cases().stream().map(e -> e.id()).toList();
        Splits.FoldCases cases = r.fold().isAll() ? Splits.all(caseIds) : splits.cases(r.fold());
        if (r.fold().isAll()) {
            for (String id : cases.train()) {
                if (!preprocessed.contains(id)) {
                    throw new RequestException("Case ", id, " is not preprocessed in ", dir, "; run ",
                            StageName.PREPROCESS.with(RequestField.DATASET, ds.root())
                                    .with(RequestField.CONFIGURATION, c.name())
                                    .with(RequestField.WORK_FOLDER, r.work().root()), " again");
                }
            }
        }
        if (c.previousStage() != null) {
            CascadeInputCheck.requirePreviousStage(work, c, dir, splits, cases, ds.root(), r.work().root());
        }
        ModelFolder folder = ModelFolder.of(r.work(), ds.id(), c.name());
        TrainerState resume = null;
        Checkpoint from = null;
        boolean latest = Files.isRegularFile(folder.checkpoint(r.fold(), Checkpoint.LATEST));
        boolean fin = Files.isRegularFile(folder.checkpoint(r.fold(), Checkpoint.FINAL));
        if (!r.continueTraining() && (latest || fin)) {
            throw new RequestException(folder.fold(r.fold()), " already holds a training; ", RequestField.CONTINUE,
                    " resumes or extends it (with a larger ", RequestField.EPOCHS, "), or delete the folder to start over");
        }
        if (r.continueTraining() && (latest || fin)) {
            from = newest(folder, r.fold(), latest, fin);
            resume = TrainerState.read(folder.trainerState(r.fold(), from));
            checkResumable(resume, r, folder.trainerState(r.fold(), from));
        } else if (r.continueTraining()) {
            log.accept("Nothing to continue in " + folder.fold(r.fold()) + " (no checkpoint there): training from epoch 1");
        }
        return new Prepared(ds, work, in.plans(), c, dir, splits, writeSplits, cases, folder, resume, from);
    }

    /**
     * Settings every training needs, checked before anything is read: positive counts and time
     * limit.
     *
     * @throws IllegalArgumentException naming the setting
     */
    public static void checkSettings(TrainRequest r) {
        if ((r.epochs() != null && r.epochs() < 1) || (r.iterationsPerEpoch() != null && r.iterationsPerEpoch() < 1)
                || (r.validationIterations() != null && r.validationIterations() < 1)) {
            throw new IllegalArgumentException("Epochs, iterations per epoch and validation batches must be at least 1");
        }
        if (r.timeLimit() != null && (r.timeLimit().isNegative() || r.timeLimit().isZero())) {
            throw new IllegalArgumentException("The time limit must be positive, e.g. 15m");
        }
    }

    /**
     * The checkpoint to resume from: the one of the later step where both exist (a stop between
     * writing the final checkpoint and removing the latest, or during an extension), else the one
     * there is.
     */
    private static Checkpoint newest(ModelFolder folder, Fold fold, boolean latest, boolean fin) throws IOException {
        if (latest && fin) {
            long l = TrainerState.read(folder.trainerState(fold, Checkpoint.LATEST)).networkStep;
            long f = TrainerState.read(folder.trainerState(fold, Checkpoint.FINAL)).networkStep;
            return l > f ? Checkpoint.LATEST : Checkpoint.FINAL;
        }
        return latest ? Checkpoint.LATEST : Checkpoint.FINAL;
    }

    private static void checkResumable(TrainerState s, TrainRequest r, Path stateFile) {
        if (!s.optimizer.equals(r.optimizer().name())) {
            throw new RequestException(stateFile, ": the training used ",
                    RequestField.OPTIMIZER.is(s.optimizer.toLowerCase(Locale.ROOT)), "; continue it with the same optimizer");
        }
        if (r.elastic() != null && r.elastic() != s.elasticDeformation()) {
            throw new RequestException(stateFile, ": the training runs with elastic deformation ",
                    s.elasticDeformation() ? "on" : "off", "; continue it with the same ", RequestField.ELASTIC,
                    " setting (or leave it out)");
        }
        if (r.iterationsPerEpoch() != null && r.iterationsPerEpoch() != s.iterationsPerEpoch) {
            throw new RequestException(stateFile, ": the training runs ", s.iterationsPerEpoch,
                    " iterations per epoch; continue it with the same ", RequestField.ITERATIONS_PER_EPOCH,
                    " (or leave it out)");
        }
        if (r.timeLimit() != null && Math.abs(r.timeLimit().toMillis() / 1000.0 - s.timeLimitSeconds) > 1e-3) {
            throw new RequestException(stateFile, ": the schedule was fitted to ",
                    s.timeLimitSeconds > 0 ? Trainer.formatDuration(s.timeLimitSeconds) : "no time limit",
                    " when the training started; continue without ", RequestField.TIME_LIMIT, " (or extend it with ",
                    RequestField.EPOCHS, ")");
        }
        if (!s.finished && r.epochs() != null && r.epochs() < s.epoch) {
            throw new RequestException(stateFile, ": ", s.epoch, " epochs are already done; ",
                    RequestField.EPOCHS.is(r.epochs()), " is fewer");
        }
    }

    /** Copies what inference needs into the model folder (plans, data set description, fingerprint, split). */
    private static void fillModelFolder(Prepared p) throws IOException {
        ModelFolder f = p.folder();
        Files.createDirectories(f.fold(Fold.all()).getParent());
        copy(p.work().plansFile(), f.plans());
        copy(p.dataset().root().resolve("dataset.json"), f.dataset());
        if (Files.isRegularFile(p.work().fingerprintFile())) {
            copy(p.work().fingerprintFile(), f.fingerprint());
        }
        if (p.splits() != null) {
            p.splits().write(f.splits());
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        AtomicFiles.write(to, out -> Files.copy(from, out));
    }
}
