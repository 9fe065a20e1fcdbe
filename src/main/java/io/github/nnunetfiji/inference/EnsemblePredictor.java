package io.github.nnunetfiji.inference;

import java.util.List;

import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.util.Progress;

/**
 * Segments an image with an ensemble of configurations (METHOD.md §8): each member predicts the
 * class probabilities on the image's grid, their mean decides the class ({@link ProbabilityMean}),
 * and the ensemble's own postprocessing rule, decided on its cross-validation, is applied.
 */
public final class EnsemblePredictor implements ImagePredictor {

    private final List<CasePredictor> members;
    private final PostprocessingRule postprocessing;
    private final boolean keepProbabilities;

    /**
     * @param members           one predictor per configuration, each keeping its probabilities and
     *                          postprocessing nothing
     * @param postprocessing    the ensemble's rule
     * @param keepProbabilities return the mean probabilities with the labels
     */
    public EnsemblePredictor(List<CasePredictor> members, PostprocessingRule postprocessing, boolean keepProbabilities) {
        if (members.size() < 2) {
            throw new IllegalArgumentException("An ensemble has two or more members");
        }
        for (CasePredictor m : members) {
            if (m.postprocessing().changesAnything()) {
                throw new IllegalArgumentException("An ensemble's members postprocess nothing: the ensemble does");
            }
            if (m.classes() != members.get(0).classes()) {
                throw new IllegalArgumentException("The members of an ensemble predict different classes ("
                        + m.classes() + " and " + members.get(0).classes() + ")");
            }
        }
        this.members = List.copyOf(members);
        this.postprocessing = postprocessing;
        this.keepProbabilities = keepProbabilities;
    }

    @Override
    public void check(Image image) {
        members.forEach(m -> m.check(image));
    }

    @Override
    public CasePredictor.Prediction predict(Image image, Progress progress) {
        ProbabilityMean mean = new ProbabilityMean();
        for (int i = 0; i < members.size(); i++) {
            CasePredictor m = members.get(i);
            progress.status("Ensemble member " + (i + 1) + "/" + members.size() + ": " + m.configuration().name());
            CasePredictor.Prediction p = m.predict(image, progress);
            if (p.probabilities() == null) {
                throw new IllegalStateException("Ensemble member " + m.configuration().name() + " kept no probabilities");
            }
            mean.add(p.probabilities());
        }
        byte[] labels = mean.labelValues();
        long removed = postprocessing.changesAnything() ? postprocessing.apply(labels, image.shape(),
                PostprocessingRule.foregroundClasses(members.get(0).classes())) : 0;
        return new CasePredictor.Prediction(mean.labels(labels), keepProbabilities ? mean.mean() : null, labels,
                removed);
    }

    @Override
    public PostprocessingRule postprocessing() {
        return postprocessing;
    }
}
