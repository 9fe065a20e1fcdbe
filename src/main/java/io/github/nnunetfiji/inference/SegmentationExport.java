package io.github.nnunetfiji.inference;

import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.preprocess.PreprocessedImage;
import io.github.nnunetfiji.preprocess.ResamplingRule;
import io.github.nnunetfiji.preprocess.VolumeResampler;
import io.github.nnunetfiji.util.Progress;

/**
 * Brings probabilities predicted in the preprocessed space back to the input: resampled to the
 * shape the case had after cropping (linear, the out-of-plane axis of anisotropic data with
 * nearest neighbour, as the reference), turned into labels by argmax (ties to the lower class), and
 * put into the uncropped shape (background outside the crop box).
 *
 * <p>One class at a time: each class is resampled, compared with the running maximum and then
 * dropped, so besides the predicted probabilities only the running maximum (one float per
 * voxel of the crop box) and the labels (one byte per voxel) are held; probabilities in the
 * original geometry are kept only when asked for.
 */
public final class SegmentationExport {

    /** Labels (one class index per voxel of the original shape, x fastest) and optional probabilities. */
    public record Result(byte[] labels, float[][] probabilities) {
    }

    private SegmentationExport() {
    }

    /**
     * @param probabilities     one array per class in the preprocessed shape; entries are set to
     *                          null as they are used, so their memory can be freed early
     * @param keepProbabilities also return one array per class in the original shape (outside the
     *                          crop box: 1 for class 0, 0 for the others)
     */
    public static Result toOriginal(float[][] probabilities, PreprocessedImage pre, PlanConfiguration config,
            boolean keepProbabilities, int threads, Progress progress) {
        int[] from = pre.shape();
        int[] to = pre.croppedShape();
        double[] spacing = pre.spacing();
        double[] original = pre.originalGeometry().spacing();
        int[] orders = ResamplingRule.probabilityOrders(spacing, original, config.anisotropyThreshold());
        VolumeResampler resampler = new VolumeResampler(threads);
        int n = to[0] * to[1] * to[2];
        int classes = probabilities.length;
        float[] best = null;
        byte[] argmax = new byte[n];
        float[][] kept = keepProbabilities ? new float[classes][] : null;
        for (int k = 0; k < classes; k++) {
            progress.checkCanceled();
            float[] p = resampler.resample(probabilities[k], from, to, orders);
            probabilities[k] = null;
            if (best == null) {
                best = keepProbabilities ? p.clone() : p;
            } else {
                byte label = (byte) k;
                for (int i = 0; i < n; i++) {
                    if (p[i] > best[i]) {
                        best[i] = p[i];
                        argmax[i] = label;
                    }
                }
            }
            if (kept != null) {
                kept[k] = p;
            }
        }
        int[] min = pre.cropMin();
        long[] full = pre.originalShape();
        int[] fullShape = {(int) full[0], (int) full[1], (int) full[2]};
        byte[] labels = new byte[fullShape[0] * fullShape[1] * fullShape[2]];
        for (int z = 0; z < to[2]; z++) {
            for (int y = 0; y < to[1]; y++) {
                System.arraycopy(argmax, to[0] * (y + to[1] * z), labels,
                        min[0] + fullShape[0] * ((min[1] + y) + fullShape[1] * (min[2] + z)), to[0]);
            }
        }
        float[][] fullProbabilities = null;
        if (kept != null) {
            fullProbabilities = new float[classes][];
            for (int k = 0; k < classes; k++) {
                fullProbabilities[k] = io.github.nnunetfiji.preprocess.NonzeroRegion.uncrop(kept[k], min, to, fullShape,
                        k == 0 ? 1 : 0);
                kept[k] = null;
            }
        }
        return new Result(labels, fullProbabilities);
    }
}
