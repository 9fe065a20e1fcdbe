package io.github.nnunetfiji.fingerprint;

import java.util.Arrays;

/**
 * Intensity statistics of one channel inside the foreground (label above 0), over the whole data
 * set, from a seeded sample of foreground voxels in which every case holds a share proportional
 * to its foreground (see {@link FingerprintExtractor}). CT normalization clips to the 0.5 and 99.5
 * percentiles and z-scores with the mean and standard deviation (population, as numpy's default).
 * All values are NaN when the data set has no foreground voxels.
 */
public final class ChannelIntensityStatistics {

    private final int channel;
    private final String name;
    private final long sampleCount;
    private final double mean;
    private final double median;
    private final double std;
    private final double min;
    private final double max;
    private final double percentile00_5;
    private final double percentile99_5;

    private ChannelIntensityStatistics(int channel, String name, long sampleCount, double mean, double median,
            double std, double min, double max, double p005, double p995) {
        this.channel = channel;
        this.name = name;
        this.sampleCount = sampleCount;
        this.mean = mean;
        this.median = median;
        this.std = std;
        this.min = min;
        this.max = max;
        this.percentile00_5 = p005;
        this.percentile99_5 = p995;
    }

    /**
     * Statistics of a sample.
     *
     * @param channel channel index
     * @param name    channel name from {@code dataset.json}
     * @param sample  sampled foreground intensities; sorted in place
     * @param count   how many entries of {@code sample} are used (from index 0)
     * @return the statistics; NaN values when {@code count} is 0
     */
    public static ChannelIntensityStatistics ofSample(int channel, String name, float[] sample, int count) {
        if (count == 0) {
            return new ChannelIntensityStatistics(channel, name, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN);
        }
        Arrays.sort(sample, 0, count);
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += sample[i];
        }
        double mean = sum / count;
        // Second pass around the mean: the one-pass formula loses digits for large offsets (CT).
        double ss = 0;
        for (int i = 0; i < count; i++) {
            double d = sample[i] - mean;
            ss += d * d;
        }
        double std = Math.sqrt(ss / count);
        return new ChannelIntensityStatistics(channel, name, count, mean, percentile(sample, count, 50), std,
                sample[0], sample[count - 1], percentile(sample, count, 0.5), percentile(sample, count, 99.5));
    }

    private static double percentile(float[] sorted, int count, double p) {
        double pos = p / 100.0 * (count - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, count - 1);
        return sorted[lo] + ((double) sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /** Channel index. */
    public int channel() {
        return channel;
    }

    /** Channel name from {@code dataset.json}. */
    public String name() {
        return name;
    }

    /** Number of sampled foreground voxels the statistics come from. */
    public long sampleCount() {
        return sampleCount;
    }

    /** Mean. */
    public double mean() {
        return mean;
    }

    /** Median. */
    public double median() {
        return median;
    }

    /** Population standard deviation. */
    public double std() {
        return std;
    }

    /** Smallest sampled value. */
    public double min() {
        return min;
    }

    /** Largest sampled value. */
    public double max() {
        return max;
    }

    /** 0.5th percentile (linear interpolation between closest ranks). */
    public double percentile00_5() {
        return percentile00_5;
    }

    /** 99.5th percentile (linear interpolation between closest ranks). */
    public double percentile99_5() {
        return percentile99_5;
    }
}
