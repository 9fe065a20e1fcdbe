package io.github.nnunetfiji.fingerprint;

import java.util.Arrays;
import java.util.List;

/**
 * Intensity statistics of one channel inside the foreground (label above 0), over the whole data
 * set, with every case that has foreground weighted equally, as the reference implementation does
 * (it draws the same number of foreground voxels, {@value #REFERENCE_SAMPLES} / cases, from every
 * case, with replacement). Here the draw is replaced by its expectation, so there is no sampling
 * noise: each foreground voxel of case {@code k} weighs {@code s / n_k}, the number of times the
 * reference expects to draw it ({@code s} voxels per case, {@code n_k} foreground voxels in the
 * case). Mean, standard deviation (population, numpy's default), min and max are exact over all
 * foreground voxels; the 0.5, 50 and 99.5 percentiles come from each case's seeded sample of its
 * foreground (all of it when it fits the budget, see {@link FingerprintExtractor}), weighted the
 * same way, with numpy's linear interpolation between ranks applied to these frequency weights.
 *
 * <p>CT normalization clips to the 0.5 and 99.5 percentiles and z-scores with the mean and std.
 * The statistics of all foreground voxels pooled (which weights cases by their foreground size)
 * are kept as {@link #pooledMean} and {@link #pooledStd} for information.
 */
public final class ChannelIntensityStatistics {

    /** Foreground voxels the reference implementation draws over the whole data set. */
    public static final double REFERENCE_SAMPLES = 1e8;

    private final int channel;
    private final String name;
    private final int casesWithForeground;
    private final long foregroundVoxels;
    private final long sampleCount;
    private final double mean;
    private final double median;
    private final double std;
    private final double min;
    private final double max;
    private final double percentile00_5;
    private final double percentile99_5;
    private final double pooledMean;
    private final double pooledStd;

    private ChannelIntensityStatistics(int channel, String name, int casesWithForeground, long foregroundVoxels,
            long sampleCount, double mean, double median, double std, double min, double max, double p005,
            double p995, double pooledMean, double pooledStd) {
        this.channel = channel;
        this.name = name;
        this.casesWithForeground = casesWithForeground;
        this.foregroundVoxels = foregroundVoxels;
        this.sampleCount = sampleCount;
        this.mean = mean;
        this.median = median;
        this.std = std;
        this.min = min;
        this.max = max;
        this.percentile00_5 = p005;
        this.percentile99_5 = p995;
        this.pooledMean = pooledMean;
        this.pooledStd = pooledStd;
    }

    /**
     * Statistics another implementation measured (the reference's foreground intensity properties of
     * a channel: mean, median, std, min, max and the 0.5 / 99.5 percentiles); counts unknown (0),
     * the pooled figures taken as the per-case ones.
     */
    public static ChannelIntensityStatistics of(int channel, String name, double mean, double median, double std,
            double min, double max, double p005, double p995) {
        return new ChannelIntensityStatistics(channel, name, 0, 0, 0, mean, median, std, min, max, p005, p995, mean,
                std);
    }

    /**
     * Statistics of a data set's foreground, cases weighted equally.
     *
     * @param channel       channel index
     * @param name          channel name from {@code dataset.json}
     * @param cases         what every case contributes, in case order (cases without foreground included)
     * @return the statistics
     * @throws IllegalArgumentException if no case has foreground (the statistics are undefined)
     */
    public static ChannelIntensityStatistics ofCases(int channel, String name, List<CaseIntensities> cases) {
        int k = 0;
        long n = 0;
        long sampled = 0;
        double sumOfMeans = 0;
        double pooledSum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (CaseIntensities c : cases) {
            if (c.count() == 0) {
                continue;
            }
            if (c.sample().length == 0) {
                throw new IllegalArgumentException("A case with foreground has no sampled foreground voxels");
            }
            k++;
            n += c.count();
            sampled += c.sample().length;
            sumOfMeans += c.mean();
            pooledSum += c.mean() * c.count();
            min = Math.min(min, c.min());
            max = Math.max(max, c.max());
        }
        if (k == 0) {
            throw new IllegalArgumentException("Channel " + channel + " (" + name + ") has no foreground voxels in any "
                    + "case; its intensity statistics are undefined");
        }
        double mean = sumOfMeans / k;
        double pooledMean = pooledSum / n;
        // Law of total variance: within-case variance plus the spread of the case means.
        double var = 0;
        double pooledM2 = 0;
        for (CaseIntensities c : cases) {
            if (c.count() > 0) {
                var += c.variance() + (c.mean() - mean) * (c.mean() - mean);
                pooledM2 += c.m2() + c.count() * (c.mean() - pooledMean) * (c.mean() - pooledMean);
            }
        }
        double[] p = weightedPercentiles(cases, new double[] {0.5, 50, 99.5},
                Math.floor(REFERENCE_SAMPLES / cases.size()));
        return new ChannelIntensityStatistics(channel, name, k, n, sampled, mean, p[1], Math.sqrt(var / k), min, max,
                p[0], p[2], pooledMean, Math.sqrt(pooledM2 / n));
    }

    /**
     * Statistics of one list of values, taken as one case whose foreground they are (all of it).
     *
     * @param channel channel index
     * @param name    channel name
     * @param values  the intensities; not modified
     * @param count   how many entries of {@code values} are used (from index 0), at least 1
     */
    public static ChannelIntensityStatistics ofSample(int channel, String name, float[] values, int count) {
        int[] all = new int[count];
        for (int i = 0; i < count; i++) {
            all[i] = i;
        }
        return ofCases(channel, name, List.of(CaseIntensities.of(values, all, all)));
    }

    /**
     * Percentiles of the cases' samples with frequency weights {@code s / m_k} per sampled voxel of
     * case {@code k} ({@code m_k} voxels in its sample, {@code s} the reference's draws per case):
     * numpy's linear interpolation at rank {@code p / 100 * (W - 1)}, where the value at a rank
     * {@code r} is the first in ascending order whose cumulative weight exceeds {@code r}. With
     * integer weights this is numpy's percentile of the sample with every value repeated as often
     * as its weight.
     */
    static double[] weightedPercentiles(List<CaseIntensities> cases, double[] percents, double perCase) {
        int size = 0;
        for (CaseIntensities c : cases) {
            size += c.count() > 0 ? c.sample().length : 0;
        }
        // Value and case packed into one long, so one primitive sort orders both.
        long[] keys = new long[size];
        double[] weight = new double[cases.size()];
        int at = 0;
        int withForeground = 0;
        for (int ci = 0; ci < cases.size(); ci++) {
            CaseIntensities c = cases.get(ci);
            if (c.count() == 0) {
                continue;
            }
            withForeground++;
            weight[ci] = perCase / c.sample().length;
            for (float v : c.sample()) {
                keys[at++] = ((long) sortableBits(v) << 32) | ci;
            }
        }
        Arrays.sort(keys);
        double total = perCase * withForeground;
        // Ranks to look up, ascending: floor(pos) and floor(pos) + 1 for every percentile.
        double[] pos = new double[percents.length];
        double[] ranks = new double[2 * percents.length];
        for (int i = 0; i < percents.length; i++) {
            pos[i] = percents[i] / 100.0 * (total - 1);
            ranks[2 * i] = Math.floor(pos[i]);
            ranks[2 * i + 1] = Math.floor(pos[i]) + 1;
        }
        Integer[] order = new Integer[ranks.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(ranks[a], ranks[b]));
        double[] valueAt = new double[ranks.length];
        double cumulative = 0;
        int next = 0;
        for (int i = 0; i < keys.length && next < order.length; i++) {
            cumulative += weight[(int) keys[i]];
            while (next < order.length && (cumulative > ranks[order[next]] || i == keys.length - 1)) {
                valueAt[order[next++]] = fromSortableBits((int) (keys[i] >> 32));
            }
        }
        double[] out = new double[percents.length];
        for (int i = 0; i < percents.length; i++) {
            double lo = valueAt[2 * i];
            out[i] = lo + (valueAt[2 * i + 1] - lo) * (pos[i] - ranks[2 * i]);
        }
        return out;
    }

    /** Float bits reordered so that signed int order is float order (NaN never occurs here). */
    private static int sortableBits(float v) {
        int b = Float.floatToIntBits(v == 0 ? 0f : v); // -0 and 0 are one value
        return b ^ ((b >> 31) & 0x7fffffff);
    }

    private static float fromSortableBits(int s) {
        return Float.intBitsToFloat(s ^ ((s >> 31) & 0x7fffffff));
    }

    /** Channel index. */
    public int channel() {
        return channel;
    }

    /** Channel name from {@code dataset.json}. */
    public String name() {
        return name;
    }

    /** Cases with foreground voxels; each weighs the same. */
    public int casesWithForeground() {
        return casesWithForeground;
    }

    /** Foreground voxels of all cases. */
    public long foregroundVoxels() {
        return foregroundVoxels;
    }

    /** Number of sampled foreground voxels the percentiles come from. */
    public long sampleCount() {
        return sampleCount;
    }

    /** Mean, cases weighted equally: the mean of the cases' foreground means. */
    public double mean() {
        return mean;
    }

    /** Median, cases weighted equally. */
    public double median() {
        return median;
    }

    /** Population standard deviation, cases weighted equally. */
    public double std() {
        return std;
    }

    /** Smallest foreground value. */
    public double min() {
        return min;
    }

    /** Largest foreground value. */
    public double max() {
        return max;
    }

    /** 0.5th percentile, cases weighted equally. */
    public double percentile00_5() {
        return percentile00_5;
    }

    /** 99.5th percentile, cases weighted equally. */
    public double percentile99_5() {
        return percentile99_5;
    }

    /** Mean of all foreground voxels pooled (large cases weigh more); for information. */
    public double pooledMean() {
        return pooledMean;
    }

    /** Population standard deviation of all foreground voxels pooled; for information. */
    public double pooledStd() {
        return pooledStd;
    }
}
