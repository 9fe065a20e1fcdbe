package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.Set;

import io.github.nnunetfiji.pipeline.TrainStage;
import io.github.nnunetfiji.train.BatchSourceFactory;
import io.github.nnunetfiji.train.DefaultBatchSources;
import io.github.nnunetfiji.train.Fold;
import io.github.nnunetfiji.train.TrainRequest;
import io.github.nnunetfiji.train.TrainSettings;
import io.github.nnunetfiji.util.RequestField;

/** {@code nnunet train DATASET CONFIG FOLD}: trains one configuration and fold. */
public final class TrainCli implements CliCommand {

    private final BatchSourceFactory sources;

    /** With the default batches ({@link DefaultBatchSources}). */
    public TrainCli() {
        this(DefaultBatchSources.FACTORY);
    }

    public TrainCli(BatchSourceFactory sources) {
        this.sources = sources;
    }

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train one configuration and fold (0-4 or all), resumable";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet train DATASET CONFIG FOLD [--work DIR] [--epochs N] [--iterations-per-epoch N]
                                    [--validation-iterations N] [--time-limit DURATION] [--continue]
                                    [--splits FILE] [--optimizer sgd|adam] [--threads N] [--seed N]
                                    [--device cpu|gpu|auto] [--precision auto|float32|bfloat16]
                                    [--save-every DURATION] [--elastic on|off] [--save-probabilities]
                                    [--slurm [--partition NAME] [--time TIME] [--cpus N] [--mem SIZE]
                                     [--gres SPEC] [--sbatch 'OPT;OPT'] [--launcher CMD]]

                Trains the U-Net of configuration CONFIG (e.g. 2d, 3d_fullres) on fold FOLD (0-4 of the
                5-fold cross-validation, or all: every case). Needs the preprocessed data
                ('nnunet plan_and_preprocess DATASET'). Each epoch trains on N iterations and validates
                on a fixed number of batches (pseudo-Dice per class and its moving average); at the end
                every validation case is predicted whole and its Dice written to validation/summary.json.
                The cascade: train 3d_lowres in every fold first; its final validations write the
                segmentations that 3d_cascade_fullres trains on (docs/training.md, "The cascade").

                  DATASET                    the data set folder
                  CONFIG                     a planned configuration
                  FOLD                       0, 1, 2, 3, 4 or all
                  --work DIR                 work folder (default: $NNUNET_WORK, else ./nnunet_work)
                  --epochs N                 epochs (default: the plan's, 1000); with --continue, a larger
                                             number extends a finished training
                  --iterations-per-epoch N   training iterations per epoch (default: the plan's, 250)
                  --validation-iterations N  validation batches per epoch (default: a fifth of the
                                             iterations, 50 of 250 as the reference)
                  --time-limit DURATION      training time budget, e.g. 15m, 1h30m, 90s: after the first
                                             iterations the epochs (and, unless given, the iterations per
                                             epoch) are fixed so the schedule decays to its end in time
                  --continue                 resume from the latest checkpoint after a stop, crash or
                                             cancel (exactly), complete a final validation cut short,
                                             or extend a finished training; starts afresh (and says
                                             so) if there is no checkpoint; nothing to do (exit 0)
                                             on a complete fold
                  --splits FILE              the folds to use, in the reference's splits_final.json form
                                             (default: WORK/<data set>/splits.json, made once, seeded)
                  --optimizer sgd|adam       sgd: the reference's SGD, Nesterov 0.99, lr 0.01, poly decay
                                             (default); adam: the paper's Adam 3e-4 with 5x cuts on plateaus
                  --threads N                threads for the network and the batches (default: all cores)
                  --seed N                   seed of the split, the weights and the batches (default 12345)
                  --device cpu|gpu|auto      where the network runs (default auto: a GPU if present)
                  --precision auto|float32|bfloat16
                                             number format (default auto: mixed bfloat16 where the CPU
                                             computes it natively, else float32)
                  --elastic on|off           elastic deformation in the augmentation (default: on, as
                                             the paper; the reference's current trainer: off); a resumed
                                             training keeps its setting
                  --save-every DURATION      write the latest checkpoint at least this often (default 5m;
                                             0: after every epoch; always at every stop)
                  --save-probabilities       the final validation also keeps each case's class
                                             probabilities (validation/CASE_probabilities.nii.gz),
                                             which 'nnunet select' needs to score ensembles; on a
                                             complete fold with --continue, adds them

                """ + ClusterOptions.USAGE + """

                With --slurm the fold is submitted as a one-task array job (the data set must be
                preprocessed here first) that trains with --continue --save-probabilities.

                Writes WORK/<data set>/models/CONFIG/ (plans.json, dataset.json, dataset_fingerprint.json,
                splits.json) and fold_FOLD/ (checkpoint_latest/best/final.ckpt with the trainer state
                beside each as .json, inference_model/, training_log.csv, progress.png,
                validation/summary.json). SIGTERM or Ctrl-C: a checkpoint at the next iteration, then
                stop (--continue resumes). Exit code 0 done, 1 the request cannot run (nothing
                written), 2 usage (also no plans or preprocessed data yet), 3 I/O or unexpected error,
                4 another run trains this fold.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return ClusterOptions.valued(Set.of("work", "threads", "epochs", "iterations-per-epoch",
                "validation-iterations", "time-limit", "splits", "optimizer", "seed", "device", "precision", "save-every",
                "elastic"));
    }

    @Override
    public Set<String> flagOptions() {
        return ClusterOptions.flags(Set.of("continue", "save-probabilities"));
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        TrainRequest r = request(args);
        if (args.has(ClusterOptions.FLAG)) {
            return ClusterSubmission.train(args, r, out);
        }
        ClusterOptions.refuseWithout(args);
        CliWording words = CliWording.of(name());
        try {
            out.print(new TrainStage(sources).run(r, new ConsoleProgress(out, words)).report());
            return OK;
        } catch (IllegalArgumentException e) {
            // Documented as exit code 1: the request cannot run, nothing written.
            err.println("nnunet train: " + words.describe(e));
            return PROBLEMS;
        }
    }

    static TrainRequest request(Args args) throws Args.UsageException {
        args.expectPositional("DATASET", "CONFIG", "FOLD");
        TrainRequest.Builder r = new TrainRequest.Builder();
        r.dataset(args.path(0));
        r.configuration(args.positional().get(1));
        try {
            r.fold(Fold.parse(args.positional().get(2)));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        r.work(args.workFolder());
        try {
            settings(args, r);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e);
        }
        return r.build();
    }

    /** The options after DATASET CONFIG FOLD; a word the core cannot read is its {@link IllegalArgumentException}. */
    static void settings(Args args, TrainRequest.Builder r) throws Args.UsageException {
        if (args.has("epochs")) {
            r.epochs(args.getInt("epochs", 0, 1, 1_000_000));
        }
        if (args.has("iterations-per-epoch")) {
            r.iterationsPerEpoch(args.getInt("iterations-per-epoch", 0, 1, 1_000_000));
        }
        if (args.has("validation-iterations")) {
            r.validationIterations(args.getInt("validation-iterations", 0, 1, 1_000_000));
        }
        if (args.has("time-limit")) {
            r.timeLimit(TrainSettings.duration(RequestField.TIME_LIMIT, args.get("time-limit", "")));
        }
        if (args.has("save-every")) {
            r.saveInterval(TrainSettings.saveInterval(args.get("save-every", "")));
        }
        if (args.has("elastic")) {
            r.elastic(TrainSettings.elastic(args.get("elastic", "")));
        }
        r.continueTraining(args.has("continue"));
        r.saveProbabilities(args.has("save-probabilities"));
        if (args.has("splits")) {
            r.splitsFile(Paths.get(args.get("splits", "")));
        }
        r.optimizer(TrainSettings.optimizer(args.get("optimizer", "sgd")));
        r.threads(args.getInt("threads", 0, 0, 256));
        if (args.has("seed")) {
            try {
                r.seed(Long.parseLong(args.get("seed", "").trim()));
            } catch (NumberFormatException e) {
                throw new Args.UsageException("--seed must be a whole number");
            }
        }
        r.device(TrainSettings.device(args.get("device", "auto")));
        r.precision(TrainSettings.precision(args.get("precision", "auto")));
    }
}
