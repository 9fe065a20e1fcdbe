package io.github.nnunetfiji.preprocess;

import java.util.Arrays;

import io.github.nnunetfiji.plan.PlanConfiguration;

/**
 * The cascade's hand-over from stage 1 to stage 2 (METHOD.md §5): stage 1's class probabilities,
 * predicted on its own (coarser) preprocessed grid, resampled to the grid of stage 2's
 * preprocessed data and turned into labels by argmax; stage 2 then sees those labels as one
 * one-hot input channel per foreground class. Both grids cover the same crop box (preprocessing
 * crops every configuration to the same nonzero region), so only the shape changes.
 */
public final class PreviousStageSegmentation {

    private PreviousStageSegmentation() {
    }

    /**
     * Stage 1's probabilities as labels on stage 2's grid: each class resampled as the reference
     * resamples probabilities (linear, nearest neighbour along the separate axis of anisotropic
     * data), argmax with ties to the lower class. The probabilities are not changed.
     *
     * @param probabilities one array per class on {@code from}
     * @param from          stage 1's preprocessed shape
     * @param fromSpacing   its spacing
     * @param to            stage 2's preprocessed shape
     * @param toSpacing     its spacing
     * @param previous      stage 1's configuration (its anisotropy threshold)
     * @return one class index per voxel of {@code to}, x fastest
     */
    public static byte[] resampledLabels(float[][] probabilities, int[] from, double[] fromSpacing, int[] to,
            double[] toSpacing, PlanConfiguration previous, int threads) {
        int[] orders = ResamplingRule.probabilityOrders(fromSpacing, toSpacing, previous.anisotropyThreshold());
        VolumeResampler resampler = new VolumeResampler(threads);
        int n = to[0] * to[1] * to[2];
        byte[] labels = new byte[n];
        float[] best = null;
        for (int k = 0; k < probabilities.length; k++) {
            float[] p = resampler.resample(probabilities[k], from, to, orders);
            if (best == null) {
                best = p == probabilities[k] ? p.clone() : p;
                continue;
            }
            for (int i = 0; i < n; i++) {
                if (p[i] > best[i]) {
                    best[i] = p[i];
                    labels[i] = (byte) k;
                }
            }
        }
        return labels;
    }

    /**
     * The network's extra input: one channel per foreground class {@code 1 .. classes - 1}, 1 where
     * the label is that class and 0 elsewhere (labels below 1, padding -1 included, set none).
     *
     * @param labels  class indices, x fastest
     * @param classes classes of the network, background included
     */
    public static float[][] oneHot(byte[] labels, int classes) {
        float[][] channels = new float[classes - 1][labels.length];
        for (int i = 0; i < labels.length; i++) {
            int k = labels[i];
            if (k >= 1 && k < classes) {
                channels[k - 1][i] = 1f;
            }
        }
        return channels;
    }

    /**
     * As {@link #oneHot(byte[], int)}, into channel arrays laid out one after the other in
     * {@code out}, starting at {@code offset} (the training sample's planar layout).
     *
     * @param voxels voxels per channel
     */
    public static void oneHot(byte[] labels, int voxels, int classes, float[] out, int offset) {
        Arrays.fill(out, offset, offset + (classes - 1) * voxels, 0f);
        for (int i = 0; i < voxels; i++) {
            int k = labels[i];
            if (k >= 1 && k < classes) {
                out[offset + (k - 1) * voxels + i] = 1f;
            }
        }
    }

    /** {@code image}'s channels followed by {@code extra}'s (arrays shared, not copied). */
    public static float[][] appendChannels(float[][] image, float[][] extra) {
        float[][] all = Arrays.copyOf(image, image.length + extra.length);
        System.arraycopy(extra, 0, all, image.length, extra.length);
        return all;
    }
}
