package io.github.nnunetfiji.plan;

import java.util.ArrayList;
import java.util.List;

import io.github.nnunetfiji.image.AxisOrder;

/**
 * One planned network: the data it trains on (spacing, normalization, resampling), its topology
 * (patch, poolings, kernels, features) and how it trains (batch, augmentation, Dice, epochs).
 * Every per-axis array follows {@link AxisOrder} ({@code x, y, z}); a 2D configuration has
 * patch edge 1, no pooling and kernel 1 along its {@link #sliceAxis()}.
 *
 * <p>Immutable: a planner fills a {@link Builder}, and every array or list goes in and comes out
 * as a copy, so a stage that reads the plan cannot change what the next stage sees.
 */
public final class PlanConfiguration {

    /** The 2D U-Net. */
    public static final String CONFIG_2D = "2d";
    /** The 3D U-Net at full resolution. */
    public static final String CONFIG_3D_FULLRES = "3d_fullres";
    /** Stage 1 of the cascade: a 3D U-Net on downsampled data. */
    public static final String CONFIG_3D_LOWRES = "3d_lowres";
    /** Stage 2 of the cascade: a full-resolution 3D U-Net that also sees the stage-1 segmentation. */
    public static final String CONFIG_3D_CASCADE_FULLRES = "3d_cascade_fullres";

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

    /** For Gson and the builder. */
    private PlanConfiguration() {
        this.normalization = new ArrayList<>();
    }

    /** A deep copy of {@code o} named {@code newName}. */
    private PlanConfiguration(PlanConfiguration o, String newName) {
        this.name = newName;
        this.dataIdentifier = o.dataIdentifier;
        this.dimensions = o.dimensions;
        this.sliceAxis = o.sliceAxis;
        this.spacing = clone(o.spacing);
        this.medianShape = clone(o.medianShape);
        this.datasetVoxels = o.datasetVoxels;
        this.patchSize = clone(o.patchSize);
        this.batchSize = o.batchSize;
        this.poolingsPerAxis = clone(o.poolingsPerAxis);
        this.strides = o.strides == null ? null : NetworkTopology.deepCopy(o.strides);
        this.kernelSizes = o.kernelSizes == null ? null : NetworkTopology.deepCopy(o.kernelSizes);
        this.baseFeatures = o.baseFeatures;
        this.maxFeatures = o.maxFeatures;
        this.featuresPerStage = clone(o.featuresPerStage);
        this.convolutionsPerStage = o.convolutionsPerStage;
        this.normalization = o.normalization == null ? new ArrayList<>() : new ArrayList<>(o.normalization);
        this.imageResamplingOrder = o.imageResamplingOrder;
        this.labelResamplingOrder = o.labelResamplingOrder;
        this.anisotropicAxis = o.anisotropicAxis;
        this.outOfPlaneResamplingOrder = o.outOfPlaneResamplingOrder;
        this.anisotropyThreshold = o.anisotropyThreshold;
        this.augmentation2D = o.augmentation2D;
        this.augmentationSliceAxis = o.augmentationSliceAxis;
        this.batchDice = o.batchDice;
        this.numEpochs = o.numEpochs;
        this.iterationsPerEpoch = o.iterationsPerEpoch;
        this.previousStage = o.previousStage;
        this.nextStage = o.nextStage;
    }

    private static double[] clone(double[] a) {
        return a == null ? null : a.clone();
    }

    private static long[] clone(long[] a) {
        return a == null ? null : a.clone();
    }

    private static int[] clone(int[] a) {
        return a == null ? null : a.clone();
    }

    /**
     * A builder for a new configuration; the planner fills it, {@link Builder#build()} freezes it.
     *
     * @param name configuration name, e.g. {@link #CONFIG_3D_FULLRES}
     * @return an empty builder
     */
    public static Builder builder(String name) {
        return new Builder(new PlanConfiguration(new PlanConfiguration(), name));
    }

    /** A builder that starts from this configuration (which stays as it is). */
    public Builder toBuilder() {
        return toBuilder(name);
    }

    /**
     * A builder that starts from this configuration under another name (the cascade's
     * full-resolution stage is the full-resolution configuration renamed).
     *
     * @param newName the name of the new configuration
     * @return the builder
     */
    public Builder toBuilder(String newName) {
        return new Builder(new PlanConfiguration(this, newName));
    }

    /** Configuration name, e.g. {@code 3d_fullres}. */
    public String name() {
        return name;
    }

    /**
     * Names the preprocessed data this configuration trains on; configurations with the same
     * identifier share it (the cascade's full-resolution stage uses {@code 3d_fullres}'s data).
     */
    public String dataIdentifier() {
        return dataIdentifier;
    }

    /** 2 for the 2D U-Net (slice by slice), 3 otherwise. */
    public int dimensions() {
        return dimensions;
    }

    /** True for a 2D U-Net. */
    public boolean is2D() {
        return dimensions == 2;
    }

    /** For a 2D U-Net: the axis across which the volume is cut into slices; null for 3D. */
    public Integer sliceAxis() {
        return sliceAxis;
    }

    /** Target voxel spacing the data are resampled to. */
    public double[] spacing() {
        return spacing.clone();
    }

    /** Per-axis median shape of the cropped cases at {@link #spacing()}. */
    public long[] medianShape() {
        return medianShape.clone();
    }

    /** Voxels of the whole training set at {@link #spacing()} (the 5% batch cap is taken from it). */
    public double datasetVoxels() {
        return datasetVoxels;
    }

    /** Patch size in voxels per axis; 1 along the slice axis of a 2D configuration. */
    public long[] patchSize() {
        return patchSize.clone();
    }

    /** Voxels of one patch. */
    public long patchVoxels() {
        return patchSize[0] * patchSize[1] * patchSize[2];
    }

    /** Patches per optimizer step. */
    public int batchSize() {
        return batchSize;
    }

    /** The network's poolings, strides and kernels. */
    public NetworkTopology topology() {
        return new NetworkTopology(poolingsPerAxis, strides, kernelSizes);
    }

    /** Number of poolings per axis. */
    public int[] poolingsPerAxis() {
        return poolingsPerAxis.clone();
    }

    /** Stride per stage and axis (stage 0: all ones). */
    public int[][] strides() {
        return NetworkTopology.deepCopy(strides);
    }

    /** Convolution kernel size per stage and axis. */
    public int[][] kernelSizes() {
        return NetworkTopology.deepCopy(kernelSizes);
    }

    /** Number of resolution stages. */
    public int stages() {
        return strides.length;
    }

    /** Feature maps of the top stage; they double per stage up to {@link #maxFeatures()}. */
    public int baseFeatures() {
        return baseFeatures;
    }

    /** Cap on the feature maps of any stage. */
    public int maxFeatures() {
        return maxFeatures;
    }

    /** Feature maps per stage. */
    public int[] featuresPerStage() {
        return featuresPerStage.clone();
    }

    /** Convolutions (each with instance norm and leaky ReLU) per stage, in encoder and decoder. */
    public int convolutionsPerStage() {
        return convolutionsPerStage;
    }

    /** Normalization of every channel, in channel order. */
    public List<ChannelNormalization> normalization() {
        return List.copyOf(normalization);
    }

    /** Spline order for resampling images (3 = cubic). */
    public int imageResamplingOrder() {
        return imageResamplingOrder;
    }

    /** Order for resampling label maps: 0 = nearest neighbour, 1 = linear on one-hot channels then argmax. */
    public int labelResamplingOrder() {
        return labelResamplingOrder;
    }

    /** The axis of much coarser target spacing (resampled separately), or null if none. */
    public Integer anisotropicAxis() {
        return anisotropicAxis;
    }

    /** Order along the anisotropic axis when it is resampled separately (0 = nearest). */
    public int outOfPlaneResamplingOrder() {
        return outOfPlaneResamplingOrder;
    }

    /**
     * Spacing ratio (largest / smallest, of the source or the target) above which a case's coarsest
     * axis is resampled separately with {@link #outOfPlaneResamplingOrder()}.
     */
    public double anisotropyThreshold() {
        return anisotropyThreshold;
    }

    /** True: augment slice by slice (2D) rather than in 3D. */
    public boolean augmentation2D() {
        return augmentation2D;
    }

    /** The axis across which 2D augmentation works slice by slice; null for 3D augmentation. */
    public Integer augmentationSliceAxis() {
        return augmentationSliceAxis;
    }

    /** True: Dice over the whole batch as one pseudo-volume; false: per sample, averaged. */
    public boolean batchDice() {
        return batchDice;
    }

    /** Number of training epochs. */
    public int numEpochs() {
        return numEpochs;
    }

    /** Optimizer steps per epoch. */
    public int iterationsPerEpoch() {
        return iterationsPerEpoch;
    }

    /** For the cascade's second stage: the configuration whose segmentation it gets; else null. */
    public String previousStage() {
        return previousStage;
    }

    /** For the cascade's first stage: the configuration that uses its segmentation; else null. */
    public String nextStage() {
        return nextStage;
    }

    /**
     * Fills a configuration while a planner (or {@link PlanOverrides}) builds it; {@link #build()}
     * hands out a frozen copy, so later stages read a plan they cannot change. Setters copy the
     * arrays and lists they are given.
     */
    public static final class Builder {

        private final PlanConfiguration c;
        /** Why the batch was capped, for the planner's notes; not part of the configuration. */
        String batchCapNote;

        private Builder(PlanConfiguration start) {
            this.c = start;
        }

        /** The configuration as built so far, frozen (later setters do not change it). */
        public PlanConfiguration build() {
            return new PlanConfiguration(c, c.name);
        }

        /** Configuration name. */
        public String name() {
            return c.name;
        }

        /**
         * Sets {@link PlanConfiguration#dataIdentifier()}.
         *
         * @param dataIdentifier the new value
         * @return this builder
         */
        public Builder setDataIdentifier(String dataIdentifier) {
            c.dataIdentifier = dataIdentifier;
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#dimensions()}.
         *
         * @param dimensions the new value
         * @return this builder
         */
        public Builder setDimensions(int dimensions) {
            c.dimensions = dimensions;
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#sliceAxis()}.
         *
         * @param sliceAxis the new value
         * @return this builder
         */
        public Builder setSliceAxis(Integer sliceAxis) {
            c.sliceAxis = sliceAxis;
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#spacing()}.
         *
         * @param spacing the new value
         * @return this builder
         */
        public Builder setSpacing(double[] spacing) {
            c.spacing = spacing.clone();
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#medianShape()}.
         *
         * @param medianShape the new value
         * @return this builder
         */
        public Builder setMedianShape(long[] medianShape) {
            c.medianShape = medianShape.clone();
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#datasetVoxels()}.
         *
         * @param datasetVoxels the new value
         * @return this builder
         */
        public Builder setDatasetVoxels(double datasetVoxels) {
            c.datasetVoxels = datasetVoxels;
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#patchSize()}.
         *
         * @param patchSize the new value
         * @return this builder
         */
        public Builder setPatchSize(long[] patchSize) {
            c.patchSize = patchSize.clone();
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#batchSize()}.
         *
         * @param batchSize the new value
         * @return this builder
         */
        public Builder setBatchSize(int batchSize) {
            c.batchSize = batchSize;
            return this;
        }

        /**
         * Sets poolings, strides and kernel sizes.
         *
         * @param t the topology
         * @return this builder
         */
        public Builder setTopology(NetworkTopology t) {
            c.poolingsPerAxis = t.poolingsPerAxis();
            c.strides = t.strides();
            c.kernelSizes = t.kernelSizes();
            return this;
        }

        /**
         * Sets the features.
         *
         * @param base     feature maps of the top stage
         * @param max      cap on the feature maps of any stage
         * @param perStage feature maps of every stage
         * @return this builder
         */
        public Builder setFeatures(int base, int max, int[] perStage) {
            c.baseFeatures = base;
            c.maxFeatures = max;
            c.featuresPerStage = perStage.clone();
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#convolutionsPerStage()}.
         *
         * @param convolutionsPerStage the new value
         * @return this builder
         */
        public Builder setConvolutionsPerStage(int convolutionsPerStage) {
            c.convolutionsPerStage = convolutionsPerStage;
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#normalization()}.
         *
         * @param normalization the new value
         * @return this builder
         */
        public Builder setNormalization(List<ChannelNormalization> normalization) {
            c.normalization = new ArrayList<>(normalization);
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
        public Builder setResampling(int image, int label, int outOfPlane, double threshold) {
            c.imageResamplingOrder = image;
            c.labelResamplingOrder = label;
            c.outOfPlaneResamplingOrder = outOfPlane;
            c.anisotropyThreshold = threshold;
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#anisotropicAxis()}.
         *
         * @param anisotropicAxis the new value
         * @return this builder
         */
        public Builder setAnisotropicAxis(Integer anisotropicAxis) {
            c.anisotropicAxis = anisotropicAxis;
            return this;
        }

        /**
         * Sets the augmentation mode.
         *
         * @param slicewise true for 2D augmentation slice by slice
         * @param sliceAxis the axis across which slices are taken, null for 3D augmentation
         * @return this builder
         */
        public Builder setAugmentation(boolean slicewise, Integer sliceAxis) {
            c.augmentation2D = slicewise;
            c.augmentationSliceAxis = sliceAxis;
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#batchDice()}.
         *
         * @param batchDice the new value
         * @return this builder
         */
        public Builder setBatchDice(boolean batchDice) {
            c.batchDice = batchDice;
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#numEpochs()}.
         *
         * @param numEpochs the new value
         * @return this builder
         */
        public Builder setNumEpochs(int numEpochs) {
            c.numEpochs = numEpochs;
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#iterationsPerEpoch()}.
         *
         * @param iterationsPerEpoch the new value
         * @return this builder
         */
        public Builder setIterationsPerEpoch(int iterationsPerEpoch) {
            c.iterationsPerEpoch = iterationsPerEpoch;
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#previousStage()}.
         *
         * @param previousStage the new value
         * @return this builder
         */
        public Builder setPreviousStage(String previousStage) {
            c.previousStage = previousStage;
            return this;
        }

        /**
         * Sets {@link PlanConfiguration#nextStage()}.
         *
         * @param nextStage the new value
         * @return this builder
         */
        public Builder setNextStage(String nextStage) {
            c.nextStage = nextStage;
            return this;
        }
    }
}
