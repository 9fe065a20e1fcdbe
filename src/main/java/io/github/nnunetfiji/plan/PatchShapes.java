package io.github.nnunetfiji.plan;

import java.util.Arrays;

import io.github.nnunetfiji.image.AxisOrder;

/**
 * Patch geometry shared by the planners: fitting a patch to a median shape and a voxel budget,
 * padding it to its network's divisor, shrinking it one step. Pure functions; the topology of a
 * patch comes from the planner's rule, passed in as a {@link TopologyRule}. Per-axis arrays follow
 * {@link AxisOrder}.
 */
public final class PatchShapes {

    /** The network topology a planner builds for a patch (at a fixed spacing). */
    @FunctionalInterface
    public interface TopologyRule {
        /**
         * @param patch patch edge per axis
         * @return its topology
         */
        NetworkTopology of(long[] patch);
    }

    private PatchShapes() {
    }

    /**
     * The largest patch with the aspect ratio of the median shape that holds at most
     * {@code maxVoxels} voxels (the whole median shape if that is smaller), with every edge a
     * multiple of {@code 2^poolings} of its own topology.
     *
     * @param median    median shape per axis
     * @param active    axes the patch extends along (false: edge 1)
     * @param maxVoxels most voxels of the patch
     * @param topology  the planner's topology rule
     * @return the patch
     */
    public static long[] fit(double[] median, boolean[] active, long maxVoxels, TopologyRule topology) {
        double volume = 1;
        int n = 0;
        for (int d = 0; d < 3; d++) {
            if (active[d]) {
                volume *= Math.max(1, median[d]);
                n++;
            }
        }
        double scale = Math.min(1, Math.pow(maxVoxels / volume, 1.0 / n));
        double[] target = new double[3];
        long[] first = new long[3];
        for (int d = 0; d < 3; d++) {
            target[d] = active[d] ? Math.max(1, median[d] * scale) : 1;
            // The paper's own rule (the reference has no counterpart): halves round up.
            first[d] = Math.max(1, Math.round(target[d]));
        }
        long[] divisor = topology.of(first).divisor();
        long[] patch = new long[3];
        for (int d = 0; d < 3; d++) {
            if (!active[d]) {
                patch[d] = 1;
            } else if (scale >= 1) {
                // The whole median shape fits: cover it, padded to the divisor.
                patch[d] = ceilToMultiple((long) Math.ceil(target[d] - 1e-9), divisor[d]);
            } else {
                patch[d] = Math.max(divisor[d], Math.round(target[d] / divisor[d]) * divisor[d]);
            }
        }
        patch = padToTopology(patch, topology);
        while (voxels(patch) > maxVoxels) {
            patch = shrink(patch, median, topology);
        }
        return patch;
    }

    /**
     * Pads a patch until every edge is a multiple of {@code 2^poolings} of its own topology.
     *
     * @param patch    the patch
     * @param topology the planner's topology rule
     * @return the padded patch
     * @throws IllegalStateException if padding does not settle
     */
    public static long[] padToTopology(long[] patch, TopologyRule topology) {
        long[] p = patch.clone();
        for (int i = 0; i < 64; i++) {
            NetworkTopology t = topology.of(p);
            if (t.divides(p)) {
                return p;
            }
            long[] div = t.divisor();
            for (int d = 0; d < 3; d++) {
                p[d] = ceilToMultiple(p[d], div[d]);
            }
        }
        throw new IllegalStateException("Patch " + AxisOrder.format(patch) + " does not settle on a topology");
    }

    /**
     * Makes a patch one step smaller along the axis that is largest relative to the median shape,
     * keeping every edge a multiple of its topology's divisor. Steps by the divisor of the smaller
     * patch, so that valid sizes between multiples of the larger divisor are not skipped.
     *
     * @param patch    the patch
     * @param median   median shape per axis
     * @param topology the planner's topology rule
     * @return a smaller patch
     * @throws IllegalStateException if no axis can shrink
     */
    public static long[] shrink(long[] patch, double[] median, TopologyRule topology) {
        Integer[] order = {0, 1, 2};
        Arrays.sort(order, (a, b) -> Double.compare(patch[b] / Math.max(1, median[b]),
                patch[a] / Math.max(1, median[a])));
        long[] divisor = topology.of(patch).divisor();
        long before = voxels(patch);
        for (int axis : order) {
            if (patch[axis] <= 1) {
                continue;
            }
            long[] tmp = patch.clone();
            tmp[axis] -= divisor[axis];
            if (tmp[axis] < 1) {
                continue;
            }
            long[] step = topology.of(tmp).divisor();
            long[] next = patch.clone();
            next[axis] -= step[axis];
            next = padToTopology(next, topology);
            if (voxels(next) >= before) {
                next = padToTopology(tmp, topology);
            }
            if (voxels(next) < before) {
                return next;
            }
        }
        throw new IllegalStateException("Patch " + AxisOrder.format(patch) + " cannot be made smaller");
    }

    /**
     * Axes along which a patch extends (edge above 1).
     *
     * @param patch the patch
     * @return per axis, true if its edge is above 1
     */
    public static boolean[] activeAxes(long[] patch) {
        return new boolean[] {patch[0] > 1, patch[1] > 1, patch[2] > 1};
    }

    /**
     * Voxels of a patch.
     *
     * @param patch edge per axis
     * @return the product of the edges
     */
    public static long voxels(long[] patch) {
        return patch[0] * patch[1] * patch[2];
    }

    /**
     * Rounds up to a multiple.
     *
     * @param v the value
     * @param m the multiple
     * @return the smallest multiple of {@code m} not below {@code v}
     */
    public static long ceilToMultiple(long v, long m) {
        return ((v + m - 1) / m) * m;
    }
}
