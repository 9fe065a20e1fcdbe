package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.plan.CachedStepTimes;
import io.github.nnunetfiji.plan.ExperimentPlanner;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.plan.StepTimes;
import io.github.nnunetfiji.train.Fold;
import io.github.nnunetfiji.train.Splits;
import io.github.nnunetfiji.train.TrainRequest;
import io.github.nnunetfiji.train.TrainResult;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Progress;

/**
 * From a data set to the chosen model in one step: validate, fingerprint, plan and preprocess
 * ({@link PlanAndPreprocessStage}), train every configuration on every fold of the split with the
 * validation probabilities kept ({@link TrainStage}), then choose the configuration or ensemble
 * and its postprocessing ({@link SelectStage}), and segment the data set's test cases
 * ({@code imagesTs}, if any) with the choice ({@link PredictStage}). Every step reuses what is finished and continues
 * what is not, so a rerun after a kill or cancel ends with the result of an uninterrupted run.
 *
 * <p>With a budget, each training gets an equal share of what is left of it after preprocessing
 * and the final validations (estimated from measured forward passes, {@link FinalValidationTimes};
 * at most {@link #TRAINING_SHARE}), fixed in
 * {@value #SCHEDULE_FILE} on the first run so that a rerun trains to the same schedule. The plan is
 * made for that share too ({@link #plannedShare}): patch and batch are fitted to it from measured
 * step times, which are kept, so a rerun on the same machine plans the same.
 */
public final class AutoStage implements Stage<AutoStage.Request, AutoStage.Result> {

    /** What a budgeted run fixed, {@code WORK/<data set>/auto.json}. */
    public static final String SCHEDULE_FILE = "auto.json";
    /** The part of the budget left after preprocessing that goes to training at most. */
    public static final double TRAINING_SHARE = 0.75;
    /** The part of the budget the final validations may take with mirroring (else they do not mirror). */
    static final double VALIDATION_SHARE = 0.4;
    /** What the final validations leave that is kept for the selection and the estimate's error. */
    static final double SLACK = 0.1;

    /**
     * @param dataset        the data set folder
     * @param work           the work folder
     * @param planner        the planner
     * @param overrides      the user's per-configuration plan overrides
     * @param budget         the whole run's time, or null for the method's epochs
     * @param configurations the configurations to train; empty: every planned one (a cascade's
     *                       second stage only when every fold is trained)
     * @param folds          the folds; empty: every fold of the split
     * @param training       the training options (epochs, threads, device, seed ...); its data
     *                       set, configuration, fold, time limit and continuation are set here
     * @param threads        cases read at the same time in preprocessing and selection
     */
    public record Request(Path dataset, WorkFolder work, ExperimentPlanner planner, PlanOverrides overrides,
            Duration budget, List<String> configurations, List<String> folds, TrainRequest training, int threads) {

        public Request {
            configurations = List.copyOf(configurations);
            folds = List.copyOf(folds);
        }

        public Request withFolds(List<String> f) {
            return new Request(dataset, work, planner, overrides, budget, configurations, f, training, threads);
        }
    }

    /** What one training did. */
    public record Training(String configuration, String fold, TrainResult result) {
    }

    /** Where the data set's test cases ({@code imagesTs}) are segmented with the choice: {@code WORK/<data set>/predictions/NAME}. */
    public static final String TEST_PREDICTIONS = "imagesTs_chosen";

    /**
     * @param prepared    validation, plan and preprocessing; where the data set has problems, the
     *                    rest is empty and nothing was written
     * @param trainings   every training, in order
     * @param selection   the choice (null where the data set has problems)
     * @param testCases   the test cases segmented with the choice, or null where the data set has none
     * @param seconds     this run's wall time
     */
    public record Result(PlanAndPreprocessStage.Result prepared, List<Training> trainings,
            SelectStage.Result selection, PredictStage.Result testCases, double seconds) implements StageResult {

        @Override
        public boolean ok() {
            return prepared.ok() && selection != null;
        }

        @Override
        public String report() {
            if (selection == null) {
                return prepared.report();
            }
            String test = testCases == null ? "" : "Segmented " + testCases.prediction().cases().size()
                    + " test case(s) with the choice into " + testCases.file().getParent() + "\n";
            return selection.report() + test + String.format(Locale.ROOT, "Done in %s%n", formatSeconds(seconds));
        }
    }

    /** What a budgeted first run fixed for the reruns. */
    record Schedule(String budget, List<String> configurations, List<String> folds, long secondsPerTraining,
            Boolean validationMirroring, Long validationSeconds) {

        /** Files written before the choice was recorded mirrored. */
        boolean mirror() {
            return validationMirroring == null || validationMirroring;
        }
    }

    @Override
    public String name() {
        return "auto";
    }

    /**
     * What a run trains, once the data set is prepared: the configurations in the plan's order (a
     * cascade's second stage after its first, see {@link #previousStage}) and the folds.
     *
     * @param prepared       validation, plan and preprocessing; the rest is empty where it is not ok
     * @param configurations the configurations to train, in order
     * @param folds          the folds
     * @param work           the data set's work folder (null where the data set has problems)
     * @param plans          the plan (null where the data set has problems)
     */
    public record Work(PlanAndPreprocessStage.Result prepared, List<String> configurations, List<String> folds,
            WorkFolder.DatasetWork work, Plans plans) {

        /** The configuration whose cross-validation predictions {@code configuration} trains on, or null. */
        public String previousStage(String configuration) {
            return plans.configurations().get(configuration).previousStage();
        }
    }

    /**
     * Validates, plans and preprocesses (reusing what is finished) and decides what to train:
     * the first half of {@link #run}, which a run elsewhere (a cluster) shares.
     */
    public Work prepare(Request r, Progress progress) throws PrerequisiteException, DatasetException, IOException {
        PlanAndPreprocessStage.Result prepared = new PlanAndPreprocessStage().run(new PlanAndPreprocessStage.Request(
                r.dataset(), r.work(), r.planner(), r.overrides(), r.configurations(), r.threads(), false,
                r.budget() == null ? null : (plans, cases) -> plannedShare(r, plans, cases, progress),
                r.budget() == null ? null : EngineStepTimes.forTraining(r.training())), progress);
        if (!prepared.ok()) {
            return new Work(prepared, List.of(), List.of(), null, null);
        }
        progress.note(prepared.report());
        Plans plans = prepared.plan().plans();
        int cases = prepared.plan().fingerprint().fingerprint().cases().size();
        List<String> folds = folds(r, cases);
        List<String> configurations = configurations(r, plans, folds.equals(folds(r.withFolds(List.of()), cases)),
                progress);
        return new Work(prepared, configurations, folds, r.work().forDataset(prepared.validation().validation()
                .dataset()), plans);
    }

    @Override
    public Result run(Request r, Progress progress) throws PrerequisiteException, DatasetException, IOException {
        long start = System.nanoTime();
        Work planned = prepare(r, progress);
        PlanAndPreprocessStage.Result prepared = planned.prepared();
        if (!prepared.ok()) {
            return new Result(prepared, List.of(), null, null, (System.nanoTime() - start) / 1e9);
        }
        List<String> folds = planned.folds();
        List<String> configurations = planned.configurations();
        WorkFolder.DatasetWork work = planned.work();
        Schedule schedule = schedule(r, planned, (System.nanoTime() - start) / 1e9, progress);
        Duration perTraining = schedule == null ? null : Duration.ofSeconds(schedule.secondsPerTraining());
        boolean mirror = schedule == null || schedule.mirror();
        int units = configurations.size() * folds.size();
        progress.note("== train: " + String.join(", ", configurations) + " on folds " + String.join(", ", folds) + " ("
                + units + " trainings, " + (perTraining == null ? "each the plan's epochs"
                        : "each " + formatSeconds(perTraining.toSeconds()) + " plus its final validation"
                                + (mirror ? "" : " without mirroring")) + ")");
        List<Training> trainings = new ArrayList<>();
        int done = 0;
        for (String c : configurations) {
            for (String f : folds) {
                progress.checkCanceled();
                progress.note("-- " + c + " fold " + f + " (" + (++done) + "/" + units + ")");
                TrainRequest t = r.training().toBuilder().dataset(r.dataset()).work(r.work()).configuration(c)
                        .fold(Fold.parse(f)).continueTraining(true).saveProbabilities(true).validateAtEnd(true).validationMirroring(mirror)
                        .timeLimit(perTraining != null ? perTraining : r.training().timeLimit()).build();
                TrainResult res = new TrainStage().run(t, progress).training();
                trainings.add(new Training(c, f, res));
            }
        }
        progress.note("== select");
        SelectStage.Result selection = new SelectStage().run(new SelectStage.Request(r.dataset(), r.work(),
                configurations, folds, r.threads()), progress);
        PredictStage.Result test = null;
        Path imagesTs = r.dataset().resolve("imagesTs");
        if (!prepared.validation().validation().dataset().testCases().isEmpty() && Files.isDirectory(imagesTs)) {
            progress.note("== predict the test cases with the choice");
            test = new PredictStage().run(new PredictStage.Request(List.of(imagesTs), work.predictionsDir(
                    TEST_PREDICTIONS), work.modelsDir(), null, List.of(), PredictionOptions.defaults().withThreads(
                            r.training().resolvedThreads()), true), progress);
        }
        return new Result(prepared, trainings, selection, test, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The configurations asked for, else every planned one, in the plan's order (a cascade's first
     * stage before its second). The second stage trains on the first stage's cross-validation
     * predictions of every case, so it is left out (with a note) when only some folds are trained.
     */
    static List<String> configurations(Request r, Plans plans, boolean everyFold, Progress progress) {
        if (!r.configurations().isEmpty()) {
            for (String c : r.configurations()) {
                if (!plans.has(c)) {
                    throw new IllegalArgumentException("Configuration '" + c + "' is not planned; planned: "
                            + String.join(", ", plans.configurations().keySet()));
                }
            }
            return r.configurations();
        }
        List<String> chosen = new ArrayList<>();
        for (PlanConfiguration c : plans.configurations().values()) {
            if (c.previousStage() != null && !everyFold) {
                progress.note(c.name() + " left out: it trains on " + c.previousStage() + "'s predictions of every case,"
                        + " which only training every fold of " + c.previousStage() + " makes");
                continue;
            }
            chosen.add(c.name());
        }
        return chosen;
    }

    /** The folds asked for, else every fold of the split the data set gets ({@link Splits#foldCount}). */
    static List<String> folds(Request r, int cases) {
        if (!r.folds().isEmpty()) {
            return r.folds();
        }
        int n = Splits.foldCount(cases);
        if (n == 0) {
            return List.of("all");
        }
        List<String> folds = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            folds.add(Integer.toString(k));
        }
        return folds;
    }

    /**
     * Each training's time under a budget and whether its final validation mirrors: fixed on the
     * first run of this budget and read back on reruns, so an interrupted run continues to the same
     * schedule; the method's epochs and mirroring without a budget.
     */
    private static Schedule schedule(Request r, Work planned, double secondsSoFar, Progress progress)
            throws IOException {
        List<String> configurations = planned.configurations();
        List<String> folds = planned.folds();
        if (r.budget() == null) {
            return null;
        }
        Path file = planned.work().root().resolve(SCHEDULE_FILE);
        if (Files.isRegularFile(file)) {
            Schedule s = Json.read(file, Schedule.class);
            if (s.budget().equals(r.budget().toString()) && s.configurations().equals(configurations)
                    && s.folds().equals(folds)) {
                return s;
            }
        }
        int trainings = configurations.size() * folds.size();
        FinalValidationTimes.Estimate v;
        progress.status("estimating the time of the final validations");
        try (StepTimes times = new CachedStepTimes(planned.work().root().resolve(CachedStepTimes.FILE),
                EngineStepTimes.forTraining(r.training()))) {
            v = new FinalValidationTimes(times).estimate(planned.plans(), configurations, folds,
                    planned.prepared().plan().fingerprint().fingerprint().cases().size());
        }
        double left = Math.max(0, r.budget().toSeconds() - secondsSoFar);
        ValidationShare share = validationShare(left, v);
        long seconds = Math.max(1, (long) Math.floor(share.trainingSeconds() / trainings));
        progress.note(share.note());
        if (seconds < 30) {
            progress.note("The budget leaves " + seconds + " s per training (" + trainings
                    + " trainings): too little to learn much; give a larger budget or fewer configurations or folds");
        }
        Schedule s = new Schedule(r.budget().toString(), configurations, folds, seconds, share.mirror(),
                Math.round(share.mirror() ? v.mirrored() : v.plain()));
        Json.write(file, s);
        return s;
    }

    /**
     * How the budget left after preprocessing is split between training and the final validations
     * (estimated): training gets {@link #TRAINING_SHARE} of it, less where the validations need
     * more than the rest ({@link #SLACK} of what they leave is kept for the selection and the
     * estimate's error). The validations mirror, as the method does, while that takes at most
     * {@link #VALIDATION_SHARE} of the budget; beyond that they do not (a fraction of the passes);
     * if even that takes more, training gets what they leave but at least a quarter, and the run
     * says when that overruns the budget.
     */
    static ValidationShare validationShare(double left, FinalValidationTimes.Estimate v) {
        String estimate = String.format(Locale.ROOT, "final validations estimated at %s with mirroring, %s without",
                formatSeconds(v.mirrored()), formatSeconds(v.plain()));
        if (v.mirrored() <= VALIDATION_SHARE * left) {
            return new ValidationShare(Math.min(TRAINING_SHARE * left, (1 - SLACK) * (left - v.mirrored())), true,
                    "Budget: " + estimate + "; they mirror, as the method does");
        }
        if (v.plain() <= VALIDATION_SHARE * left) {
            return new ValidationShare(Math.min(TRAINING_SHARE * left, (1 - SLACK) * (left - v.plain())), false,
                    "Budget: " + estimate + "; mirroring would take more than " + Math.round(VALIDATION_SHARE * 100)
                            + "% of the budget, so the final validations do not mirror (the selection compares"
                            + " configurations validated alike; predictions of new images still mirror)");
        }
        double training = Math.max(0.25 * left, (1 - SLACK) * (left - v.plain()));
        boolean overrun = training + v.plain() > left;
        return new ValidationShare(training, false, "Budget: " + estimate + "; even without mirroring they take more than "
                + Math.round(VALIDATION_SHARE * 100) + "% of the budget"
                + (overrun ? ": the run will take about " + formatSeconds(training + v.plain())
                        + " after preprocessing; give a larger budget, or fewer configurations or folds"
                        : "; training gets what they leave"));
    }

    /** Training's part of the budget, whether the final validations mirror, and why. */
    record ValidationShare(double trainingSeconds, boolean mirror, String note) {
    }

    /**
     * The time each training is planned for, before anything has run: an equal share of the
     * budget's training part ({@link #TRAINING_SHARE}) among the trainings the plan and the split
     * give. The share fixed after preprocessing is smaller: preprocessing took its time, and the
     * final validations may need more than the rest ({@link #validationShare}).
     */
    static Duration plannedShare(Request r, Plans plans, int cases, Progress progress) {
        List<String> folds = folds(r, cases);
        boolean everyFold = folds.equals(folds(r.withFolds(List.of()), cases));
        int trainings = configurations(r, plans, everyFold, Progress.NONE).size() * folds.size();
        long seconds = Math.max(1, (long) Math.floor(r.budget().toSeconds() * TRAINING_SHARE / Math.max(1, trainings)));
        progress.note("Planning for " + formatSeconds(seconds) + " per training: " + Math.round(TRAINING_SHARE * 100)
                + "% of the budget of " + formatSeconds(r.budget().toSeconds()) + " shared by " + trainings
                + " trainings");
        return Duration.ofSeconds(seconds);
    }

    static String formatSeconds(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", t / 3600, t / 60 % 60, t % 60)
                : t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
    }
}
