package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.nnunetfiji.cluster.SlurmOptions;
import io.github.nnunetfiji.cluster.SlurmPlan;
import io.github.nnunetfiji.cluster.SlurmRun;
import io.github.nnunetfiji.cluster.SlurmSubmitter;
import io.github.nnunetfiji.cluster.Slurm;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.pipeline.AutoStage;

/** {@code auto --slurm} and {@code train --slurm}: prepare here, submit the rest, say how to follow it. */
final class ClusterSubmission {

    private ClusterSubmission() {
    }

    static int auto(Args args, AutoStage.Request r, PrintStream out, PrintStream err, CliWording words)
            throws Exception {
        if (r.budget() != null) {
            throw new Args.UsageException("--budget shares one machine's time among trainings run one after the"
                    + " other; on a cluster they run side by side: give each job --time (and --epochs)");
        }
        SlurmOptions options = ClusterOptions.of(args);
        AutoStage.Work work;
        try {
            work = new AutoStage().prepare(r, new ConsoleProgress(out, words));
        } catch (IllegalArgumentException e) {
            err.println("nnunet auto: " + words.describe(e));
            return CliCommand.PROBLEMS;
        }
        if (!work.prepared().ok()) {
            err.print(work.prepared().report());
            return CliCommand.PROBLEMS;
        }
        Map<String, String> previous = new HashMap<>();
        for (String c : work.configurations()) {
            if (work.previousStage(c) != null) {
                previous.put(c, work.previousStage(c));
            }
        }
        Path root = work.work().root();
        SlurmPlan plan = new SlurmPlan(r.dataset(), root, work.configurations(), previous, work.folds(), true);
        NodeCommandLines commands = new NodeCommandLines(args, r.dataset(), r.work().root(), options.cpus(),
                work.prepared().validation().validation().dataset().testCases().isEmpty() ? null
                        : work.work().predictionsDir(AutoStage.TEST_PREDICTIONS));
        return submitted(new SlurmSubmitter(Slurm.onPath()).submit(plan, options, commands), r.dataset(), args, out);
    }

    static int train(Args args, String configuration, String fold, PrintStream out) throws Exception {
        SlurmOptions options = ClusterOptions.of(args);
        Path dataset = args.path(0);
        WorkFolder work = args.workFolder();
        Path root = work.forDataset(dataset.toAbsolutePath().normalize().getFileName().toString()).root();
        if (!java.nio.file.Files.isRegularFile(root.resolve("plans.json"))) {
            throw new io.github.nnunetfiji.pipeline.PrerequisiteException("plans.json not found in " + root
                    + ": preprocess the data set here first ('nnunet plan_and_preprocess " + dataset
                    + "'), or give the --work folder it was preprocessed in");
        }
        SlurmPlan plan = new SlurmPlan(dataset, root, List.of(configuration), Map.of(), List.of(fold), false);
        NodeCommandLines commands = new NodeCommandLines(args, dataset, work.root(), options.cpus(), null);
        return submitted(new SlurmSubmitter(Slurm.onPath()).submit(plan, options, commands), dataset, args, out);
    }

    private static int submitted(SlurmRun run, Path dataset, Args args, PrintStream out) {
        for (SlurmRun.Job j : run.jobs()) {
            out.println("Submitted " + j.name() + " as job " + j.latest().jobId() + (j.folds().isEmpty()
                    || SlurmRun.SELECT.equals(j.kind()) ? "" : " (folds " + String.join(",", j.folds()) + ")")
                    + (j.after() != null ? ", after every fold of " + j.after() : "")
                    + (SlurmRun.SELECT.equals(j.kind()) ? ", after every training" : "") + ": " + j.script());
        }
        String work = args.has("work") ? " --work " + args.get("work", "") : "";
        out.println("Recorded in " + SlurmRun.file(Path.of(run.work())) + "; follow it with 'nnunet status " + dataset
                + work + "'");
        return CliCommand.OK;
    }
}
