package io.github.nnunetfiji.evaluation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.io.CaseFiles;
import io.github.nnunetfiji.io.ImageFileException;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.util.AtomicFiles;
import io.github.nnunetfiji.util.Parallel;
import io.github.nnunetfiji.util.Progress;

/**
 * Evaluates predicted label maps against references, case by case and class by class (Dice, IoU,
 * HD95 in mm), with means per class and over the foreground classes. Means leave out the cases in
 * which a class is in neither map (NaN, as the reference's {@code nanmean}); those cases are
 * counted per class. The foreground mean is the mean of the classes' means.
 */
public final class Evaluation {

    /** One evaluated case. */
    public record CaseResult(String id, Path prediction, Path reference, List<ClassMetrics> metrics) {
    }

    /** Means of one class over the cases where it is in the reference or the prediction. */
    public record ClassMean(int label, double dice, double iou, double hd95, int cases, int bothEmpty) {
    }

    /** Everything evaluated. */
    public record Summary(int[] labels, List<CaseResult> cases, List<ClassMean> means, double foregroundDice,
            double foregroundIou, double foregroundHd95) {

        /** The mean of one class. */
        public ClassMean mean(int label) {
            return means.stream().filter(m -> m.label() == label).findFirst().orElseThrow();
        }
    }

    private Evaluation() {
    }

    /**
     * Pairs every reference in {@code referenceDir} with the prediction of the same case name
     * (file name without its ending) in {@code predictionDir}.
     *
     * @throws ImageFileException naming a reference without prediction
     */
    public static List<CaseFiles.Pair> pairFolders(Path predictionDir, Path referenceDir) throws IOException {
        Map<String, Path> refs = CaseFiles.list(referenceDir);
        Map<String, Path> preds = CaseFiles.list(predictionDir);
        if (refs.isEmpty()) {
            throw new IOException("No label files (" + String.join(", ", ImageIO.FILE_ENDINGS) + ") in " + referenceDir);
        }
        List<String> missing = new ArrayList<>();
        List<CaseFiles.Pair> pairs = new ArrayList<>();
        refs.forEach((id, ref) -> {
            Path p = preds.get(id);
            if (p == null) {
                missing.add(id);
            } else {
                pairs.add(new CaseFiles.Pair(id, p, ref));
            }
        });
        if (!missing.isEmpty()) {
            throw new IOException("No prediction in " + predictionDir + " for " + missing.size() + " reference case(s): "
                    + missing + "; predict them first or give a reference folder with only the predicted cases");
        }
        return pairs;
    }

    /**
     * Evaluates the pairs.
     *
     * @param labels the classes to evaluate, or null for every value above 0 found in any map
     */
    public static Summary run(List<CaseFiles.Pair> pairs, int[] labels, int threads, Progress progress) throws IOException {
        return run(pairs, labels, null, threads, progress);
    }

    /**
     * As {@link #run(List, int[], int, Progress)}, refusing any map that holds a label outside
     * {@code declared} (the data set's labels and their file; null: any), which would be scored as a
     * class of its own.
     */
    public static Summary run(List<CaseFiles.Pair> pairs, int[] labels, Declared declared, int threads,
            Progress progress) throws IOException {
        List<CaseResult> results = Parallel.map(pairs, threads, "nnunet-evaluate", progress, p -> "Evaluated " + p.id(),
                p -> evaluate(p, labels, declared));
        int[] used = labels;
        if (used == null) {
            TreeSet<Integer> all = new TreeSet<>();
            for (CaseResult r : results) {
                for (ClassMetrics m : r.metrics()) {
                    all.add(m.label());
                }
            }
            used = all.stream().mapToInt(Integer::intValue).toArray();
            // A class absent from a case's maps is a both-empty case of that class.
            List<CaseResult> filled = new ArrayList<>();
            for (CaseResult r : results) {
                Map<Integer, ClassMetrics> byLabel = new TreeMap<>();
                r.metrics().forEach(m -> byLabel.put(m.label(), m));
                List<ClassMetrics> ms = new ArrayList<>();
                for (int l : used) {
                    ms.add(byLabel.getOrDefault(l, new ClassMetrics(l, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, 0, 0)));
                }
                filled.add(new CaseResult(r.id(), r.prediction(), r.reference(), ms));
            }
            results = filled;
        }
        return summarize(used, results);
    }

    /** The label values a data set declares, and the file that declares them. */
    public record Declared(java.util.Set<Integer> labels, java.nio.file.Path file) {
    }

    private static CaseResult evaluate(CaseFiles.Pair p, int[] labels, Declared declared) throws IOException {
        LabelImage pred = readLabels(p.prediction());
        LabelImage ref = readLabels(p.reference());
        if (declared != null) {
            refuseUndeclared(p.prediction(), pred.histogram(), declared);
            refuseUndeclared(p.reference(), ref.histogram(), declared);
        }
        int[] ls = labels;
        if (ls == null) {
            TreeSet<Integer> present = new TreeSet<>();
            addValues(present, pred.histogram());
            addValues(present, ref.histogram());
            ls = present.stream().mapToInt(Integer::intValue).toArray();
        }
        try {
            return new CaseResult(p.id(), p.prediction(), p.reference(), CaseEvaluator.evaluate(pred, ref, ls));
        } catch (IllegalArgumentException e) {
            throw new ImageFileException(p.prediction(), "case " + p.id() + ": " + e.getMessage() + " (reference "
                    + p.reference() + ")");
        }
    }

    private static void refuseUndeclared(java.nio.file.Path file, long[] histogram, Declared declared)
            throws ImageFileException {
        for (int v = 0; v < histogram.length; v++) {
            if (histogram[v] > 0 && !declared.labels().contains(v)) {
                throw new ImageFileException(file, "holds label " + v + " (" + histogram[v] + " voxels), which "
                        + declared.file() + " does not declare (its labels: " + new TreeSet<>(declared.labels())
                        + "); it is no label map of this data set (another model's prediction?)");
            }
        }
    }

    private static void addValues(TreeSet<Integer> s, long[] histogram) {
        for (int v = 1; v < histogram.length; v++) {
            if (histogram[v] > 0) {
                s.add(v);
            }
        }
    }

    private static LabelImage readLabels(Path file) throws IOException {
        try {
            return LabelImage.fromImage(ImageIO.read(file));
        } catch (IllegalArgumentException e) {
            throw new ImageFileException(file, "is not a label map: " + e.getMessage());
        }
    }

    /** Means per class and over the foreground, from per-case results. */
    public static Summary summarize(int[] labels, List<CaseResult> cases) {
        List<ClassMean> means = new ArrayList<>();
        for (int k = 0; k < labels.length; k++) {
            double d = 0;
            double j = 0;
            double h = 0;
            int n = 0;
            int empty = 0;
            for (CaseResult c : cases) {
                ClassMetrics m = c.metrics().get(k);
                if (m.bothEmpty()) {
                    empty++;
                    continue;
                }
                d += m.dice();
                j += m.iou();
                h += m.hd95();
                n++;
            }
            means.add(new ClassMean(labels[k], n == 0 ? Double.NaN : d / n, n == 0 ? Double.NaN : j / n,
                    n == 0 ? Double.NaN : h / n, n, empty));
        }
        return new Summary(labels.clone(), List.copyOf(cases), means, meanOf(means, 0), meanOf(means, 1),
                meanOf(means, 2));
    }

    private static double meanOf(List<ClassMean> means, int which) {
        double s = 0;
        int n = 0;
        for (ClassMean m : means) {
            double v = which == 0 ? m.dice() : which == 1 ? m.iou() : m.hd95();
            if (!Double.isNaN(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** The summary as JSON; NaN (undefined) values are written as null. */
    public static String toJson(Summary s) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("labels", s.labels());
        Map<String, Object> fg = new LinkedHashMap<>();
        fg.put("Dice", num(s.foregroundDice()));
        fg.put("IoU", num(s.foregroundIou()));
        fg.put("HD95", num(s.foregroundHd95()));
        root.put("foreground_mean", fg);
        Map<String, Object> mean = new LinkedHashMap<>();
        for (ClassMean m : s.means()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("Dice", num(m.dice()));
            e.put("IoU", num(m.iou()));
            e.put("HD95", num(m.hd95()));
            e.put("cases", m.cases());
            e.put("both_empty", m.bothEmpty());
            mean.put(Integer.toString(m.label()), e);
        }
        root.put("mean", mean);
        List<Object> cases = new ArrayList<>();
        for (CaseResult c : s.cases()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("case", c.id());
            e.put("prediction", c.prediction() == null ? null : c.prediction().toString());
            e.put("reference", c.reference() == null ? null : c.reference().toString());
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (ClassMetrics m : c.metrics()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("Dice", num(m.dice()));
                x.put("IoU", num(m.iou()));
                x.put("HD95", num(m.hd95()));
                x.put("TP", m.truePositives());
                x.put("FP", m.falsePositives());
                x.put("FN", m.falseNegatives());
                x.put("n_ref", m.referenceVoxels());
                x.put("n_pred", m.predictionVoxels());
                metrics.put(Integer.toString(m.label()), x);
            }
            e.put("metrics", metrics);
            cases.add(e);
        }
        root.put("metric_per_case", cases);
        Gson gson = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
        return gson.toJson(root) + "\n";
    }

    private static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Writes {@link #toJson} atomically. */
    public static void write(Summary s, Path file) throws IOException {
        AtomicFiles.writeString(file, toJson(s));
    }

    /** A printed table: one row per class with its means and both-empty count, then the foreground mean. */
    public static String table(Summary s) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-10s %8s %8s %10s %6s %10s%n", "class", "Dice", "IoU", "HD95 mm", "cases",
                "both empty"));
        for (ClassMean m : s.means()) {
            sb.append(String.format(Locale.ROOT, "%-10d %8s %8s %10s %6d %10d%n", m.label(), fmt(m.dice(), 4),
                    fmt(m.iou(), 4), fmt(m.hd95(), 2), m.cases(), m.bothEmpty()));
        }
        sb.append(String.format(Locale.ROOT, "%-10s %8s %8s %10s %6d%n", "foreground", fmt(s.foregroundDice(), 4),
                fmt(s.foregroundIou(), 4), fmt(s.foregroundHd95(), 2), s.cases().size()));
        return sb.toString();
    }

    private static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
