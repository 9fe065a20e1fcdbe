package io.github.nnunetfiji.train.augment;

/**
 * Switches, probabilities and ranges of the training augmentation. Defaults are the reference's
 * (TRAINING-INFERENCE.md, section 2), except elastic deformation, which the paper has on (with the
 * parameters of the reference's first version) and the reference's current default has off.
 * "Probability" is the chance that a transform runs for a sample; "per channel" the chance that a
 * running transform touches a given channel. Immutable: each {@code with*} returns a copy.
 */
public final class AugmentationOptions implements Cloneable {

    /** How images are interpolated by the spatial transform. */
    public enum ImageInterpolation {
        /** (Bi/tri)linear, out-of-patch taps count as 0 (reference). */
        LINEAR,
        /** Cubic convolution (Keys, a = -0.5), out-of-patch taps count as 0; 4x the work in 2D, 8x in 3D. */
        CUBIC
    }

    /** How label maps are interpolated by the spatial transform. */
    public enum LabelInterpolation {
        /** Nearest voxel. */
        NEAREST,
        /** Each label as a one-hot map, linearly interpolated, then the label of largest weight (reference). */
        ONE_HOT_LINEAR
    }

    /** False: no augmentation at all (patches cut as validation cuts them). */
    private boolean enabled = true;

    private double rotationProbability = 0.2;
    /**
     * Rotation range in degrees (+-), or NaN for the reference's choice: 3D +-30 per axis; slice-wise
     * +-180 in plane; 2D +-180, or +-15 when the patch's longer edge exceeds 1.5 x its shorter.
     */
    private double rotationDegrees = Double.NaN;
    private double scalingProbability = 0.2;
    /** Scale factor range, one factor for all axes; above 1 makes objects smaller. */
    private double scaleMin = 0.7;
    private double scaleMax = 1.4;

    /** Elastic deformation (paper: on; the reference's current default: off). */
    private boolean elastic = true;
    private double elasticProbability = 0.2;
    /** Displacement magnitude range (voxels x smoothing), or NaN: 0-900 in 3D, 0-200 in 2D and slice-wise. */
    private double elasticAlphaMin = 0;
    private double elasticAlphaMax = Double.NaN;
    /** Smoothing (Gaussian sigma, voxels) range of the displacement field. */
    private double elasticSigmaMin = 9;
    private double elasticSigmaMax = 13;

    private ImageInterpolation imageInterpolation = ImageInterpolation.LINEAR;
    private LabelInterpolation labelInterpolation = LabelInterpolation.ONE_HOT_LINEAR;

    private double noiseProbability = 0.1;
    /** Noise standard deviation drawn from U(0, noiseStdMax), one for all channels. */
    private double noiseStdMax = 0.1;

    private double blurProbability = 0.2;
    private double blurPerChannel = 0.5;
    /** Blur sigma range (voxels), drawn per channel and axis. */
    private double blurSigmaMin = 0.5;
    private double blurSigmaMax = 1.0;

    private double brightnessProbability = 0.15;
    private double brightnessMin = 0.75;
    private double brightnessMax = 1.25;

    private double contrastProbability = 0.15;
    private double contrastMin = 0.75;
    private double contrastMax = 1.25;

    private double lowResolutionProbability = 0.25;
    private double lowResolutionPerChannel = 0.5;
    /** Zoom range of the simulated low resolution (fraction of the patch size). */
    private double lowResolutionZoomMin = 0.5;
    private double lowResolutionZoomMax = 1.0;

    /** Gamma on the inverted image. */
    private double invertedGammaProbability = 0.1;
    private double gammaProbability = 0.3;
    private double gammaMin = 0.7;
    private double gammaMax = 1.5;

    /** Mirroring: every axis of the network is flipped with this probability. */
    private boolean mirror = true;
    private double mirrorProbability = 0.5;

    /** The reference's defaults with elastic deformation on (the paper). */
    public static AugmentationOptions defaults() {
        return new AugmentationOptions();
    }

    /** The reference's current defaults: elastic deformation off. */
    public static AugmentationOptions reference() {
        return defaults().withElastic(false);
    }

    /** No augmentation. */
    public static AugmentationOptions none() {
        return defaults().withEnabled(false);
    }

    private AugmentationOptions() {
    }

    private AugmentationOptions copy() {
        try {
            return (AugmentationOptions) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public double rotationProbability() {
        return rotationProbability;
    }

    public double rotationDegrees() {
        return rotationDegrees;
    }

    public double scalingProbability() {
        return scalingProbability;
    }

    public double scaleMin() {
        return scaleMin;
    }

    public double scaleMax() {
        return scaleMax;
    }

    public boolean elastic() {
        return elastic;
    }

    public double elasticProbability() {
        return elasticProbability;
    }

    public double elasticAlphaMin() {
        return elasticAlphaMin;
    }

    public double elasticAlphaMax() {
        return elasticAlphaMax;
    }

    public double elasticSigmaMin() {
        return elasticSigmaMin;
    }

    public double elasticSigmaMax() {
        return elasticSigmaMax;
    }

    public ImageInterpolation imageInterpolation() {
        return imageInterpolation;
    }

    public LabelInterpolation labelInterpolation() {
        return labelInterpolation;
    }

    public double noiseProbability() {
        return noiseProbability;
    }

    public double noiseStdMax() {
        return noiseStdMax;
    }

    public double blurProbability() {
        return blurProbability;
    }

    public double blurPerChannel() {
        return blurPerChannel;
    }

    public double blurSigmaMin() {
        return blurSigmaMin;
    }

    public double blurSigmaMax() {
        return blurSigmaMax;
    }

    public double brightnessProbability() {
        return brightnessProbability;
    }

    public double brightnessMin() {
        return brightnessMin;
    }

    public double brightnessMax() {
        return brightnessMax;
    }

    public double contrastProbability() {
        return contrastProbability;
    }

    public double contrastMin() {
        return contrastMin;
    }

    public double contrastMax() {
        return contrastMax;
    }

    public double lowResolutionProbability() {
        return lowResolutionProbability;
    }

    public double lowResolutionPerChannel() {
        return lowResolutionPerChannel;
    }

    public double lowResolutionZoomMin() {
        return lowResolutionZoomMin;
    }

    public double lowResolutionZoomMax() {
        return lowResolutionZoomMax;
    }

    public double invertedGammaProbability() {
        return invertedGammaProbability;
    }

    public double gammaProbability() {
        return gammaProbability;
    }

    public double gammaMin() {
        return gammaMin;
    }

    public double gammaMax() {
        return gammaMax;
    }

    public boolean mirror() {
        return mirror;
    }

    public double mirrorProbability() {
        return mirrorProbability;
    }

    public AugmentationOptions withEnabled(boolean v) {
        AugmentationOptions c = copy();
        c.enabled = v;
        return c;
    }

    public AugmentationOptions withRotationProbability(double v) {
        AugmentationOptions c = copy();
        c.rotationProbability = v;
        return c;
    }

    public AugmentationOptions withRotationDegrees(double v) {
        AugmentationOptions c = copy();
        c.rotationDegrees = v;
        return c;
    }

    public AugmentationOptions withScalingProbability(double v) {
        AugmentationOptions c = copy();
        c.scalingProbability = v;
        return c;
    }

    public AugmentationOptions withScaleMin(double v) {
        AugmentationOptions c = copy();
        c.scaleMin = v;
        return c;
    }

    public AugmentationOptions withScaleMax(double v) {
        AugmentationOptions c = copy();
        c.scaleMax = v;
        return c;
    }

    public AugmentationOptions withElastic(boolean v) {
        AugmentationOptions c = copy();
        c.elastic = v;
        return c;
    }

    public AugmentationOptions withElasticProbability(double v) {
        AugmentationOptions c = copy();
        c.elasticProbability = v;
        return c;
    }

    public AugmentationOptions withElasticAlphaMin(double v) {
        AugmentationOptions c = copy();
        c.elasticAlphaMin = v;
        return c;
    }

    public AugmentationOptions withElasticAlphaMax(double v) {
        AugmentationOptions c = copy();
        c.elasticAlphaMax = v;
        return c;
    }

    public AugmentationOptions withElasticSigmaMin(double v) {
        AugmentationOptions c = copy();
        c.elasticSigmaMin = v;
        return c;
    }

    public AugmentationOptions withElasticSigmaMax(double v) {
        AugmentationOptions c = copy();
        c.elasticSigmaMax = v;
        return c;
    }

    public AugmentationOptions withImageInterpolation(ImageInterpolation v) {
        AugmentationOptions c = copy();
        c.imageInterpolation = v;
        return c;
    }

    public AugmentationOptions withLabelInterpolation(LabelInterpolation v) {
        AugmentationOptions c = copy();
        c.labelInterpolation = v;
        return c;
    }

    public AugmentationOptions withNoiseProbability(double v) {
        AugmentationOptions c = copy();
        c.noiseProbability = v;
        return c;
    }

    public AugmentationOptions withNoiseStdMax(double v) {
        AugmentationOptions c = copy();
        c.noiseStdMax = v;
        return c;
    }

    public AugmentationOptions withBlurProbability(double v) {
        AugmentationOptions c = copy();
        c.blurProbability = v;
        return c;
    }

    public AugmentationOptions withBlurPerChannel(double v) {
        AugmentationOptions c = copy();
        c.blurPerChannel = v;
        return c;
    }

    public AugmentationOptions withBlurSigmaMin(double v) {
        AugmentationOptions c = copy();
        c.blurSigmaMin = v;
        return c;
    }

    public AugmentationOptions withBlurSigmaMax(double v) {
        AugmentationOptions c = copy();
        c.blurSigmaMax = v;
        return c;
    }

    public AugmentationOptions withBrightnessProbability(double v) {
        AugmentationOptions c = copy();
        c.brightnessProbability = v;
        return c;
    }

    public AugmentationOptions withBrightnessMin(double v) {
        AugmentationOptions c = copy();
        c.brightnessMin = v;
        return c;
    }

    public AugmentationOptions withBrightnessMax(double v) {
        AugmentationOptions c = copy();
        c.brightnessMax = v;
        return c;
    }

    public AugmentationOptions withContrastProbability(double v) {
        AugmentationOptions c = copy();
        c.contrastProbability = v;
        return c;
    }

    public AugmentationOptions withContrastMin(double v) {
        AugmentationOptions c = copy();
        c.contrastMin = v;
        return c;
    }

    public AugmentationOptions withContrastMax(double v) {
        AugmentationOptions c = copy();
        c.contrastMax = v;
        return c;
    }

    public AugmentationOptions withLowResolutionProbability(double v) {
        AugmentationOptions c = copy();
        c.lowResolutionProbability = v;
        return c;
    }

    public AugmentationOptions withLowResolutionPerChannel(double v) {
        AugmentationOptions c = copy();
        c.lowResolutionPerChannel = v;
        return c;
    }

    public AugmentationOptions withLowResolutionZoomMin(double v) {
        AugmentationOptions c = copy();
        c.lowResolutionZoomMin = v;
        return c;
    }

    public AugmentationOptions withLowResolutionZoomMax(double v) {
        AugmentationOptions c = copy();
        c.lowResolutionZoomMax = v;
        return c;
    }

    public AugmentationOptions withInvertedGammaProbability(double v) {
        AugmentationOptions c = copy();
        c.invertedGammaProbability = v;
        return c;
    }

    public AugmentationOptions withGammaProbability(double v) {
        AugmentationOptions c = copy();
        c.gammaProbability = v;
        return c;
    }

    public AugmentationOptions withGammaMin(double v) {
        AugmentationOptions c = copy();
        c.gammaMin = v;
        return c;
    }

    public AugmentationOptions withGammaMax(double v) {
        AugmentationOptions c = copy();
        c.gammaMax = v;
        return c;
    }

    public AugmentationOptions withMirror(boolean v) {
        AugmentationOptions c = copy();
        c.mirror = v;
        return c;
    }

    public AugmentationOptions withMirrorProbability(double v) {
        AugmentationOptions c = copy();
        c.mirrorProbability = v;
        return c;
    }

    /** True if a sample may be rotated, scaled or deformed (the loader then reads an enlarged patch). */
    public boolean spatial() {
        return enabled && (rotationProbability > 0 || scalingProbability > 0 || (elastic && elasticProbability > 0));
    }

    /** Checks the ranges; throws with the name of the first bad field. */
    public AugmentationOptions validate() {
        check("rotationProbability", rotationProbability);
        check("scalingProbability", scalingProbability);
        check("elasticProbability", elasticProbability);
        check("noiseProbability", noiseProbability);
        check("blurProbability", blurProbability);
        check("blurPerChannel", blurPerChannel);
        check("brightnessProbability", brightnessProbability);
        check("contrastProbability", contrastProbability);
        check("lowResolutionProbability", lowResolutionProbability);
        check("lowResolutionPerChannel", lowResolutionPerChannel);
        check("invertedGammaProbability", invertedGammaProbability);
        check("gammaProbability", gammaProbability);
        check("mirrorProbability", mirrorProbability);
        range("scale", scaleMin, scaleMax, 1e-3);
        range("blurSigma", blurSigmaMin, blurSigmaMax, 0);
        range("lowResolutionZoom", lowResolutionZoomMin, lowResolutionZoomMax, 1e-3);
        range("gamma", gammaMin, gammaMax, 1e-3);
        range("elasticSigma", elasticSigmaMin, elasticSigmaMax, 1e-3);
        if (!(rotationDegrees >= 0) && !Double.isNaN(rotationDegrees)) {
            throw new IllegalArgumentException("rotationDegrees must be >= 0 (or NaN for the default), got " + rotationDegrees);
        }
        return this;
    }

    private static void check(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + p);
        }
    }

    private static void range(String name, double min, double max, double floor) {
        if (!(min >= floor && max >= min)) {
            throw new IllegalArgumentException(name + " range must satisfy " + floor + " <= min <= max, got " + min
                    + " .. " + max);
        }
    }
}
