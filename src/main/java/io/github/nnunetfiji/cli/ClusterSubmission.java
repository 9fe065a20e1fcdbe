package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.nnunetfiji.cluster.AutoSubmission;
import io.github.nnunetfiji.cluster.RequestNodeCommands;
import io.github.nnunetfiji.cluster.SlurmOptions;
import io.github.nnunetfiji.cluster.SlurmPlan;
import io.github.nnunetfiji.cluster.SlurmRun;
import io.github.nnunetfiji.cluster.SlurmSubmitter;
import io.github.nnunetfiji.cluster.Slurm;
import io.github.nnunetfiji.pipeline.AutoStage;
import io.github.nnunetfiji.train.TrainRequest;

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
        AutoSubmission.Result result;
        try {
            result = AutoSubmission.submit(r, ClusterOptions.of(args), Slurm.onPath(), new ConsoleProgress(out, words));
        } catch (IllegalArgumentException e) {
            err.println("nnunet auto: " + words.describe(e));
            return CliCommand.PROBLEMS;
        }
        if (result.run() == null) {
            err.print(result.prepared().prepared().report());
            return CliCommand.PROBLEMS;
        }
        return submitted(result.run(), r.dataset(), args, out);
    }

    static int train(Args args, TrainRequest r, PrintStream out) throws Exception {
        SlurmOptions options = ClusterOptions.of(args);
        Path dataset = r.dataset();
        Path root = r.work().forDataset(dataset.toAbsolutePath().normalize().getFileName().toString()).root();
        if (!java.nio.file.Files.isRegularFile(root.resolve("plans.json"))) {
            throw new io.github.nnunetfiji.pipeline.PrerequisiteException("plans.json not found in " + root
                    + ": preprocess the data set here first ('nnunet plan_and_preprocess " + dataset
                    + "'), or give the --work folder it was preprocessed in");
        }
        SlurmPlan plan = new SlurmPlan(dataset, root, List.of(r.configuration()), Map.of(), List.of(r.fold().toString()),
                false);
        RequestNodeCommands commands = new RequestNodeCommands(dataset, r.work().root(), r, options.cpus(), null);
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
