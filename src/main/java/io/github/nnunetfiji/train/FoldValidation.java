package io.github.nnunetfiji.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import net.imglib2.img.array.ArrayImgs;

import io.github.nnunetfiji.engine.PlanNetworkAdapter;
import io.github.nnunetfiji.engine.Predictor;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.preprocess.CaseHeader;
import io.github.nnunetfiji.preprocess.PreprocessedCase;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Progress;

/**
 * The end-of-fold validation: every validation case predicted whole (all slices for a 2D network)
 * by {@link TiledPrediction}, compared with its labels, per-case and mean Dice per foreground class
 * written to {@code validation/summary.json}.
 *
 * <p>Prediction and comparison happen on the preprocessed grid (cropped, resampled), against the
 * preprocessed labels; where preprocessing did not resample (the stored grid is the cropped
 * original), the prediction is also written, uncropped, as {@code validation/CASE.nii.gz} in the
 * original geometry. Writing predictions back through resampling is the inference stage's work.
 */
final class FoldValidation {

    /** One case's Dice per foreground class (NaN where the class is absent from both). */
    public record CaseResult(String caseId, Map<String, Double> dice, String prediction) {
    }

    /** The file's content. */
    public record Summary(String fold, String checkpoint, String method, List<CaseResult> cases,
            Map<String, Double> meanDice, double foregroundMeanDice) {
    }

    static final String METHOD = "each case predicted whole on the preprocessed grid (tiles of the training patch, half "
            + "overlapping, Gaussian weighted, no mirroring), Dice against the preprocessed labels";

    private FoldValidation() {
    }

    static Summary run(Predictor net, PlanConfiguration c, Path preprocessedDir, List<String> cases, Fold fold,
            Path validationDir, Progress progress, Consumer<String> log) throws IOException {
        int classes = net.spec().classes;
        int ignore = net.spec().loss.ignoreLabel;
        int[] axes = PlanNetworkAdapter.networkAxes(c);
        int[] patch = PlanNetworkAdapter.networkPatch(c);
        List<CaseResult> results = new ArrayList<>();
        int done = 0;
        for (String id : cases) {
            progress.checkCanceled();
            progress.status("Validating fold " + fold + ": " + id);
            byte[] predicted;
            byte[] labels;
            CaseHeader h;
            try (PreprocessedCase pc = PreprocessedCase.open(preprocessedDir, id)) {
                h = pc.header();
                int[] s = h.shape();
                int voxels = (int) h.voxels();
                float[] image = new float[voxels * h.channels()];
                pc.readImagePatch(new int[3], s, image);
                labels = new byte[voxels];
                pc.readLabelPatch(new int[3], s, labels);
                predicted = predict(net, image, h.channels(), s, axes, c.is2D() ? c.sliceAxis() : null, patch, classes);
            }
            Map<String, Double> dice = new LinkedHashMap<>();
            for (int k = 1; k < classes; k++) {
                long tp = 0;
                long fp = 0;
                long fn = 0;
                for (int v = 0; v < labels.length; v++) {
                    int l = Math.max(0, labels[v]); // -1 (outside the nonzero region) is background
                    if (l == ignore) {
                        continue;
                    }
                    boolean p = predicted[v] == k;
                    if (p && l == k) {
                        tp++;
                    } else if (p) {
                        fp++;
                    } else if (l == k) {
                        fn++;
                    }
                }
                dice.put(Integer.toString(k), tp + fp + fn == 0 ? Double.NaN : 2.0 * tp / (2 * tp + fp + fn));
            }
            String written = writePrediction(h, predicted, validationDir.resolve(id + ".nii.gz"));
            results.add(new CaseResult(id, dice, written));
            log.accept(String.format(Locale.ROOT, "  %s: Dice %s", id, dice));
            progress.progress(++done, cases.size());
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        for (int k = 1; k < classes; k++) {
            String key = Integer.toString(k);
            mean.put(key, ValidationMetrics.nanMean(results.stream().mapToDouble(r -> r.dice().get(key)).toArray()));
        }
        double fg = ValidationMetrics.nanMean(mean.values().stream().mapToDouble(Double::doubleValue).toArray());
        Summary summary = new Summary(fold.toString(), "final", METHOD, results, mean, fg);
        Json.write(validationDir.resolve(ModelFolder.VALIDATION_SUMMARY), summary);
        return summary;
    }

    /** The argmax label of every voxel of a case, slice by slice for a 2D network. */
    static byte[] predict(Predictor net, float[] image, int channels, int[] s, int[] axes, Integer sliceAxis, int[] patch,
            int classes) {
        int voxels = s[0] * s[1] * s[2];
        byte[] out = new byte[voxels];
        if (sliceAxis == null) {
            argmax(TiledPrediction.probabilities(net, image, channels, s, patch), classes, voxels, out, null);
            return out;
        }
        int a0 = axes[0];
        int a1 = axes[1];
        int n0 = s[a0];
        int n1 = s[a1];
        int[] stride = {1, s[0], s[0] * s[1]};
        float[] plane = new float[n0 * n1 * channels];
        int[] index = new int[n0 * n1];
        for (int k = 0; k < s[sliceAxis]; k++) {
            for (int j = 0; j < n1; j++) {
                for (int i = 0; i < n0; i++) {
                    index[i + n0 * j] = i * stride[a0] + j * stride[a1] + k * stride[sliceAxis];
                }
            }
            for (int c = 0; c < channels; c++) {
                for (int v = 0; v < index.length; v++) {
                    plane[c * index.length + v] = image[c * voxels + index[v]];
                }
            }
            argmax(TiledPrediction.probabilities(net, plane, channels, new int[] {n0, n1}, patch), classes, index.length,
                    out, index);
        }
        return out;
    }

    private static void argmax(float[] p, int classes, int voxels, byte[] out, int[] index) {
        for (int v = 0; v < voxels; v++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (p[k * voxels + v] > p[best * voxels + v]) {
                    best = k;
                }
            }
            out[index == null ? v : index[v]] = (byte) best;
        }
    }

    /** Writes the prediction in the original geometry when the grid was not resampled; returns the file name or null. */
    private static String writePrediction(CaseHeader h, byte[] predicted, Path file) throws IOException {
        int[] s = h.shape();
        long[] min = h.cropMin();
        long[] max = h.cropMaxExclusive();
        for (int a = 0; a < 3; a++) {
            if (max[a] - min[a] != s[a]) {
                return null;
            }
        }
        long[] o = h.originalShape();
        byte[] full = new byte[Math.toIntExact(o[0] * o[1] * o[2])];
        for (int z = 0; z < s[2]; z++) {
            for (int y = 0; y < s[1]; y++) {
                int src = s[0] * (y + s[1] * z);
                long dst = min[0] + o[0] * ((min[1] + y) + o[1] * (min[2] + z));
                System.arraycopy(predicted, src, full, (int) dst, s[0]);
            }
        }
        ImageIO.write(Image.of(ArrayImgs.unsignedBytes(full, o), Geometry.fromAffine(h.originalAffine())), file);
        return file.getFileName().toString();
    }

    static String describe(Summary s) {
        return String.format(Locale.ROOT, "Validation of fold %s (%d cases): mean Dice %s, foreground mean %.4f", s.fold(),
                s.cases().size(), s.meanDice(), s.foregroundMeanDice());
    }
}
