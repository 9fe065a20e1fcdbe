package io.github.nnunetfiji.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.evaluation.Evaluation;
import io.github.nnunetfiji.fingerprint.ConnectedComponents;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.postprocess.PostprocessingDecision;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.postprocess.Postprocessor;

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

                Exit code 0 done, 1 input problems, 2 usage, 3 I/O or unexpected error.
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
        switch (args.positional().get(0)) {
            case "determine" -> {
                if (!args.has("m")) {
                    throw new Args.UsageException("determine needs -m MODEL");
                }
                Path folder = TrainedModel.resolveFolder(Path.of(args.get("m", null)), config);
                Plans plans = Plans.read(folder.resolve(TrainedModel.PLANS));
                int[] fg = foreground(plans);
                String method = args.get("method", PostprocessingRule.PAPER);
                PostprocessingRule rule;
                if (method.equals(PostprocessingRule.PAPER)) {
                    Path fp = folder.resolve(TrainedModel.FINGERPRINT);
                    if (!Files.isRegularFile(fp)) {
                        err.println(fp + " not found: the paper's rule needs the data set's fingerprint in the model "
                                + "folder; copy it there or use --method cross-validation");
                        return PROBLEMS;
                    }
                    rule = PostprocessingDecision.fromFingerprint(DatasetFingerprint.read(fp), fg);
                } else if (method.equals(PostprocessingRule.CROSS_VALIDATION)) {
                    if (!args.has("dataset")) {
                        throw new Args.UsageException("--method cross-validation needs --dataset DATASET for the labels");
                    }
                    List<Evaluation.Pair> pairs = validationPairs(folder, DatasetLoader.load(Path.of(args.get("dataset",
                            null))));
                    if (pairs.isEmpty()) {
                        err.println("No validation predictions in " + folder + "/fold_K/validation/ that match the data "
                                + "set's cases; train the folds first");
                        return PROBLEMS;
                    }
                    rule = PostprocessingDecision.crossValidation(pairs, fg, ConnectedComponents.FULL_CONNECTIVITY,
                            args.getInt("threads", 2, 1, 256), new ConsoleProgress(out));
                } else {
                    throw new Args.UsageException("--method is 'paper' or 'cross-validation', not '" + method + "'");
                }
                Path file = folder.resolve(TrainedModel.POSTPROCESSING);
                rule.write(file);
                rule.notes().forEach(n -> out.println("  " + n));
                out.println("Postprocessing: " + rule.describe());
                out.println("Wrote " + file);
                return OK;
            }
            case "apply" -> {
                if (!args.has("i") || !args.has("o")) {
                    throw new Args.UsageException("apply needs -i IN and -o OUT");
                }
                PostprocessingRule rule;
                int[] fg;
                if (args.has("rule")) {
                    rule = PostprocessingRule.read(Path.of(args.get("rule", null)));
                    fg = args.has("m") ? foreground(Plans.read(TrainedModel.resolveFolder(Path.of(args.get("m", null)),
                            config).resolve(TrainedModel.PLANS))) : rule.largestComponentClasses();
                } else if (args.has("m")) {
                    Path folder = TrainedModel.resolveFolder(Path.of(args.get("m", null)), config);
                    Plans plans = Plans.read(folder.resolve(TrainedModel.PLANS));
                    fg = foreground(plans);
                    rule = io.github.nnunetfiji.inference.FolderPrediction.postprocessingOf(folder, fg.length + 1);
                } else {
                    throw new Args.UsageException("apply needs -m MODEL or --rule FILE");
                }
                if (rule.largestForegroundComponent() && !args.has("m")) {
                    throw new Args.UsageException("this rule treats all foreground as one; give -m MODEL for its classes");
                }
                List<Postprocessor.FileResult> results = Postprocessor.applyToFolder(Path.of(args.get("i", null)),
                        Path.of(args.get("o", null)), rule, fg, new ConsoleProgress(out));
                out.println("Postprocessing: " + rule.describe());
                boolean ok = true;
                for (Postprocessor.FileResult r : results) {
                    if (r.error() != null) {
                        err.println("FAILED " + r.id() + ": " + r.error());
                        ok = false;
                    } else {
                        out.println("  " + r.id() + " -> " + r.output() + " (" + r.removedVoxels() + " voxel(s) removed)");
                    }
                }
                return ok ? OK : PROBLEMS;
            }
            default -> throw new Args.UsageException("expected 'determine' or 'apply', got " + args.positional().get(0));
        }
    }

    /** The foreground classes of a plan: 1 .. classes-1 (an 'ignore' label is no class). */
    static int[] foreground(Plans plans) {
        int classes = new io.github.nnunetfiji.engine.PlanNetworkAdapter().spec(plans,
                plans.configurations().keySet().iterator().next()).classes;
        return PostprocessingRule.foregroundClasses(classes);
    }

    /** Validation predictions of every fold paired with the data set's labels. */
    static List<Evaluation.Pair> validationPairs(Path folder, Dataset ds) throws IOException {
        List<Evaluation.Pair> pairs = new ArrayList<>();
        for (String f : List.of("0", "1", "2", "3", "4")) {
            Path v = folder.resolve(TrainedModel.FOLD_PREFIX + f).resolve("validation");
            if (!Files.isDirectory(v)) {
                continue;
            }
            Map<String, Path> preds = Evaluation.casesIn(v);
            for (CaseEntry c : ds.cases()) {
                Path p = preds.get(c.id());
                if (p != null && c.labelFile() != null) {
                    pairs.add(new Evaluation.Pair(c.id(), p, c.labelFile()));
                }
            }
        }
        return pairs;
    }
}
