package io.github.nnunetfiji.fingerprint;

/**
 * What one case contributes to one channel's foreground intensity statistics: exact moments and
 * range over all its foreground voxels, and a seeded sample of them for the percentiles.
 *
 * @param count  foreground voxels of the case
 * @param mean   their mean (0 when there are none)
 * @param m2     sum of squared differences from that mean
 * @param min    smallest foreground intensity (+Infinity when there are none)
 * @param max    largest foreground intensity (-Infinity when there are none)
 * @param sample foreground intensities chosen for the percentiles: all of them when they fit
 */
public record CaseIntensities(long count, double mean, double m2, double min, double max, float[] sample) {

    /**
     * Moments and range of {@code voxels} at {@code foreground}, and the values at {@code chosen}.
     *
     * @param voxels     the channel, flat
     * @param foreground indices of the foreground voxels
     * @param chosen     indices of the sampled voxels (a subset of {@code foreground})
     */
    public static CaseIntensities of(float[] voxels, int[] foreground, int[] chosen) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i : foreground) {
            float v = voxels[i];
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int n = foreground.length;
        double mean = n == 0 ? 0 : sum / n;
        // Second pass around the mean: the one-pass formula loses digits for large offsets (CT).
        double m2 = 0;
        for (int i : foreground) {
            double d = voxels[i] - mean;
            m2 += d * d;
        }
        float[] sample = new float[chosen.length];
        for (int k = 0; k < chosen.length; k++) {
            sample[k] = voxels[chosen[k]];
        }
        return new CaseIntensities(n, mean, m2, min, max, sample);
    }

    /** Population variance of the case's foreground. */
    public double variance() {
        return count == 0 ? 0 : m2 / count;
    }
}
