package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

import io.github.nnunetfiji.pipeline.ApplyPostprocessingStage;
import io.github.nnunetfiji.pipeline.DeterminePostprocessingStage;
import io.github.nnunetfiji.pipeline.StageResult;
import io.github.nnunetfiji.postprocess.PostprocessingRule;

/** {@code nnunet postprocess determine|apply}: decide the largest-component rule, or apply it to a folder. */
public final class PostprocessCli implements CliCommand {

    @Override
    public String name() {
        return "postprocess";
    }

    @Override
    public String summary() {
        return "decide (determine) or apply the largest-component postprocessing";
    }

    @Override
    public String usage() {
        return """
                Usage: nnunet postprocess determine -m MODEL [-c CONFIG] [--method paper|cross-validation]
                                                    [--dataset DATASET] [--threads N]
                       nnunet postprocess apply -i IN -o OUT (-m MODEL [-c CONFIG] | --rule FILE)

                determine: decides which classes keep only their largest connected component
                (full 26-connectivity) and writes MODEL/postprocessing.json, which 'predict'
                applies.
                  --method paper             (default) a class that is a single component in
                                             every training case (MODEL/dataset_fingerprint.json)
                  --method cross-validation  the reference's rule, on the folds' validation
                                             predictions (MODEL/fold_K/validation/CASE.nii.gz)
                                             against DATASET's labels: largest component of all
                                             foreground if the mean foreground Dice rises and no
                                             class gets worse, then per class if its Dice rises
                  --dataset DATASET          the data set folder (cross-validation only)
                  --threads N                cases in parallel (default 2)

                apply: postprocesses every label file of IN into OUT (same names, written
                atomically) with MODEL's rule (postprocessing.json, else the paper's rule from
                its fingerprint) or the rule in FILE. A file that fails is named; the others
                still finish.

                Exit code 0 done, 1 input problems, 2 usage (also a model folder that lacks what
                the step needs, or no finished validation), 3 I/O or unexpected error.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("i", "o", "m", "configurations", "method", "dataset", "rule", "threads");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        if (args.positional().size() != 1) {
            throw new Args.UsageException("expected 'determine' or 'apply'");
        }
        String config = args.configurations().isEmpty() ? null : args.configurations().get(0);
        Path model = args.has("m") ? Path.of(args.get("m", null)) : null;
        StageResult result = switch (args.positional().get(0)) {
            case "determine" -> CliCommand.usageErrors(() -> new DeterminePostprocessingStage().run(
                    new DeterminePostprocessingStage.Request(model, config,
                            args.get("method", PostprocessingRule.PAPER),
                            args.has("dataset") ? Path.of(args.get("dataset", null)) : null,
                            args.getInt("threads", 2, 1, 256)), new ConsoleProgress(out)));
            case "apply" -> CliCommand.usageErrors(() -> new ApplyPostprocessingStage().run(
                    new ApplyPostprocessingStage.Request(args.has("i") ? Path.of(args.get("i", null)) : null,
                            args.has("o") ? Path.of(args.get("o", null)) : null, model, config,
                            args.has("rule") ? Path.of(args.get("rule", null)) : null), new ConsoleProgress(out)));
            default -> throw new Args.UsageException("expected 'determine' or 'apply', got "
                + args.positional().get(0));
        };
        CliCommand.print(result, out, err);
        return result.ok() ? OK : PROBLEMS;
    }
}
