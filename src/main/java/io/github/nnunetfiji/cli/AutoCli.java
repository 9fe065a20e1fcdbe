package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.util.Set;

import io.github.nnunetfiji.pipeline.AutoStage;
import io.github.nnunetfiji.train.TrainRequest;
import io.github.nnunetfiji.train.TrainSettings;
import io.github.nnunetfiji.util.RequestField;

/** {@code nnunet auto DATASET}: from a data set to the chosen model in one command. */
public final class AutoCli implements CliCommand {

    @Override
    public String name() {
        return "auto";
    }

    @Override
    public String summary() {
        return "validate, plan, preprocess, train every configuration and fold, choose the model";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet auto DATASET [--budget DURATION] [-c CONFIG ...] [--folds 0 1 ...]
                                   [--work DIR] [--threads N] [--planner NAME] [CONFIG.KEY=VALUE ...]
                                   [training options of 'nnunet train': --epochs N,
                                    --iterations-per-epoch N, --validation-iterations N, --splits FILE,
                                    --optimizer, --seed, --device, --precision, --elastic, --save-every]
                                   [--slurm [--partition NAME] [--time TIME] [--cpus N] [--mem SIZE]
                                    [--gres SPEC] [--sbatch 'OPT;OPT'] [--launcher CMD]]

                Runs the whole method: validate, fingerprint, plan and preprocess (as
                plan_and_preprocess), train every configuration on every fold with the final
                validation's probabilities kept (as train ... --continue --save-probabilities),
                then choose the configuration or pair of configurations with the best
                cross-validated Dice and its postprocessing (as select). Before training it says
                what it will train and for how long. Rerun after a kill, a stop or a cancel, it
                reuses what is finished and continues what is not, to the same result. A data set
                with fewer than 5 cases gets one fold per case.

                  DATASET            the data set folder
                  --budget DURATION  the whole run's time, e.g. 5m, 2h: after preprocessing,
                                     three quarters of what is left is shared equally by the
                                     trainings (each fits its schedule to its share), the rest is
                                     for the final validations and the choice; fixed in
                                     WORK/<data set>/auto.json on the first run so that a rerun
                                     trains to the same schedule. The plan is made for that
                                     share too (as 'plan --budget': three quarters of the budget
                                     over the trainings, step times measured and kept in
                                     step_times.json, so a rerun plans the same) (default: no
                                     budget, the plan's patch and epochs)
                  -c CONFIG ...      configurations to train (default: every planned one, in the
                                     plan's order; a cascade's second stage only when every
                                     fold is trained, as it learns from its first stage's
                                     cross-validation predictions)
                  --folds 0 1 ...    folds to train (default: every fold of the split)
                  --work DIR         work folder (default: $NNUNET_WORK, else ./nnunet_work)
                  --threads N        cases processed in parallel outside training (default 2)
                  --planner NAME     paper (default) or v2; see 'nnunet help plan'
                  --gpu-memory GB    the memory to plan for; see 'nnunet help plan'
                  CONFIG.KEY=VALUE   plan overrides; see 'nnunet help plan'

                On a SLURM cluster (README, "Running on a SLURM cluster"): validation, planning
                and preprocessing run here, once; the trainings are array jobs, a task per fold
                (a cascade's second stage after every fold of its first), and select (then the
                test cases' prediction) a job after all of them. 'nnunet status DATASET' follows
                the run, 'nnunet status DATASET --resubmit-failed' resumes what failed, 'nnunet
                cancel DATASET' cancels it. --budget does not apply (give --time and --epochs).
                Exit code 4 while the run recorded for the data set has jobs pending or running.

                """ + ClusterOptions.USAGE + """

                Writes what plan_and_preprocess, train and select write; the choice is
                WORK/<data set>/models/chosen_model.json, which
                'nnunet predict -i IN -o OUT -m WORK/<data set>/models' runs, with
                models/selection.json and models/selection.png. Exit code 0 done, 1 problems in
                the data (nothing written) or a request that cannot run, 2 usage, 3 I/O error,
                4 another run trains one of the folds.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return ClusterOptions.valued(Set.of("work", "threads", "planner", "gpu-memory", "configurations", "folds...", "budget",
                "epochs", "iterations-per-epoch", "validation-iterations", "splits", "optimizer", "seed", "device",
                "precision", "elastic", "save-every"));
    }

    @Override
    public Set<String> flagOptions() {
        return ClusterOptions.flags(Set.of());
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        PlanCli.Request plan = PlanCli.Request.of(args);
        TrainRequest.Builder training = new TrainRequest.Builder().dataset(plan.dataset()).work(args.workFolder());
        AutoStage.Request r;
        try {
            TrainCli.settings(args, training);
            r = new AutoStage.Request(plan.dataset(), args.workFolder(), plan.planner(), plan.overrides(),
                    args.has("budget") ? TrainSettings.duration(RequestField.BUDGET, args.get("budget", "")) : null,
                    args.configurations(), folds(args), training.build(), args.getInt("threads", 2, 1, 256));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e);
        }
        CliWording words = CliWording.of(name());
        if (args.has(ClusterOptions.FLAG)) {
            return ClusterSubmission.auto(args, r, out, err, words);
        }
        ClusterOptions.refuseWithout(args);
        AutoStage.Result result;
        try {
            result = new AutoStage().run(r, new ConsoleProgress(out, words));
        } catch (IllegalArgumentException e) {
            err.println("nnunet auto: " + words.describe(e));
            return PROBLEMS;
        }
        if (!result.prepared().validation().ok()) {
            err.print(result.report());
            return PROBLEMS;
        }
        out.print(result.report());
        return OK;
    }

    /** The fold names after --folds, checked now: a plan override there would be taken for a fold. */
    static java.util.List<String> folds(Args args) throws Args.UsageException {
        for (String f : args.list("folds")) {
            try {
                io.github.nnunetfiji.train.Fold.parse(f);
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("--folds takes folds 0 .. 4 or all, not '" + f + "'"
                        + (f.contains("=") ? "; give plan overrides before --folds" : ""));
            }
        }
        return args.list("folds");
    }
}
