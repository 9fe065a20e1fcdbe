package io.github.nnunetfiji.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.preprocess.CaseHeader;
import io.github.nnunetfiji.preprocess.PreprocessedCase;
import io.github.nnunetfiji.preprocess.PreviousStagePredictions;

/** Opens batch sources on the preprocessed store of one configuration. */
public final class TrainingData {

    private TrainingData() {
    }

    /**
     * Batches for training (augmented, foreground-oversampled) or validation (no augmentation,
     * same oversampling), from the preprocessed store of one configuration.
     * Batch i depends only on (seed, i), whatever the thread count, so a run is reproducible and
     * a trainer can resume by opening a new source per epoch with seed = f(runSeed, epoch).
     * Batch size and patch come from the plan configuration (2D: slices along the plan's slice
     * axis; network axes/patch as plan.PlanNetworkAdapter defines them). Labels in the batch are
     * class indices 0..C-1 (stored -1 "outside the nonzero mask" becomes 0 after it has been
     * used to zero the image outside after spatial augmentation). For the cascade's second stage the
     * image channels are followed by the first stage's segmentation, one-hot
     * ({@link PreviousStagePredictions}, beside the preprocessed cases).
     *
     * @param preprocessedDir the configuration's folder of preprocessed cases
     * @param caseIds         cases to sample from (e.g. a fold's training cases)
     * @param threads         worker threads; 0 makes batches in the calling thread
     * @throws IOException              if a case is missing from the store or does not fit the plan
     * @throws IllegalArgumentException if the configuration is not in the plans, or is not trainable
     */
    public static BatchSource open(Path preprocessedDir, List<String> caseIds, Plans plans, String configuration,
            boolean forValidation, long seed, int threads) throws IOException {
        return open(preprocessedDir, caseIds, plans, configuration, forValidation, seed, threads, DataOptions.defaults());
    }

    /** As {@link #open(Path, List, Plans, String, boolean, long, int)}, with loader and augmentation settings. */
    public static BatchSource open(Path preprocessedDir, List<String> caseIds, Plans plans, String configuration,
            boolean forValidation, long seed, int threads, DataOptions options) throws IOException {
        options.validate();
        if (caseIds.isEmpty()) {
            throw new IllegalArgumentException("No cases to sample batches from");
        }
        SamplingPlan plan = new SamplingPlan(plans, configuration, options.augmentation(), forValidation);
        List<String> ids = List.copyOf(caseIds);
        checkStore(preprocessedDir, ids, plan, configuration);
        Path previous = plan.previousStage == null ? null
                : PreviousStagePredictions.folder(preprocessedDir, plan.previousStage);
        if (previous != null) {
            for (String id : ids) {
                if (PreviousStagePredictions.read(previous, id) == null) {
                    throw new IOException("Case " + id + " has no segmentation by " + plan.previousStage + " in "
                            + previous + "; train " + plan.previousStage + " in every fold first (its final validation "
                            + "writes them)");
                }
            }
        }
        CaseCache cache = new CaseCache(preprocessedDir, options.openCases(), previous);
        int queue = options.queueBatches() > 0 ? options.queueBatches() : Math.max(2, threads);
        return new BatchProducer(threads, queue, () -> new BatchMaker(plan, options, cache, ids, seed), cache);
    }

    /** Every case present and complete, with the plan's channels; a clear error otherwise. */
    private static void checkStore(Path dir, List<String> ids, SamplingPlan plan, String configuration)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("No preprocessed data at " + dir + "; run preprocess for configuration "
                    + configuration + " first");
        }
        for (String id : ids) {
            if (!PreprocessedCase.isComplete(dir, id)) {
                throw new IOException("Case " + id + " is missing or incomplete in " + dir
                        + "; run preprocess for configuration " + configuration + " (again)");
            }
        }
        CaseHeader h = PreprocessedCase.readHeader(dir, ids.get(0));
        if (h.channels() != plan.channels) {
            throw new IOException(PreprocessedCase.headerFile(dir, ids.get(0)) + " has " + h.channels()
                    + " channels, the plan " + plan.channels + "; preprocess again with this plan");
        }
        if (!h.hasLabels()) {
            throw new IOException(PreprocessedCase.headerFile(dir, ids.get(0)) + " has no labels; training needs "
                    + "labelled cases");
        }
    }
}
