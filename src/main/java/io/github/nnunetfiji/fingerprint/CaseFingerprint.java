package io.github.nnunetfiji.fingerprint;

import java.util.List;

import io.github.nnunetfiji.image.AxisOrder;

/**
 * What one training case looks like. All per-axis arrays follow {@link AxisOrder} ({@code x, y, z}).
 */
public final class CaseFingerprint {

    private final String id;
    private final long[] shape;
    private final double[] spacing;
    private final long[] cropMin;
    private final long[] cropMaxExclusive;
    private final long[] shapeAfterCrop;
    private final double relativeSizeAfterCrop;
    private final int[] labelsPresent;
    private final List<ClassComponents> components;
    private final long foregroundVoxels;

    /**
     * @param id               case identifier
     * @param shape            voxels per axis of the whole image
     * @param spacing          voxel size per axis
     * @param cropMin          first voxel of the nonzero bounding box (of all channels) per axis
     * @param cropMaxExclusive one past the last voxel of that box per axis
     * @param labelsPresent    the label values that occur in the label map (background included), ascending
     * @param components       connected components of each foreground class present, by ascending label
     * @param foregroundVoxels voxels with a label above 0
     */
    public CaseFingerprint(String id, long[] shape, double[] spacing, long[] cropMin, long[] cropMaxExclusive,
            int[] labelsPresent, List<ClassComponents> components, long foregroundVoxels) {
        this.id = id;
        this.shape = shape.clone();
        this.spacing = spacing.clone();
        this.cropMin = cropMin.clone();
        this.cropMaxExclusive = cropMaxExclusive.clone();
        this.shapeAfterCrop = new long[shape.length];
        for (int d = 0; d < shape.length; d++) {
            shapeAfterCrop[d] = cropMaxExclusive[d] - cropMin[d];
        }
        this.relativeSizeAfterCrop = (double) product(shapeAfterCrop) / product(shape);
        this.labelsPresent = labelsPresent.clone();
        this.components = List.copyOf(components);
        this.foregroundVoxels = foregroundVoxels;
    }

    private static long product(long[] v) {
        long p = 1;
        for (long x : v) {
            p *= x;
        }
        return p;
    }

    /** Case identifier. */
    public String id() {
        return id;
    }

    /** Voxels per axis before cropping. */
    public long[] shape() {
        return shape.clone();
    }

    /** Voxel size per axis. */
    public double[] spacing() {
        return spacing.clone();
    }

    /** First voxel of the nonzero bounding box per axis. */
    public long[] cropMin() {
        return cropMin.clone();
    }

    /** One past the last voxel of the nonzero bounding box per axis. */
    public long[] cropMaxExclusive() {
        return cropMaxExclusive.clone();
    }

    /** Voxels per axis after cropping to the nonzero bounding box. */
    public long[] shapeAfterCrop() {
        return shapeAfterCrop.clone();
    }

    /** Voxels after cropping divided by voxels before (1 when nothing was cropped). */
    public double relativeSizeAfterCrop() {
        return relativeSizeAfterCrop;
    }

    /** Label values present in the label map, background included, ascending. */
    public int[] labelsPresent() {
        return labelsPresent.clone();
    }

    /** Connected components of each foreground class present. */
    public List<ClassComponents> components() {
        return components;
    }

    /** Voxels labelled above 0. */
    public long foregroundVoxels() {
        return foregroundVoxels;
    }
}
