package io.github.nnunetfiji.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.nnunetfiji.util.AtomicFiles;
import io.github.nnunetfiji.util.WorkInUseException;

/**
 * Writes and submits a run's jobs: one array job per configuration whose tasks are the folds
 * (a cascade's second stage after every fold of its first), then the selection after every
 * training, and records them in {@code slurm/run.json}.
 */
public final class SlurmSubmitter {

    private final Slurm slurm;

    public SlurmSubmitter(Slurm slurm) {
        this.slurm = slurm;
    }

    /** Submits the plan; refuses while a run of the same data set and work folder is still live. */
    public SlurmRun submit(SlurmPlan plan, SlurmOptions options, NodeCommands commands) throws IOException {
        Path work = plan.work().toAbsolutePath().normalize();
        refuseWhileLive(work);
        Path folder = SlurmRun.folder(work);
        Files.createDirectories(folder.resolve("logs"));
        SlurmRun run = new SlurmRun(plan.dataset().toAbsolutePath().normalize().toString(), work.toString(),
                Instant.now().toString(), options, List.of());
        List<String> allTrainings = new ArrayList<>();
        for (String c : plan.configurations()) {
            String name = "nnunet_" + c;
            Path script = folder.resolve("train_" + c + ".sh");
            Path log = folder.resolve("logs").resolve("train_" + c + "_%A_%a.log");
            AtomicFiles.writeString(script, JobScript.render(name, log, options, List.of(commands.train(c,
                    NodeCommands.ARRAY_TASK))));
            String after = plan.previousStages().get(c);
            List<String> dependency = new ArrayList<>();
            // The whole array job, not its tasks: a task canceled before it started leaves no record,
            // and a dependency on a task that has none counts as met.
            if (after != null && plan.configurations().contains(after)) {
                dependency.add(run.training(after).latest().jobId());
            } else {
                after = null;
            }
            String id = slurm.submit(script, String.join(",", plan.folds()), dependency);
            run = run.with(new SlurmRun.Job(name, SlurmRun.TRAIN, c, plan.folds(), after, script.toString(),
                    log.toString(), List.of(new SlurmRun.Submission(id, plan.folds()))));
            run.write();
            allTrainings.add(id);
        }
        if (plan.select()) {
            Path script = folder.resolve("select.sh");
            Path log = folder.resolve("logs").resolve("select_%j.log");
            List<List<String>> cmds = new ArrayList<>();
            cmds.add(commands.select(plan.configurations(), plan.folds()));
            if (!commands.predictTestCases().isEmpty()) {
                cmds.add(commands.predictTestCases());
            }
            AtomicFiles.writeString(script, JobScript.render("nnunet_select", log, options, cmds));
            String id = slurm.submit(script, null, allTrainings);
            run = run.with(new SlurmRun.Job("nnunet_select", SlurmRun.SELECT, null, plan.folds(), null,
                    script.toString(), log.toString(), List.of(new SlurmRun.Submission(id, List.of()))));
            run.write();
        }
        return run;
    }

    private void refuseWhileLive(Path work) throws IOException {
        if (!Files.isRegularFile(SlurmRun.file(work))) {
            return;
        }
        SlurmRun old = SlurmRun.read(work);
        long live = slurm.states(old.jobIds()).values().stream().filter(TaskState::live).count();
        if (live > 0) {
            throw new WorkInUseException("the run recorded in " + SlurmRun.file(work) + " still has " + live
                    + " job(s) pending or running; wait for it, or cancel it first");
        }
    }
}
