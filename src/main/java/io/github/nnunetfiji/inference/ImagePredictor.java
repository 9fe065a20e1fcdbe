package io.github.nnunetfiji.inference;

import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.util.Progress;

/**
 * Segments one image in memory: a configuration's folds ({@link CasePredictor}) or an ensemble of
 * configurations ({@link EnsemblePredictor}). The folder predictor runs one for every case.
 */
public interface ImagePredictor {

    /** Checks that an image suits the model before any work; an {@link IllegalArgumentException} says why not. */
    void check(Image image);

    /** The labels (postprocessed), and the probabilities if they were asked for. */
    CasePredictor.Prediction predict(Image image, Progress progress);

    /** The postprocessing applied to every prediction. */
    PostprocessingRule postprocessing();
}
