package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Path;

import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.ExperimentPlanner;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.plan.PlansSummary;
import io.github.nnunetfiji.train.Fold;
import io.github.nnunetfiji.train.Splits;
import io.github.nnunetfiji.util.Progress;

/**
 * Plans every network of a data set from its fingerprint and writes {@code plans.json}. The
 * fingerprint is measured first unless a current one exists ({@link FingerprintStage}); planning
 * itself takes milliseconds and is always done.
 */
public final class PlanStage implements Stage<PlanStage.Request, PlanStage.Result> {

    /**
     * @param dataset   the data set folder
     * @param work      the work folder
     * @param planner   the planner
     * @param overrides the user's per-configuration overrides
     * @param threads   cases read at the same time if the fingerprint must be measured
     * @param force     measure the fingerprint again even if it is current
     */
    public record Request(Path dataset, WorkFolder work, ExperimentPlanner planner, PlanOverrides overrides,
            int threads, boolean force) {
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
        Path file = request.work().forDataset(data.dataset()).plansFile();
        plans.write(file);
        return new Result(plans, file, fp);
    }
}
