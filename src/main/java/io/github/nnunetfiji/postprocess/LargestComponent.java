package io.github.nnunetfiji.postprocess;

import java.util.List;

import io.github.nnunetfiji.fingerprint.ConnectedComponents;

/**
 * Removes all but the largest connected component of a set of classes (taken together as one
 * object), setting the removed voxels to background, as the reference's
 * {@code remove_all_but_largest_component}. Ties go to the component found first (memory order).
 */
public final class LargestComponent {

    /** Writes a label value. */
    @FunctionalInterface
    public interface Setter {
        void set(int i, int value);
    }

    private LargestComponent() {
    }

    /**
     * @param classes the label values treated as one object
     * @return voxels set to background
     */
    public static long keep(ConnectedComponents.Labels labels, Setter setter, long[] shape, int[] classes,
            int connectivity) {
        ConnectedComponents.Labels inSet = i -> contains(classes, labels.at(i)) ? 1 : 0;
        List<ConnectedComponents.Component> comps = ConnectedComponents.components(inSet, shape, connectivity);
        if (comps.size() <= 1) {
            return 0;
        }
        ConnectedComponents.Component largest = comps.get(0);
        for (ConnectedComponents.Component c : comps) {
            if (c.size() > largest.size()) {
                largest = c;
            }
        }
        int n = (int) (shape[0] * shape[1] * shape[2]);
        boolean[] kept = new boolean[n];
        ConnectedComponents.fill(inSet, shape, connectivity, largest.seed(), kept, null);
        long removed = 0;
        for (int i = 0; i < n; i++) {
            if (!kept[i] && contains(classes, labels.at(i))) {
                setter.set(i, 0);
                removed++;
            }
        }
        return removed;
    }

    /** On a label array of one byte per voxel (unsigned). */
    public static long keep(byte[] labels, long[] shape, int[] classes, int connectivity) {
        return keep(i -> labels[i] & 0xff, (i, v) -> labels[i] = (byte) v, shape, classes, connectivity);
    }

    /** On a label array of one int per voxel. */
    public static long keep(int[] labels, long[] shape, int[] classes, int connectivity) {
        return keep(i -> labels[i], (i, v) -> labels[i] = v, shape, classes, connectivity);
    }

    private static boolean contains(int[] set, int v) {
        for (int s : set) {
            if (s == v) {
                return true;
            }
        }
        return false;
    }
}
