package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.nnunetfiji.inference.ModelFolderException;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.postprocess.Postprocessor;
import io.github.nnunetfiji.util.OutputPaths;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.RequestException;
import io.github.nnunetfiji.util.RequestField;
import io.github.nnunetfiji.util.StageName;

/**
 * Postprocesses every label file of a folder into another (same names, each written atomically)
 * with a model's rule ({@code postprocessing.json}, else the paper's rule from its fingerprint,
 * as prediction applies it) or a rule file. A file that fails is named in the result; the others
 * finish.
 */
public final class ApplyPostprocessingStage
        implements Stage<ApplyPostprocessingStage.Request, ApplyPostprocessingStage.Result> {

    /**
     * @param input         folder of label files
     * @param output        folder for the postprocessed files (made if absent)
     * @param model         a model folder (or the models folder above it), for its rule and classes; may be
     *                      null when {@code ruleFile} is given
     * @param configuration the configuration when {@code model} holds several; else null
     * @param ruleFile      a {@code postprocessing.json} to apply instead of the model's; may be null
     */
    public record Request(Path input, Path output, Path model, String configuration, Path ruleFile) {

        /**
         * What can be told without reading anything: the folders and the rule are given, the input
         * folder and the rule file exist. A surface that runs this after another stage checks it
         * first, so that nothing is written when it would fail.
         *
         * @throws RequestException naming the field to give or correct
         */
        public void check() {
            if (input == null) {
                throw new RequestException("No input folder: give as ", RequestField.INPUT,
                        " the folder of label maps to postprocess");
            }
            if (output == null) {
                throw new RequestException("No output folder: give as ", RequestField.OUTPUT,
                        " a folder for the postprocessed label maps");
            }
            if (model == null && ruleFile == null) {
                throw new RequestException("No rule to apply: give as ", RequestField.MODEL,
                        " a trained model folder for its rule, or as ", RequestField.RULE_FILE, " a postprocessing.json");
            }
            if (!Files.isDirectory(input)) {
                throw new RequestException("Input folder not found: ", input, "; give as ", RequestField.INPUT,
                        " the folder of label maps to postprocess");
            }
            if (ruleFile != null && !Files.isRegularFile(ruleFile)) {
                throw new RequestException("Rule file not found: ", ruleFile, "; give as ", RequestField.RULE_FILE,
                        " a postprocessing.json, e.g. the one ", StageName.POSTPROCESS_DETERMINE,
                        " writes into the model folder");
            }
        }
    }

    /**
     * @param rule  the rule applied, described
     * @param files what happened to each file
     */
    public record Result(String rule, List<Postprocessor.FileResult> files) implements StageResult {

        public Result {
            files = List.copyOf(files);
        }

        /** True when every file was postprocessed. */
        @Override
        public boolean ok() {
            return files.stream().allMatch(f -> f.error() == null);
        }

        @Override
        public String report() {
            StringBuilder sb = new StringBuilder("Postprocessing: " + rule + "\n");
            for (Postprocessor.FileResult f : files) {
                sb.append(f.error() != null ? FAILED + f.id() + ": " + f.error()
                        : "  " + f.id() + " -> " + f.output() + " (" + f.removedVoxels() + " voxel(s) removed)")
                        .append('\n');
            }
            return sb.toString();
        }
    }

    /** A model folder and its foreground classes 1 .. classes-1 (an 'ignore' label is no class). */
    record ModelClasses(Path folder, int[] foreground) {
    }

    @Override
    public String name() {
        return "postprocess apply";
    }

    @Override
    public Result run(Request r, Progress progress) throws PrerequisiteException, IOException {
        r.check();
        OutputPaths.refuseInputFolder(r.output(), List.of(r.input()), "The output folder");
        ModelClasses model = r.model() != null ? modelClasses(r.model(), r.configuration()) : null;
        PostprocessingRule rule;
        int[] foreground;
        if (r.ruleFile() != null) {
            rule = PostprocessingRule.read(r.ruleFile());
            if (model != null) {
                rule.checkClasses(model.foreground(), r.ruleFile());
            }
            foreground = model != null ? model.foreground() : rule.largestComponentClasses();
        } else {
            foreground = model.foreground();
            rule = TrainedModel.postprocessingOf(model.folder(), foreground.length + 1);
        }
        if (rule.largestForegroundComponent() && model == null) {
            throw new RequestException("The rule in ", r.ruleFile(), " keeps the largest component of all foreground"
                    + " together, which needs the model's classes: give as ", RequestField.MODEL,
                    " the trained model folder as well");
        }
        List<Postprocessor.FileResult> files = Postprocessor.applyToFolder(r.input(), r.output(), rule, foreground,
                progress);
        return new Result(rule.describe(), files);
    }

    /** The model folder of a configuration and its foreground classes; a missing or incomplete folder is named. */
    static ModelClasses modelClasses(Path model, String configuration) throws PrerequisiteException, IOException {
        Path folder;
        try {
            folder = TrainedModel.resolveFolder(model, configuration);
        } catch (ModelFolderException e) {
            throw new PrerequisiteException(e.explanation());
        }
        Plans plans = Plans.read(folder.resolve(TrainedModel.PLANS));
        int classes = new PlanNetworkAdapter().spec(plans, plans.configurations().keySet().iterator().next()).classes();
        return new ModelClasses(folder, PostprocessingRule.foregroundClasses(classes));
    }
}
