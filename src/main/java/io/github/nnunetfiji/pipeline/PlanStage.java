package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.plan.BudgetPlanning;
import io.github.nnunetfiji.plan.CachedStepTimes;
import io.github.nnunetfiji.plan.ExperimentPlanner;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.plan.PlansSummary;
import io.github.nnunetfiji.plan.StepTimes;
import io.github.nnunetfiji.plan.TrainingBudget;
import io.github.nnunetfiji.train.Fold;
import io.github.nnunetfiji.train.Splits;
import io.github.nnunetfiji.util.Progress;

/**
 * Plans every network of a data set from its fingerprint and writes {@code plans.json}. The
 * fingerprint is measured first unless a current one exists ({@link FingerprintStage}); planning
 * itself takes milliseconds and is always done. With a time budget, the step times of candidate
 * patches are measured (or read from {@value CachedStepTimes#FILE}) and patch and batch fitted to it.
 */
public final class PlanStage implements Stage<PlanStage.Request, PlanStage.Result> {

    /**
     * @param dataset   the data set folder
     * @param work      the work folder
     * @param planner   the planner
     * @param overrides the user's per-configuration overrides
     * @param threads   cases read at the same time if the fingerprint must be measured
     * @param force     measure the fingerprint again even if it is current
     * @param budget    the time each training will get, which patch and batch are fitted to
     *                  ({@link BudgetPlanning}); null plans for the method's schedule
     * @param stepTimes where a budget's step times come from (closed after planning); null: the
     *                  engine with training's default options, cached in {@value CachedStepTimes#FILE}
     */
    public record Request(Path dataset, WorkFolder work, ExperimentPlanner planner, PlanOverrides overrides,
            int threads, boolean force, TrainingBudget budget, StepTimes stepTimes) {

        /** A request without a time budget. */
        public Request(Path dataset, WorkFolder work, ExperimentPlanner planner, PlanOverrides overrides, int threads,
                boolean force) {
            this(dataset, work, planner, overrides, threads, force, null, null);
        }
    }

    /**
     * @param plans       the plans as written
     * @param file        where they are
     * @param fingerprint the fingerprint they were made from
     */
    public record Result(Plans plans, Path file, FingerprintStage.Result fingerprint) implements StageResult {

        @Override
        public boolean ok() {
            return true;
        }

        @Override
        public String report() {
            return PlansSummary.format(plans) + crossValidation(fingerprint.fingerprint().cases().size()) + "Wrote "
                    + file + "\n";
        }

        /** The split training will make, said with the plan so that a small data set's folds are no surprise. */
        static String crossValidation(int cases) {
            int folds = Splits.foldCount(cases);
            if (folds == 0) {
                return "Cross-validation: none (a single case); train fold all\n";
            }
            return "Cross-validation: " + folds + " folds over " + cases + " cases" + (folds < Fold.FOLDS
                    ? " (one fold per case: fewer cases than the method's " + Fold.FOLDS + " folds)" : "") + "\n";
        }
    }

    @Override
    public String name() {
        return "plan";
    }

    /**
     * @throws DatasetException if the data set folder is not a usable data set (nothing written)
     * @throws IllegalArgumentException if an override is invalid for the planned configurations (nothing written)
     */
    @Override
    public Result run(Request request, Progress progress) throws DatasetException, IOException {
        return run(LoadedDataset.load(request.dataset()), request, progress);
    }

    /** Runs on a data set already loaded (its folder in the request is not read again). */
    Result run(LoadedDataset data, Request request, Progress progress) throws IOException {
        FingerprintStage.Result fp = new FingerprintStage().run(data, new FingerprintStage.Request(request.dataset(),
                request.work(), request.threads(), !request.force()), progress);
        progress.status("planning with the " + request.planner().name() + " planner");
        Plans plans = request.planner().plan(fp.fingerprint(), request.overrides());
        WorkFolder.DatasetWork work = request.work().forDataset(data.dataset());
        if (request.budget() != null) {
            plans = fitToBudget(plans, request, fp.fingerprint().cases().size(), work, progress);
        }
        Path file = work.plansFile();
        plans.write(file);
        return new Result(plans, file, fp);
    }

    private static Plans fitToBudget(Plans plans, Request request, int cases, WorkFolder.DatasetWork work,
            Progress progress) throws IOException {
        Duration perTraining = request.budget().perTraining(plans, cases);
        StepTimes measure = request.stepTimes() != null ? request.stepTimes()
                : new EngineStepTimes(EngineOptions.defaults());
        progress.status("measuring step times for " + perTraining.toSeconds() + " s of training");
        try (StepTimes times = new CachedStepTimes(work.root().resolve(CachedStepTimes.FILE), measure)) {
            return new BudgetPlanning(request.planner(), times).apply(plans, request.overrides(), perTraining,
                    progress);
        }
    }
}
