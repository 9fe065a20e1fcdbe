package io.github.nnunetfiji.bioimageio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;
import io.github.nnunetfiji.plan.ChannelNormalization;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;

/**
 * The plan's intensity normalization as bioimage.io preprocessing steps, and those steps computed
 * here as the format defines them (for the test output). What the format can say: z-score per
 * sample and channel ({@code zero_mean_unit_variance} over the spatial axes), CT's clip to the data
 * set's percentiles and z-score with its fixed mean and standard deviation ({@code clip},
 * {@code fixed_zero_mean_unit_variance}; one channel, since {@code clip} takes one range), rescaling
 * to [0, 1] ({@code scale_range} 0-100 percentiles) and none. What it cannot is refused: statistics
 * inside the nonzero mask only, different schemes on different channels, several CT channels.
 */
final class InputPreprocessing {

    /** nnU-Net floors the standard deviation at 1e-8; the format adds its {@code eps} to it instead. */
    static final double EPS = 1e-8;
    /** What bioimage.io's tools add to the fixed standard deviation. */
    static final double FIXED_EPS = 1e-6;

    private final String scheme;
    private final ChannelIntensityStatistics ct;

    private InputPreprocessing(String scheme, ChannelIntensityStatistics ct) {
        this.scheme = scheme;
        this.ct = ct;
    }

    static InputPreprocessing of(Plans plans, PlanConfiguration c) {
        List<ChannelNormalization> n = c.normalization();
        String scheme = n.get(0).scheme();
        for (ChannelNormalization ch : n) {
            if (ch.useNonzeroMask()) {
                throw new IllegalArgumentException("Channel " + ch.channelName() + " of configuration " + c.name()
                        + " is normalized inside the nonzero region only, which the bioimage.io format cannot express;"
                        + " this configuration cannot be exported to it");
            }
            if (!ch.scheme().equals(scheme)) {
                throw new IllegalArgumentException("Configuration " + c.name() + " normalizes its channels differently ("
                        + n.get(0).channelName() + ": " + scheme + ", " + ch.channelName() + ": " + ch.scheme()
                        + "), which the bioimage.io format cannot express; it cannot be exported to it");
            }
        }
        switch (scheme) {
            case ChannelNormalization.ZSCORE, "NoNorm", "RescaleTo01" -> {
                return new InputPreprocessing(scheme, null);
            }
            case ChannelNormalization.CT -> {
                if (n.size() != 1) {
                    throw new IllegalArgumentException("Configuration " + c.name() + " has " + n.size() + " CT channels; "
                            + "the bioimage.io format clips all channels to one range, so only one can be exported");
                }
                ChannelIntensityStatistics s = plans.foregroundIntensity().isEmpty() ? null
                        : plans.foregroundIntensity().get(n.get(0).channel());
                if (s == null) {
                    throw new IllegalArgumentException("The plans hold no foreground statistics for the CT channel; "
                            + "plan the data set again");
                }
                return new InputPreprocessing(scheme, s);
            }
            default -> throw new IllegalArgumentException("Normalization " + scheme + " of configuration " + c.name()
                    + " has no bioimage.io equivalent; it cannot be exported to that format");
        }
    }

    String scheme() {
        return scheme;
    }

    /** The {@code preprocessing} list of the input tensor. */
    List<Map<String, Object>> steps(List<String> spatialAxes) {
        List<Map<String, Object>> steps = new ArrayList<>();
        steps.add(step("ensure_dtype", Map.of("dtype", "float32")));
        switch (scheme) {
            case ChannelNormalization.ZSCORE -> steps.add(step("zero_mean_unit_variance",
                    ordered("axes", spatialAxes, "eps", EPS)));
            case "RescaleTo01" -> steps.add(step("scale_range", ordered("axes", spatialAxes, "min_percentile", 0.0,
                    "max_percentile", 100.0, "eps", EPS)));
            case ChannelNormalization.CT -> {
                steps.add(step("clip", ordered("min", ct.percentile00_5(), "max", ct.percentile99_5())));
                steps.add(step("fixed_zero_mean_unit_variance", ordered("mean", ct.mean(), "std", ct.std())));
            }
            default -> {
                // NoNorm: the network takes the intensities as they are
            }
        }
        return steps;
    }

    /** The tile's values after {@link #steps}, computed as the format defines each step. */
    float[] apply(TestTile tile) {
        float[] out = tile.values().clone();
        int voxels = tile.voxels();
        for (int c = 0; c < tile.channels(); c++) {
            int from = c * voxels;
            int to = from + voxels;
            switch (scheme) {
                case ChannelNormalization.ZSCORE -> {
                    double mean = 0;
                    for (int i = from; i < to; i++) {
                        mean += out[i];
                    }
                    mean /= voxels;
                    double ss = 0;
                    for (int i = from; i < to; i++) {
                        ss += (out[i] - mean) * (out[i] - mean);
                    }
                    double std = Math.sqrt(ss / voxels);
                    for (int i = from; i < to; i++) {
                        out[i] = (float) ((out[i] - mean) / (std + EPS));
                    }
                }
                case "RescaleTo01" -> {
                    double min = Double.POSITIVE_INFINITY;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = from; i < to; i++) {
                        min = Math.min(min, out[i]);
                        max = Math.max(max, out[i]);
                    }
                    for (int i = from; i < to; i++) {
                        out[i] = (float) ((out[i] - min) / (max - min + EPS));
                    }
                }
                case ChannelNormalization.CT -> {
                    for (int i = from; i < to; i++) {
                        double v = Math.min(Math.max(out[i], ct.percentile00_5()), ct.percentile99_5());
                        out[i] = (float) ((v - ct.mean()) / (ct.std() + FIXED_EPS));
                    }
                }
                default -> {
                }
            }
        }
        return out;
    }

    /** How the steps differ from what nnU-Net computes, for the documentation. */
    String difference() {
        return switch (scheme) {
            case ChannelNormalization.ZSCORE -> "z-score per channel over the tensor the model is given; nnU-Net "
                    + "computes mean and standard deviation over the whole image cropped to its nonzero region, so "
                    + "give the whole image as one tensor, or expect tiles normalized each on their own";
            case "RescaleTo01" -> "rescaled to [0, 1] per channel over the tensor the model is given; nnU-Net uses "
                    + "the whole cropped image's minimum and maximum";
            case ChannelNormalization.CT -> "clipped to the training data's foreground 0.5 and 99.5 percentiles "
                    + "and z-scored with its foreground mean and standard deviation, as nnU-Net does";
            default -> "none: the network takes the intensities as they are";
        };
    }

    private static Map<String, Object> step(String id, Map<String, Object> kwargs) {
        return ordered("id", id, "kwargs", kwargs);
    }

    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
