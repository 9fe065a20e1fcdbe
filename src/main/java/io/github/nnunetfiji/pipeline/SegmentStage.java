package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.inference.CasePredictor;
import io.github.nnunetfiji.inference.ChosenModel;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.util.Progress;

/**
 * Segments one image held in memory with a trained model: the in-memory counterpart of
 * {@link PredictStage}, and the same path. Both check the model folder, configuration and folds
 * before anything is loaded, load the engine and networks the same way, and run
 * {@link CasePredictor#predict} with the model's postprocessing
 * ({@link TrainedModel#predictor(PredictionOptions, boolean)}): preprocessing, sliding window,
 * resampling back, postprocessing. So an image gives the labels predict writes for its file, voxel
 * for voxel. Segment Image runs this stage on the image it is given, with the engine and model
 * kept for the Fiji session ({@link #SegmentStage(LoadedModels)}); nothing is written.
 */
public final class SegmentStage implements Stage<SegmentStage.Request, SegmentStage.Result> {

    private final Engine engine;
    private final LoadedModels kept;

    /** Loads the engine for each run (on the request's threads) and closes it afterwards. */
    public SegmentStage() {
        this((Engine) null);
    }

    /** @param engine the engine to use, left open; null loads one per run */
    public SegmentStage(Engine engine) {
        this.engine = engine;
        this.kept = null;
    }

    /**
     * Takes the engine and model from {@code kept}, loading them there the first time and leaving
     * them there for the next run (a Fiji session's); a model whose files changed is loaded again.
     *
     * @param kept the session's loaded models; null loads the engine and model per run
     */
    public SegmentStage(LoadedModels kept) {
        this.engine = null;
        this.kept = kept;
    }

    /**
     * @param image         all channels (in the model's channel order) with their geometry
     * @param calibrated    whether the image's spacing is its real pixel size; an image without
     *                      one is refused ({@link UncalibratedImageException}), since the model
     *                      works at the pixel size it was trained at
     * @param model         a model folder, or the {@code models} folder holding one per configuration
     * @param configuration the configuration; null: the model folder's own, the selection's choice of
     *                      one configuration (a models folder with {@code chosen_model.json}, with
     *                      its folds where none are given), or the only one
     * @param folds         the folds to ensemble; empty: every trained fold
     * @param options       tile step, mirroring, probabilities, threads
     * @param postprocess   apply the model's postprocessing, as predict does
     */
    public record Request(Image image, boolean calibrated, Path model, String configuration, List<String> folds,
            PredictionOptions options, boolean postprocess) {

        public Request {
            folds = List.copyOf(folds);
        }
    }

    /**
     * @param labels              the label image, in the input's shape and geometry (one byte per voxel)
     * @param probabilities       one float channel per class in the input's geometry, or null if not asked for
     * @param modelFolder         the model folder used
     * @param plans               its plans (data set name, class names)
     * @param configuration       the configuration used
     * @param folds               the folds ensembled
     * @param mirror              whether mirroring (test-time augmentation) was on
     * @param postprocessing      the rule applied (one that changes nothing when turned off)
     * @param postprocessedVoxels the voxels the postprocessing set to background
     */
    public record Result(LabelImage labels, Image probabilities, Path modelFolder, Plans plans, String configuration,
            List<String> folds, boolean mirror, PostprocessingRule postprocessing, long postprocessedVoxels)
            implements StageResult {

        @Override
        public boolean ok() {
            return true;
        }

        @Override
        public String report() {
            return "Model " + modelFolder + ", configuration " + configuration + ", folds " + folds + ", mirroring "
                    + (mirror ? "on" : "off") + ", postprocessing " + postprocessing.describe() + "\n"
                    + String.format(Locale.ROOT, "  image %s -> labels (%d voxel(s) set to background by postprocessing)%n",
                            AxisOrder.format(labels.shape()), postprocessedVoxels);
        }
    }

    /** An image without a pixel size, refused: {@link #trainedSpacing()} is the model's own, for the message. */
    public static final class UncalibratedImageException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;
        private final double[] trainedSpacing;

        UncalibratedImageException(double[] trainedSpacing) {
            super("The image has no pixel size, and the model works at a fixed pixel size (it was trained at "
                    + String.format(Locale.ROOT, "%.4g %.4g %.4g", trainedSpacing[0], trainedSpacing[1], trainedSpacing[2])
                    + "); give the image's pixel size in the unit of the model's training data");
            this.trainedSpacing = trainedSpacing.clone();
        }

        /** The spacing x, y, z the model was trained at. */
        public double[] trainedSpacing() {
            return trainedSpacing.clone();
        }
    }

    @Override
    public String name() {
        return "segment";
    }

    /**
     * The model's files; a models folder whose selection chose one configuration runs that
     * configuration and its folds (an ensemble is not run on an image in memory: a configuration
     * must be named, as for any folder of several).
     */
    private static TrainedModel.Location locate(Request r) throws PrerequisiteException, IOException {
        if (r.configuration() == null && Files.isDirectory(r.model())
                && !Files.isRegularFile(r.model().resolve(TrainedModel.PLANS))) {
            Optional<ChosenModel> chosen = ChosenModel.read(r.model());
            if (chosen.isPresent() && !chosen.get().isEnsemble()) {
                return TrainedModels.locate(r.model(), chosen.get().configurations().get(0),
                        r.folds().isEmpty() ? chosen.get().folds() : r.folds());
            }
        }
        return TrainedModels.locate(r.model(), r.configuration(), r.folds());
    }

    /**
     * Loads the engine and the model a later {@link #run} with the same model, configuration, folds
     * and threads will use into the kept models, so that run finds them loaded (a run that starts
     * meanwhile waits for this load instead of starting its own). Without kept models, nothing.
     */
    public void preload(Path model, String configuration, List<String> folds, int threads, Progress progress)
            throws PrerequisiteException, IOException {
        if (kept == null) {
            return;
        }
        TrainedModel.Location where = locate(new Request(null, true, model, configuration, folds, null, false));
        TrainedModels.with(where, null, kept, threads, progress, loaded -> null);
    }

    @Override
    public Result run(Request r, Progress progress) throws PrerequisiteException, IOException {
        if (r.image() == null || r.model() == null || r.options() == null) {
            throw new IllegalArgumentException("Segmenting needs an image, a model and options");
        }
        TrainedModel.Location where = locate(r);
        if (!r.calibrated() && where.configuration() != null) {
            // Refused before the engine is loaded (an installed model named freely learns its configuration then).
            throw new UncalibratedImageException(where.plans().configuration(where.configuration()).spacing());
        }
        return TrainedModels.with(where, engine, kept, r.options().threads(), progress, model -> {
            if (!r.calibrated()) {
                throw new UncalibratedImageException(model.plans().configuration(model.configuration()).spacing());
            }
            CasePredictor predictor = model.predictor(r.options(), r.postprocess());
            CasePredictor.Prediction p = predictor.predict(r.image(), progress);
            return new Result(p.labels(), p.probabilities(), model.folder(), model.plans(), model.configuration(),
                    model.folds(), r.options().mirror(), predictor.postprocessing(), p.postprocessedVoxels());
        });
    }
}
