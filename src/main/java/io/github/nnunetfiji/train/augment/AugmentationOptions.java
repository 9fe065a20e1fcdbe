package io.github.nnunetfiji.train.augment;

/**
 * Switches, probabilities and ranges of the training augmentation. Defaults are the reference's
 * (TRAINING-INFERENCE.md, section 2), except elastic deformation, which the paper has on (with the
 * parameters of the reference's first version) and the reference's current default has off.
 * "Probability" is the chance that a transform runs for a sample; "per channel" the chance that a
 * running transform touches a given channel.
 */
public final class AugmentationOptions {

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
    public boolean enabled = true;

    public double rotationProbability = 0.2;
    /**
     * Rotation range in degrees (+-), or NaN for the reference's choice: 3D +-30 per axis; slice-wise
     * +-180 in plane; 2D +-180, or +-15 when the patch's longer edge exceeds 1.5 x its shorter.
     */
    public double rotationDegrees = Double.NaN;
    public double scalingProbability = 0.2;
    /** Scale factor range, one factor for all axes; above 1 makes objects smaller. */
    public double scaleMin = 0.7;
    public double scaleMax = 1.4;

    /** Elastic deformation (paper: on; the reference's current default: off). */
    public boolean elastic = true;
    public double elasticProbability = 0.2;
    /** Displacement magnitude range (voxels x smoothing), or NaN: 0-900 in 3D, 0-200 in 2D and slice-wise. */
    public double elasticAlphaMin = 0;
    public double elasticAlphaMax = Double.NaN;
    /** Smoothing (Gaussian sigma, voxels) range of the displacement field. */
    public double elasticSigmaMin = 9;
    public double elasticSigmaMax = 13;

    public ImageInterpolation imageInterpolation = ImageInterpolation.LINEAR;
    public LabelInterpolation labelInterpolation = LabelInterpolation.ONE_HOT_LINEAR;

    public double noiseProbability = 0.1;
    /** Noise standard deviation drawn from U(0, noiseStdMax), one for all channels. */
    public double noiseStdMax = 0.1;

    public double blurProbability = 0.2;
    public double blurPerChannel = 0.5;
    /** Blur sigma range (voxels), drawn per channel and axis. */
    public double blurSigmaMin = 0.5;
    public double blurSigmaMax = 1.0;

    public double brightnessProbability = 0.15;
    public double brightnessMin = 0.75;
    public double brightnessMax = 1.25;

    public double contrastProbability = 0.15;
    public double contrastMin = 0.75;
    public double contrastMax = 1.25;

    public double lowResolutionProbability = 0.25;
    public double lowResolutionPerChannel = 0.5;
    /** Zoom range of the simulated low resolution (fraction of the patch size). */
    public double lowResolutionZoomMin = 0.5;
    public double lowResolutionZoomMax = 1.0;

    /** Gamma on the inverted image. */
    public double invertedGammaProbability = 0.1;
    public double gammaProbability = 0.3;
    public double gammaMin = 0.7;
    public double gammaMax = 1.5;

    /** Mirroring: every axis of the network is flipped with this probability. */
    public boolean mirror = true;
    public double mirrorProbability = 0.5;

    /** The reference's defaults with elastic deformation on (the paper). */
    public static AugmentationOptions defaults() {
        return new AugmentationOptions();
    }

    /** The reference's current defaults: elastic deformation off. */
    public static AugmentationOptions reference() {
        AugmentationOptions o = new AugmentationOptions();
        o.elastic = false;
        return o;
    }

    /** No augmentation. */
    public static AugmentationOptions none() {
        AugmentationOptions o = new AugmentationOptions();
        o.enabled = false;
        return o;
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
