package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.inference.ModelFolderException;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.util.Progress;

/**
 * What the stages that predict ({@link PredictStage} for files, {@link SegmentStage} for an image in
 * memory) share: the model folder, configuration and folds checked before anything is loaded, then
 * the engine and the networks: loaded for the run and closed afterwards, or kept for the session in
 * {@link LoadedModels}.
 */
final class TrainedModels {

    /** Work with a loaded model. */
    interface Work<T> {
        T run(TrainedModel model) throws IOException, PrerequisiteException;
    }

    private TrainedModels() {
    }

    /**
     * The model's files, checked without loading a network.
     *
     * @throws PrerequisiteException naming what is missing and what exists
     */
    static TrainedModel.Location locate(Path model, String configuration, List<String> folds)
            throws PrerequisiteException, IOException {
        try {
            return TrainedModel.locate(model, configuration, folds);
        } catch (ModelFolderException e) {
            throw new PrerequisiteException(e.explanation());
        }
    }

    /**
     * Runs {@code work} with the model's networks: loaded into {@code engine} if one is given, else
     * taken from {@code kept} (loaded there if need be, and left there), else loaded into an engine
     * started for this on {@code threads} (its description a note). What this loaded is closed.
     *
     * @throws PrerequisiteException if a network does not fit the model's plans
     */
    static <T> T with(TrainedModel.Location where, Engine engine, LoadedModels kept, int threads, Progress progress,
            Work<T> work) throws IOException, PrerequisiteException {
        if (engine != null) {
            return load(where, engine, work);
        }
        EngineOptions eo = EngineOptions.defaults().withIntraOpThreads(threads);
        if (kept != null) {
            LoadedModels.Lease lease;
            try {
                lease = kept.acquire(where, eo, progress);
            } catch (ModelFolderException e) {
                throw new PrerequisiteException(e.explanation()); // a network that does not fit the plans
            }
            try (lease) {
                return work.run(lease.model());
            }
        }
        try (Engine loaded = EngineLoader.load(eo)) {
            progress.note("Engine: " + loaded.description());
            return load(where, loaded, work);
        }
    }

    /** Work with several loaded models at once (an ensemble's members). */
    interface WorkOnAll<T> {
        T run(List<TrainedModel> models) throws IOException, PrerequisiteException;
    }

    /** Runs {@code work} with the networks of every model in {@code where}, each loaded as {@link #with} does. */
    static <T> T withAll(List<TrainedModel.Location> where, Engine engine, LoadedModels kept, int threads,
            Progress progress, WorkOnAll<T> work) throws IOException, PrerequisiteException {
        return withAll(where, 0, new java.util.ArrayList<>(), engine, kept, threads, progress, work);
    }

    private static <T> T withAll(List<TrainedModel.Location> where, int next, List<TrainedModel> loaded, Engine engine,
            LoadedModels kept, int threads, Progress progress, WorkOnAll<T> work) throws IOException,
            PrerequisiteException {
        if (next == where.size()) {
            return work.run(List.copyOf(loaded));
        }
        return with(where.get(next), engine, kept, threads, progress, model -> {
            loaded.add(model);
            return withAll(where, next + 1, loaded, engine, kept, threads, progress, work);
        });
    }

    private static <T> T load(TrainedModel.Location where, Engine engine, Work<T> work)
            throws IOException, PrerequisiteException {
        TrainedModel model;
        try {
            model = TrainedModel.load(where, engine);
        } catch (ModelFolderException e) {
            throw new PrerequisiteException(e.explanation()); // a network that does not fit the plans
        }
        try (model) {
            return work.run(model);
        }
    }
}
