package io.github.nnunetfiji.preprocess;

import io.github.nnunetfiji.image.Geometry;

/**
 * An image preprocessed in memory ({@link CasePreprocessor#preprocess(io.github.nnunetfiji.image.Image)}):
 * the network's input and what is needed to put a prediction back into the original geometry
 * (the crop box, the shape between cropping and resampling, the original shape and geometry).
 */
public final class PreprocessedImage {

    private final float[][] channels;
    private final int[] shape;
    private final double[] spacing;
    private final int[] cropMin;
    private final int[] croppedShape;
    private final long[] originalShape;
    private final Geometry originalGeometry;

    PreprocessedImage(float[][] channels, int[] shape, double[] spacing, int[] cropMin, int[] croppedShape,
            long[] originalShape, Geometry originalGeometry) {
        this.channels = channels;
        this.shape = shape.clone();
        this.spacing = spacing.clone();
        this.cropMin = cropMin.clone();
        this.croppedShape = croppedShape.clone();
        this.originalShape = originalShape.clone();
        this.originalGeometry = originalGeometry;
    }

    /** Normalized, resampled voxels: one array per channel, x fastest (not copied). */
    public float[][] channels() {
        return channels;
    }

    /** Shape after resampling (x, y, z). */
    public int[] shape() {
        return shape.clone();
    }

    /** Spacing after resampling: the configuration's (for 2D, the case's own along the slice axis). */
    public double[] spacing() {
        return spacing.clone();
    }

    /** First voxel of the crop box in the original image. */
    public int[] cropMin() {
        return cropMin.clone();
    }

    /** Shape after cropping, before resampling. */
    public int[] croppedShape() {
        return croppedShape.clone();
    }

    public long[] originalShape() {
        return originalShape.clone();
    }

    /** The input's geometry; the cropped region has the same spacing. */
    public Geometry originalGeometry() {
        return originalGeometry;
    }

    /** Drops the voxels (after prediction), keeping the geometry. */
    public void releaseChannels() {
        java.util.Arrays.fill(channels, null);
    }
}
