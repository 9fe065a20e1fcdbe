package io.github.nnunetfiji.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import io.github.nnunetfiji.fingerprint.CaseFingerprint;
import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;

/**
 * Builds fingerprints of imagined data sets for planner tests. Shapes and spacings are given in
 * this project's axis order (x, y, z); the papers write them z, y, x, so "36x50x35" there is
 * {@code 35, 50, 36} here.
 */
public final class SyntheticFingerprints {

    private final String name;
    private final List<String> channels;
    private final TreeMap<Integer, String> labels = new TreeMap<>();
    private final List<CaseFingerprint> cases = new ArrayList<>();

    public SyntheticFingerprints(String name, List<String> channels, int classesWithBackground) {
        this.name = name;
        this.channels = channels;
        for (int v = 0; v < classesWithBackground; v++) {
            labels.put(v, v == 0 ? "background" : "class" + v);
        }
    }

    /** Adds {@code count} uncropped cases of one shape and spacing (x, y, z). */
    public SyntheticFingerprints cases(int count, long[] shape, double[] spacing) {
        return croppedCases(count, shape, shape, spacing);
    }

    /** Adds {@code count} cases whose nonzero box has shape {@code cropped} (x, y, z). */
    public SyntheticFingerprints croppedCases(int count, long[] shape, long[] cropped, double[] spacing) {
        for (int i = 0; i < count; i++) {
            cases.add(new CaseFingerprint(name + "_" + cases.size(), shape, spacing, new long[3], cropped,
                    new int[] {0, 1}, List.of(), 1));
        }
        return this;
    }

    public DatasetFingerprint build() {
        List<ChannelIntensityStatistics> stats = new ArrayList<>();
        for (int c = 0; c < channels.size(); c++) {
            stats.add(ChannelIntensityStatistics.ofSample(c, channels.get(c), new float[] {1, 2, 3}, 3));
        }
        return new DatasetFingerprint(name, channels, labels, cases, stats, 1234, 1000);
    }

    public static long[] shape(long x, long y, long z) {
        return new long[] {x, y, z};
    }

    public static double[] spacing(double x, double y, double z) {
        return new double[] {x, y, z};
    }
}
