package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.util.Set;

import io.github.nnunetfiji.pipeline.PlanAndPreprocessStage;

/**
 * {@code nnunet plan_and_preprocess DATASET}: validate, fingerprint, plan and preprocess in one go,
 * stopping before anything is written if the data set has problems.
 */
public final class PlanAndPreprocessCli implements CliCommand {

    @Override
    public String name() {
        return "plan_and_preprocess";
    }

    @Override
    public String summary() {
        return "validate, fingerprint, plan and preprocess a data set in one step";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet plan_and_preprocess DATASET [--planner NAME] [--budget DURATION]
                                                  [-c CONFIG ...] [--work DIR] [--threads N]
                                                  [--force] [CONFIG.KEY=VALUE ...]

                Runs validate, fingerprint (if missing or out of date), plan and preprocess in
                turn. If the data set has problems they are all listed and nothing is written.
                Results made from the same files and plan are reused; whatever changed (an image,
                a label map, the plan, the statistics) is made again.

                  DATASET           the data set folder
                  --planner NAME    paper (default) or v2; see 'nnunet help plan'
                  --gpu-memory GB   the memory to plan for; see 'nnunet help plan'
                  --budget DURATION the time one training will get ('train --time-limit'), e.g.
                                    15m: patch and batch are fitted to it from step times
                                    measured on this machine; see 'nnunet help plan'
                  -c CONFIG ...     configurations to preprocess (default: all planned)
                  --work DIR        work folder (default: $NNUNET_WORK, else ./nnunet_work)
                  --threads N       cases processed in parallel (default 2)
                  --force           fingerprint and preprocess everything again
                  CONFIG.KEY=VALUE  plan overrides; see 'nnunet help plan'

                Writes dataset_summary.json, dataset_fingerprint.json, plans.json, preprocessed/
                and provenance/ into WORK/<data set folder name>/. Exit code 0 done, 1 problems
                in the data or failed cases, 2 usage.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("work", "threads", "planner", "gpu-memory", "configurations", "budget");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("force");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        PlanCli.Request req = PlanCli.Request.of(args);
        PlanAndPreprocessStage.Request request = new PlanAndPreprocessStage.Request(req.dataset(), args.workFolder(),
                req.planner(), req.overrides(), args.configurations(), args.getInt("threads", 2, 1, 256),
                args.has("force"), PlanCli.budget(args), null);
        PlanAndPreprocessStage.Result r = CliCommand.usageErrors(
                () -> new PlanAndPreprocessStage().run(request, new ConsoleProgress(out)));
        if (!r.validation().ok()) {
            err.print(r.validation().report());
            return PROBLEMS;
        }
        return PreprocessCli.print(r.preprocess(), out, err);
    }
}
