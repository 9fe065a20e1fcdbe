package io.github.nnunetfiji.cli;

import java.util.List;
import java.util.Set;

import io.github.nnunetfiji.cluster.NodeCommands;
import io.github.nnunetfiji.cluster.SlurmOptions;

/** The options of {@code --slurm}, shared by train and auto: what each job asks the cluster for. */
final class ClusterOptions {

    static final String SCRIPT_VARIABLE = NodeCommands.SCRIPT_VARIABLE;

    static final Set<String> VALUED = Set.of("partition", "time", "cpus", "mem", "gres", "sbatch", "launcher");
    static final String FLAG = "slurm";

    static final String USAGE = """
              --slurm                    submit to a SLURM cluster instead of running here: one
                                         array job per configuration, a task per fold (each runs
                                         'nnunet train ... --continue'), recorded with the scripts
                                         and logs in WORK/<data set>/slurm/ ('nnunet status')
              --partition NAME           the partition (default: the cluster's default)
              --time TIME                each job's time limit, e.g. 12:00:00 or 2-00:00:00
                                         (default: the partition's); a training stopped at its limit
                                         checkpoints, and 'nnunet status --resubmit-failed' resumes it
              --cpus N                   CPUs per task (default 4; also the training's --threads
                                         unless that is given)
              --mem SIZE                 memory per task (default 16G)
              --gres SPEC                generic resources per task, e.g. gpu:1 (default: none)
              --sbatch 'OPT;OPT'         more #SBATCH options, separated by ';', e.g.
                                         '--account=lab;--qos=short'
              --launcher CMD             what starts the command line on a node (default: this
                                         installation's nnunet script, absolute path; the
                                         nodes must see it and the work folder at the same paths)
            """;

    private ClusterOptions() {
    }

    static Set<String> valued(Set<String> others) {
        Set<String> all = new java.util.HashSet<>(others);
        all.addAll(VALUED);
        return Set.copyOf(all);
    }

    static Set<String> flags(Set<String> others) {
        Set<String> all = new java.util.HashSet<>(others);
        all.add(FLAG);
        return Set.copyOf(all);
    }

    /** The options given; a SLURM option without {@code --slurm} is a usage error. */
    static SlurmOptions of(Args args) throws Args.UsageException {
        String launcher = args.get("launcher", System.getenv(SCRIPT_VARIABLE));
        if (launcher == null || launcher.isBlank()) {
            throw new Args.UsageException("--slurm needs --launcher CMD: the absolute path of the nnunet script the"
                    + " nodes run (set by the nnunet script itself as $" + SCRIPT_VARIABLE + "; not set here)");
        }
        List<String> extra = SlurmOptions.extraLines(args.get("sbatch", ""));
        try {
            return new SlurmOptions(args.get("partition", null), args.get("time", null), args.getInt("cpus",
                    SlurmOptions.DEFAULT_CPUS, 1, 4096), args.get("mem", SlurmOptions.DEFAULT_MEMORY), args.get("gres",
                            null), extra, launcher);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }

    /** Refuses SLURM options given without {@code --slurm}. */
    static void refuseWithout(Args args) throws Args.UsageException {
        for (String o : VALUED) {
            if (args.has(o)) {
                throw new Args.UsageException("--" + o + " is an option of --slurm; add --slurm to run on the cluster");
            }
        }
    }
}
