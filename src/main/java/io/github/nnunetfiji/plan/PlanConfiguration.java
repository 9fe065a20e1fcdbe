package io.github.nnunetfiji.plan;

import java.util.ArrayList;
import java.util.List;

import io.github.nnunetfiji.image.AxisOrder;

/**
 * One planned network: the data it trains on (spacing, normalization, resampling), its topology
 * (patch, poolings, kernels, features) and how it trains (batch, augmentation, Dice, epochs).
 * Every per-axis array follows {@link AxisOrder} ({@code x, y, z}); a 2D configuration has
 * patch edge 1, no pooling and kernel 1 along its {@link #sliceAxis()}.
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
    /** Why the batch was capped, for the planner's notes; not part of the file. */
    transient String batchCapNote;

    /**
     * An empty configuration; the planner fills it.
     *
     * @param name configuration name, e.g. {@link #CONFIG_3D_FULLRES}
     */
    public PlanConfiguration(String name) {
        this.name = name;
        this.normalization = new ArrayList<>();
    }

    /**
     * A deep copy under another name (used for the cascade's full-resolution stage).
     *
     * @param newName the name of the copy
     * @return the copy
     */
    public PlanConfiguration copyAs(String newName) {
        PlanConfiguration c = new PlanConfiguration(newName);
        c.dataIdentifier = dataIdentifier;
        c.dimensions = dimensions;
        c.sliceAxis = sliceAxis;
        c.spacing = spacing.clone();
        c.medianShape = medianShape.clone();
        c.datasetVoxels = datasetVoxels;
        c.patchSize = patchSize.clone();
        c.batchSize = batchSize;
        c.poolingsPerAxis = poolingsPerAxis.clone();
        c.strides = NetworkTopology.deepCopy(strides);
        c.kernelSizes = NetworkTopology.deepCopy(kernelSizes);
        c.baseFeatures = baseFeatures;
        c.maxFeatures = maxFeatures;
        c.featuresPerStage = featuresPerStage.clone();
        c.convolutionsPerStage = convolutionsPerStage;
        c.normalization = new ArrayList<>(normalization);
        c.imageResamplingOrder = imageResamplingOrder;
        c.labelResamplingOrder = labelResamplingOrder;
        c.anisotropicAxis = anisotropicAxis;
        c.outOfPlaneResamplingOrder = outOfPlaneResamplingOrder;
        c.anisotropyThreshold = anisotropyThreshold;
        c.augmentation2D = augmentation2D;
        c.augmentationSliceAxis = augmentationSliceAxis;
        c.batchDice = batchDice;
        c.numEpochs = numEpochs;
        c.iterationsPerEpoch = iterationsPerEpoch;
        c.previousStage = previousStage;
        c.nextStage = nextStage;
        return c;
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

    /**
     * Sets {@link #dataIdentifier()}.
     *
     * @param dataIdentifier the new value
     */
    public void setDataIdentifier(String dataIdentifier) {
        this.dataIdentifier = dataIdentifier;
    }

    /** 2 for the 2D U-Net (slice by slice), 3 otherwise. */
    public int dimensions() {
        return dimensions;
    }

    /**
     * Sets {@link #dimensions()}.
     *
     * @param dimensions the new value
     */
    public void setDimensions(int dimensions) {
        this.dimensions = dimensions;
    }

    /** True for a 2D U-Net. */
    public boolean is2D() {
        return dimensions == 2;
    }

    /** For a 2D U-Net: the axis across which the volume is cut into slices; null for 3D. */
    public Integer sliceAxis() {
        return sliceAxis;
    }

    /**
     * Sets {@link #sliceAxis()}.
     *
     * @param sliceAxis the new value
     */
    public void setSliceAxis(Integer sliceAxis) {
        this.sliceAxis = sliceAxis;
    }

    /** Target voxel spacing the data are resampled to. */
    public double[] spacing() {
        return spacing.clone();
    }

    /**
     * Sets {@link #spacing()}.
     *
     * @param spacing the new value
     */
    public void setSpacing(double[] spacing) {
        this.spacing = spacing.clone();
    }

    /** Per-axis median shape of the cropped cases at {@link #spacing()}. */
    public long[] medianShape() {
        return medianShape.clone();
    }

    /**
     * Sets {@link #medianShape()}.
     *
     * @param medianShape the new value
     */
    public void setMedianShape(long[] medianShape) {
        this.medianShape = medianShape.clone();
    }

    /** Voxels of the whole training set at {@link #spacing()} (the 5% batch cap is taken from it). */
    public double datasetVoxels() {
        return datasetVoxels;
    }

    /**
     * Sets {@link #datasetVoxels()}.
     *
     * @param datasetVoxels the new value
     */
    public void setDatasetVoxels(double datasetVoxels) {
        this.datasetVoxels = datasetVoxels;
    }

    /** Patch size in voxels per axis; 1 along the slice axis of a 2D configuration. */
    public long[] patchSize() {
        return patchSize.clone();
    }

    /** Voxels of one patch. */
    public long patchVoxels() {
        return patchSize[0] * patchSize[1] * patchSize[2];
    }

    /**
     * Sets {@link #patchSize()}.
     *
     * @param patchSize the new value
     */
    public void setPatchSize(long[] patchSize) {
        this.patchSize = patchSize.clone();
    }

    /** Patches per optimizer step. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Sets {@link #batchSize()}.
     *
     * @param batchSize the new value
     */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    /** The network's poolings, strides and kernels. */
    public NetworkTopology topology() {
        return new NetworkTopology(poolingsPerAxis, strides, kernelSizes);
    }

    /**
     * Sets poolings, strides and kernel sizes.
     *
     * @param t the topology
     */
    public void setTopology(NetworkTopology t) {
        this.poolingsPerAxis = t.poolingsPerAxis();
        this.strides = t.strides();
        this.kernelSizes = t.kernelSizes();
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

    /**
     * Sets the features.
     *
     * @param base     feature maps of the top stage
     * @param max      cap on the feature maps of any stage
     * @param perStage feature maps of every stage
     */
    public void setFeatures(int base, int max, int[] perStage) {
        this.baseFeatures = base;
        this.maxFeatures = max;
        this.featuresPerStage = perStage.clone();
    }

    /** Convolutions (each with instance norm and leaky ReLU) per stage, in encoder and decoder. */
    public int convolutionsPerStage() {
        return convolutionsPerStage;
    }

    /**
     * Sets {@link #convolutionsPerStage()}.
     *
     * @param convolutionsPerStage the new value
     */
    public void setConvolutionsPerStage(int convolutionsPerStage) {
        this.convolutionsPerStage = convolutionsPerStage;
    }

    /** Normalization of every channel, in channel order. */
    public List<ChannelNormalization> normalization() {
        return List.copyOf(normalization);
    }

    /**
     * Sets {@link #normalization()}.
     *
     * @param normalization the new value
     */
    public void setNormalization(List<ChannelNormalization> normalization) {
        this.normalization = new ArrayList<>(normalization);
    }

    /** Spline order for resampling images (3 = cubic). */
    public int imageResamplingOrder() {
        return imageResamplingOrder;
    }

    /** Order for resampling label maps: 0 = nearest neighbour, 1 = linear on one-hot channels then argmax. */
    public int labelResamplingOrder() {
        return labelResamplingOrder;
    }

    /**
     * Sets the resampling orders.
     *
     * @param image      spline order for images
     * @param label      order for label maps (0 nearest, 1 one-hot linear)
     * @param outOfPlane order along the anisotropic axis when resampling it separately
     * @param threshold  spacing ratio (largest / smallest) above which that axis is resampled separately
     */
    public void setResampling(int image, int label, int outOfPlane, double threshold) {
        this.imageResamplingOrder = image;
        this.labelResamplingOrder = label;
        this.outOfPlaneResamplingOrder = outOfPlane;
        this.anisotropyThreshold = threshold;
    }

    /** The axis of much coarser target spacing (resampled separately), or null if none. */
    public Integer anisotropicAxis() {
        return anisotropicAxis;
    }

    /**
     * Sets {@link #anisotropicAxis()}.
     *
     * @param anisotropicAxis the new value
     */
    public void setAnisotropicAxis(Integer anisotropicAxis) {
        this.anisotropicAxis = anisotropicAxis;
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

    /**
     * Sets the augmentation mode.
     *
     * @param slicewise true for 2D augmentation slice by slice
     * @param sliceAxis the axis across which slices are taken, null for 3D augmentation
     */
    public void setAugmentation(boolean slicewise, Integer sliceAxis) {
        this.augmentation2D = slicewise;
        this.augmentationSliceAxis = sliceAxis;
    }

    /** True: Dice over the whole batch as one pseudo-volume; false: per sample, averaged. */
    public boolean batchDice() {
        return batchDice;
    }

    /**
     * Sets {@link #batchDice()}.
     *
     * @param batchDice the new value
     */
    public void setBatchDice(boolean batchDice) {
        this.batchDice = batchDice;
    }

    /** Number of training epochs. */
    public int numEpochs() {
        return numEpochs;
    }

    /**
     * Sets {@link #numEpochs()}.
     *
     * @param numEpochs the new value
     */
    public void setNumEpochs(int numEpochs) {
        this.numEpochs = numEpochs;
    }

    /** Optimizer steps per epoch. */
    public int iterationsPerEpoch() {
        return iterationsPerEpoch;
    }

    /**
     * Sets {@link #iterationsPerEpoch()}.
     *
     * @param iterationsPerEpoch the new value
     */
    public void setIterationsPerEpoch(int iterationsPerEpoch) {
        this.iterationsPerEpoch = iterationsPerEpoch;
    }

    /** For the cascade's second stage: the configuration whose segmentation it gets; else null. */
    public String previousStage() {
        return previousStage;
    }

    /**
     * Sets {@link #previousStage()}.
     *
     * @param previousStage the new value
     */
    public void setPreviousStage(String previousStage) {
        this.previousStage = previousStage;
    }

    /** For the cascade's first stage: the configuration that uses its segmentation; else null. */
    public String nextStage() {
        return nextStage;
    }

    /**
     * Sets {@link #nextStage()}.
     *
     * @param nextStage the new value
     */
    public void setNextStage(String nextStage) {
        this.nextStage = nextStage;
    }
}
