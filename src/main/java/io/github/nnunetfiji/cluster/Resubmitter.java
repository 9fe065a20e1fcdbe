package io.github.nnunetfiji.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Submits again what failed, and only that: per configuration one array job of its failed folds
 * (each resumes from its last checkpoint: the script continues), after the folds of its first
 * stage that are not finished; then the selection again, after every training not finished, its
 * old job canceled (it waited for a task that failed).
 */
public final class Resubmitter {

    private final Slurm slurm;

    public Resubmitter(Slurm slurm) {
        this.slurm = slurm;
    }

    /** Resubmits; returns the run as recorded now (the same run where nothing failed). */
    public SlurmRun resubmitFailed(RunStatus status) throws IOException {
        SlurmRun run = status.run();
        // Tasks that wait for a dependency that can no longer be met would pend for ever.
        List<String> stuck = status.units().stream().filter(u -> u.failed() && u.state().state().equals("PENDING"))
                .map(RunStatus.Unit::taskId).toList();
        slurm.cancel(stuck);
        Set<String> resubmitted = new LinkedHashSet<>();
        for (SlurmRun.Job j : run.jobs()) {
            if (!SlurmRun.TRAIN.equals(j.kind())) {
                continue;
            }
            List<String> folds = status.units().stream().filter(u -> j.name().equals(u.job()) && u.failed())
                    .map(RunStatus.Unit::fold).toList();
            if (folds.isEmpty()) {
                continue;
            }
            List<String> dependency = new ArrayList<>();
            if (j.after() != null) {
                SlurmRun.Job first = run.training(j.after());
                for (String f : first.folds()) {
                    if (!finished(status, first.configuration(), f)) {
                        dependency.add(first.taskId(f));
                    }
                }
            }
            String id = slurm.submit(Path.of(j.script()), String.join(",", folds), dependency);
            run = run.with(j.with(new SlurmRun.Submission(id, folds)));
            run.write();
            resubmitted.add(j.name());
        }
        SlurmRun.Job select = run.selection();
        RunStatus.Unit selectUnit = status.units().stream().filter(u -> u.configuration() == null).findFirst()
                .orElse(null);
        if (select != null && selectUnit != null && !selectUnit.done() && (!resubmitted.isEmpty()
                || selectUnit.failed())) {
            if (selectUnit.live()) {
                slurm.cancel(List.of(selectUnit.taskId()));
            }
            List<String> dependency = new ArrayList<>();
            for (SlurmRun.Job j : run.jobs()) {
                if (SlurmRun.TRAIN.equals(j.kind())) {
                    for (String f : j.folds()) {
                        if (!finished(status, j.configuration(), f)) {
                            dependency.add(j.taskId(f));
                        }
                    }
                }
            }
            String id = slurm.submit(Path.of(select.script()), null, dependency);
            run = run.with(select.with(new SlurmRun.Submission(id, List.of())));
            run.write();
        }
        return run;
    }

    private static boolean finished(RunStatus status, String configuration, String fold) {
        return status.units().stream().anyMatch(u -> configuration.equals(u.configuration()) && fold.equals(u.fold())
                && u.done());
    }
}
