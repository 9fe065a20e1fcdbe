package io.github.nnunetfiji.preprocess;

import io.github.nnunetfiji.normalization.CtNormalization;
import io.github.nnunetfiji.normalization.ZScoreNormalization;

/**
 * The two normalizations of the method as plain functions, on flat float arrays, in place; the
 * schemes themselves (and any added one) are {@link io.github.nnunetfiji.normalization.NormalizationScheme}s.
 *
 * <ul>
 *   <li>{@link #zScore}: per case, {@code (v - mean) / std}; with a mask, statistics come from the
 *       voxels inside it and everything outside becomes 0 (used when cropping to the nonzero region
 *       shrank cases a lot, e.g. skull-stripped brains).</li>
 *   <li>{@link #ct}: clip to the data set's foreground 0.5 / 99.5 percentiles, then z-score with the
 *       data set's foreground mean and std (CT intensities are physical, so one scale fits all cases).</li>
 * </ul>
 * A standard deviation below {@link #MIN_STD} is replaced by it, so constant images give zeros
 * instead of NaN.
 */
public final class Normalizers {

    /** Floor for the standard deviation (as the reference implementation's 1e-8). */
    public static final double MIN_STD = CtNormalization.MIN_STD;

    private Normalizers() {
    }

    /**
     * Z-scores {@code data} in place.
     *
     * @param mask voxels to compute statistics from and keep; null for all voxels
     */
    public static void zScore(float[] data, boolean[] mask) {
        new ZScoreNormalization().normalize(data, mask, null);
    }

    /** CT normalization in place with data set statistics. */
    public static void ct(float[] data, double mean, double std, double lower, double upper) {
        CtNormalization.apply(data, mean, std, lower, upper);
    }
}
