package io.github.nnunetfiji.preprocess;

/**
 * The intensity normalizations of the method, on flat float arrays, in place.
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
    public static final double MIN_STD = 1e-8;

    private Normalizers() {
    }

    /**
     * Z-scores {@code data} in place.
     *
     * @param mask voxels to compute statistics from and keep; null for all voxels
     */
    public static void zScore(float[] data, boolean[] mask) {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < data.length; i++) {
            if (mask == null || mask[i]) {
                sum += data[i];
                n++;
            }
        }
        if (n == 0) {
            java.util.Arrays.fill(data, 0f);
            return;
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < data.length; i++) {
            if (mask == null || mask[i]) {
                double d = data[i] - mean;
                ss += d * d;
            }
        }
        double std = Math.max(Math.sqrt(ss / n), MIN_STD);
        for (int i = 0; i < data.length; i++) {
            data[i] = mask == null || mask[i] ? (float) ((data[i] - mean) / std) : 0f;
        }
    }

    /** CT normalization in place with data set statistics. */
    public static void ct(float[] data, double mean, double std, double lower, double upper) {
        double s = Math.max(std, MIN_STD);
        for (int i = 0; i < data.length; i++) {
            double v = Math.min(Math.max(data[i], lower), upper);
            data[i] = (float) ((v - mean) / s);
        }
    }
}
