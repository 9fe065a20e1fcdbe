package io.github.nnunetfiji.selection;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.inference.ChosenModel;
import io.github.nnunetfiji.inference.ProbabilityMean;
import io.github.nnunetfiji.io.CaseFiles;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.train.Fold;
import io.github.nnunetfiji.train.FoldValidation;
import io.github.nnunetfiji.util.Progress;

/**
 * Scores ensembles on the cross-validation as the method does: each validation case's kept
 * probabilities of the members averaged ({@link ProbabilityMean}), the most probable class taken,
 * and Dice against the case's label as the fold validation computes it. An ensemble's predictions
 * are written to {@code models/ensembles/NAME/crossval/CASE.nii.gz}, where the postprocessing
 * decision for it reads them ({@link #pairs}).
 */
public final class EnsembleCandidates {

    static final String CROSSVAL = "crossval";

    private final Path models;
    private final Map<String, CaseEntry> cases = new HashMap<>();
    private final Path datasetRoot;
    private final List<String> folds;
    private final List<String> classes;
    private final int classCount;
    private final int ignoreLabel;
    private final Map<String, List<CaseFiles.Pair>> pairs = new HashMap<>();

    /**
     * @param classes     the foreground classes ("1", "2", ...)
     * @param classCount  classes with background
     * @param ignoreLabel the label left out of Dice, or -1
     */
    public EnsembleCandidates(Path models, Dataset ds, List<String> folds, List<String> classes, int classCount,
            int ignoreLabel) {
        this.models = models;
        this.datasetRoot = ds.root();
        ds.cases().forEach(c -> cases.put(c.id(), c));
        this.folds = List.copyOf(folds);
        this.classes = List.copyOf(classes);
        this.classCount = classCount;
        this.ignoreLabel = ignoreLabel;
    }

    /** Scores the ensemble of {@code members}, each with probabilities kept for every fold scored. */
    public CandidateScore score(List<CrossValidationResults> members, Progress progress) throws IOException {
        List<String> names = members.stream().map(CrossValidationResults::configuration).toList();
        String name = CandidateScore.nameOf(names);
        Path out = ChosenModel.ensembleFolder(models, name).resolve(CROSSVAL);
        List<Map<String, Double>> dice = new ArrayList<>();
        List<CaseFiles.Pair> made = new ArrayList<>();
        CrossValidationResults first = members.get(0);
        int total = first.cases(folds).size();
        for (String fold : folds) {
            for (FoldValidation.CaseResult c : first.folds().get(fold).cases()) {
                progress.checkCanceled();
                progress.status("Scoring ensemble " + name + ": " + c.caseId() + " (" + (made.size() + 1) + "/" + total
                        + ")");
                ProbabilityMean mean = new ProbabilityMean();
                for (CrossValidationResults m : members) {
                    Path file = m.file(fold, caseOf(m, fold, c.caseId(), first), true);
                    try {
                        mean.add(ImageIO.read(file));
                    } catch (IllegalArgumentException e) {
                        throw new IOException(file + ": " + e.getMessage(), e);
                    }
                }
                CaseEntry entry = cases.get(c.caseId());
                if (entry == null || entry.labelFile() == null) {
                    throw new IOException("Validation case " + c.caseId() + " has no label in " + datasetRoot
                            + "; select with the data set the models were trained on");
                }
                LabelImage predicted = mean.labels();
                Path file = out.resolve(c.caseId() + ".nii.gz");
                ImageIO.write(predicted.asImage(), file);
                dice.add(FoldValidation.dice(predicted, entry.readLabel(), classCount, ignoreLabel));
                made.add(new CaseFiles.Pair(c.caseId(), file, entry.labelFile()));
                progress.progress(made.size(), total);
            }
        }
        pairs.put(name, made);
        return CandidateScore.of(names, folds, dice, classes);
    }

    /** The cross-validation predictions of an ensemble scored here, paired with their labels. */
    public List<CaseFiles.Pair> pairs(String name) {
        List<CaseFiles.Pair> p = pairs.get(name);
        if (p == null) {
            throw new IllegalStateException("Ensemble " + name + " was not scored");
        }
        return p;
    }

    private static FoldValidation.CaseResult caseOf(CrossValidationResults m, String fold, String id,
            CrossValidationResults first) throws IOException {
        return m.folds().get(fold).cases().stream().filter(x -> x.caseId().equals(id)).findFirst()
                .orElseThrow(() -> new IOException(m.folder().validationSummary(Fold.parse(fold)) + " lacks case " + id
                        + ", which " + first.configuration() + " validated in fold " + fold
                        + "; the configurations were trained on different splits"));
    }
}
