package io.github.nnunetfiji.train;

import java.nio.file.Path;

import io.github.nnunetfiji.dataset.WorkFolder;

/**
 * The names inside a trained model folder, {@code WORK/<data set>/models/<CONFIG>/}: everything
 * inference needs, without the data set or the work folder.
 *
 * <pre>
 * plans.json, dataset.json, dataset_fingerprint.json, splits.json, postprocessing.json
 * fold_K/ (K = 0..4, or fold_all)
 *   checkpoint_latest.ckpt, checkpoint_best.ckpt, checkpoint_final.ckpt   engine checkpoints
 *   checkpoint_latest.json, ...                                          trainer state beside each
 *   inference_model/            the exported inference model of the final checkpoint
 *   training_log.csv, progress.png
 *   validation/summary.json, validation/CASE.nii.gz
 * </pre>
 */
public record ModelFolder(Path root) {

    public static final String PLANS = "plans.json";
    public static final String DATASET = "dataset.json";
    public static final String FINGERPRINT = "dataset_fingerprint.json";
    public static final String SPLITS = "splits.json";
    public static final String POSTPROCESSING = "postprocessing.json";
    public static final String INFERENCE_MODEL = "inference_model";
    public static final String TRAINING_LOG = "training_log.csv";
    public static final String PROGRESS_PLOT = "progress.png";
    public static final String VALIDATION = "validation";
    public static final String VALIDATION_SUMMARY = "summary.json";

    /** The three checkpoints of a fold. */
    public enum Checkpoint {
        LATEST("checkpoint_latest"), BEST("checkpoint_best"), FINAL("checkpoint_final");

        private final String base;

        Checkpoint(String base) {
            this.base = base;
        }

        /** The engine checkpoint's file name. */
        public String fileName() {
            return base + ".ckpt";
        }

        /** The trainer state's file name, beside the checkpoint. */
        public String stateFileName() {
            return base + ".json";
        }
    }

    /** The model folder of one configuration of a data set in a work folder. */
    public static ModelFolder of(WorkFolder work, String datasetId, String configuration) {
        return new ModelFolder(work.forDataset(datasetId).root().resolve("models").resolve(configuration));
    }

    public Path plans() {
        return root.resolve(PLANS);
    }

    public Path dataset() {
        return root.resolve(DATASET);
    }

    public Path fingerprint() {
        return root.resolve(FINGERPRINT);
    }

    public Path splits() {
        return root.resolve(SPLITS);
    }

    public Path postprocessing() {
        return root.resolve(POSTPROCESSING);
    }

    public Path fold(Fold fold) {
        return root.resolve(fold.folderName());
    }

    public Path checkpoint(Fold fold, Checkpoint c) {
        return fold(fold).resolve(c.fileName());
    }

    public Path trainerState(Fold fold, Checkpoint c) {
        return fold(fold).resolve(c.stateFileName());
    }

    public Path inferenceModel(Fold fold) {
        return fold(fold).resolve(INFERENCE_MODEL);
    }

    public Path trainingLog(Fold fold) {
        return fold(fold).resolve(TRAINING_LOG);
    }

    public Path progressPlot(Fold fold) {
        return fold(fold).resolve(PROGRESS_PLOT);
    }

    public Path validation(Fold fold) {
        return fold(fold).resolve(VALIDATION);
    }

    public Path validationSummary(Fold fold) {
        return validation(fold).resolve(VALIDATION_SUMMARY);
    }
}
