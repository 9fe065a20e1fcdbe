package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.nnunetfiji.pipeline.PlanStage;
import io.github.nnunetfiji.plan.ExperimentPlanner;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.plan.TrainingBudget;
import io.github.nnunetfiji.train.TrainSettings;
import io.github.nnunetfiji.util.RequestField;

/** {@code nnunet plan DATASET}: plans every network from the fingerprint. */
public final class PlanCli implements CliCommand {

    @Override
    public String name() {
        return "plan";
    }

    @Override
    public String summary() {
        return "plan every network (2D, 3D, cascade) from the fingerprint";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet plan DATASET [--planner NAME] [--budget DURATION] [--gpu-memory GB]
                                  [--work DIR] [--threads N] [--force] [CONFIG.KEY=VALUE ...]

                Plans the 2D U-Net, the 3D U-Net and, for large cases, the U-Net cascade from the
                data set's fingerprint (computed first if missing): target spacing, patch and batch
                size, poolings, kernels and features per stage, normalization, resampling,
                augmentation and Dice mode. Prints a table of the plans and the reasons.

                  DATASET           the data set folder
                  --planner NAME    paper (default: the 2018 paper's rules) or v2 (the reference
                                    implementation's current rules: 32 features, memory estimate)
                  --gpu-memory GB   the memory to plan for instead of the planner's own target
                                    (paper: 12, v2: 8): a smaller patch, and the cascade where
                                    the median case then holds more than 4 patches; e.g. 4 for a
                                    small card or a CPU
                  --budget DURATION the training time one training (one configuration, one
                                    fold) will get, as 'train --time-limit' gives it, e.g. 15m:
                                    the step time of the planned patch and of smaller ones
                                    (halved, batch kept) is measured on this machine as training
                                    runs it (a minute or two; kept in WORK/<data set>/
                                    step_times.json and reused), and the largest patch that buys
                                    at least 500 steps is planned (the smallest if none does);
                                    the notes give the times and the reason. Patches and
                                    batches set by overrides stay as set
                  --work DIR        work folder (default: $NNUNET_WORK, else ./nnunet_work)
                  --threads N       cases read in parallel if the fingerprint is computed (default 2)
                  --force           compute the fingerprint again even if it is current
                  CONFIG.KEY=VALUE  overrides, checked and explained: KEY is patch (x, y, z edges,
                                    e.g. 3d_fullres.patch=128x128x64; 2 edges for 2d), batch,
                                    features (top stage) or epochs; CONFIG is 2d, 3d_fullres,
                                    3d_lowres, 3d_cascade_fullres or all

                Writes WORK/<data set folder name>/plans.json (and dataset_fingerprint.json if it
                was missing or out of date: made from other files than the data set holds now,
                compared by size, modification time and content).
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("work", "threads", "planner", "gpu-memory", "budget");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("force");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        Request req = Request.of(args);
        int threads = args.getInt("threads", 2, 1, 256);
        PlanStage.Result r;
        try {
            r = new PlanStage().run(new PlanStage.Request(req.dataset(), args.workFolder(), req.planner(),
                    req.overrides(), threads, args.has("force"), budget(args), null), new ConsoleProgress(out));
        } catch (IllegalArgumentException e) {
            err.println("nnunet plan: " + CliWording.of(name()).describe(e));
            err.println("Nothing was written.");
            return USAGE;
        }
        out.print(r.report());
        return OK;
    }

    /** The time budget of {@code --budget} as each training gets it, or null. */
    static TrainingBudget budget(Args args) throws Args.UsageException {
        if (!args.has("budget")) {
            return null;
        }
        try {
            return TrainingBudget.of(TrainSettings.duration(RequestField.BUDGET, args.get("budget", "")));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e);
        }
    }

    /** What a plan request names: the data set, the planner and the overrides (shared with plan_and_preprocess). */
    record Request(Path dataset, ExperimentPlanner planner, PlanOverrides overrides) {

        private static double gpuMemory(String text) {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--gpu-memory takes GB, e.g. 8 or 0.5, not '" + text + "'");
            }
        }

        /** Splits positional words into DATASET and CONFIG.KEY=VALUE overrides; bad names are usage errors. */
        static Request of(Args args) throws Args.UsageException {
            List<String> positional = args.positional();
            List<String> overrideSpecs = new ArrayList<>();
            List<String> rest = new ArrayList<>();
            for (String p : positional) {
                (p.contains("=") ? overrideSpecs : rest).add(p);
            }
            if (rest.size() != 1) {
                throw new Args.UsageException("expected DATASET [CONFIG.KEY=VALUE ...], got "
                        + (positional.isEmpty() ? "nothing" : String.join(" ", positional)));
            }
            try {
                ExperimentPlanner planner = Planners.create(args.get("planner", Planners.DEFAULT));
                if (args.has("gpu-memory")) {
                    planner.withGpuMemory(gpuMemory(args.get("gpu-memory", "")));
                }
                return new Request(Path.of(rest.get(0)), planner, PlanOverrides.parse(overrideSpecs));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException(e.getMessage());
            }
        }
    }
}
