package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

import io.github.nnunetfiji.cluster.Resubmitter;
import io.github.nnunetfiji.cluster.RunStatus;
import io.github.nnunetfiji.cluster.Slurm;
import io.github.nnunetfiji.cluster.SlurmRun;

/** {@code nnunet status DATASET}: where the data set's cluster run stands; resubmits what failed. */
public final class StatusCli implements CliCommand {

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "state of a data set's SLURM run (auto/train --slurm); resubmit what failed";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet status DATASET [--work DIR] [--resubmit-failed] [--log-lines N]

                Shows the run that 'nnunet auto --slurm' or 'nnunet train --slurm' submitted for the
                data set (WORK/<data set>/slurm/run.json): every training task (configuration and
                fold) and the selection with SLURM's state (squeue, else sacct), the fold's progress
                from its training_log.csv and trainer state in the work folder (a fold whose final
                validation is written is finished, whatever the queue says), and the last lines of
                each failed job's log. The last line says: done, running, or failed (N failed).

                  DATASET            the data set folder
                  --work DIR         work folder (default: $NNUNET_WORK, else ./nnunet_work)
                  --resubmit-failed  submit again only what failed (failed, canceled, timed out,
                                     out of memory, or waiting for a job that failed): each fold
                                     resumes from its last checkpoint (its script trains with
                                     --continue), and the selection is submitted again to wait
                                     for the new tasks
                  --log-lines N      lines of each failed job's log to show (default 15)

                Exit code 0 (whatever the run's state), 2 no run submitted for this data set and
                work folder, 3 SLURM's tools missing or failing.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("work", "log-lines");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("resubmit-failed");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        SlurmRun run = read(args, err);
        if (run == null) {
            return USAGE;
        }
        int lines = args.getInt("log-lines", 15, 0, 10_000);
        Slurm slurm = Slurm.onPath();
        RunStatus status = RunStatus.of(run, slurm);
        out.print(status.report(lines));
        if (args.has("resubmit-failed")) {
            if (status.failed().isEmpty()) {
                out.println("Nothing failed: nothing to resubmit.");
                return OK;
            }
            SlurmRun again = new Resubmitter(slurm).resubmitFailed(status);
            for (SlurmRun.Job j : again.jobs()) {
                if (!run.jobs().contains(j)) {
                    SlurmRun.Submission s = j.latest();
                    out.println("Resubmitted " + j.name() + " as job " + s.jobId() + (s.tasks().isEmpty() ? ""
                            : " (folds " + String.join(",", s.tasks()) + ", each continuing from its checkpoint)"));
                }
            }
        } else if (!status.failed().isEmpty()) {
            out.println("Resume what failed with 'nnunet status " + args.positional().get(0) + (args.has("work")
                    ? " --work " + args.get("work", "") : "") + " --resubmit-failed'.");
        }
        return OK;
    }

    /** The run recorded for DATASET, or null (said on {@code err}) where none was submitted. */
    static SlurmRun read(Args args, PrintStream err) throws Exception {
        args.expectPositional("DATASET");
        Path dataset = args.path(0).toAbsolutePath().normalize();
        Path work = args.workFolder().forDataset(dataset.getFileName().toString()).root();
        if (!java.nio.file.Files.isRegularFile(SlurmRun.file(work))) {
            err.println("nnunet status: no cluster run recorded for " + dataset + " (" + SlurmRun.file(work)
                    + " not found)\n    fix: submit one with 'nnunet auto " + args.positional().get(0)
                    + " --slurm', or give the --work folder it was submitted with");
            return null;
        }
        return SlurmRun.read(work);
    }
}
