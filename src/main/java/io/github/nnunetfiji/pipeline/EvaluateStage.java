package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.evaluation.Evaluation;
import io.github.nnunetfiji.io.CaseFiles;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.OutputPaths;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.RequestException;
import io.github.nnunetfiji.util.RequestField;
import io.github.nnunetfiji.util.StageName;

/**
 * Compares predicted label maps with references, case by case and class by class (Dice, IoU, HD95
 * in mm; {@link Evaluation}), and writes the JSON summary. A missing predictions folder is a
 * {@link PrerequisiteException} (predict first); a reference case without prediction an
 * {@link IOException} naming the cases; nothing is written then.
 */
public final class EvaluateStage implements Stage<EvaluateStage.Request, EvaluateStage.Result> {

    /** Name of the summary written into the predictions folder by default. */
    public static final String SUMMARY = "summary.json";

    /**
     * @param predictions folder of predicted label maps
     * @param references  folder of reference label maps, same case names
     * @param labels      classes to evaluate; empty: every value above 0 found
     * @param output      where the JSON goes; null: {@code predictions/summary.json}
     * @param threads     cases evaluated in parallel
     */
    public record Request(Path predictions, Path references, List<Integer> labels, Path output, int threads) {

        public Request {
            labels = List.copyOf(labels);
        }

        /** The summary file: {@link #output}, or {@value #SUMMARY} in the predictions folder. */
        public Path summaryFile() {
            return output != null ? output : predictions.resolve(SUMMARY);
        }
    }

    /**
     * @param summary every case and the means
     * @param file    the summary written
     */
    public record Result(Evaluation.Summary summary, Path file) implements StageResult {

        @Override
        public boolean ok() {
            return true;
        }

        @Override
        public String report() {
            return Evaluation.table(summary) + "Wrote " + file + "\n";
        }
    }

    /**
     * The labels of the data set the references belong to ({@code DATASET/labelsTr}: the folder above
     * holds dataset.json), or null when they belong to none that reads cleanly.
     */
    static Evaluation.Declared declaredLabels(Path references) {
        Path parent = references.toAbsolutePath().normalize().getParent();
        if (parent == null || !Files.isRegularFile(parent.resolve("dataset.json"))) {
            return null;
        }
        DatasetLoader.Scan scan = DatasetLoader.scan(parent);
        return scan.dataset() == null ? null : new Evaluation.Declared(
                scan.dataset().description().labels().keySet(), parent.resolve("dataset.json"));
    }

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public Result run(Request r, Progress progress) throws PrerequisiteException, IOException {
        if (r.predictions() == null || r.references() == null) {
            throw new RequestException("Evaluation needs ", RequestField.PREDICTIONS, " and ", RequestField.REFERENCES);
        }
        if (r.threads() < 1) {
            throw new IllegalArgumentException("Evaluation needs at least 1 thread, not " + r.threads());
        }
        if (!Files.isDirectory(r.predictions())) {
            throw new PrerequisiteException(Message.of(r.predictions(), " is not a folder: predict the cases first (",
                    StageName.PREDICT.with(RequestField.OUTPUT, r.predictions()), ") or give as ",
                    RequestField.PREDICTIONS, " the folder that holds the predictions"));
        }
        if (!Files.isDirectory(r.references())) {
            throw new PrerequisiteException(Message.of(r.references(), " is not a folder; give as ",
                    RequestField.REFERENCES, " the folder of reference label maps"));
        }
        // A reference case without prediction is named here (with "predict them first"), before any case is read.
        List<CaseFiles.Pair> pairs = Evaluation.pairFolders(r.predictions(), r.references());
        List<Path> inputs = new java.util.ArrayList<>();
        for (CaseFiles.Pair p : pairs) {
            inputs.add(p.prediction());
            inputs.add(p.reference());
        }
        OutputPaths.refuseInputFile(r.summaryFile(), inputs, "The summary file");
        int[] labels = r.labels().isEmpty() ? null : r.labels().stream().mapToInt(Integer::intValue).toArray();
        Evaluation.Summary s = Evaluation.run(pairs, labels, declaredLabels(r.references()), r.threads(), progress);
        Path file = r.summaryFile();
        Evaluation.write(s, file);
        return new Result(s, file);
    }
}
