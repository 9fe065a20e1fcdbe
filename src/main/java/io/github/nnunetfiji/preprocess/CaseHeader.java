package io.github.nnunetfiji.preprocess;

import java.util.Map;
import java.util.TreeMap;

import io.github.nnunetfiji.util.VersionedJson;

/**
 * The JSON header of one preprocessed case ({@code CASE.json}): everything the training loader
 * and the inference back-transform need without touching the voxel files. Per-axis arrays follow
 * {@link io.github.nnunetfiji.image.AxisOrder}.
 */
public final class CaseHeader {

    /** Identifies the file type. */
    public static final String FORMAT = "nnunet-fiji-preprocessed-case";
    /**
     * Bumped on incompatible changes; readers reject other versions, so a rerun recomputes cases
     * of an older version. 2: labels may hold {@link PreprocessedCase#OUTSIDE}; images resampled
     * with the reference's clamp.
     */
    public static final int VERSION = 2;
    static final VersionedJson.Layout LAYOUT = VersionedJson.Layout.named("a preprocessed case", FORMAT, VERSION,
            "preprocess the data set again");

    String format = FORMAT;
    int version = VERSION;
    /** Case identifier. */
    String id;
    /**
     * What the case was preprocessed for (configuration, spacing, normalization, orders); a resumed
     * run reuses a case only when this matches, so a changed plan never mixes with old data.
     */
    String planSignature;
    /** Voxels per axis of the stored (cropped, resampled) volume. */
    int[] shape;
    /** Number of image channels in {@code CASE.img}. */
    int channels;
    /** Voxel spacing of the stored volume. */
    double[] spacing;
    /** Whether {@code CASE.seg} exists (training cases). */
    boolean hasLabels;
    /**
     * Whether {@code CASE.seg} marks background outside the nonzero mask with
     * {@link PreprocessedCase#OUTSIDE} (-1): true when the plan normalizes some channel inside the
     * mask. Such voxels are background for the loss; training zeroes the masked channels there.
     */
    boolean outsideMarked;
    /** Voxels per axis of the original image, before cropping. */
    long[] originalShape;
    /** Original voxel spacing. */
    double[] originalSpacing;
    /** Original 4x4 voxel-to-world affine (nibabel's), to write predictions back. */
    double[][] originalAffine;
    /** Crop box in original voxels: first voxel and one past the last, per axis. */
    long[] cropMin;
    long[] cropMaxExclusive;
    /**
     * Per foreground class, sampled voxel locations as linear indices into the stored volume
     * ({@code x + X * (y + Y * z)}), for foreground oversampling without scanning labels.
     */
    Map<Integer, int[]> classLocations = new TreeMap<>();

    public String id() {
        return id;
    }

    public String planSignature() {
        return planSignature;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int channels() {
        return channels;
    }

    public double[] spacing() {
        return spacing.clone();
    }

    public boolean hasLabels() {
        return hasLabels;
    }

    /** See the field: whether labels hold {@link PreprocessedCase#OUTSIDE} for background outside the nonzero mask. */
    public boolean outsideMarked() {
        return outsideMarked;
    }

    public long[] originalShape() {
        return originalShape.clone();
    }

    public double[] originalSpacing() {
        return originalSpacing.clone();
    }

    public double[][] originalAffine() {
        double[][] a = new double[4][];
        for (int i = 0; i < 4; i++) {
            a[i] = originalAffine[i].clone();
        }
        return a;
    }

    public long[] cropMin() {
        return cropMin.clone();
    }

    public long[] cropMaxExclusive() {
        return cropMaxExclusive.clone();
    }

    /** Sampled locations of one class (linear indices), empty if the class is absent. */
    public int[] classLocations(int label) {
        int[] l = classLocations.get(label);
        return l == null ? new int[0] : l.clone();
    }

    /** Classes with at least one sampled location. */
    public java.util.Set<Integer> classesPresent() {
        return java.util.Collections.unmodifiableSet(classLocations.keySet());
    }

    /** Number of voxels of the stored volume. */
    public long voxels() {
        return (long) shape[0] * shape[1] * shape[2];
    }
}
