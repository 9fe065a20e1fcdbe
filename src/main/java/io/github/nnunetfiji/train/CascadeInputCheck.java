package io.github.nnunetfiji.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.preprocess.PreprocessedCase;
import io.github.nnunetfiji.preprocess.PreviousStagePredictions;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.RequestException;
import io.github.nnunetfiji.util.RequestField;
import io.github.nnunetfiji.util.StageName;

/**
 * Before the cascade's second stage trains: every case of the fold has its first stage's
 * segmentation, on the grid of the current preprocessed data. Written by the first stage's
 * end-of-fold validations, so a missing one names the folds of the first stage to train.
 */
final class CascadeInputCheck {

    private CascadeInputCheck() {
    }

    /**
     * @param splits the data set's split (null if there is none), to name the fold that holds a case out
     * @throws RequestException naming the missing cases and the trainings that write them
     */
    static void requirePreviousStage(WorkFolder.DatasetWork work, PlanConfiguration c, Path preprocessedDir,
            Splits splits, Splits.FoldCases cases, Path datasetRoot, Path workRoot) throws IOException {
        Path folder = PreviousStagePredictions.readBy(work, c);
        Set<String> ids = new LinkedHashSet<>(cases.train());
        ids.addAll(cases.val());
        List<String> missing = new ArrayList<>();
        Set<String> folds = new java.util.TreeSet<>();
        for (String id : ids) {
            PreviousStagePredictions.Header h = PreviousStagePredictions.read(folder, id);
            int[] shape = PreprocessedCase.readHeader(preprocessedDir, id).shape();
            if (h == null || !java.util.Arrays.equals(h.shape(), shape)) {
                missing.add(id);
                folds.add(foldHoldingOut(splits, id));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String prev = c.previousStage();
        throw new RequestException(Message.of(missing.size(), " of the ", ids.size(), " cases of this fold have no current ",
                "segmentation by ", prev, " in ", folder, " (", String.join(", ", missing.subList(0, Math.min(5,
                        missing.size()))), missing.size() > 5 ? ", ..." : "", "). Configuration '", c.name(),
                "' trains on them: train ", StageName.TRAIN.with(RequestField.DATASET, datasetRoot)
                        .with(RequestField.CONFIGURATION, prev).with(RequestField.WORK_FOLDER, workRoot),
                " for fold(s) ", String.join(", ", folds), " first (its final validation writes them)"));
    }

    /** The fold whose validation predicts a case: the one that holds it out, else {@code all}. */
    private static String foldHoldingOut(Splits splits, String id) {
        if (splits != null) {
            for (int k = 0; k < splits.folds().size(); k++) {
                if (splits.folds().get(k).val().contains(id)) {
                    return Integer.toString(k);
                }
            }
        }
        return "all";
    }
}
