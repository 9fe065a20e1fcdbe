package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.ExperimentPlanner;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.StepTimes;
import io.github.nnunetfiji.plan.TrainingBudget;
import io.github.nnunetfiji.util.Progress;

/**
 * Validate, fingerprint, plan and preprocess in one go, stopping before anything is written if the
 * data set has problems. Each step's report is passed on as a {@link Progress#note} as soon as the
 * step is done; the plans go to preprocessing in memory, not read back.
 */
public final class PlanAndPreprocessStage
        implements Stage<PlanAndPreprocessStage.Request, PlanAndPreprocessStage.Result> {

    /**
     * @param datasetFolder  the data set folder
     * @param work           the work folder
     * @param planner        the planner
     * @param overrides      the user's per-configuration overrides
     * @param configurations configurations to preprocess; empty for every planned one
     * @param threads        cases read at the same time
     * @param force          measure and preprocess everything again, even current results
     * @param budget         the time each training will get, which the plan is fitted to; null: none
     * @param stepTimes      where a budget's step times come from; null: the engine
     *                       ({@link PlanStage.Request#stepTimes()})
     */
    public record Request(Path datasetFolder, WorkFolder work, ExperimentPlanner planner, PlanOverrides overrides,
            List<String> configurations, int threads, boolean force, TrainingBudget budget, StepTimes stepTimes) {

        public Request {
            configurations = List.copyOf(configurations);
        }

        /** A request without a time budget. */
        public Request(Path datasetFolder, WorkFolder work, ExperimentPlanner planner, PlanOverrides overrides,
                List<String> configurations, int threads, boolean force) {
            this(datasetFolder, work, planner, overrides, configurations, threads, force, null, null);
        }
    }

    /**
     * @param validation the validation; if it is not ok, the other two are null and nothing was written
     * @param plan       the planning
     * @param preprocess the preprocessing
     */
    public record Result(ValidateStage.Result validation, PlanStage.Result plan, PreprocessStage.Result preprocess)
            implements StageResult {

        @Override
        public boolean ok() {
            return validation.ok() && preprocess.ok();
        }

        @Override
        public String report() {
            return validation.ok() ? preprocess.report() : validation.report();
        }
    }

    @Override
    public String name() {
        return "plan_and_preprocess";
    }

    @Override
    public Result run(Request request, Progress progress) throws PrerequisiteException, IOException {
        progress.note("== validate");
        ValidateStage.Result v = new ValidateStage().run(
                new ValidateStage.Request(request.datasetFolder(), request.work(), request.threads()), progress);
        if (!v.ok()) {
            return new Result(v, null, null);
        }
        progress.note(v.report());
        // The validated data set goes on in memory, its files hashed once for both stages.
        LoadedDataset data = LoadedDataset.of(v.validation().dataset());
        progress.note("== fingerprint and plan (" + request.planner().name() + " planner)");
        PlanStage.Result p = new PlanStage().run(data, new PlanStage.Request(request.datasetFolder(), request.work(),
                request.planner(), request.overrides(), request.threads(), request.force(), request.budget(),
                request.stepTimes()), progress);
        progress.note(p.report());
        progress.note("== preprocess");
        PreprocessStage.Result pp = new PreprocessStage().run(data, new PreprocessStage.Request(
                request.datasetFolder(), request.work(), p.plans(), request.configurations(), request.threads(),
                request.force()), progress);
        return new Result(v, p, pp);
    }
}
