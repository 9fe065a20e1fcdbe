package io.github.nnunetfiji.plan;

import java.util.Locale;

import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.util.Rounding;

/**
 * The reference implementation's current rules ({@code --planner v2}); it differs from the paper's
 * {@link ExperimentPlanner} only where it overrides a rule:
 *
 * <ul>
 *   <li>feature maps start at 32 and double up to 320 (3D) or 512 (2D);</li>
 *   <li>pooling stops at a feature map edge of 4, with no limit on the number of poolings;</li>
 *   <li>patch and batch come from an estimate of the network's feature map memory: the patch
 *       starts large (256^3 or 2048^2 voxels shaped by the spacing, clipped to the median shape)
 *       and shrinks until the estimate fits the reference budget of an 8 GB GPU; the batch fills
 *       what is left (at least 2, at most 5% of the data set, rounded);</li>
 *   <li>the low-resolution spacing grows 3% per step, anisotropic axes first while they are more
 *       than 2x finer than the coarsest;</li>
 *   <li>labels are resampled as one-hot channels with linear interpolation;</li>
 *   <li>nonzero-mask normalization when the median case shrank below 3/4 by cropping;</li>
 *   <li>2D augmentation when the largest patch edge is more than 3x the edge along the coarsest axis.</li>
 * </ul>
 *
 * The cascade trigger is the same in both: the patch covers less than 1/4 of the median case.
 */
public class ExperimentPlannerV2 extends ExperimentPlanner {

    /** Feature map voxels that fit an 8 GB GPU at batch 2 for the 3D reference network. */
    static final double REFERENCE_3D = 560_000_000;
    /** Feature map voxels that fit an 8 GB GPU at batch 12 for the 2D reference network. */
    static final double REFERENCE_2D = 85_000_000;
    /** GPU memory the reference values were measured for. */
    static final double REFERENCE_GB = 8;

    @Override
    public String name() {
        return "v2";
    }

    @Override
    protected int baseFeatures() {
        return 32;
    }

    @Override
    protected int minFeatureMapEdge() {
        return 4;
    }

    /** No limit: the feature map edge alone stops pooling. */
    @Override
    protected int maxPoolingsPerAxis() {
        return Integer.MAX_VALUE;
    }

    /** One-hot linear interpolation of labels, then argmax. */
    @Override
    protected int labelResamplingOrder() {
        return 1;
    }

    @Override
    protected boolean useNonzeroMask(String scheme, DatasetFingerprint fp) {
        return ChannelNormalization.ZSCORE.equals(scheme) && fp.medianRelativeSizeAfterCrop() < 0.75;
    }

    /** The median case's voxels times the number of cases. */
    @Override
    protected double datasetVoxels(DatasetFingerprint fp, double[] spacing, double[] median) {
        return median[0] * median[1] * median[2] * fp.numberOfCases();
    }

    /** GPU memory the plan targets, in GB: 8, or what the user set ({@link #withGpuMemory}). */
    protected double gpuMemoryTargetGB() {
        return gpuMemoryGB() != null ? gpuMemoryGB() : defaultGpuMemoryGB();
    }

    @Override
    protected double defaultGpuMemoryGB() {
        return 8;
    }

    /**
     * Feature map budget for one configuration, scaled to {@link #gpuMemoryTargetGB()}.
     *
     * @param is2D true for the 2D U-Net
     * @return feature map voxels the reference batch may use
     */
    protected double referenceFeatureMapVoxels(boolean is2D) {
        return (is2D ? REFERENCE_2D : REFERENCE_3D) * gpuMemoryTargetGB() / REFERENCE_GB;
    }

    /**
     * Batch the reference value was measured with.
     *
     * @param is2D true for the 2D U-Net
     * @return 12 (2D) or 2 (3D)
     */
    protected int referenceBatch(boolean is2D) {
        return is2D ? 12 : 2;
    }

    /**
     * Estimated memory of a network in feature map voxels for one sample: every convolution output
     * of the encoder and decoder, the transposed convolutions' outputs, and the final segmentation
     * layer. The input image does not count.
     *
     * @param patch    patch edge per axis
     * @param topology poolings and strides
     * @param features feature maps per stage
     * @param classes  output classes (background included)
     * @return feature map voxels
     */
    protected double estimateFeatureMapVoxels(long[] patch, NetworkTopology topology, int[] features, int classes) {
        int[][] strides = topology.strides();
        int n = strides.length;
        long[] size = patch.clone();
        double[] stageVoxels = new double[n];
        for (int s = 0; s < n; s++) {
            for (int d = 0; d < 3; d++) {
                size[d] /= strides[s][d];
            }
            stageVoxels[s] = (double) size[0] * size[1] * size[2];
        }
        int convs = convolutionsPerStage();
        double total = 0;
        for (int s = 0; s < n; s++) {
            total += convs * features[s] * stageVoxels[s];
        }
        for (int s = 0; s < n - 1; s++) {
            // Decoder stage at resolution s: its convolutions plus the transposed convolution into it.
            total += (convs + 1) * features[s] * stageVoxels[s];
        }
        return total + classes * stageVoxels[0];
    }

    @Override
    protected PatchPlan patch3d(double[] spacing, double[] median, double datasetVoxels, DatasetFingerprint fp) {
        return memoryFittedPatch(spacing, median, new boolean[] {true, true, true}, datasetVoxels, fp, false);
    }

    @Override
    protected PatchPlan patch2d(double[] spacing, double[] median, int sliceAxis, double datasetVoxels,
            DatasetFingerprint fp) {
        boolean[] active = {true, true, true};
        active[sliceAxis] = false;
        return memoryFittedPatch(spacing, median, active, datasetVoxels, fp, true);
    }

    /**
     * Starting edge of the initial patch: 256 (3D) or 2048 (2D), chosen large so that shrinking
     * always starts above what fits.
     *
     * @param is2D true for the 2D U-Net
     * @return the edge of the isotropic-volume starting patch
     */
    protected int initialPatchEdge(boolean is2D) {
        return is2D ? 2048 : 256;
    }

    private PatchPlan memoryFittedPatch(double[] spacing, double[] median, boolean[] active, double datasetVoxels,
            DatasetFingerprint fp, boolean is2D) {
        int n = 0;
        double prod = 1;
        for (int d = 0; d < 3; d++) {
            if (active[d]) {
                prod /= spacing[d];
                n++;
            }
        }
        // Patch shaped like 1/spacing (isotropic in mm) with the volume of initialPatchEdge^n.
        double scale = Math.pow(Math.pow(initialPatchEdge(is2D), n) / prod, 1.0 / n);
        long[] patch = new long[3];
        for (int d = 0; d < 3; d++) {
            if (!active[d]) {
                patch[d] = 1;
            } else {
                // Python's round, as the reference: halves to even.
                double initial = Rounding.halfEven(scale / spacing[d]);
                patch[d] = Math.max(1, (long) Math.ceil(Math.min(initial, median[d]) - 1e-9));
            }
        }
        long[] divisor = poolingTopology(patch, spacing).divisor();
        for (int d = 0; d < 3; d++) {
            patch[d] = ceilToMultiple(patch[d], divisor[d]);
        }
        patch = padToTopology(patch, spacing);
        double reference = referenceFeatureMapVoxels(is2D);
        int refBatch = referenceBatch(is2D);
        NetworkTopology t = poolingTopology(patch, spacing);
        int[] features = featuresPerStage(t.stages(), is2D);
        double estimate = estimateFeatureMapVoxels(patch, t, features, fp.classCount());
        // Shrink until a batch of minBatchSize() fits the reference budget.
        while (estimate / refBatch * minBatchSize() > reference) {
            patch = shrinkPatch(patch, median, spacing);
            t = poolingTopology(patch, spacing);
            features = featuresPerStage(t.stages(), is2D);
            estimate = estimateFeatureMapVoxels(patch, t, features, fp.classCount());
        }
        int uncapped = batchFromEstimate(estimate, is2D);
        return new PatchPlan(patch, t, features, capBatchForDatasetSize(uncapped, voxels(patch), datasetVoxels),
                uncapped);
    }

    private int batchFromEstimate(double estimate, boolean is2D) {
        double b = Math.rint(referenceFeatureMapVoxels(is2D) / estimate * referenceBatch(is2D));
        return (int) Math.min(Integer.MAX_VALUE, b);
    }

    /** Rounded rather than floored, as the reference does. */
    @Override
    protected long batchCap(long patchVoxels, double datasetVoxels) {
        return (long) Math.rint(maxDatasetFraction() * datasetVoxels / patchVoxels);
    }

    @Override
    protected int batchFor(PlanConfiguration c, long[] patch, NetworkTopology topology, int[] features,
            int classes) {
        double estimate = estimateFeatureMapVoxels(patch, topology, features, classes);
        return capBatchForDatasetSize(batchFromEstimate(estimate, c.is2D()), voxels(patch), c.datasetVoxels());
    }

    @Override
    protected String exceedsHardwareBudget(PlanConfiguration c, long[] patch, NetworkTopology topology,
            int[] features, int batch, int classes) {
        double estimate = estimateFeatureMapVoxels(patch, topology, features, classes);
        double perStep = estimate * batch / referenceBatch(c.is2D());
        double budget = referenceFeatureMapVoxels(c.is2D());
        return perStep > budget ? String.format(Locale.ROOT,
                "the estimated feature maps (%.3g voxels at this batch) exceed the %.3g budgeted for a %.0f GB GPU; "
                        + "training may run out of memory", perStep, budget, gpuMemoryTargetGB())
                : null;
    }

    /**
     * Grows axes more than 2x finer than the coarsest by 3%; once none is, all axes grow by 3%.
     */
    @Override
    protected double[] lowResSpacingStep(double[] spacing) {
        return CascadeRules.growAxesFinerThan(spacing, 2, 1.03);
    }

    /**
     * 2D augmentation when the largest patch edge is more than {@link #anisotropyThreshold() 3x}
     * the edge along the coarsest-spacing axis.
     */
    @Override
    protected boolean augmentationIs2D(long[] patch, double[] spacing) {
        long max = Math.max(patch[0], Math.max(patch[1], patch[2]));
        return (double) max / patch[coarsestAxis(spacing)] > anisotropyThreshold();
    }

    /** Slices across the coarsest-spacing axis. */
    @Override
    protected int augmentationSliceAxis(long[] patch, double[] spacing) {
        return coarsestAxis(spacing);
    }
}
