package io.github.nnunetfiji.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import net.imglib2.type.numeric.IntegerType;
import net.imglib2.view.Views;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.engine.Predictor;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.inference.CasePredictor;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.preprocess.PreprocessedImage;
import io.github.nnunetfiji.preprocess.ResamplingRule;
import io.github.nnunetfiji.preprocess.PreviousStagePredictions;
import io.github.nnunetfiji.preprocess.PreviousStageSegmentation;
import io.github.nnunetfiji.util.AtomicFiles;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Progress;

/**
 * The end-of-fold validation, as the reference's: every validation case of the data set read from
 * its files, segmented at full size by the trained network ({@link CasePredictor}: preprocessing as
 * in training, sliding window with step 0.5, Gaussian weighting, mirroring, probabilities resampled
 * back and uncropped), written as {@code validation/CASE.nii.gz}, and compared with its label file:
 * per-case and mean Dice per foreground class in {@code validation/summary.json}.
 *
 * <p>The cascade: the first stage also writes each case's segmentation on the second stage's grid
 * ({@link PreviousStagePredictions}), from the same probabilities; the second stage reads those
 * stored segmentations of its validation cases as its extra input, as the reference does.
 */
public final class FoldValidation {

    /**
     * One case's Dice per foreground class (null where the class is absent from both; JSON holds no
     * NaN); {@code probabilities} the file of its class probabilities, null where they were not kept.
     */
    public record CaseResult(String caseId, Map<String, Double> dice, String prediction, String probabilities) {
    }

    /** The file name of a case's kept probabilities, as predict names them. */
    public static String probabilitiesFile(String caseId) {
        return caseId + "_probabilities.nii.gz";
    }

    /**
     * The file's content; a mean is null where no case defines it. {@code networkStep} is the
     * optimizer step of the network that made the predictions (null in summaries written before it
     * was recorded), which tells a current validation from one of an earlier model.
     */
    public record Summary(String fold, String checkpoint, String method, List<CaseResult> cases,
            Map<String, Double> meanDice, Double foregroundMeanDice, Long networkStep) {
    }

    /**
     * Written into the validation folder when a validation starts, removed with the summary's
     * arrival: the case files beside it belong to the network of that step, so a run stopped midway
     * resumes with them, and files of any other network are discarded first.
     */
    static final String IN_PROGRESS = ".in_progress";

    static final String METHOD = "each case segmented at full size from its image file (preprocessing as in training, "
            + "sliding window with step 0.5, Gaussian weighting, mirroring, probabilities resampled back and uncropped), "
            + "Dice against its label file";

    /** The method of a validation a time budget could not pay mirroring for. */
    static final String METHOD_WITHOUT_MIRRORING = METHOD.replace("mirroring", "no mirroring (for a time budget)");

    private FoldValidation() {
    }

    /**
     * Validates the fold with the network of optimizer step {@code networkStep}: a step of its own,
     * resumable (cases already written for this network are read back, not predicted again) and
     * cancelable between tiles.
     *
     * @param keepProbabilities also write each case's class probabilities ({@link #probabilitiesFile})
     * @param mirror            average over every mirroring (the method); the summary's method says which
     */
    static Summary run(Predictor net, long networkStep, Plans plans, String configuration, Dataset ds,
            WorkFolder.DatasetWork work, List<String> cases, Fold fold, Path validationDir, int threads,
            boolean keepProbabilities, boolean mirror, Progress progress, Consumer<String> log) throws IOException {
        PlanConfiguration config = plans.configuration(configuration);
        Path nextStage = PreviousStagePredictions.writtenBy(work, plans, config);
        Path previousStage = PreviousStagePredictions.readBy(work, config);
        int classes = net.spec().classes();
        int ignore = net.spec().loss().ignoreLabel();
        CasePredictor predictor = new CasePredictor(plans, configuration, List.of(net),
                PredictionOptions.defaults().withThreads(threads).withProbabilities(keepProbabilities).withMirror(mirror));
        Path marker = validationDir.resolve(IN_PROGRESS);
        // The network and whether it mirrors: cases of another network, or validated the other way, are not kept.
        String validatedBy = mirror ? Long.toString(networkStep) : networkStep + " without mirroring";
        boolean resume = Files.isRegularFile(marker) && Files.readString(marker).trim().equals(validatedBy);
        if (!resume) {
            discard(validationDir);
            AtomicFiles.writeString(marker, validatedBy + "\n");
        } else {
            log.accept("Resuming the validation of fold " + fold + " (cases already predicted by this network are kept)");
        }
        Progress cancelOnly = Progress.cancelOnly(progress);
        List<CaseResult> results = new ArrayList<>();
        int done = 0;
        for (String id : cases) {
            progress.checkCanceled();
            progress.status("Validating fold " + fold + ": " + id + " (" + (done + 1) + "/" + cases.size() + ")");
            CaseEntry entry = ds.cases().stream().filter(c -> c.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Validation case " + id + " is not in " + ds.root()));
            LabelImage truth = entry.readLabel();
            Path file = validationDir.resolve(id + ".nii.gz");
            Path probabilities = validationDir.resolve(probabilitiesFile(id));
            LabelImage predicted;
            boolean exportNext = nextStage != null && !nextStageDone(nextStage, id, fold, networkStep);
            if (resume && Files.isRegularFile(file) && !exportNext
                    && (!keepProbabilities || Files.isRegularFile(probabilities))) {
                predicted = LabelImage.fromImage(ImageIO.read(file)); // written atomically: whole
            } else {
                io.github.nnunetfiji.image.Image image = entry.readImage();
                CasePredictor.NetworkOutput out = predictor.predictOnNetworkGrid(image,
                        previousStage == null ? null : pre -> storedLabels(previousStage, id, pre), cancelOnly);
                if (exportNext) {
                    writeNextStage(nextStage, plans.configuration(config.nextStage()), config, id, fold, networkStep, out,
                            threads);
                }
                CasePredictor.Prediction p = predictor.toPrediction(out, image, cancelOnly);
                predicted = p.labels();
                if (keepProbabilities) {
                    ImageIO.write(p.probabilities(), probabilities); // before the labels, which mark the case done
                }
                ImageIO.write(predicted.asImage(), file);
            }
            Map<String, Double> dice = dice(predicted, truth, classes, ignore);
            results.add(new CaseResult(id, dice, file.getFileName().toString(),
                    keepProbabilities ? probabilities.getFileName().toString() : null));
            log.accept("  " + id + ": Dice " + formatDice(dice));
            progress.progress(++done, cases.size());
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        for (int k = 1; k < classes; k++) {
            String key = Integer.toString(k);
            mean.put(key, EpochRecord.orNull(ValidationMetrics.nanMean(
                    results.stream().mapToDouble(r -> EpochRecord.orNaN(r.dice().get(key))).toArray())));
        }
        double fg = ValidationMetrics.nanMean(mean.values().stream().mapToDouble(EpochRecord::orNaN).toArray());
        Summary summary = new Summary(fold.toString(), "final", mirror ? METHOD : METHOD_WITHOUT_MIRRORING, results, mean, EpochRecord.orNull(fg),
                networkStep);
        Json.write(validationDir.resolve(ModelFolder.VALIDATION_SUMMARY), summary);
        Files.deleteIfExists(marker);
        return summary;
    }

    /**
     * Whether the next stage's input for a case is there and current: written by this fold's
     * network, or a case that this fold may not write (fold {@code all} where a held-out fold's is).
     */
    static boolean nextStageDone(Path folder, String id, Fold fold, long networkStep) throws IOException {
        if (!PreviousStagePredictions.mayWrite(folder, id, fold.toString())) {
            return true;
        }
        PreviousStagePredictions.Header h = PreviousStagePredictions.read(folder, id);
        return h != null && h.fold().equals(fold.toString()) && h.networkStep() == networkStep;
    }

    /** The first stage's probabilities as labels on the second stage's grid, stored for training it. */
    private static void writeNextStage(Path folder, PlanConfiguration next, PlanConfiguration config, String id, Fold fold,
            long networkStep, CasePredictor.NetworkOutput out, int threads) throws IOException {
        PreprocessedImage pre = out.preprocessed();
        int[] shape = PreviousStagePredictions.shapeFor(next, pre);
        byte[] labels = PreviousStageSegmentation.resampledLabels(out.probabilities(), pre.shape(), pre.spacing(), shape,
                ResamplingRule.targetSpacing(next, pre.originalGeometry().spacing()), config, threads);
        PreviousStagePredictions.write(folder, new PreviousStagePredictions.Header(id, config.name(), fold.toString(),
                networkStep, shape), labels);
    }

    /** The stored first-stage segmentation of a validation case of the cascade's second stage. */
    private static byte[] storedLabels(Path folder, String id, PreprocessedImage pre) {
        try {
            return PreviousStagePredictions.readLabels(folder, id, pre.shape());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The fold's validation summary if it is complete and belongs to the fold's final network
     * (summaries that predate the recorded step, and folders without the final trainer state, count
     * as current); empty if the validation is missing, unfinished or of an earlier model.
     */
    public static Optional<Summary> completed(ModelFolder folder, Fold fold) throws IOException {
        Path file = folder.validationSummary(fold);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Summary s = Json.read(file, Summary.class);
        Path state = folder.trainerState(fold, ModelFolder.Checkpoint.FINAL);
        if (s.networkStep() == null || !Files.isRegularFile(state)) {
            return Optional.of(s); // nothing to compare with (an older summary, a model without checkpoints)
        }
        return s.networkStep() == TrainerState.read(state).networkStep ? Optional.of(s) : Optional.empty();
    }

    /** True if every case of a validation kept its probabilities, and their files are there. */
    public static boolean hasProbabilities(ModelFolder folder, Summary summary) {
        Path dir = folder.validation(Fold.parse(summary.fold()));
        return summary.cases().stream().allMatch(c -> c.probabilities() != null
                && Files.isRegularFile(dir.resolve(c.probabilities())));
    }

    /**
     * Removes a validation of another network: the summary first, so that a removal cut short never
     * leaves case files that pass for a finished validation.
     */
    static void discard(Path validationDir) throws IOException {
        if (!Files.isDirectory(validationDir)) {
            return;
        }
        Files.deleteIfExists(validationDir.resolve(ModelFolder.VALIDATION_SUMMARY));
        try (Stream<Path> s = Files.walk(validationDir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Dice per foreground class; voxels labelled with the ignore label are left out. */
    public static Map<String, Double> dice(LabelImage predicted, LabelImage truth, int classes, int ignore) {
        if (!java.util.Arrays.equals(predicted.shape(), truth.shape())) {
            throw new IllegalStateException("The prediction's shape differs from the label file's");
        }
        long[] tp = new long[classes];
        long[] fp = new long[classes];
        long[] fn = new long[classes];
        Iterator<? extends IntegerType<?>> p = Views.flatIterable(predicted.labels()).iterator();
        Iterator<? extends IntegerType<?>> t = Views.flatIterable(truth.labels()).iterator();
        while (t.hasNext()) {
            int l = t.next().getInteger();
            int q = p.next().getInteger();
            if (l == ignore) {
                continue;
            }
            if (q == l && l < classes) {
                tp[l]++;
            } else if (q != l) {
                if (q < classes) {
                    fp[q]++;
                }
                if (l < classes) {
                    fn[l]++;
                }
            }
        }
        Map<String, Double> dice = new LinkedHashMap<>();
        for (int k = 1; k < classes; k++) {
            long d = 2 * tp[k] + fp[k] + fn[k];
            dice.put(Integer.toString(k), d == 0 ? null : 2.0 * tp[k] / d);
        }
        return dice;
    }

    /** Dice per class for people, four decimals ({@code 1: 0.8123, 2: n/a}); the files keep every digit. */
    static String formatDice(Map<String, Double> dice) {
        StringBuilder sb = new StringBuilder();
        dice.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(": ")
                .append(v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v)));
        return sb.toString();
    }

    static String describe(Summary s) {
        return String.format(Locale.ROOT, "Validation of fold %s (%d cases): mean Dice %s, foreground mean %.4f", s.fold(),
                s.cases().size(), formatDice(s.meanDice()), EpochRecord.orNaN(s.foregroundMeanDice()));
    }
}
