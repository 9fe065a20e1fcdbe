package io.github.nnunetfiji.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.nnunetfiji.normalization.NormalizationSchemes;
import io.github.nnunetfiji.fingerprint.CaseFingerprint;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.util.Percentiles;
import io.github.nnunetfiji.util.Rounding;
import io.github.nnunetfiji.image.AxisOrder;

/**
 * Plans every network of a data set from its fingerprint, with no user input, by the rules of the
 * 2018 paper (the default planner, {@code --planner paper}):
 *
 * <ul>
 *   <li>2D U-Net: starts from patch 256x256, batch 42, 30 features; the patch is the median plane.</li>
 *   <li>3D U-Net: starts from patch 128^3, batch 2, 30 features; the patch never holds more than
 *       128^3 voxels and has the aspect ratio of the median shape; a smaller median shape is the
 *       patch, with a larger batch so that patch voxels x batch stays 2 x 128^3.</li>
 *   <li>Each axis is pooled until its feature map edge would fall below 8, at most 5 times.</li>
 *   <li>Voxels per step are capped at 5% of the data set (batch never below 2).</li>
 *   <li>The cascade is planned when the median shape holds more than 4x the 3D patch voxels.</li>
 * </ul>
 *
 * <p>Every rule is a small protected method. A variant planner is a subclass that overrides the
 * rules it changes; {@link ExperimentPlannerV2} is one. The arithmetic behind the rules lives in
 * pure helpers the rule methods call: {@link PatchShapes} (fitting, padding, shrinking a patch),
 * {@link PoolingTopology} (poolings, kernels, features) and {@link CascadeRules} (the low-resolution
 * stage). The planner fills {@link PlanConfiguration.Builder}s and hands out frozen configurations. All per-axis arrays follow {@link AxisOrder}
 * ({@code x, y, z}).
 */
public class ExperimentPlanner {

    /** The memory of the graphics card the paper's rules were made for, in GB. */
    public static final double PAPER_GPU_MEMORY_GB = 12;

    /** The user's memory target in GB ({@code --gpu-memory}), or null for the planner's own. */
    private Double gpuMemoryGB;

    /**
     * Plans for a graphics card (or a CPU budget) of {@code gb} GB instead of the planner's own
     * target: the paper's voxel budgets scale with it (a smaller patch; where the median case then
     * holds more than 4 patches, the cascade), the reference's memory target is set to it.
     *
     * @return this planner
     * @throws IllegalArgumentException unless {@code gb} is positive and finite
     */
    public ExperimentPlanner withGpuMemory(double gb) {
        if (!(gb > 0) || Double.isInfinite(gb)) {
            throw new IllegalArgumentException("The memory target must be a positive number of GB, not " + gb);
        }
        gpuMemoryGB = gb;
        return this;
    }

    /** The memory target set with {@link #withGpuMemory}, or null. */
    protected Double gpuMemoryGB() {
        return gpuMemoryGB;
    }

    /** The name that selects this planner ({@code --planner paper}). */
    public String name() {
        return "paper";
    }

    /**
     * Plans every configuration of a data set.
     *
     * @param fp the data set's fingerprint
     * @return the plans, with a note for every decision worth explaining
     */
    public Plans plan(DatasetFingerprint fp) {
        return plan(fp, PlanOverrides.none());
    }

    /**
     * Plans every configuration of a data set, then applies the user's overrides.
     *
     * @param fp        the data set's fingerprint
     * @param overrides patch, batch, features or epochs the user set per configuration
     * @return the plans, with a note for every decision and every change made to an override
     * @throws IllegalArgumentException if an override names a configuration that was not planned or
     *         holds an impossible value
     */
    public Plans plan(DatasetFingerprint fp, PlanOverrides overrides) {
        Plans plans = new Plans(fp.datasetName(), name(), fp.channelNames(), fp.labels(), fp.medianSpacing(),
                fp.medianShapeAfterCrop(), fp.foregroundIntensity());
        double[] target = targetSpacing(fp);
        noteTargetSpacing(fp, target, plans);
        double[] median = resampledMedianShape(fp, target);
        List<ChannelNormalization> normalization = normalization(fp);
        for (ChannelNormalization n : normalization) {
            plans.addNote("Channel " + n.channel() + " (" + n.channelName() + "): " + n.scheme() + " normalization"
                    + (n.useNonzeroMask() ? " inside the nonzero mask (cropping shrank the cases by a quarter or more)"
                            : ""));
        }

        int sliceAxis = sliceAxisFor2d(fp, target);
        // Built in planning order, which is the order of the configurations in the plans.
        List<PlanConfiguration.Builder> planned = new ArrayList<>();
        PlanConfiguration.Builder c2d = configure(PlanConfiguration.CONFIG_2D, fp, target, median, sliceAxis,
                normalization);
        planned.add(c2d);
        boolean cascade = false;
        if (fp.isTwoDimensional()) {
            plans.addNote("Every case has one slice along z: a 2D data set, so only the 2D U-Net is planned.");
        } else {
            PlanConfiguration.Builder full = configure(PlanConfiguration.CONFIG_3D_FULLRES, fp, target, median, null,
                    normalization);
            PlanConfiguration.Builder low = planLowResStage(fp, full.build(), median, normalization, plans);
            cascade = low != null;
            full.batchDice(!perSampleDice(PlanConfiguration.CONFIG_3D_FULLRES, cascade));
            planned.add(full);
            if (cascade) {
                low.batchDice(!perSampleDice(PlanConfiguration.CONFIG_3D_LOWRES, true));
                low.nextStage(PlanConfiguration.CONFIG_3D_CASCADE_FULLRES);
                planned.add(low);
                // The second stage is the full-resolution network that also sees stage 1's segmentation.
                planned.add(full.build().toBuilder(PlanConfiguration.CONFIG_3D_CASCADE_FULLRES)
                        .previousStage(PlanConfiguration.CONFIG_3D_LOWRES)
                        .batchDice(!perSampleDice(PlanConfiguration.CONFIG_3D_CASCADE_FULLRES, true)));
            }
        }
        c2d.batchDice(!perSampleDice(PlanConfiguration.CONFIG_2D, cascade));
        for (PlanConfiguration.Builder b : planned) {
            plans.put(b.build());
            if (b.batchCapNote != null) {
                plans.addNote(b.name() + ": " + b.batchCapNote + ".");
            }
        }
        if (gpuMemoryGB != null) {
            plans.addNote(String.format(Locale.ROOT, "Memory target %s GB (set by the user; the planner's own: %s GB).",
                    trim(gpuMemoryGB), trim(defaultGpuMemoryGB())));
        }
        overrides.applyTo(plans, this);
        return plans;
    }

    /** The memory this planner plans for when the user sets none, in GB: the paper's 12. */
    protected double defaultGpuMemoryGB() {
        return PAPER_GPU_MEMORY_GB;
    }

    private void noteTargetSpacing(DatasetFingerprint fp, double[] target, Plans plans) {
        double[] median = fp.medianSpacing();
        for (int d = 0; d < 3; d++) {
            if (!SpacingTolerance.equal(target[d], median[d])) {
                plans.addNote(String.format(Locale.ROOT,
                        "Anisotropy rule: %s has much coarser spacing and fewer voxels than the other axes; its target "
                                + "spacing is %s (10th percentile of its spacings) instead of the median %s.",
                        AxisOrder.name(d), trim(target[d]), trim(median[d])));
            }
        }
    }

    /**
     * Fills one configuration: patch, topology, batch and features from {@link #patch2d} or
     * {@link #patch3d}, plus normalization, resampling, augmentation and schedule.
     *
     * @param name          configuration name
     * @param fp            the fingerprint
     * @param spacing       target spacing of this configuration
     * @param median        median shape of the cropped cases at that spacing
     * @param sliceAxis     the slice axis of a 2D U-Net, or null for a 3D U-Net
     * @param normalization per-channel normalization
     * @return the configuration being built (Dice mode and stage links are set by the caller)
     */
    protected PlanConfiguration.Builder configure(String name, DatasetFingerprint fp, double[] spacing,
            double[] median, Integer sliceAxis, List<ChannelNormalization> normalization) {
        boolean is2D = sliceAxis != null;
        PlanConfiguration.Builder c = PlanConfiguration.builder(name);
        c.dataIdentifier(dataIdentifier(name));
        c.dimensions(is2D ? 2 : 3);
        c.sliceAxis(sliceAxis);
        c.spacing(spacing);
        long[] roundedMedian = new long[3];
        for (int d = 0; d < 3; d++) {
            // The reference keeps the median unrounded; the plans show whole voxels, halves rounded up.
            roundedMedian[d] = Math.max(1, Math.round(median[d]));
        }
        c.medianShape(roundedMedian);
        double datasetVoxels = datasetVoxels(fp, spacing, median);
        c.datasetVoxels(datasetVoxels);
        PatchPlan p = is2D ? patch2d(spacing, median, sliceAxis, datasetVoxels, fp)
                : patch3d(spacing, median, datasetVoxels, fp);
        c.patchSize(p.patch());
        c.topology(p.topology());
        c.batchSize(p.batch());
        c.batchCapNote = batchCapNote(p, datasetVoxels);
        c.features(baseFeatures(), maxFeatures(is2D), p.features());
        c.convolutionsPerStage(convolutionsPerStage());
        c.normalization(normalization);
        c.resampling(imageResamplingOrder(), labelResamplingOrder(), outOfPlaneResamplingOrder(),
                anisotropyThreshold());
        c.anisotropicAxis(anisotropicAxis(spacing, resampledAxes(fp)));
        if (is2D) {
            c.augmentation(true, sliceAxis);
        } else {
            boolean slicewise = augmentationIs2D(p.patch(), spacing);
            c.augmentation(slicewise, slicewise ? augmentationSliceAxis(p.patch(), spacing) : null);
        }
        c.numEpochs(defaultEpochs());
        c.iterationsPerEpoch(iterationsPerEpoch());
        return c;
    }

    private String batchCapNote(PatchPlan p, double datasetVoxels) {
        if (p.batch() == p.uncappedBatch()) {
            return null;
        }
        long cap = batchCap(p.patchVoxels(), datasetVoxels);
        String why = String.format(Locale.ROOT, "%.0f%% of the data set's %.3g voxels holds %s of %d voxels",
                100 * maxDatasetFraction(), datasetVoxels,
                cap == 0 ? "no whole patch" : cap == 1 ? "1 patch" : cap + " patches", p.patchVoxels());
        if (cap >= p.batch()) {
            return p.batch() < p.uncappedBatch() ? "batch " + p.uncappedBatch() + " capped at " + p.batch() + " (" + why
                    + ")" : "batch " + p.uncappedBatch() + " raised to the minimum of " + p.batch();
        }
        // The cap is below the minimum batch: say what the batch is and why, not "capped at 0".
        return "batch " + p.batch() + ", the minimum, instead of " + p.uncappedBatch() + ": " + why;
    }

    /**
     * Plans the first stage of the cascade, if the data set needs it: while the median shape holds
     * more than {@link #cascadeTriggered 4x} the voxels of the patch, the spacing grows by
     * {@link #lowResSpacingStep} ({@link CascadeRules#searchLowResSpacing}).
     *
     * @param fp            the fingerprint
     * @param full          the planned 3D full-resolution configuration
     * @param fullMedian    median shape at full resolution
     * @param normalization per-channel normalization
     * @param plans         receives notes
     * @return the low-resolution configuration being built, or null if the cascade is not needed or
     *         not worth it
     */
    protected PlanConfiguration.Builder planLowResStage(DatasetFingerprint fp, PlanConfiguration full,
            double[] fullMedian, List<ChannelNormalization> normalization, Plans plans) {
        double fullVoxels = product(fullMedian);
        if (!cascadeTriggered(fullVoxels, full.patchVoxels())) {
            return null;
        }
        CascadeRules.LowResStage<PlanConfiguration.Builder> low = CascadeRules.searchLowResSpacing(full.spacing(),
                fullMedian, this::lowResSpacingStep,
                (spacing, median) -> configure(PlanConfiguration.CONFIG_3D_LOWRES, fp, spacing, median, null,
                        normalization),
                (medianVoxels, candidate) -> cascadeTriggered(medianVoxels, candidate.build().patchVoxels()));
        double lowVoxels = low.medianVoxels();
        if (!keepLowResStage(fullVoxels, lowVoxels)) {
            plans.addNote(String.format(Locale.ROOT,
                    "Cascade dropped: the median case holds %.3g voxels, more than 4x the 3D patch, but the low "
                            + "resolution that fits (spacing %s) is only %.2fx smaller; 3d_fullres alone is used.",
                    fullVoxels, AxisOrder.format(low.spacing()), fullVoxels / lowVoxels));
            return null;
        }
        plans.addNote(String.format(Locale.ROOT,
                "Cascade: the median case holds %.3g voxels, more than 4x the 3D patch (%d); stage 1 (3d_lowres) "
                        + "works at spacing %s where the median case holds %.3g voxels.",
                fullVoxels, full.patchVoxels(), AxisOrder.format(low.spacing()), lowVoxels));
        return low.stage();
    }

    // ---------------------------------------------------------------------------------------------
    // Rules: data

    /**
     * Target spacing of the full-resolution configurations: the per-axis median spacing, except
     * that an axis of much coarser spacing and few voxels gets the 10th percentile of its spacings
     * (at least just above the largest other spacing). Applies when that axis's median spacing is
     * more than {@link #anisotropyThreshold()} times the largest other one and its median size in
     * voxels times the same threshold is below the smallest other median size. Not applied to 2D
     * data sets, whose z is never resampled.
     *
     * @param fp the fingerprint
     * @return spacing per axis
     */
    protected double[] targetSpacing(DatasetFingerprint fp) {
        double[][] spacings = fp.spacings();
        double[] target = Percentiles.medianPerAxis(spacings);
        if (fp.isTwoDimensional()) {
            return target;
        }
        double[] size = fp.medianShapeAfterCrop();
        int worst = SpacingTolerance.coarsestAxis(target);
        double maxOtherSpacing = 0;
        double minOtherSize = Double.POSITIVE_INFINITY;
        for (int d = 0; d < 3; d++) {
            if (d != worst) {
                maxOtherSpacing = Math.max(maxOtherSpacing, target[d]);
                minOtherSize = Math.min(minOtherSize, size[d]);
            }
        }
        double t = anisotropyThreshold();
        if (SpacingTolerance.ratioExceeds(target[worst], maxOtherSpacing, t) && size[worst] * t < minOtherSize) {
            double[] axis = new double[spacings.length];
            for (int i = 0; i < axis.length; i++) {
                axis[i] = spacings[i][worst];
            }
            double p10 = Percentiles.of(axis, 10);
            if (p10 < maxOtherSpacing) {
                // Never finer than the other axes: that would make this axis the fine one.
                p10 = maxOtherSpacing + 1e-5;
            }
            target[worst] = p10;
        }
        return target;
    }

    /**
     * The per-axis median shape of the cropped cases after resampling to a spacing. Each case's
     * shape is {@code round(shapeAfterCrop * spacing / target)} (halves to even, as
     * the reference and preprocessing round); an axis of one voxel stays one.
     *
     * @param fp      the fingerprint
     * @param spacing target spacing
     * @return median shape per axis (may be a half voxel for an even number of cases)
     */
    protected double[] resampledMedianShape(DatasetFingerprint fp, double[] spacing) {
        List<long[]> shapes = resampledShapes(fp, spacing);
        double[][] v = new double[shapes.size()][3];
        for (int i = 0; i < v.length; i++) {
            for (int d = 0; d < 3; d++) {
                v[i][d] = shapes.get(i)[d];
            }
        }
        return Percentiles.medianPerAxis(v);
    }

    /**
     * Every case's cropped shape after resampling to a spacing, in case order.
     *
     * @param fp      the fingerprint
     * @param spacing target spacing
     * @return one shape per case
     */
    protected List<long[]> resampledShapes(DatasetFingerprint fp, double[] spacing) {
        List<long[]> out = new ArrayList<>(fp.numberOfCases());
        for (CaseFingerprint c : fp.cases()) {
            long[] s = c.shapeAfterCrop();
            double[] sp = c.spacing();
            long[] r = new long[3];
            for (int d = 0; d < 3; d++) {
                // Python's round, as the reference's compute_new_shape (and preprocessing) use: halves to even.
                r[d] = s[d] == 1 ? 1 : Math.max(1, Rounding.halfEven(s[d] * sp[d] / spacing[d]));
            }
            out.add(r);
        }
        return out;
    }

    /**
     * Voxels of the whole training set at a spacing, for the cap on voxels per step: the sum of
     * every case's resampled, cropped voxels.
     *
     * @param fp      the fingerprint
     * @param spacing target spacing
     * @param median  median shape at that spacing (unused here; other rules may use it)
     * @return voxel count
     */
    protected double datasetVoxels(DatasetFingerprint fp, double[] spacing, double[] median) {
        double sum = 0;
        for (long[] s : resampledShapes(fp, spacing)) {
            sum += (double) s[0] * s[1] * s[2];
        }
        return sum;
    }

    /**
     * Which axes resampling may change: all three, except z of a 2D data set.
     *
     * @param fp the fingerprint
     * @return per axis, true if it is resampled
     */
    protected boolean[] resampledAxes(DatasetFingerprint fp) {
        return new boolean[] {true, true, !fp.isTwoDimensional()};
    }

    /**
     * The axis whose spacing is more than {@link #anisotropyThreshold()} times the finest; it is
     * resampled separately with {@link #outOfPlaneResamplingOrder()}.
     *
     * @param spacing target spacing
     * @param axes    axes to consider
     * @return the axis, or null if the spacing is not that anisotropic or two axes share the coarsest spacing
     */
    protected Integer anisotropicAxis(double[] spacing, boolean[] axes) {
        int arg = SpacingTolerance.singleCoarsestAxis(spacing, axes);
        return arg >= 0 && SpacingTolerance.ratioExceeds(spacing[arg], SpacingTolerance.finest(spacing, axes),
                anisotropyThreshold()) ? arg : null;
    }

    /**
     * The axis across which the 2D U-Net cuts slices: z for a 2D data set, else the axis of
     * coarsest spacing (so that slices hold the finest in-plane spacing), z on ties; spacings equal
     * within {@link SpacingTolerance} tie, so an isotropic data set is sliced along z.
     *
     * @param fp      the fingerprint
     * @param spacing target spacing
     * @return the slice axis
     */
    protected int sliceAxisFor2d(DatasetFingerprint fp, double[] spacing) {
        return fp.isTwoDimensional() ? AxisOrder.Z : coarsestAxis(spacing);
    }

    /**
     * Normalization scheme of a channel, from its name: the first scheme that claims the name
     * ({@code CT}, {@code noNorm}, {@code rescale_to_0_1}, or one added on the class path), z-score
     * otherwise ({@link NormalizationSchemes#forChannel}).
     *
     * @param channelName name from {@code dataset.json}
     * @return the scheme's name, e.g. {@link ChannelNormalization#CT} or {@link ChannelNormalization#ZSCORE}
     */
    protected String normalizationScheme(String channelName) {
        return NormalizationSchemes.forChannel(channelName).name();
    }

    /**
     * Whether a channel is normalized inside the nonzero mask only: for z-scoring, when cropping
     * reduced the mean case size by a quarter or more. Never for CT, whose zeros are real values.
     *
     * @param scheme the channel's scheme
     * @param fp     the fingerprint
     * @return true to use the nonzero mask
     */
    protected boolean useNonzeroMask(String scheme, DatasetFingerprint fp) {
        return NormalizationSchemes.byName(scheme).supportsNonzeroMask() && fp.meanSizeRatioAfterCrop() <= 0.75;
    }

    /**
     * Normalization of every channel, from {@link #normalizationScheme} and {@link #useNonzeroMask}.
     *
     * @param fp the fingerprint
     * @return one entry per channel
     */
    protected List<ChannelNormalization> normalization(DatasetFingerprint fp) {
        List<ChannelNormalization> out = new ArrayList<>();
        List<String> names = fp.channelNames();
        for (int c = 0; c < names.size(); c++) {
            String scheme = normalizationScheme(names.get(c));
            out.add(new ChannelNormalization(c, names.get(c), scheme, useNonzeroMask(scheme, fp)));
        }
        return out;
    }

    /** Spline order for resampling images: 3 (cubic). */
    protected int imageResamplingOrder() {
        return 3;
    }

    /** Order for resampling label maps: 0 (nearest neighbour), as the paper says. */
    protected int labelResamplingOrder() {
        return 0;
    }

    /** Order along the anisotropic axis when it is resampled separately: 0 (nearest). */
    protected int outOfPlaneResamplingOrder() {
        return 0;
    }

    /** Spacing ratio above which data count as anisotropic: 3. */
    protected double anisotropyThreshold() {
        return 3;
    }

    /**
     * The identifier of the preprocessed data of a configuration; the cascade's second stage
     * trains on the full-resolution data.
     *
     * @param configuration configuration name
     * @return e.g. {@code paper_3d_fullres}
     */
    protected String dataIdentifier(String configuration) {
        String data = PlanConfiguration.CONFIG_3D_CASCADE_FULLRES.equals(configuration)
                ? PlanConfiguration.CONFIG_3D_FULLRES : configuration;
        return name() + "_" + data;
    }

    // ---------------------------------------------------------------------------------------------
    // Rules: topology

    /** Smallest feature map edge pooling may produce: 8. */
    protected int minFeatureMapEdge() {
        return 8;
    }

    /** Most poolings along one axis: 5. */
    protected int maxPoolingsPerAxis() {
        return 5;
    }

    /**
     * Poolings, strides and kernels for a patch. An axis is pooled while its feature map edge is at
     * least twice {@link #minFeatureMapEdge()} (three times if it is the only axis left), its
     * spacing is within 2x of the finest spacing among the axes that can still pool, and it has
     * been pooled fewer than {@link #maxPoolingsPerAxis()} times. Axes of patch edge 1 (the slice
     * axis of a 2D network) are never pooled and get kernel 1.
     *
     * @param patch   patch edge per axis
     * @param spacing voxel spacing per axis
     * @return the topology
     */
    protected NetworkTopology poolingTopology(long[] patch, double[] spacing) {
        return PoolingTopology.of(patch, spacing, minFeatureMapEdge(), maxPoolingsPerAxis(), this::kernelSize);
    }

    /**
     * Kernel size along one axis at one stage: 3 once the axis's spacing is within 2x of the finest
     * spacing (and from then on), 1 before. Anisotropic data thus get 1x3x3-like kernels in their
     * first stages.
     *
     * @param previous      the kernel size of this axis at the previous stage (1 at the first)
     * @param axisSpacing   spacing of the axis at this stage
     * @param finestSpacing finest spacing of any axis at this stage
     * @return 1 or 3
     */
    protected int kernelSize(int previous, double axisSpacing, double finestSpacing) {
        return PoolingTopology.kernelSize(previous, axisSpacing, finestSpacing);
    }

    /** Feature maps of the top stage: 30. */
    protected int baseFeatures() {
        return 30;
    }

    /**
     * Cap on the feature maps of a stage.
     *
     * @param is2D true for the 2D U-Net
     * @return 512 for 2D, 320 for 3D
     */
    protected int maxFeatures(boolean is2D) {
        return is2D ? 512 : 320;
    }

    /**
     * Feature maps per stage: {@link #baseFeatures()} doubling with every stage, capped at
     * {@link #maxFeatures}.
     *
     * @param stages number of stages
     * @param is2D   true for the 2D U-Net
     * @return feature maps per stage
     */
    protected int[] featuresPerStage(int stages, boolean is2D) {
        return featuresPerStage(stages, baseFeatures(), maxFeatures(is2D));
    }

    /**
     * Feature maps per stage from a base and a cap.
     *
     * @param stages number of stages
     * @param base   feature maps of the top stage
     * @param max    cap per stage
     * @return feature maps per stage
     */
    protected static int[] featuresPerStage(int stages, int base, int max) {
        return PoolingTopology.featuresPerStage(stages, base, max);
    }

    /** Convolutions per stage: 2. */
    protected int convolutionsPerStage() {
        return 2;
    }

    // ---------------------------------------------------------------------------------------------
    // Rules: patch and batch

    /**
     * Edge of the starting patch known to fit the hardware.
     *
     * @param is2D true for the 2D U-Net
     * @return 256 (2D) or 128 (3D)
     */
    protected int startPatchEdge(boolean is2D) {
        return is2D ? 256 : 128;
    }

    /**
     * Batch of the starting configuration.
     *
     * @param is2D true for the 2D U-Net
     * @return 42 (2D) or 2 (3D)
     */
    protected int startBatch(boolean is2D) {
        return is2D ? 42 : 2;
    }

    /**
     * Voxels per optimizer step the starting configuration takes: start patch voxels x start batch.
     *
     * @param is2D true for the 2D U-Net
     * @return 256^2 x 42 (2D) or 128^3 x 2 (3D)
     */
    protected long voxelsPerStep(boolean is2D) {
        long edge = startPatchEdge(is2D);
        long patch = is2D ? edge * edge : edge * edge * edge;
        double scale = gpuMemoryGB == null ? 1 : gpuMemoryGB / defaultGpuMemoryGB();
        return Math.max(minBatchSize(), Math.round(patch * startBatch(is2D) * scale));
    }

    /**
     * Largest patch: the one that fills {@link #voxelsPerStep} at the smallest batch, i.e. 128^3
     * for 3D.
     *
     * @param is2D true for the 2D U-Net
     * @return voxels
     */
    protected long maxPatchVoxels(boolean is2D) {
        return voxelsPerStep(is2D) / minBatchSize();
    }

    /** Smallest batch: 2. */
    protected int minBatchSize() {
        return 2;
    }

    /** Largest share of the data set's voxels one optimizer step may see: 5%. */
    protected double maxDatasetFraction() {
        return 0.05;
    }

    /**
     * The 3D U-Net's patch, topology and batch: the median shape scaled down to at most
     * {@link #maxPatchVoxels 128^3} voxels with its aspect ratio kept (the whole median shape if
     * it is smaller), then the batch that fills {@link #voxelsPerStep}, capped by
     * {@link #capBatchForDatasetSize}.
     *
     * @param spacing       target spacing
     * @param median        median shape at that spacing
     * @param datasetVoxels voxels of the data set at that spacing
     * @param fp            the fingerprint
     * @return the plan
     */
    protected PatchPlan patch3d(double[] spacing, double[] median, double datasetVoxels, DatasetFingerprint fp) {
        long[] patch = fitPatch(median, spacing, new boolean[] {true, true, true}, maxPatchVoxels(false));
        return patchPlanFor(patch, spacing, datasetVoxels, false);
    }

    /**
     * The 2D U-Net's patch, topology and batch: the median plane (the plane across the slice axis),
     * scaled down only if it exceeds {@link #maxPatchVoxels}, then the batch that fills
     * {@link #voxelsPerStep}, capped by {@link #capBatchForDatasetSize}.
     *
     * @param spacing       target spacing
     * @param median        median shape at that spacing
     * @param sliceAxis     the axis across which slices are cut
     * @param datasetVoxels voxels of the data set at that spacing
     * @param fp            the fingerprint
     * @return the plan; the patch is 1 along the slice axis
     */
    protected PatchPlan patch2d(double[] spacing, double[] median, int sliceAxis, double datasetVoxels,
            DatasetFingerprint fp) {
        boolean[] active = {true, true, true};
        active[sliceAxis] = false;
        long[] patch = fitPatch(median, spacing, active, maxPatchVoxels(true));
        return patchPlanFor(patch, spacing, datasetVoxels, true);
    }

    /**
     * Topology, features and capped batch for a chosen patch.
     *
     * @param patch         the patch
     * @param spacing       target spacing
     * @param datasetVoxels voxels of the data set at that spacing
     * @param is2D          true for the 2D U-Net
     * @return the plan
     */
    protected PatchPlan patchPlanFor(long[] patch, double[] spacing, double datasetVoxels, boolean is2D) {
        NetworkTopology t = poolingTopology(patch, spacing);
        int[] features = featuresPerStage(t.stages(), is2D);
        long voxels = voxels(patch);
        int uncapped = batchSize(voxels, is2D);
        return new PatchPlan(patch, t, features, capBatchForDatasetSize(uncapped, voxels, datasetVoxels), uncapped);
    }

    /**
     * Batch for a patch: as many patches as fill {@link #voxelsPerStep}, at least
     * {@link #minBatchSize()}.
     *
     * @param patchVoxels voxels of one patch
     * @param is2D        true for the 2D U-Net
     * @return the batch size
     */
    protected int batchSize(long patchVoxels, boolean is2D) {
        long b = voxelsPerStep(is2D) / patchVoxels;
        return (int) Math.max(minBatchSize(), Math.min(Integer.MAX_VALUE, b));
    }

    /**
     * The cap on voxels per step: patch voxels x batch stays within {@link #maxDatasetFraction 5%}
     * of the data set's voxels, but the batch never goes below {@link #minBatchSize()}.
     *
     * @param batch         the batch before the cap
     * @param patchVoxels   voxels of one patch
     * @param datasetVoxels voxels of the data set
     * @return the capped batch
     */
    protected int capBatchForDatasetSize(int batch, long patchVoxels, double datasetVoxels) {
        return (int) Math.max(minBatchSize(), Math.min(batch, batchCap(patchVoxels, datasetVoxels)));
    }

    /**
     * Most patches per step within {@link #maxDatasetFraction 5%} of the data set's voxels
     * (rounded down: a cap is not exceeded).
     *
     * @param patchVoxels   voxels of one patch
     * @param datasetVoxels voxels of the data set
     * @return the cap, possibly 0
     */
    protected long batchCap(long patchVoxels, double datasetVoxels) {
        return (long) Math.floor(maxDatasetFraction() * datasetVoxels / patchVoxels);
    }

    /**
     * Batch for a patch chosen by the user, by the same rules as the planner's own.
     *
     * @param c        the configuration (spacing, data set voxels)
     * @param patch    the patch
     * @param topology its topology
     * @param features its features per stage
     * @param classes  output classes, background included
     * @return the batch size
     */
    protected int batchFor(PlanConfiguration c, long[] patch, NetworkTopology topology, int[] features,
            int classes) {
        long v = voxels(patch);
        return capBatchForDatasetSize(batchSize(v, c.is2D()), v, c.datasetVoxels());
    }

    /**
     * Whether a patch and batch chosen by the user exceed what the planner considers to fit the
     * hardware: voxels per step above {@link #voxelsPerStep}.
     *
     * @param c        the configuration
     * @param patch    the patch
     * @param topology its topology
     * @param features its features per stage
     * @param batch    the batch size
     * @param classes  output classes, background included
     * @return a short explanation if it exceeds, else null
     */
    protected String exceedsHardwareBudget(PlanConfiguration c, long[] patch, NetworkTopology topology,
            int[] features, int batch, int classes) {
        long step = voxels(patch) * batch;
        long budget = voxelsPerStep(c.is2D());
        return step > budget ? "patch voxels x batch = " + step + " exceeds the " + budget
                + " voxels per step the planner budgets for the GPU; training may run out of memory" : null;
    }

    // ---------------------------------------------------------------------------------------------
    // Rules: cascade

    /**
     * The cascade trigger: the median shape holds more than 4 times the voxels of the 3D patch.
     *
     * @param medianVoxels voxels of the median shape
     * @param patchVoxels  voxels of the 3D patch
     * @return true if a low-resolution stage is needed
     */
    protected boolean cascadeTriggered(double medianVoxels, long patchVoxels) {
        return CascadeRules.triggered(medianVoxels, patchVoxels, 4);
    }

    /**
     * One step of the low-resolution spacing search: axes finer than the coarsest grow by 1%
     * (never beyond the coarsest), so anisotropic data are first made isotropic; once all are
     * equal, all grow together.
     *
     * @param spacing the current spacing
     * @return the next, coarser spacing
     */
    protected double[] lowResSpacingStep(double[] spacing) {
        return CascadeRules.growFinerAxes(spacing, 1.01);
    }

    /**
     * Whether the low-resolution stage is worth training: its median case must hold at most half
     * the voxels of the full-resolution median case.
     *
     * @param fullMedianVoxels voxels of the median case at full resolution
     * @param lowMedianVoxels  voxels of the median case at low resolution
     * @return true to keep the cascade
     */
    protected boolean keepLowResStage(double fullMedianVoxels, double lowMedianVoxels) {
        return CascadeRules.worthKeeping(fullMedianVoxels, lowMedianVoxels, 2);
    }

    // ---------------------------------------------------------------------------------------------
    // Rules: training

    /**
     * Whether a 3D patch is too anisotropic for 3D augmentation: its largest edge is more than
     * twice its shortest.
     *
     * @param patch   3D patch
     * @param spacing target spacing
     * @return true to augment slice by slice
     */
    protected boolean augmentationIs2D(long[] patch, double[] spacing) {
        long max = 0;
        long min = Long.MAX_VALUE;
        for (long p : patch) {
            max = Math.max(max, p);
            min = Math.min(min, p);
        }
        return max > 2 * min;
    }

    /**
     * The axis across which slice-wise augmentation cuts: the shortest patch edge (on ties, the
     * coarser spacing).
     *
     * @param patch   3D patch
     * @param spacing target spacing
     * @return the axis
     */
    protected int augmentationSliceAxis(long[] patch, double[] spacing) {
        int best = 0;
        for (int d = 1; d < 3; d++) {
            if (patch[d] < patch[best]
                    || (patch[d] == patch[best] && SpacingTolerance.compare(spacing[d], spacing[best]) >= 0)) {
                best = d;
            }
        }
        return best;
    }

    /**
     * Whether Dice is computed per sample (and averaged) rather than over the batch: for 3D U-Nets
     * that see almost the whole patient, i.e. cascade stage 1, or the full-resolution 3D U-Net when
     * there is no cascade.
     *
     * @param configuration configuration name
     * @param cascade       true if the cascade is planned
     * @return true for per-sample Dice
     */
    protected boolean perSampleDice(String configuration, boolean cascade) {
        return PlanConfiguration.CONFIG_3D_LOWRES.equals(configuration)
                || (PlanConfiguration.CONFIG_3D_FULLRES.equals(configuration) && !cascade);
    }

    /**
     * The rule that fits patch and batch to a training time budget ({@code plan --budget}).
     *
     * @return a new {@link BudgetRule}
     */
    public BudgetRule budgetRule() {
        return new BudgetRule();
    }

    /** Maximum number of epochs: 1000. */
    protected int defaultEpochs() {
        return 1000;
    }

    /** Optimizer steps per epoch: 250. */
    protected int iterationsPerEpoch() {
        return 250;
    }

    // ---------------------------------------------------------------------------------------------
    // Patch geometry (PatchShapes does the work; these are the rules a variant may override)

    /**
     * The largest patch with the aspect ratio of the median shape that holds at most
     * {@code maxVoxels} voxels (the whole median shape if that is smaller), with every edge a
     * multiple of {@code 2^poolings} of its own topology.
     *
     * @param median    median shape per axis
     * @param spacing   spacing per axis
     * @param active    axes the patch extends along (false: edge 1)
     * @param maxVoxels most voxels of the patch
     * @return the patch
     */
    protected long[] fitPatch(double[] median, double[] spacing, boolean[] active, long maxVoxels) {
        return PatchShapes.fit(median, active, maxVoxels, p -> poolingTopology(p, spacing));
    }

    /**
     * Pads a patch until every edge is a multiple of {@code 2^poolings} of its own topology.
     *
     * @param patch   the patch
     * @param spacing spacing per axis
     * @return the padded patch
     */
    protected long[] padToTopology(long[] patch, double[] spacing) {
        return PatchShapes.padToTopology(patch, p -> poolingTopology(p, spacing));
    }

    /**
     * Makes a patch one step smaller along the axis that is largest relative to the median shape,
     * keeping every edge a multiple of its topology's divisor. Steps by the divisor of the smaller
     * patch, so that valid sizes between multiples of the larger divisor are not skipped.
     *
     * @param patch   the patch
     * @param median  median shape per axis
     * @param spacing spacing per axis
     * @return a smaller patch
     * @throws IllegalStateException if no axis can shrink
     */
    protected long[] shrinkPatch(long[] patch, double[] median, double[] spacing) {
        return PatchShapes.shrink(patch, median, p -> poolingTopology(p, spacing));
    }

    // ---------------------------------------------------------------------------------------------
    // Small helpers

    /**
     * Axes along which a patch extends (edge above 1).
     *
     * @param patch the patch
     * @return per axis, true if its edge is above 1
     */
    protected static boolean[] activeAxes(long[] patch) {
        return PatchShapes.activeAxes(patch);
    }

    /**
     * The axis of coarsest spacing, the highest index on ties (z before y before x); spacings equal
     * within {@link SpacingTolerance} tie.
     *
     * @param spacing spacing per axis
     * @return the axis
     */
    protected static int coarsestAxis(double[] spacing) {
        return SpacingTolerance.coarsestAxis(spacing);
    }

    /**
     * Voxels of a patch.
     *
     * @param patch edge per axis
     * @return the product of the edges
     */
    protected static long voxels(long[] patch) {
        return PatchShapes.voxels(patch);
    }

    private static double product(double[] v) {
        return v[0] * v[1] * v[2];
    }

    /**
     * Rounds up to a multiple.
     *
     * @param v the value
     * @param m the multiple
     * @return the smallest multiple of {@code m} not below {@code v}
     */
    protected static long ceilToMultiple(long v, long m) {
        return PatchShapes.ceilToMultiple(v, m);
    }

    private static String trim(double v) {
        return AxisOrder.format(new double[] {v});
    }
}
