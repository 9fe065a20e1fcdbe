package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.fingerprint.ConnectedComponents;
import io.github.nnunetfiji.inference.ChosenModel;
import io.github.nnunetfiji.io.CaseFiles;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.postprocess.PostprocessingDecision;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.selection.CandidateScore;
import io.github.nnunetfiji.selection.CrossValidationResults;
import io.github.nnunetfiji.selection.EnsembleCandidates;
import io.github.nnunetfiji.selection.ModelSelection;
import io.github.nnunetfiji.selection.SelectionPlot;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.PngFiles;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.StageName;

/**
 * Chooses the model (METHOD.md §8): every trained configuration and every pair of them (the mean of
 * their probabilities) is scored by its mean foreground Dice over the cross-validation, on the folds
 * every configuration has finished; the best is the model, its postprocessing is decided on the
 * cross-validation predictions of exactly that choice, and the choice is written into the models
 * folder ({@link ChosenModel}) with the scores ({@value #REPORT}) and their picture ({@value #PLOT}).
 * Predicting with the models folder and no configuration then runs the choice.
 */
public final class SelectStage implements Stage<SelectStage.Request, SelectStage.Result> {

    public static final String REPORT = "selection.json";
    public static final String PLOT = "selection.png";

    /**
     * @param dataset        the data set folder (its labels score the ensembles)
     * @param work           the work folder with {@code <data set>/models}
     * @param configurations the configurations to compare; empty: every trained one
     * @param folds          the folds to score on; empty: those every configuration has finished
     * @param threads        cases evaluated in parallel for the postprocessing decision
     */
    public record Request(Path dataset, WorkFolder work, List<String> configurations, List<String> folds,
            int threads) {

        public Request {
            configurations = List.copyOf(configurations);
            folds = List.copyOf(folds);
        }
    }

    /**
     * @param candidates every candidate scored, configurations first, then ensembles
     * @param chosen     the best of them
     * @param rule       the postprocessing decided for it
     * @param notes      what was left out and why
     * @param models     the models folder written into
     */
    public record Result(List<CandidateScore> candidates, CandidateScore chosen, PostprocessingRule rule,
            List<String> notes, Path models) implements StageResult {

        @Override
        public boolean ok() {
            return true;
        }

        @Override
        public String report() {
            StringBuilder sb = new StringBuilder();
            notes.forEach(n -> sb.append("  ").append(n).append('\n'));
            sb.append(table(candidates, chosen));
            sb.append("Chosen: ").append(chosen.name()).append(" (folds ").append(String.join(", ", chosen.folds()))
                    .append("), postprocessing: ").append(rule.describe()).append('\n');
            return sb.append("Wrote ").append(models.resolve(ChosenModel.FILE)).append(", ").append(REPORT).append(", ")
                    .append(PLOT).append('\n').toString();
        }
    }

    private final ModelSelection rules;

    public SelectStage() {
        this(new ModelSelection());
    }

    /** @param rules the selection rules (a subclass changes one) */
    public SelectStage(ModelSelection rules) {
        this.rules = rules;
    }

    @Override
    public String name() {
        return "select";
    }

    @Override
    public Result run(Request r, Progress progress) throws PrerequisiteException, DatasetException, IOException {
        Dataset ds = DatasetLoader.load(r.dataset());
        Path models = r.work().forDataset(ds).modelsDir();
        List<String> notes = new ArrayList<>();
        Map<String, CrossValidationResults> results = results(r, models, notes);
        List<String> folds = folds(r, results);
        notes.add("Scored on folds " + String.join(", ", folds) + " ("
                + results.values().iterator().next().cases(folds).size() + " validation cases)");
        Plans plans = Plans.read(results.values().iterator().next().folder().plans());
        NetworkSpec spec = new PlanNetworkAdapter().spec(plans, results.keySet().iterator().next());
        List<String> classes = IntStream.range(1, spec.classes()).mapToObj(Integer::toString).toList();

        List<CandidateScore> candidates = new ArrayList<>();
        for (CrossValidationResults c : results.values()) {
            candidates.add(c.score(folds, classes));
        }
        EnsembleCandidates ensembles = new EnsembleCandidates(models, ds, folds, classes, spec.classes(),
                spec.loss().ignoreLabel());
        for (List<String> pair : rules.pairs(new ArrayList<>(results.keySet()))) {
            List<CrossValidationResults> members = pair.stream().map(results::get).toList();
            List<String> without = members.stream().filter(m -> !m.hasProbabilities(folds))
                    .map(CrossValidationResults::configuration).toList();
            if (!without.isEmpty()) {
                notes.add("Ensemble " + CandidateScore.nameOf(pair) + " not scored: the final validation of "
                        + String.join(", ", without) + " kept no probabilities (continuing its training with the"
                        + " probabilities kept adds them)");
                continue;
            }
            candidates.add(ensembles.score(members, progress));
        }
        CandidateScore chosen = rules.choose(candidates);
        PostprocessingRule rule = decidePostprocessing(chosen, results, ensembles, ds, models, folds, classes.size(), r,
                progress);
        ChosenModel choice = new ChosenModel(chosen.name(), chosen.members(), folds,
                models.relativize(postprocessingFile(chosen, models)).toString().replace('\\', '/'),
                chosen.foregroundDice());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("folds", folds);
        report.put("candidates", candidates);
        report.put("chosen", chosen.name());
        report.put("notes", notes);
        Json.write(models.resolve(REPORT), report);
        PngFiles.write(models.resolve(PLOT), SelectionPlot.draw(candidates, chosen, ds.id()
                + ": cross-validated Dice per candidate (folds " + String.join(", ", folds) + ")"));
        choice.write(models); // last: the choice is there only when everything it names is
        return new Result(candidates, chosen, rule, notes, models);
    }

    /** The configurations compared, each with its finished folds; those with none are noted and left out. */
    private Map<String, CrossValidationResults> results(Request r, Path models, List<String> notes)
            throws IOException, PrerequisiteException {
        List<String> trained = CrossValidationResults.configurations(models);
        List<String> asked = r.configurations().isEmpty() ? trained : r.configurations();
        Map<String, CrossValidationResults> results = new LinkedHashMap<>();
        for (String c : asked) {
            if (!trained.contains(c)) {
                throw new PrerequisiteException(Message.of("No trained configuration ", c, " in ", models, " (trained: ",
                        trained, "); train it first (", StageName.TRAIN.run(), ")"));
            }
            CrossValidationResults res = CrossValidationResults.read(models, c);
            if (res.folds().isEmpty()) {
                if (!r.configurations().isEmpty()) {
                    throw new PrerequisiteException(Message.of("Configuration ", c, " has no fold with a finished final"
                            + " validation in ", res.folder().root(), "; train its folds first (", StageName.TRAIN
                                    .run(), ")"));
                }
                notes.add(c + " left out: no fold with a finished final validation");
                continue;
            }
            results.put(c, res);
        }
        if (results.isEmpty()) {
            throw new PrerequisiteException(Message.of("No configuration with a finished cross-validation fold in ",
                    models, "; train the folds first (", StageName.TRAIN.run(), ")"));
        }
        return results;
    }

    /** The folds asked for (each finished in every configuration), else those all have finished. */
    private List<String> folds(Request r, Map<String, CrossValidationResults> results) throws PrerequisiteException {
        Map<String, Set<String>> finished = new LinkedHashMap<>();
        results.forEach((c, res) -> finished.put(c, res.foldNames()));
        List<String> folds = r.folds().isEmpty() ? rules.commonFolds(finished) : r.folds();
        String have = finished.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
        if (folds.isEmpty()) {
            throw new PrerequisiteException(Message.of("The configurations have no finished fold in common (", have,
                    "); train the missing folds (", StageName.TRAIN.run(), ") or compare fewer configurations"));
        }
        for (String f : folds) {
            for (Map.Entry<String, Set<String>> e : finished.entrySet()) {
                if (!e.getValue().contains(f)) {
                    throw new PrerequisiteException(Message.of("Fold ", f, " of ", e.getKey(), " has no finished final"
                            + " validation (finished: ", have, "); train it (", StageName.TRAIN.run(), ")"));
                }
            }
        }
        return folds;
    }

    /**
     * The postprocessing of the choice, decided on its own cross-validation predictions and written
     * where {@link ChosenModel#postprocessingFile} names it: a configuration's model folder, or the
     * ensemble's folder.
     */
    private static PostprocessingRule decidePostprocessing(CandidateScore chosen,
            Map<String, CrossValidationResults> results, EnsembleCandidates ensembles, Dataset ds, Path models,
            List<String> folds, int foreground, Request r, Progress progress) throws IOException {
        List<CaseFiles.Pair> pairs = chosen.isEnsemble() ? ensembles.pairs(chosen.name())
                : results.get(chosen.name()).pairs(folds, ds);
        progress.status("Deciding the postprocessing of " + chosen.name());
        PostprocessingRule rule = PostprocessingDecision.crossValidation(pairs,
                PostprocessingRule.foregroundClasses(foreground + 1), ConnectedComponents.FULL_CONNECTIVITY,
                Math.max(1, r.threads()), progress);
        rule.write(postprocessingFile(chosen, models));
        return rule;
    }

    private static Path postprocessingFile(CandidateScore chosen, Path models) {
        return (chosen.isEnsemble() ? ChosenModel.ensembleFolder(models, chosen.name()) : models.resolve(chosen.name()))
                .resolve(io.github.nnunetfiji.inference.TrainedModel.POSTPROCESSING);
    }

    /** The candidates as a table: Dice per class and mean, the chosen one marked. */
    static String table(List<CandidateScore> candidates, CandidateScore chosen) {
        List<String> classes = new ArrayList<>(candidates.get(0).classDice().keySet());
        int width = Math.max(10, candidates.stream().mapToInt(c -> c.name().length()).max().orElse(0) + 2);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", "candidate"));
        classes.forEach(k -> sb.append(String.format(Locale.ROOT, " %8s", "class " + k)));
        sb.append(String.format(Locale.ROOT, " %8s%n", "mean"));
        for (CandidateScore c : candidates) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s", (c.name().equals(chosen.name()) ? "* " : "  ")
                    + c.name()));
            classes.forEach(k -> sb.append(format(c.classDice().get(k))));
            sb.append(format(c.foregroundDice())).append('\n');
        }
        return sb.toString();
    }

    private static String format(Double d) {
        return d == null ? String.format(Locale.ROOT, " %8s", "n/a") : String.format(Locale.ROOT, " %8.4f", d);
    }
}
