package io.github.nnunetfiji.normalization;

import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;

/**
 * CT: clip to the data set's foreground 0.5 / 99.5 percentiles, then z-score with the data set's
 * foreground mean and standard deviation (CT intensities are physical, so one scale fits all
 * cases). For channels named {@code CT}.
 */
public final class CtNormalization implements NormalizationScheme {

    /** Floor for the standard deviation (as the reference implementation's 1e-8). */
    public static final double MIN_STD = 1e-8;

    @Override
    public String name() {
        return "CT";
    }

    @Override
    public boolean claims(String channelName) {
        return NormalizationSchemes.named(channelName, "CT");
    }

    @Override
    public void normalize(float[] data, boolean[] mask, ChannelIntensityStatistics s) {
        if (s == null) {
            throw new IllegalArgumentException("CT normalization needs the data set's foreground statistics, and the "
                    + "plans hold none; plan the data set again");
        }
        apply(data, s.mean(), s.std(), s.percentile00_5(), s.percentile99_5());
    }

    /** Clips to [lower, upper], then z-scores with the given mean and standard deviation, in place. */
    public static void apply(float[] data, double mean, double std, double lower, double upper) {
        double sd = Math.max(std, MIN_STD);
        for (int i = 0; i < data.length; i++) {
            double v = Math.min(Math.max(data[i], lower), upper);
            data[i] = (float) ((v - mean) / sd);
        }
    }

    @Override
    public String statisticsUsed(ChannelIntensityStatistics s) {
        return s.mean() + " " + s.std() + " " + s.percentile00_5() + " " + s.percentile99_5();
    }
}
