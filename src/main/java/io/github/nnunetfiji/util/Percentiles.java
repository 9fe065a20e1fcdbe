package io.github.nnunetfiji.util;

import java.util.Arrays;

/**
 * Percentiles as numpy computes them by default (linear interpolation between closest ranks), so
 * that medians, summaries and the 10th-percentile spacing of the anisotropy rule match it.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * The {@code p}-th percentile of the values.
     *
     * @param values any order; not modified
     * @param p      percentile in [0, 100]
     * @return the percentile, NaN if there are no values
     */
    public static double of(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return ofSorted(s, p);
    }

    /**
     * The {@code p}-th percentile of sorted values.
     *
     * @param sorted ascending values
     * @param p      percentile in [0, 100]
     * @return the percentile, NaN if there are no values
     */
    public static double ofSorted(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /**
     * The median (the mean of the two middle values for an even count).
     *
     * @param values any order; not modified
     * @return the median, NaN if there are no values
     */
    public static double median(double[] values) {
        return of(values, 50);
    }

    /**
     * Per-axis median of vectors.
     *
     * @param vectors one vector per case, all of the same length
     * @return the median of each component
     */
    public static double[] medianPerAxis(double[][] vectors) {
        int dims = vectors[0].length;
        double[] out = new double[dims];
        double[] column = new double[vectors.length];
        for (int d = 0; d < dims; d++) {
            for (int i = 0; i < vectors.length; i++) {
                column[i] = vectors[i][d];
            }
            out[d] = median(column);
        }
        return out;
    }
}
