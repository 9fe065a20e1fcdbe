package io.github.nnunetfiji.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageFileException;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Progress;

/**
 * Predicts cases found in folders or files ({@link #findCases}) with a loaded model: each case is
 * read, segmented and postprocessed by {@link CasePredictor} (the in-memory path Segment Image
 * runs too) and written to the output folder under its name with its input's file type and
 * geometry; {@code predictions.json} there names the model, folds, test-time augmentation,
 * postprocessing and each case's outcome. A case that fails is named with its reason and the
 * others still finish. Every file is written atomically, so an existing output is either the old or
 * the new one, never half of each. The stage that checks the request and loads the model is
 * {@code pipeline.PredictStage}.
 */
public final class FolderPrediction {

    public static final String REPORT = "predictions.json";
    private static final Pattern CHANNEL = Pattern.compile("(.+)_(\\d{4})");

    /** One case's outcome. */
    public record CaseOutcome(String id, List<Path> inputs, Path output, double seconds, long postprocessedVoxels,
            String error) {
    }

    /** All outcomes, and what was used. */
    public record Result(Path modelFolder, String configuration, List<String> folds, String postprocessing,
            List<CaseOutcome> cases) {

        public long failures() {
            return cases.stream().filter(c -> c.error() != null).count();
        }
    }

    private FolderPrediction() {
    }

    /**
     * Cases by id: channel files {@code ID_0000}, {@code ID_0001}, ... (numbered from 0 without gaps)
     * grouped in channel order, other files one case each, named by the file name without its ending.
     */
    public static Map<String, List<Path>> findCases(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.list(in)) {
                    s.filter(Files::isRegularFile).filter(ImageIO::isSupported).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(in)) {
                if (!ImageIO.isSupported(in)) {
                    throw new ImageFileException(in, "unsupported file type; use NIfTI (.nii, .nii.gz) or TIFF (.tif)");
                }
                files.add(in);
            } else {
                throw new ImageFileException(in, "does not exist; give a folder of cases or image files");
            }
        }
        Map<String, TreeMap<Integer, Path>> grouped = new TreeMap<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            String stem = name.substring(0, name.length() - ImageIO.endingOf(f).length());
            Matcher m = CHANNEL.matcher(stem);
            String id = m.matches() ? m.group(1) : stem;
            int channel = m.matches() ? Integer.parseInt(m.group(2)) : 0;
            Path previous = grouped.computeIfAbsent(id, k -> new TreeMap<>()).put(channel, f);
            if (previous != null) {
                throw new ImageFileException(f, "case " + id + " has two files for channel " + channel + " (also "
                        + previous + "); give each case once");
            }
        }
        // Channel files number 0, 1, ... without gaps; other numbered files (BRATS_0003.nii.gz, each
        // holding every channel) are cases of their own, named by the whole file name.
        Map<String, List<Path>> cases = new TreeMap<>();
        for (Map.Entry<String, TreeMap<Integer, Path>> e : grouped.entrySet()) {
            TreeMap<Integer, Path> ch = e.getValue();
            boolean channels = ch.firstKey() == 0 && ch.lastKey() == ch.size() - 1;
            if (channels) {
                putCase(cases, e.getKey(), new ArrayList<>(ch.values()));
            } else {
                for (Path f : ch.values()) {
                    String name = f.getFileName().toString();
                    putCase(cases, name.substring(0, name.length() - ImageIO.endingOf(f).length()), List.of(f));
                }
            }
        }
        return new LinkedHashMap<>(cases);
    }

    private static void putCase(Map<String, List<Path>> cases, String id, List<Path> files) throws ImageFileException {
        List<Path> previous = cases.put(id, files);
        if (previous != null) {
            throw new ImageFileException(files.get(0), "case " + id + " is also given as " + previous
                    + "; give each case once");
        }
    }

    /**
     * Predicts every case into {@code output} (which must exist) and writes its {@value #REPORT};
     * per-case problems are in the result, not thrown.
     *
     * @param cases       case id to its channel files ({@link #findCases})
     * @param postprocess apply the model's postprocessing ({@link TrainedModel#postprocessingOf})
     */
    public static Result run(TrainedModel model, Map<String, List<Path>> cases, Path output, PredictionOptions options,
            boolean postprocess, Progress progress) throws IOException {
        // The one in-memory path, as Segment Image runs it on the image it is given.
        return run(model.predictor(options, postprocess), model.folder(), model.configuration(), model.folds(), cases,
                output, options, progress);
    }

    /**
     * Predicts every case with {@code predictor} (a configuration's folds, or an ensemble) into
     * {@code output} and writes its {@value #REPORT}, which names {@code modelFolder},
     * {@code configuration} and {@code folds}.
     */
    public static Result run(ImagePredictor predictor, Path modelFolder, String configuration, List<String> folds,
            Map<String, List<Path>> cases, Path output, PredictionOptions options, Progress progress) throws IOException {
        PostprocessingRule rule = predictor.postprocessing();
        List<CaseOutcome> outcomes = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, List<Path>> e : cases.entrySet()) {
            progress.checkCanceled();
            index++;
            String id = e.getKey();
            Path first = e.getValue().get(0);
            Path out = output.resolve(id + ImageIO.endingOf(first));
            long start = System.nanoTime();
            try {
                Image image = ImageIO.readChannels(e.getValue());
                try {
                    predictor.check(image);
                } catch (IllegalArgumentException bad) {
                    throw new ImageFileException(first, "case " + id + ": " + bad.getMessage());
                }
                CasePredictor.Prediction p = predictor.predict(image, new CaseProgress(progress, id, index,
                        cases.size()));
                ImageIO.write(p.labels().asImage(), out);
                if (p.probabilities() != null) {
                    ImageIO.write(p.probabilities(), output.resolve(id + "_probabilities" + ImageIO.endingOf(first)));
                }
                outcomes.add(new CaseOutcome(id, e.getValue(), out, (System.nanoTime() - start) / 1e9,
                        p.postprocessedVoxels(), null));
            } catch (CanceledException c) {
                throw c;
            } catch (IOException | RuntimeException | OutOfMemoryError ex) {
                String msg = ex.getMessage() != null ? ex.getMessage() : ex.toString();
                if (ex instanceof OutOfMemoryError) {
                    msg = "out of memory; give Java more (-Xmx) or predict with fewer threads";
                }
                // An output of an earlier run must not pass for this run's result of the case.
                Files.deleteIfExists(out);
                Files.deleteIfExists(output.resolve(id + "_probabilities" + ImageIO.endingOf(first)));
                outcomes.add(new CaseOutcome(id, e.getValue(), null, (System.nanoTime() - start) / 1e9, 0,
                        "case " + id + ": " + msg));
            }
            progress.status("Predicted " + index + "/" + cases.size() + ": " + id);
        }
        Result result = new Result(modelFolder, configuration, folds, rule.describe(), outcomes);
        writeReport(output, options, result, rule);
        return result;
    }

    private static void writeReport(Path output, PredictionOptions options, Result res, PostprocessingRule rule)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", res.modelFolder().toAbsolutePath().toString());
        m.put("configuration", res.configuration());
        m.put("folds", res.folds());
        m.put("test_time_augmentation", options.mirror());
        m.put("step", options.step());
        m.put("postprocessing", rule);
        List<Map<String, Object>> cases = new ArrayList<>();
        for (CaseOutcome c : res.cases()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("case", c.id());
            e.put("inputs", c.inputs().stream().map(Path::toString).toList());
            e.put("output", c.output() == null ? null : c.output().toString());
            e.put("seconds", Math.round(c.seconds() * 100) / 100.0);
            e.put("postprocessing_removed_voxels", c.postprocessedVoxels());
            e.put("error", c.error());
            cases.add(e);
        }
        m.put("cases", cases);
        Json.write(output.resolve(REPORT), m);
    }

    /** Tile progress of one case, with the case's name, its place and an estimate of the time left. */
    private static final class CaseProgress implements Progress {
        private final Progress outer;
        private final String prefix;
        private final long started = System.nanoTime();
        private String status = "";

        CaseProgress(Progress outer, String id, int index, int total) {
            this.outer = outer;
            this.prefix = "case " + index + "/" + total + " " + id + ": ";
        }

        @Override
        public void status(String message) {
            status = message;
            outer.status(prefix + message);
        }

        @Override
        public void progress(long done, long total) {
            if (done > 0 && done < total) {
                double perTile = (System.nanoTime() - started) / 1e9 / done;
                outer.status(prefix + status + String.format(java.util.Locale.ROOT, " (about %.0f s left)",
                        perTile * (total - done)));
            }
            outer.progress(done, total);
        }

        @Override
        public boolean isCanceled() {
            return outer.isCanceled();
        }
    }
}
