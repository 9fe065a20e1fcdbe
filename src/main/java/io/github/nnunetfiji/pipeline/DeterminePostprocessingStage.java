package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.fingerprint.ConnectedComponents;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.io.CaseFiles;
import io.github.nnunetfiji.postprocess.PostprocessingDecision;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.selection.CrossValidationResults;
import io.github.nnunetfiji.train.Fold;
import io.github.nnunetfiji.train.ModelFolder;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.RequestException;
import io.github.nnunetfiji.util.RequestField;
import io.github.nnunetfiji.util.StageName;

/**
 * Decides which classes keep only their largest connected component and writes the model
 * folder's {@code postprocessing.json}, which prediction applies: by the paper's rule (from the
 * fingerprint in the model folder) or the reference's cross-validation (the folds' validation
 * predictions against the data set's labels). A missing model folder, fingerprint or validation
 * prediction is a {@link PrerequisiteException}; nothing is written then.
 */
public final class DeterminePostprocessingStage
        implements Stage<DeterminePostprocessingStage.Request, DeterminePostprocessingStage.Result> {

    /**
     * @param model         a model folder, or the {@code models} folder holding one per configuration
     * @param configuration the configuration; null where {@code model} leaves no choice
     * @param method        {@link PostprocessingRule#PAPER} or {@link PostprocessingRule#CROSS_VALIDATION}
     * @param dataset       the data set folder with the labels (cross-validation only; else null)
     * @param threads       cases evaluated in parallel (cross-validation)
     */
    public record Request(Path model, String configuration, String method, Path dataset, int threads) {

        /** The method, {@link PostprocessingRule#PAPER} if none was given. */
        public String methodOrDefault() {
            return method == null ? PostprocessingRule.PAPER : method;
        }

        /**
         * What can be told without reading anything: a model folder is given, the method is known,
         * and cross-validation has a data set folder.
         *
         * @throws RequestException naming the field to give or correct
         */
        public void check() {
            if (model == null) {
                throw new RequestException("No model folder: determining a rule needs ", RequestField.MODEL);
            }
            String m = methodOrDefault();
            if (!m.equals(PostprocessingRule.PAPER) && !m.equals(PostprocessingRule.CROSS_VALIDATION)) {
                throw new RequestException(RequestField.METHOD, " is '", PostprocessingRule.PAPER, "' or '",
                        PostprocessingRule.CROSS_VALIDATION, "', not '", m, "'");
            }
            if (m.equals(PostprocessingRule.CROSS_VALIDATION) && (dataset == null || !Files.isDirectory(dataset))) {
                throw new RequestException(dataset == null ? "No data set folder: " : "Data set folder not found: "
                        + dataset + "; ", RequestField.METHOD.is(PostprocessingRule.CROSS_VALIDATION),
                        " compares the validation predictions with the data set's labels; give as ", RequestField.DATASET,
                        " the folder with dataset.json and labelsTr");
            }
        }
    }

    /**
     * @param rule the rule decided, with its notes
     * @param file where it was written
     */
    public record Result(PostprocessingRule rule, Path file) implements StageResult {

        @Override
        public boolean ok() {
            return true;
        }

        @Override
        public String report() {
            StringBuilder sb = new StringBuilder();
            rule.notes().forEach(n -> sb.append("  ").append(n).append('\n'));
            return sb.append("Postprocessing: ").append(rule.describe()).append('\n').append("Wrote ").append(file)
                    .append('\n').toString();
        }
    }

    @Override
    public String name() {
        return "postprocess determine";
    }

    @Override
    public Result run(Request r, Progress progress) throws PrerequisiteException, DatasetException, IOException {
        r.check();
        boolean paper = r.methodOrDefault().equals(PostprocessingRule.PAPER);
        ApplyPostprocessingStage.ModelClasses model = ApplyPostprocessingStage.modelClasses(r.model(), r.configuration());
        Path folder = model.folder();
        PostprocessingRule rule;
        if (paper) {
            Path fp = folder.resolve(TrainedModel.FINGERPRINT);
            if (!Files.isRegularFile(fp)) {
                throw new PrerequisiteException(Message.of(fp, " not found: the paper's rule needs the data set's"
                        + " fingerprint in the model folder; copy it there or use ",
                        RequestField.METHOD.is(PostprocessingRule.CROSS_VALIDATION)));
            }
            rule = PostprocessingDecision.fromFingerprint(DatasetFingerprint.read(fp), model.foreground());
        } else {
            List<CaseFiles.Pair> pairs = validationPairs(folder, DatasetLoader.load(r.dataset()));
            if (pairs.isEmpty()) {
                throw new PrerequisiteException(Message.of("No finished validation in ", folder, "/fold_K/validation/"
                        + " that matches the data set's cases; train the folds first (", StageName.TRAIN, "; a fold"
                        + " whose final validation was cut short completes it when trained again with ",
                        RequestField.CONTINUE, ")"));
            }
            rule = PostprocessingDecision.crossValidation(pairs, model.foreground(), ConnectedComponents.FULL_CONNECTIVITY,
                    Math.max(1, r.threads()), progress);
        }
        Path file = folder.resolve(TrainedModel.POSTPROCESSING);
        rule.write(file);
        return new Result(rule, file);
    }

    /**
     * Validation predictions of every fold paired with the data set's labels: only folds whose final
     * validation is complete and of the fold's final network, and only the cases it lists (a
     * validation cut short, or one of the model before an extension, is left out). Folds 0 .. 4
     * only: fold all validates on its own training cases.
     */
    static List<CaseFiles.Pair> validationPairs(Path folder, Dataset ds) throws IOException {
        CrossValidationResults results = CrossValidationResults.read(new ModelFolder(folder),
                folder.getFileName().toString());
        return results.pairs(results.foldNames().stream().filter(f -> !Fold.parse(f).isAll()).toList(), ds);
    }
}
