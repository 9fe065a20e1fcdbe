package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.preprocess.CasePreprocessor;
import io.github.nnunetfiji.preprocess.PreprocessedCase;
import io.github.nnunetfiji.train.BatchSourceFactory;
import io.github.nnunetfiji.train.DefaultBatchSources;
import io.github.nnunetfiji.train.FoldTraining;
import io.github.nnunetfiji.train.TrainRequest;
import io.github.nnunetfiji.train.TrainResult;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.RequestField;
import io.github.nnunetfiji.util.StageName;

/**
 * Trains one configuration and fold of a planned, preprocessed data set into
 * {@code WORK/<data set>/models/CONFIG/fold_FOLD/} ({@link FoldTraining}). Checks first, writing
 * nothing if any fails: the plans and the configuration's current preprocessed data exist
 * ({@link PrerequisiteException} otherwise, naming the stage that makes them), the configuration is
 * planned and trainable and the settings are valid ({@link IllegalArgumentException}); for the
 * cascade's second stage, every case of the fold has its first stage's segmentation (written by
 * the first stage's end-of-fold validations; a {@link io.github.nnunetfiji.util.RequestException}
 * names the folds to train otherwise). The
 * trainer's messages (engine, one line per epoch, the validation) are {@link Progress#note}s;
 * cancel stops after the current iteration with a checkpoint that a request with
 * {@code continueTraining} resumes exactly.
 */
public final class TrainStage implements Stage<TrainRequest, TrainStage.Result> {

    private final BatchSourceFactory sources;

    /** With the default batches ({@link DefaultBatchSources}). */
    public TrainStage() {
        this(DefaultBatchSources.FACTORY);
    }

    /** @param sources opens the batches of an epoch */
    public TrainStage(BatchSourceFactory sources) {
        this.sources = sources;
    }

    /** @param training what the trainer did: the fold folder, epochs, why it stopped, the validation */
    public record Result(TrainResult training) implements StageResult {

        @Override
        public boolean ok() {
            return true;
        }

        @Override
        public String report() {
            return "Model folder: " + training.foldFolder() + "\n";
        }
    }

    @Override
    public String name() {
        return "train";
    }

    /**
     * @throws DatasetException if the data set is broken
     * @throws CanceledException if canceled (or the thread interrupted); the latest checkpoint resumes
     */
    @Override
    public Result run(TrainRequest r, Progress progress) throws PrerequisiteException, DatasetException, IOException {
        if (r.configuration() == null || r.fold() == null || r.dataset() == null || r.work() == null) {
            throw new IllegalArgumentException("A training needs a data set, a work folder, a configuration and a fold");
        }
        Dataset ds = DatasetLoader.load(r.dataset());
        WorkFolder.DatasetWork work = r.work().forDataset(ds);
        Path plansFile = work.plansFile();
        if (!Files.isRegularFile(plansFile)) {
            throw new PrerequisiteException(Message.of(plansFile, " not found: plan and preprocess the data set first (",
                    StageName.PLAN_AND_PREPROCESS.with(RequestField.DATASET, ds.root())
                            .with(RequestField.WORK_FOLDER, r.work().root()), ")"));
        }
        Plans plans = Plans.read(plansFile);
        if (!plans.has(r.configuration())) {
            throw new IllegalArgumentException("Configuration '" + r.configuration() + "' is not planned; planned: "
                    + String.join(", ", plans.configurations().keySet()));
        }
        PlanConfiguration c = plans.configuration(r.configuration());
        FoldTraining.checkSettings(r);
        new PlanNetworkAdapter().spec(plans, c.name()); // refuses unusable labels before anything is written
        Path dir = work.preprocessedDir(c.dataIdentifier());
        Set<String> preprocessed = preprocessedCases(dir, plans, c, StageName.PREPROCESS.with(RequestField.DATASET,
                ds.root()).with(RequestField.CONFIGURATION, c.name()).with(RequestField.WORK_FOLDER, r.work().root()));
        try {
            return new Result(new FoldTraining(sources, progress::note).run(
                    new FoldTraining.Inputs(ds, work, plans, c, dir, preprocessed), r, progress));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CanceledException();
        }
    }

    /**
     * Complete preprocessed cases of a configuration, made for the current plan.
     *
     * @param preprocess the preprocessing that makes them, for the message if there are none
     */
    private static Set<String> preprocessedCases(Path dir, Plans plans, PlanConfiguration c, Message.Run preprocess)
            throws IOException, PrerequisiteException {
        Path index = dir.resolve(PreprocessStage.INDEX_FILE);
        if (!Files.isRegularFile(index)) {
            throw new PrerequisiteException(Message.of("No preprocessed data for configuration '", c.name(), "' in ",
                    dir, "; run ", preprocess));
        }
        PreprocessStage.Index idx = Json.read(index, PreprocessStage.Index.class);
        if (!new CasePreprocessor(plans, c, 1).planSignature().equals(idx.planSignature())) {
            throw new PrerequisiteException(Message.of("The data in ", dir, " was preprocessed for another plan; run ",
                    preprocess, " again"));
        }
        Set<String> ids = new HashSet<>();
        for (String id : idx.cases()) {
            if (PreprocessedCase.isComplete(dir, id)) {
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            throw new PrerequisiteException(Message.of("No preprocessed cases in ", dir, "; run ", preprocess));
        }
        return ids;
    }
}
