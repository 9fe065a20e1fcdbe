package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.util.Set;

import io.github.nnunetfiji.cluster.RunStatus;
import io.github.nnunetfiji.cluster.Slurm;
import io.github.nnunetfiji.cluster.SlurmRun;

/** {@code nnunet cancel DATASET}: cancels the data set's cluster run. */
public final class CancelCli implements CliCommand {

    @Override
    public String name() {
        return "cancel";
    }

    @Override
    public String summary() {
        return "cancel a data set's SLURM run (every job still pending or running)";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet cancel DATASET [--work DIR]

                Cancels (scancel) every job of the run that 'nnunet auto --slurm' or 'nnunet train
                --slurm' submitted for the data set that is still pending or running. A training
                stopped so checkpoints first (SLURM sends SIGTERM); 'nnunet status DATASET
                --resubmit-failed' later resumes the canceled folds from their checkpoints.

                  DATASET     the data set folder
                  --work DIR  work folder (default: $NNUNET_WORK, else ./nnunet_work)

                Exit code 0 canceled (or nothing live), 2 no run submitted for this data set and
                work folder, 3 SLURM's tools missing or failing.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("work");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        SlurmRun run = StatusCli.read(args, err);
        if (run == null) {
            return USAGE;
        }
        Slurm slurm = Slurm.onPath();
        var live = RunStatus.of(run, slurm).liveJobIds();
        if (live.isEmpty()) {
            out.println("Nothing of the run is pending or running.");
            return OK;
        }
        slurm.cancel(live);
        out.println("Canceled job(s) " + String.join(", ", live) + ".");
        return OK;
    }
}
