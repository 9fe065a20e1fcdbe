package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.inference.CasePredictor;
import io.github.nnunetfiji.inference.ChosenModel;
import io.github.nnunetfiji.inference.EnsemblePredictor;
import io.github.nnunetfiji.inference.FolderPrediction;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.util.AtomicFiles;
import io.github.nnunetfiji.util.OutputPaths;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.WorkLock;

/**
 * Segments folders of cases (or single image files) with a trained model into an output folder
 * ({@link FolderPrediction}): one label file per case and {@code predictions.json}. Checks before
 * anything is loaded or written: the model folder, its configuration and the requested folds
 * exist and are trained ({@link PrerequisiteException} naming what is missing and what exists),
 * and the inputs hold image files, and the output folder is none of the input folders (outputs never
 * overwrite inputs; {@link OutputPaths}). A case that fails is named in the result; the others finish.
 */
public final class PredictStage implements Stage<PredictStage.Request, PredictStage.Result> {

    /** The lock of an output folder: one prediction at a time writes into it. */
    public static final String LOCK_FILE = ".predict.lock";

    private final Engine engine;
    private final LoadedModels kept;

    /** Loads the engine for each run (on the request's threads) and closes it afterwards. */
    public PredictStage() {
        this((Engine) null);
    }

    /** @param engine the engine to use, left open; null loads one per run */
    public PredictStage(Engine engine) {
        this.engine = engine;
        this.kept = null;
    }

    /**
     * Takes the engine and model from {@code kept}, loading them there the first time and leaving
     * them there for the next run (a Fiji session's); a model whose files changed is loaded again.
     *
     * @param kept the session's loaded models; null loads the engine and model per run
     */
    public PredictStage(LoadedModels kept) {
        this.engine = null;
        this.kept = kept;
    }

    /**
     * @param inputs        folders of cases (files {@code CASE_0000.nii.gz, ...} per channel, or one
     *                      file per case) or image files
     * @param output        the output folder (made if absent)
     * @param model         a model folder, or the {@code models} folder holding one per configuration
     * @param configuration the configuration; null: the model folder's own, or the only one
     * @param folds         the folds to ensemble; empty: every trained fold
     * @param options       tile step, mirroring, probabilities, threads
     * @param postprocess   apply the model's postprocessing (postprocessing.json, else the paper's
     *                      rule from its fingerprint)
     */
    public record Request(List<Path> inputs, Path output, Path model, String configuration, List<String> folds,
            PredictionOptions options, boolean postprocess) {

        public Request {
            inputs = List.copyOf(inputs);
            folds = List.copyOf(folds);
        }
    }

    /**
     * @param prediction what was predicted, case by case
     * @param mirror     whether mirroring (test-time augmentation) was on
     * @param file       the {@code predictions.json} written
     */
    public record Result(FolderPrediction.Result prediction, boolean mirror, Path file) implements StageResult {

        /** True when every case was predicted. */
        @Override
        public boolean ok() {
            return prediction.failures() == 0;
        }

        @Override
        public String report() {
            FolderPrediction.Result p = prediction;
            StringBuilder sb = new StringBuilder("Model " + p.modelFolder() + ", configuration " + p.configuration()
                    + ", folds " + p.folds() + ", mirroring " + (mirror ? "on" : "off") + ", postprocessing "
                    + p.postprocessing() + "\n");
            for (FolderPrediction.CaseOutcome c : p.cases()) {
                sb.append(c.error() != null ? FAILED + c.error() + "\n"
                        : String.format(Locale.ROOT, "  %s -> %s (%.1f s)%n", c.id(), c.output(), c.seconds()));
            }
            return sb.append("Wrote ").append(file).append('\n').toString();
        }
    }

    @Override
    public String name() {
        return "predict";
    }

    private static Result result(FolderPrediction.Result prediction, Request r) {
        return new Result(prediction, r.options().mirror(), r.output().resolve(FolderPrediction.REPORT));
    }

    /**
     * The selection's choice, when the model is a models folder with one and no configuration is
     * named ({@link SelectStage}).
     */
    private static java.util.Optional<ChosenModel> chosenModel(Request r) throws IOException {
        if (r.configuration() != null || !Files.isDirectory(r.model())
                || Files.isRegularFile(r.model().resolve(TrainedModel.PLANS))) {
            return java.util.Optional.empty();
        }
        return ChosenModel.read(r.model());
    }

    /** Predicts with a chosen ensemble: the mean of its members' probabilities, its own postprocessing. */
    private Result predictEnsemble(ChosenModel chosen, List<TrainedModel.Location> members,
            Map<String, List<Path>> cases, Request r, Progress progress) throws IOException, PrerequisiteException {
        PostprocessingRule rule = r.postprocess() ? PostprocessingRule.read(chosen.postprocessingFile(r.model()))
                : PostprocessingRule.none().addNote("Turned off.");
        return TrainedModels.withAll(members, engine, kept, r.options().threads(), progress, models -> {
            List<CasePredictor> predictors = new java.util.ArrayList<>();
            for (TrainedModel m : models) {
                predictors.add(m.predictor(r.options().withProbabilities(true), false));
            }
            EnsemblePredictor ensemble = new EnsemblePredictor(predictors, rule, r.options().probabilities());
            FolderPrediction.Result res = FolderPrediction.run(ensemble, r.model(), chosen.name(),
                    members.get(0).folds(), cases, r.output(), r.options(), progress);
            return result(res, r);
        });
    }

    @Override
    public Result run(Request r, Progress progress) throws PrerequisiteException, IOException {
        if (r.output() == null || r.model() == null || r.inputs().isEmpty() || r.options() == null) {
            throw new IllegalArgumentException("Prediction needs inputs, an output folder, a model and options");
        }
        java.util.Optional<ChosenModel> chosen = chosenModel(r);
        List<TrainedModel.Location> members = new java.util.ArrayList<>();
        if (chosen.isPresent()) {
            for (String c : chosen.get().configurations()) {
                members.add(TrainedModels.locate(r.model(), c, r.folds().isEmpty() ? chosen.get().folds() : r.folds()));
            }
        }
        // A chosen single configuration is predicted as any other.
        TrainedModel.Location where = chosen.isEmpty() ? TrainedModels.locate(r.model(), r.configuration(), r.folds())
                : members.get(0);
        Map<String, List<Path>> cases = FolderPrediction.findCases(r.inputs());
        if (cases.isEmpty()) {
            throw new IOException("No image files (" + String.join(", ", ImageIO.FILE_ENDINGS) + ") in " + r.inputs());
        }
        OutputPaths.refuseInputFolder(r.output(), r.inputs(), "The output folder");
        Files.createDirectories(r.output());
        try (WorkLock lock = WorkLock.acquire(r.output().resolve(LOCK_FILE), "output folder " + r.output(),
                progress::note)) {
            AtomicFiles.removeLeftovers(r.output());
            if (chosen.isPresent()) {
                progress.note("The selection's choice: " + chosen.get().name() + " (" + r.model().resolve(
                        ChosenModel.FILE) + ")");
                if (chosen.get().isEnsemble()) {
                    return predictEnsemble(chosen.get(), members, cases, r, progress);
                }
            }
            return TrainedModels.with(where, engine, kept, r.options().threads(), progress, model -> {
                FolderPrediction.Result res = FolderPrediction.run(model, cases, r.output(), r.options(),
                        r.postprocess(), progress);
                return result(res, r);
            });
        }
    }
}
