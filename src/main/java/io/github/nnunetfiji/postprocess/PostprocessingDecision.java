package io.github.nnunetfiji.postprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.nnunetfiji.fingerprint.CaseFingerprint;
import io.github.nnunetfiji.fingerprint.ClassComponents;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.io.CaseFiles;
import io.github.nnunetfiji.io.ImageFileException;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.util.Parallel;
import io.github.nnunetfiji.util.Progress;

/** Decides a {@link PostprocessingRule}: the paper's way (default) or the reference's. */
public final class PostprocessingDecision {

    private PostprocessingDecision() {
    }

    /**
     * The paper's rule (METHOD.md §7): keep only the largest component of a class if that class
     * is a single connected component in every training case of the fingerprint (a case without
     * the class does not count as single, as in the reference's data set analysis).
     *
     * @param classes the foreground classes the model predicts
     */
    public static PostprocessingRule fromFingerprint(DatasetFingerprint fp, int[] classes) {
        List<Integer> single = new ArrayList<>();
        for (int c : classes) {
            boolean always = !fp.cases().isEmpty();
            for (CaseFingerprint cf : fp.cases()) {
                int count = 0;
                for (ClassComponents cc : cf.components()) {
                    if (cc.label() == c) {
                        count = cc.count();
                    }
                }
                if (count != 1) {
                    always = false;
                    break;
                }
            }
            if (always) {
                single.add(c);
            }
        }
        PostprocessingRule r = new PostprocessingRule(PostprocessingRule.PAPER, false,
                single.stream().mapToInt(Integer::intValue).toArray());
        r.addNote("Decided from the fingerprint of " + fp.numberOfCases() + " training case(s) ("
                + fp.componentConnectivity() + "-connectivity): " + (single.isEmpty() ? "no class is"
                        : "class(es) " + single + " are") + " a single component in every case.");
        return r;
    }

    /**
     * The rule a trained model applies: its rule file if it has one (checked against the model's
     * classes), else the paper's rule from its fingerprint ({@link #fromFingerprint}), else none.
     *
     * @param ruleFile        the model's {@code postprocessing.json}, which may not exist
     * @param fingerprintFile the model's {@code dataset_fingerprint.json}, which may not exist
     * @param classes         the classes the model predicts, background included
     */
    public static PostprocessingRule ofModel(Path ruleFile, Path fingerprintFile, int classes) throws IOException {
        if (Files.isRegularFile(ruleFile)) {
            return PostprocessingRule.read(ruleFile).checkClasses(PostprocessingRule.foregroundClasses(classes), ruleFile);
        }
        if (Files.isRegularFile(fingerprintFile)) {
            return fromFingerprint(DatasetFingerprint.read(fingerprintFile), PostprocessingRule.foregroundClasses(classes));
        }
        return PostprocessingRule.none().addNote("The model folder has neither " + ruleFile.getFileName() + " nor "
                + fingerprintFile.getFileName() + ".");
    }

    /**
     * The reference's rule, decided on cross-validation predictions: keep only the largest
     * component of all foreground together if that raises the mean foreground Dice and lowers no
     * class's Dice; then, on top of that, keep only the largest component of each class whose
     * mean Dice that raises. Means over cases leave out cases where a class is in neither map.
     *
     * @param pairs   validation predictions of the folds and their references
     * @param classes the foreground classes
     */
    public static PostprocessingRule crossValidation(List<CaseFiles.Pair> pairs, int[] classes, int connectivity,
            int threads, Progress progress) throws IOException {
        if (pairs.isEmpty()) {
            throw new IOException("No validation predictions to decide postprocessing on; train the folds first");
        }
        int k = classes.length;
        // Per case: Dice counts of each class for the variants baseline, foreground-largest, and
        // class-largest on top of either.
        List<long[][][]> perCase = Parallel.map(pairs, threads, "nnunet-postprocess", progress,
                p -> "Evaluated " + p.id(), p -> counts(p, classes, connectivity));
        double[] base = meanDice(perCase, 0, k);
        double[] fg = meanDice(perCase, 1, k);
        boolean useFg = mean(fg) > mean(base);
        for (int c = 0; c < k; c++) {
            if (fg[c] < base[c]) {
                useFg = false;
            }
        }
        double[] current = useFg ? fg : base;
        List<Integer> chosen = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "Decided on %d cross-validation case(s): mean foreground Dice %.5f; with "
                + "only the largest foreground component %.5f: %s.", pairs.size(), mean(base), mean(fg),
                useFg ? "kept" : "not kept"));
        for (int c = 0; c < k; c++) {
            double[] withClass = meanDice(perCase, useFg ? 2 + k + c : 2 + c, k);
            boolean keep = withClass[c] > current[c];
            notes.add(String.format(Locale.ROOT, "Class %d: Dice %.5f, with only its largest component %.5f: %s.",
                    classes[c], current[c], withClass[c], keep ? "kept" : "not kept"));
            if (keep) {
                chosen.add(classes[c]);
            }
        }
        PostprocessingRule r = new PostprocessingRule(PostprocessingRule.CROSS_VALIDATION, useFg,
                chosen.stream().mapToInt(Integer::intValue).toArray());
        notes.forEach(r::addNote);
        return r;
    }

    /**
     * Counts per variant: 0 baseline, 1 foreground-largest, {@code 2 + c} class c largest on the
     * baseline, {@code 2 + k + c} class c largest on foreground-largest. Returns
     * [variant][class][tp, fp, fn].
     */
    private static long[][][] counts(CaseFiles.Pair p, int[] classes, int connectivity) throws IOException {
        LabelImage pred = LabelImage.fromImage(ImageIO.read(p.prediction()));
        LabelImage ref = LabelImage.fromImage(ImageIO.read(p.reference()));
        if (!java.util.Arrays.equals(pred.shape(), ref.shape())) {
            throw new ImageFileException(p.prediction(), "case " + p.id() + " differs in shape from its reference "
                    + p.reference());
        }
        long[] shape = pred.shape();
        int[] r = FlatArrays.toInts(ref.labels());
        int[] base = FlatArrays.toInts(pred.labels());
        int k = classes.length;
        long[][][] out = new long[2 + 2 * k][][];
        out[0] = dice(base, r, classes);
        int[] fg = base.clone();
        LargestComponent.keep(fg, shape, classes, connectivity);
        out[1] = dice(fg, r, classes);
        for (int c = 0; c < k; c++) {
            int[] a = base.clone();
            LargestComponent.keep(a, shape, new int[] {classes[c]}, connectivity);
            out[2 + c] = dice(a, r, classes);
            int[] b = fg.clone();
            LargestComponent.keep(b, shape, new int[] {classes[c]}, connectivity);
            out[2 + k + c] = dice(b, r, classes);
        }
        return out;
    }

    private static long[][] dice(int[] pred, int[] ref, int[] classes) {
        long[][] t = new long[classes.length][3];
        for (int i = 0; i < pred.length; i++) {
            for (int c = 0; c < classes.length; c++) {
                boolean p = pred[i] == classes[c];
                boolean g = ref[i] == classes[c];
                if (p && g) {
                    t[c][0]++;
                } else if (p) {
                    t[c][1]++;
                } else if (g) {
                    t[c][2]++;
                }
            }
        }
        return t;
    }

    /** Mean Dice per class over the cases of one variant (cases with the class in neither map left out). */
    private static double[] meanDice(List<long[][][]> perCase, int variant, int k) {
        double[] m = new double[k];
        for (int c = 0; c < k; c++) {
            double s = 0;
            int n = 0;
            for (long[][][] pc : perCase) {
                long[] t = pc[variant][c];
                if (t[0] + t[1] + t[2] > 0) {
                    s += 2.0 * t[0] / (2.0 * t[0] + t[1] + t[2]);
                    n++;
                }
            }
            m[c] = n == 0 ? Double.NaN : s / n;
        }
        return m;
    }

    private static double mean(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                s += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
