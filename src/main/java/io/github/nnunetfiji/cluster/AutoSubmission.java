package io.github.nnunetfiji.cluster;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.pipeline.AutoStage;
import io.github.nnunetfiji.pipeline.PrerequisiteException;
import io.github.nnunetfiji.util.Progress;

/**
 * {@code auto} on a SLURM cluster, for every surface: validate, plan and preprocess here, once
 * ({@link AutoStage#prepare}), then submit an array job per configuration (a task per fold; a
 * cascade's second stage after every fold of its first) and the selection after all of them.
 */
public final class AutoSubmission {

    /**
     * @param prepared validation, plan and preprocessing
     * @param run      the jobs submitted, or null where the data set has problems (nothing submitted)
     */
    public record Result(AutoStage.Work prepared, SlurmRun run) {
    }

    private AutoSubmission() {
    }

    /**
     * @throws IllegalArgumentException for a budget, which shares one machine's time among trainings
     *         run one after the other (on a cluster they run side by side)
     */
    public static Result submit(AutoStage.Request r, SlurmOptions options, Slurm slurm, Progress progress)
            throws IOException, PrerequisiteException, DatasetException {
        if (r.budget() != null) {
            throw new IllegalArgumentException("A time budget shares one machine's time among trainings run one after"
                    + " the other; on a cluster they run side by side: give each job a time limit (and epochs)");
        }
        AutoStage.Work work = new AutoStage().prepare(r, progress);
        if (!work.prepared().ok()) {
            return new Result(work, null);
        }
        Map<String, String> previous = new HashMap<>();
        for (String c : work.configurations()) {
            if (work.previousStage(c) != null) {
                previous.put(c, work.previousStage(c));
            }
        }
        SlurmPlan plan = new SlurmPlan(r.dataset(), work.work().root(), work.configurations(), previous, work.folds(),
                true);
        RequestNodeCommands commands = new RequestNodeCommands(r.dataset(), r.work().root(), r.training(),
                options.cpus(), work.prepared().validation().validation().dataset().testCases().isEmpty() ? null
                        : work.work().predictionsDir(AutoStage.TEST_PREDICTIONS));
        return new Result(work, new SlurmSubmitter(slurm).submit(plan, options, commands));
    }
}
