package io.github.nnunetfiji.selection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.io.CaseFiles;
import io.github.nnunetfiji.train.Fold;
import io.github.nnunetfiji.train.FoldValidation;
import io.github.nnunetfiji.train.ModelFolder;

/**
 * What one configuration's cross-validation left in its model folder: the folds whose final
 * validation is finished and belongs to the fold's final network ({@link FoldValidation#completed}),
 * with each validation case's Dice and files.
 *
 * @param configuration the configuration
 * @param folder        its model folder
 * @param folds         fold name to its validation summary, finished folds only, in fold order
 */
public record CrossValidationResults(String configuration, ModelFolder folder,
        Map<String, FoldValidation.Summary> folds) {

    public CrossValidationResults {
        folds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(folds));
    }

    /**
     * Reads the finished folds 0 .. 4 of a configuration's model folder; fold {@code all} only where
     * none of them is finished (a data set of one case has nothing else, and its validation is on
     * the training case itself).
     */
    public static CrossValidationResults read(Path models, String configuration) throws IOException {
        return read(new ModelFolder(models.resolve(configuration)), configuration);
    }

    /** As {@link #read(Path, String)}, for a model folder wherever it is. */
    public static CrossValidationResults read(ModelFolder folder, String configuration) throws IOException {
        Map<String, FoldValidation.Summary> done = new LinkedHashMap<>();
        for (int k = 0; k < Fold.FOLDS; k++) {
            Optional<FoldValidation.Summary> s = FoldValidation.completed(folder, new Fold(k));
            if (s.isPresent()) {
                done.put(Integer.toString(k), s.get());
            }
        }
        if (done.isEmpty()) {
            FoldValidation.completed(folder, Fold.all()).ifPresent(s -> done.put(Fold.all().toString(), s));
        }
        return new CrossValidationResults(configuration, folder, done);
    }

    /** The trained configurations of a models folder (folders with plans), in the method's order. */
    public static List<String> configurations(Path models) throws IOException {
        List<String> found = new ArrayList<>();
        if (!Files.isDirectory(models)) {
            return found;
        }
        try (Stream<Path> s = Files.list(models)) {
            s.filter(p -> Files.isRegularFile(p.resolve(ModelFolder.PLANS))).forEach(p -> found.add(p.getFileName()
                    .toString()));
        }
        found.sort(Comparator.comparing(ModelSelection::orderOf).thenComparing(Comparator.naturalOrder()));
        return found;
    }

    public Set<String> foldNames() {
        return folds.keySet();
    }

    /** The validation cases of the given folds. */
    public List<FoldValidation.CaseResult> cases(List<String> foldNames) {
        List<FoldValidation.CaseResult> cases = new ArrayList<>();
        for (String f : foldNames) {
            cases.addAll(folds.get(f).cases());
        }
        return cases;
    }

    /** True if the validations of the given folds kept every case's probabilities. */
    public boolean hasProbabilities(List<String> foldNames) {
        return foldNames.stream().allMatch(f -> FoldValidation.hasProbabilities(folder, folds.get(f)));
    }

    /** A case's kept probabilities, or its segmentation ({@code probabilities} false). */
    public Path file(String foldName, FoldValidation.CaseResult c, boolean probabilities) {
        return folder.validation(Fold.parse(foldName)).resolve(probabilities ? c.probabilities() : c.prediction());
    }

    /**
     * The validation predictions of the given folds paired with the data set's labels: the cases
     * each summary lists whose label and prediction files exist.
     */
    public List<CaseFiles.Pair> pairs(List<String> foldNames, Dataset ds) {
        Map<String, CaseEntry> cases = new HashMap<>();
        ds.cases().forEach(c -> cases.put(c.id(), c));
        List<CaseFiles.Pair> pairs = new ArrayList<>();
        for (String f : foldNames) {
            for (FoldValidation.CaseResult r : folds.get(f).cases()) {
                CaseEntry c = cases.get(r.caseId());
                Path p = file(f, r, false);
                if (c != null && c.labelFile() != null && Files.isRegularFile(p)) {
                    pairs.add(new CaseFiles.Pair(c.id(), p, c.labelFile()));
                }
            }
        }
        return pairs;
    }

    /** The score of this configuration alone over the given folds. */
    public CandidateScore score(List<String> foldNames, List<String> classes) {
        return CandidateScore.of(List.of(configuration), foldNames,
                cases(foldNames).stream().map(FoldValidation.CaseResult::dice).toList(), classes);
    }
}
