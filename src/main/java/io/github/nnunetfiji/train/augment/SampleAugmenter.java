package io.github.nnunetfiji.train.augment;

import java.util.SplittableRandom;

/**
 * Makes one training sample from a case: reads the loader box, applies the augmentation pipeline
 * in the reference's order (spatial transform, noise, blur, brightness, contrast, simulated low
 * resolution, inverted gamma, gamma, mirroring), zeroes masked channels where the label is -1 and
 * finally turns -1 into background. For the cascade's second stage, the first stage's
 * segmentation goes through the same spatial transform and mirroring as the labels (a label map
 * of its own), then becomes one one-hot channel per foreground class after the image channels,
 * perturbed in training ({@link PreviousStagePerturbation}). Holds scratch buffers: one instance
 * per thread.
 */
public final class SampleAugmenter {

    private final AugmentationOptions options;
    private final SpatialMode mode;
    private final int[] patch;
    private final int[] loaderPatch;
    private final int[] mirrorAxes;
    private final int channels;
    private final boolean[] maskChannels;
    private final double rotationMax;
    private final int[] cropStart = new int[3];
    private final SpatialSampler spatial;
    private final IntensityAugmentations intensity;
    private final int previousChannels;
    private byte[] previousLabels = new byte[0];
    private static final float[] NO_IMAGE = new float[0];

    /**
     * @param options      augmentation; {@code enabled == false} cuts the centre of the loader box unchanged
     * @param mode         3D or slice-wise spatial transform
     * @param patch        output patch (three sample axes)
     * @param loaderPatch  box read from the case (three sample axes, >= patch)
     * @param rotationMax  rotation range in radians (+-)
     * @param mirrorAxes   axes that may be mirrored
     * @param channels     image channels
     * @param maskChannels channels zeroed where the label is -1 after augmentation, or null for none
     */
    public SampleAugmenter(AugmentationOptions options, SpatialMode mode, int[] patch, int[] loaderPatch,
            double rotationMax, int[] mirrorAxes, int channels, boolean[] maskChannels) {
        this(options, mode, patch, loaderPatch, rotationMax, mirrorAxes, channels, maskChannels, 0);
    }

    /**
     * @param previousChannels for the cascade's second stage, the first stage's one-hot channels
     *                         (one per foreground class) written after the image channels; else 0
     */
    public SampleAugmenter(AugmentationOptions options, SpatialMode mode, int[] patch, int[] loaderPatch,
            double rotationMax, int[] mirrorAxes, int channels, boolean[] maskChannels, int previousChannels) {
        this.previousChannels = previousChannels;
        this.options = options;
        this.mode = mode;
        this.rotationMax = rotationMax;
        this.spatial = new SpatialSampler(options.imageInterpolation(), options.labelInterpolation());
        this.intensity = new IntensityAugmentations(options, mode);
        this.patch = patch.clone();
        this.loaderPatch = loaderPatch.clone();
        this.mirrorAxes = mirrorAxes.clone();
        this.channels = channels;
        this.maskChannels = maskChannels == null ? null : maskChannels.clone();
    }

    /** Voxels of one output sample. */
    public int voxels() {
        return patch[0] * patch[1] * patch[2];
    }

    /**
     * @param source   the case
     * @param boxStart first voxel of the loader box in the case
     * @param rng      this sample's random stream
     * @param image    {@code channels * voxels()} values out, channel after channel
     * @param labels   {@code voxels()} class indices out
     */
    public void sample(PatchSource source, int[] boxStart, SplittableRandom rng, float[] image, byte[] labels) {
        sample(source, null, boxStart, rng, image, labels);
    }

    /**
     * @param previous the first stage's segmentation of the case as labels (a source without image
     *                 channels), for the cascade's second stage; else null
     * @param image    {@code (channels + previousChannels) * voxels()} values out, channel after channel
     */
    public void sample(PatchSource source, PatchSource previous, int[] boxStart, SplittableRandom rng, float[] image,
            byte[] labels) {
        if ((previous != null) != (previousChannels > 0)) {
            throw new IllegalArgumentException("The previous stage's segmentation is needed exactly for the cascade's "
                    + "second stage");
        }
        byte[] prev = null;
        if (previous != null) {
            if (previousLabels.length < voxels()) {
                previousLabels = new byte[voxels()];
            }
            prev = previousLabels;
        }
        SpatialTransform t = options.enabled() ? SpatialTransform.draw(options, mode, rotationMax, patch, rng) : null;
        if (t == null) {
            // Without a spatial transform the reference cuts the centre of the loader box.
            for (int d = 0; d < 3; d++) {
                cropStart[d] = boxStart[d] + loaderPatch[d] / 2 - patch[d] / 2;
            }
            source.readImage(cropStart, patch, image);
            source.readLabels(cropStart, patch, labels);
            if (previous != null) {
                previous.readLabels(cropStart, patch, prev);
            }
        } else {
            spatial.apply(source, boxStart, loaderPatch, patch, mode, t, channels, image, labels);
            if (previous != null) {
                // The same transform, the segmentation interpolated as labels.
                spatial.apply(previous, boxStart, loaderPatch, patch, mode, t, 0, NO_IMAGE, prev);
            }
        }
        if (options.enabled()) {
            intensity.apply(image, channels, patch, rng);
            if (options.mirror()) {
                Mirroring.apply(image, labels, prev, channels, patch, mirrorAxes, options.mirrorProbability(), rng);
            }
        }
        finishLabels(image, labels);
        if (previous != null) {
            int n = voxels();
            io.github.nnunetfiji.preprocess.PreviousStageSegmentation.oneHot(prev, n, previousChannels + 1, image,
                    channels * n);
            if (options.enabled()) {
                PreviousStagePerturbation.apply(image, channels, previousChannels, patch, rng);
            }
        }
    }

    /** Zeroes masked channels where the label is -1, then maps -1 to background. */
    private void finishLabels(float[] image, byte[] labels) {
        int n = voxels();
        if (maskChannels != null) {
            for (int c = 0; c < channels; c++) {
                if (!maskChannels[c]) {
                    continue;
                }
                int off = c * n;
                for (int i = 0; i < n; i++) {
                    if (labels[i] < 0) {
                        image[off + i] = 0f;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0) {
                labels[i] = 0;
            }
        }
    }
}
