package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.util.Set;

import io.github.nnunetfiji.dataset.DatasetValidator;
import io.github.nnunetfiji.dataset.ValidationReport;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.PlanStage;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.plan.PlansSummary;

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
                Usage: nnunet plan_and_preprocess DATASET [--planner NAME] [-c CONFIG ...]
                                                  [--work DIR] [--threads N] [CONFIG.KEY=VALUE ...]

                Runs validate, fingerprint (if missing), plan and preprocess in turn. If the data
                set has problems they are all listed and nothing is written.

                  DATASET           the data set folder
                  --planner NAME    paper (default) or v2; see 'nnunet help plan'
                  -c CONFIG ...     configurations to preprocess (default: all planned)
                  --work DIR        work folder (default: $NNUNET_WORK, else ./nnunet_work)
                  --threads N       cases processed in parallel (default 2)
                  CONFIG.KEY=VALUE  plan overrides; see 'nnunet help plan'

                Writes dataset_summary.json, dataset_fingerprint.json, plans.json and
                preprocessed/ into WORK/<data set folder name>/. Exit code 0 done, 1 problems
                in the data or failed cases, 2 usage.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("work", "threads", "planner", "configurations");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        PlanCli.Request req = PlanCli.Request.of(args);
        int threads = args.getInt("threads", 2, 1, 256);
        WorkFolder work = args.workFolder();

        out.println("== validate");
        ValidationReport report = new DatasetValidator(threads).validate(req.dataset(), new ConsoleProgress(out));
        if (!report.isValid()) {
            err.print(report.toText());
            err.println("Nothing was written.");
            return PROBLEMS;
        }
        out.print(report.toText());
        out.println("Wrote " + DatasetValidator.writeSummary(report, work));

        out.println("== fingerprint and plan (" + req.planner().name() + " planner)");
        Plans plans;
        try {
            plans = PlanStage.plan(report.dataset(), work, req.planner(), req.overrides(), threads,
                    new ConsoleProgress(out), out::println);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        out.print(PlansSummary.format(plans));
        out.println("Wrote " + work.forDataset(report.dataset()).plansFile());

        out.println("== preprocess");
        PreprocessCli.checkConfigurations(plans, args.configurations());
        return PreprocessCli.runPreprocessing(report.dataset(), plans, args.configurations(), work, threads, out, err);
    }
}
