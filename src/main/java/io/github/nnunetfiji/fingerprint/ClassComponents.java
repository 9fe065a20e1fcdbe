package io.github.nnunetfiji.fingerprint;

import java.util.Arrays;

/**
 * The connected components of one class in one case's label map, found with
 * {@link ConnectedComponents#CONNECTIVITY face connectivity}.
 */
public final class ClassComponents {

    private final int label;
    private final int count;
    private final long[] sizes;

    /**
     * @param label the label value of the class ({@code > 0})
     * @param sizes voxel count of every component; stored largest first
     */
    public ClassComponents(int label, long[] sizes) {
        this.label = label;
        long[] s = sizes.clone();
        Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            long t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        this.sizes = s;
        this.count = s.length;
    }

    /** The label value of the class. */
    public int label() {
        return label;
    }

    /** Number of connected components. */
    public int count() {
        return count;
    }

    /** Voxel count of every component, largest first. */
    public long[] sizes() {
        return sizes.clone();
    }

    /** Voxels of the class in total. */
    public long totalVoxels() {
        long t = 0;
        for (long s : sizes) {
            t += s;
        }
        return t;
    }
}
