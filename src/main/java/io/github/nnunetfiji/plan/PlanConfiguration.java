package io.github.nnunetfiji.plan;

import static io.github.nnunetfiji.util.ArrayRecords.copy;

import java.util.List;

import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.util.ArrayRecords;

/**
 * One planned network: the data it trains on (spacing, normalization, resampling), its topology
 * (patch, poolings, kernels, features) and how it trains (batch, augmentation, Dice, epochs).
 * Every per-axis array follows {@link AxisOrder} ({@code x, y, z}); a 2D configuration has
 * patch edge 1, no pooling and kernel 1 along its {@link #sliceAxis()}.
 *
 * <p>Immutable: a planner fills a {@link Builder}, and every array or list goes in and comes out
 * as a copy, so a stage that reads the plan cannot change what the next stage sees; equal
 * configurations have equal arrays. Read and written with Gson: the component names and order are
 * the JSON's, null components are left out, and a file without a field reads 0, false or null (an
 * empty normalization).
 *
 * @param name                      configuration name, e.g. {@code 3d_fullres}
 * @param dataIdentifier            names the preprocessed data this configuration trains on;
 *                                  configurations with the same identifier share it (the
 *                                  cascade's full-resolution stage uses {@code 3d_fullres}'s data)
 * @param dimensions                2 for the 2D U-Net (slice by slice), 3 otherwise
 * @param sliceAxis                 for a 2D U-Net: the axis across which the volume is cut into
 *                                  slices; null for 3D
 * @param spacing                   target voxel spacing the data are resampled to
 * @param medianShape               per-axis median shape of the cropped cases at {@code spacing}
 * @param datasetVoxels             voxels of the whole training set at {@code spacing} (the 5%
 *                                  batch cap is taken from it)
 * @param patchSize                 patch size in voxels per axis; 1 along the slice axis of a 2D
 *                                  configuration
 * @param batchSize                 patches per optimizer step
 * @param poolingsPerAxis           number of poolings per axis
 * @param strides                   stride per stage and axis (stage 0: all ones)
 * @param kernelSizes               convolution kernel size per stage and axis
 * @param baseFeatures              feature maps of the top stage; they double per stage up to
 *                                  {@code maxFeatures}
 * @param maxFeatures               cap on the feature maps of any stage
 * @param featuresPerStage          feature maps per stage
 * @param convolutionsPerStage      convolutions (each with instance norm and leaky ReLU) per stage,
 *                                  in encoder and decoder
 * @param normalization             normalization of every channel, in channel order
 * @param imageResamplingOrder      spline order for resampling images (3 = cubic)
 * @param labelResamplingOrder      order for resampling label maps: 0 = nearest neighbour, 1 =
 *                                  linear on one-hot channels then argmax
 * @param anisotropicAxis           the axis of much coarser target spacing (resampled separately),
 *                                  or null if none
 * @param outOfPlaneResamplingOrder order along the anisotropic axis when it is resampled separately
 *                                  (0 = nearest)
 * @param anisotropyThreshold       spacing ratio (largest / smallest, of the source or the target)
 *                                  above which a case's coarsest axis is resampled separately with
 *                                  {@code outOfPlaneResamplingOrder}
 * @param augmentation2D            true: augment slice by slice (2D) rather than in 3D
 * @param augmentationSliceAxis     the axis across which 2D augmentation works slice by slice; null
 *                                  for 3D augmentation
 * @param batchDice                 true: Dice over the whole batch as one pseudo-volume; false: per
 *                                  sample, averaged
 * @param numEpochs                 number of training epochs
 * @param iterationsPerEpoch        optimizer steps per epoch
 * @param previousStage             for the cascade's second stage: the configuration whose
 *                                  segmentation it gets; else null
 * @param nextStage                 for the cascade's first stage: the configuration that uses its
 *                                  segmentation; else null
 * @param mirrorAxes                the plan axes test-time mirroring may flip; null: every network
 *                                  axis (this project's trainings), empty: none (a model imported from
 *                                  a trainer that did not train with mirroring)
 */
public record PlanConfiguration(String name, String dataIdentifier, int dimensions, Integer sliceAxis,
        double[] spacing, long[] medianShape, double datasetVoxels, long[] patchSize, int batchSize,
        int[] poolingsPerAxis, int[][] strides, int[][] kernelSizes, int baseFeatures, int maxFeatures,
        int[] featuresPerStage, int convolutionsPerStage, List<ChannelNormalization> normalization,
        int imageResamplingOrder, int labelResamplingOrder, Integer anisotropicAxis, int outOfPlaneResamplingOrder,
        double anisotropyThreshold, boolean augmentation2D, Integer augmentationSliceAxis, boolean batchDice,
        int numEpochs, int iterationsPerEpoch, String previousStage, String nextStage, int[] mirrorAxes) {

    /** The 2D U-Net. */
    public static final String CONFIG_2D = "2d";
    /** The 3D U-Net at full resolution. */
    public static final String CONFIG_3D_FULLRES = "3d_fullres";
    /** Stage 1 of the cascade: a 3D U-Net on downsampled data. */
    public static final String CONFIG_3D_LOWRES = "3d_lowres";
    /** Stage 2 of the cascade: a full-resolution 3D U-Net that also sees the stage-1 segmentation. */
    public static final String CONFIG_3D_CASCADE_FULLRES = "3d_cascade_fullres";

    public PlanConfiguration {
        spacing = copy(spacing);
        medianShape = copy(medianShape);
        patchSize = copy(patchSize);
        poolingsPerAxis = copy(poolingsPerAxis);
        strides = copy(strides);
        kernelSizes = copy(kernelSizes);
        featuresPerStage = copy(featuresPerStage);
        normalization = normalization == null ? List.of() : List.copyOf(normalization);
        mirrorAxes = copy(mirrorAxes);
    }

    /**
     * A builder for a new configuration; the planner fills it, {@link Builder#build()} freezes it.
     *
     * @param name configuration name, e.g. {@link #CONFIG_3D_FULLRES}
     * @return an empty builder
     */
    public static Builder builder(String name) {
        Builder b = new Builder();
        b.name = name;
        return b;
    }

    /** A builder that starts from this configuration (which stays as it is). */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * A builder that starts from this configuration under another name (the cascade's
     * full-resolution stage is the full-resolution configuration renamed).
     *
     * @param newName the name of the new configuration
     * @return the builder
     */
    public Builder toBuilder(String newName) {
        Builder b = toBuilder();
        b.name = newName;
        return b;
    }

    /** True for a 2D U-Net. */
    public boolean is2D() {
        return dimensions == 2;
    }

    @Override
    public double[] spacing() {
        return copy(spacing);
    }

    @Override
    public long[] medianShape() {
        return copy(medianShape);
    }

    @Override
    public long[] patchSize() {
        return copy(patchSize);
    }

    @Override
    public int[] mirrorAxes() {
        return copy(mirrorAxes);
    }

    /** Voxels of one patch. */
    public long patchVoxels() {
        return patchSize[0] * patchSize[1] * patchSize[2];
    }

    /** The network's poolings, strides and kernels. */
    public NetworkTopology topology() {
        return new NetworkTopology(poolingsPerAxis, strides, kernelSizes);
    }

    @Override
    public int[] poolingsPerAxis() {
        return copy(poolingsPerAxis);
    }

    @Override
    public int[][] strides() {
        return copy(strides);
    }

    @Override
    public int[][] kernelSizes() {
        return copy(kernelSizes);
    }

    /** Number of resolution stages. */
    public int stages() {
        return strides.length;
    }

    @Override
    public int[] featuresPerStage() {
        return copy(featuresPerStage);
    }

    /** By content: equal configurations have equal arrays. */
    @Override
    public boolean equals(Object o) {
        return ArrayRecords.equal(this, o);
    }

    @Override
    public int hashCode() {
        return ArrayRecords.hash(this);
    }

    /**
     * Fills a configuration while a planner (or {@link PlanOverrides}) builds it; {@link #build()}
     * hands out a frozen copy, so later stages read a plan they cannot change. Each setter sets the
     * value of the same name (or the values it names), copying arrays, and returns this builder.
     */
    public static final class Builder {
        private String name;
        private String dataIdentifier;
        private int dimensions;
        private Integer sliceAxis;
        private double[] spacing;
        private long[] medianShape;
        private double datasetVoxels;
        private long[] patchSize;
        private int batchSize;
        private int[] poolingsPerAxis;
        private int[][] strides;
        private int[][] kernelSizes;
        private int baseFeatures;
        private int maxFeatures;
        private int[] featuresPerStage;
        private int convolutionsPerStage;
        private List<ChannelNormalization> normalization;
        private int imageResamplingOrder;
        private int labelResamplingOrder;
        private Integer anisotropicAxis;
        private int outOfPlaneResamplingOrder;
        private double anisotropyThreshold;
        private boolean augmentation2D;
        private Integer augmentationSliceAxis;
        private boolean batchDice;
        private int numEpochs;
        private int iterationsPerEpoch;
        private String previousStage;
        private String nextStage;
        private int[] mirrorAxes;
        /** Why the batch was capped, for the planner's notes; not part of the configuration. */
        String batchCapNote;

        private Builder() {
        }

        /** Shares c's arrays: setters replace them, never write into them, and build() copies. */
        private Builder(PlanConfiguration c) {
            name = c.name;
            dataIdentifier = c.dataIdentifier;
            dimensions = c.dimensions;
            sliceAxis = c.sliceAxis;
            spacing = c.spacing;
            medianShape = c.medianShape;
            datasetVoxels = c.datasetVoxels;
            patchSize = c.patchSize;
            batchSize = c.batchSize;
            poolingsPerAxis = c.poolingsPerAxis;
            strides = c.strides;
            kernelSizes = c.kernelSizes;
            baseFeatures = c.baseFeatures;
            maxFeatures = c.maxFeatures;
            featuresPerStage = c.featuresPerStage;
            convolutionsPerStage = c.convolutionsPerStage;
            normalization = c.normalization;
            imageResamplingOrder = c.imageResamplingOrder;
            labelResamplingOrder = c.labelResamplingOrder;
            anisotropicAxis = c.anisotropicAxis;
            outOfPlaneResamplingOrder = c.outOfPlaneResamplingOrder;
            anisotropyThreshold = c.anisotropyThreshold;
            augmentation2D = c.augmentation2D;
            augmentationSliceAxis = c.augmentationSliceAxis;
            batchDice = c.batchDice;
            numEpochs = c.numEpochs;
            iterationsPerEpoch = c.iterationsPerEpoch;
            previousStage = c.previousStage;
            nextStage = c.nextStage;
            mirrorAxes = c.mirrorAxes;
        }

        /** The configuration as built so far, frozen (later setters do not change it). */
        public PlanConfiguration build() {
            return new PlanConfiguration(name, dataIdentifier, dimensions, sliceAxis, spacing, medianShape,
                    datasetVoxels, patchSize, batchSize, poolingsPerAxis, strides, kernelSizes, baseFeatures,
                    maxFeatures, featuresPerStage, convolutionsPerStage, normalization, imageResamplingOrder,
                    labelResamplingOrder, anisotropicAxis, outOfPlaneResamplingOrder, anisotropyThreshold,
                    augmentation2D, augmentationSliceAxis, batchDice, numEpochs, iterationsPerEpoch, previousStage,
                    nextStage, mirrorAxes);
        }

        /** Configuration name. */
        public String name() {
            return name;
        }

        public Builder dataIdentifier(String v) {
            dataIdentifier = v;
            return this;
        }

        public Builder dimensions(int v) {
            dimensions = v;
            return this;
        }

        public Builder sliceAxis(Integer v) {
            sliceAxis = v;
            return this;
        }

        public Builder spacing(double[] v) {
            spacing = v.clone();
            return this;
        }

        public Builder medianShape(long[] v) {
            medianShape = v.clone();
            return this;
        }

        public Builder datasetVoxels(double v) {
            datasetVoxels = v;
            return this;
        }

        public Builder patchSize(long[] v) {
            patchSize = v.clone();
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** Sets poolings, strides and kernel sizes. */
        public Builder topology(NetworkTopology t) {
            poolingsPerAxis = t.poolingsPerAxis();
            strides = t.strides();
            kernelSizes = t.kernelSizes();
            return this;
        }

        /** Sets {@code baseFeatures}, {@code maxFeatures} and {@code featuresPerStage}. */
        public Builder features(int base, int max, int[] perStage) {
            baseFeatures = base;
            maxFeatures = max;
            featuresPerStage = perStage.clone();
            return this;
        }

        public Builder convolutionsPerStage(int v) {
            convolutionsPerStage = v;
            return this;
        }

        public Builder normalization(List<ChannelNormalization> v) {
            normalization = List.copyOf(v);
            return this;
        }

        /**
         * Sets the resampling orders.
         *
         * @param image      spline order for images
         * @param label      order for label maps (0 nearest, 1 one-hot linear)
         * @param outOfPlane order along the anisotropic axis when resampling it separately
         * @param threshold  spacing ratio (largest / smallest) above which that axis is resampled separately
         * @return this builder
         */
        public Builder resampling(int image, int label, int outOfPlane, double threshold) {
            imageResamplingOrder = image;
            labelResamplingOrder = label;
            outOfPlaneResamplingOrder = outOfPlane;
            anisotropyThreshold = threshold;
            return this;
        }

        public Builder anisotropicAxis(Integer v) {
            anisotropicAxis = v;
            return this;
        }

        /** Sets {@code augmentation2D} (slice by slice) and its {@code augmentationSliceAxis} (null for 3D). */
        public Builder augmentation(boolean slicewise, Integer sliceAxis) {
            augmentation2D = slicewise;
            augmentationSliceAxis = sliceAxis;
            return this;
        }

        public Builder batchDice(boolean v) {
            batchDice = v;
            return this;
        }

        public Builder numEpochs(int v) {
            numEpochs = v;
            return this;
        }

        public Builder iterationsPerEpoch(int v) {
            iterationsPerEpoch = v;
            return this;
        }

        public Builder previousStage(String v) {
            previousStage = v;
            return this;
        }

        public Builder nextStage(String v) {
            nextStage = v;
            return this;
        }

        public Builder mirrorAxes(int[] v) {
            mirrorAxes = v;
            return this;
        }
    }
}
