package io.github.nnunetfiji.preprocess;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Samples voxel locations of every foreground class once, at preprocessing, so the training
 * loader can centre patches on a class without scanning labels (the reference's rule: up to
 * 10,000 locations per class, at least 1% of the class's voxels, seeded).
 */
public final class ClassLocations {

    /** Locations kept per class unless 1% of the class is more. */
    public static final int SAMPLES = 10_000;
    /** Fraction of a class's voxels kept at least. */
    public static final double MIN_COVERAGE = 0.01;

    private ClassLocations() {
    }

    /**
     * @param labels label value per voxel (0 = background; negative values are ignored)
     * @param seed   seed of the sampling, so a case always gives the same locations
     * @return per foreground class present, sampled linear voxel indices in ascending order
     */
    public static Map<Integer, int[]> sample(byte[] labels, long seed) {
        int[] counts = new int[256];
        for (byte b : labels) {
            if (b > 0) {
                counts[b]++;
            }
        }
        Map<Integer, int[]> out = new TreeMap<>();
        Random rnd = new Random(seed);
        for (int c = 1; c < 128; c++) {
            if (counts[c] == 0) {
                continue;
            }
            int[] all = new int[counts[c]];
            int k = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    all[k++] = i;
                }
            }
            int target = Math.max(Math.min(SAMPLES, all.length), (int) Math.ceil(all.length * MIN_COVERAGE));
            // Partial Fisher-Yates: the first `target` entries become a uniform sample without replacement.
            for (int i = 0; i < target; i++) {
                int j = i + rnd.nextInt(all.length - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
            int[] pick = java.util.Arrays.copyOf(all, target);
            java.util.Arrays.sort(pick);
            out.put(c, pick);
        }
        return out;
    }
}
