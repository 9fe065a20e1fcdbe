package io.github.nnunetfiji.plan;

import java.util.ArrayList;
import java.util.List;

import io.github.nnunetfiji.image.AxisOrder;

/**
 * How deep a U-Net is and how wide its stages are, from its patch and spacing: the pooling
 * topology (poolings, strides, kernels) and the features per stage. Pure functions; the planner
 * passes its rules' values (minimum feature map edge, pooling limit, kernel rule). Per-axis arrays
 * follow {@link AxisOrder}.
 */
public final class PoolingTopology {

    /** The kernel size of one axis at one stage. */
    @FunctionalInterface
    public interface KernelRule {
        /**
         * @param previous      the kernel size of this axis at the previous stage (1 at the first)
         * @param axisSpacing   spacing of the axis at this stage
         * @param finestSpacing finest spacing of any axis at this stage
         * @return the kernel size
         */
        int kernelSize(int previous, double axisSpacing, double finestSpacing);
    }

    private PoolingTopology() {
    }

    /**
     * Poolings, strides and kernels for a patch. An axis is pooled while its feature map edge is at
     * least twice {@code minEdge} (three times if it is the only axis left), its spacing is within
     * 2x of the finest spacing among the axes that can still pool, and it has been pooled fewer than
     * {@code maxPoolings} times. Axes of patch edge 1 (the slice axis of a 2D network) are never
     * pooled and get kernel 1.
     *
     * @param patch       patch edge per axis
     * @param spacing     voxel spacing per axis
     * @param minEdge     smallest feature map edge pooling may produce
     * @param maxPoolings most poolings along one axis
     * @param kernel      the kernel rule
     * @return the topology
     */
    public static NetworkTopology of(long[] patch, double[] spacing, int minEdge, int maxPoolings,
            KernelRule kernel) {
        boolean[] active = PatchShapes.activeAxes(patch);
        double[] current = spacing.clone();
        double[] size = new double[3];
        for (int d = 0; d < 3; d++) {
            size[d] = patch[d];
        }
        int[] pools = new int[3];
        int[] k = new int[] {1, 1, 1};
        List<int[]> strides = new ArrayList<>();
        List<int[]> kernels = new ArrayList<>();
        strides.add(new int[] {1, 1, 1});
        while (true) {
            List<Integer> valid = new ArrayList<>();
            double finestValid = Double.POSITIVE_INFINITY;
            for (int d = 0; d < 3; d++) {
                if (active[d] && size[d] >= 2.0 * minEdge) {
                    valid.add(d);
                    finestValid = Math.min(finestValid, current[d]);
                }
            }
            if (valid.isEmpty()) {
                break;
            }
            final double finest = finestValid;
            valid.removeIf(d -> SpacingTolerance.ratioReaches(current[d], finest, 2) || pools[d] >= maxPoolings);
            if (valid.isEmpty() || (valid.size() == 1 && size[valid.get(0)] < 3.0 * minEdge)) {
                break;
            }
            double finestActive = Double.POSITIVE_INFINITY;
            for (int d = 0; d < 3; d++) {
                if (active[d]) {
                    finestActive = Math.min(finestActive, current[d]);
                }
            }
            for (int d = 0; d < 3; d++) {
                k[d] = active[d] ? kernel.kernelSize(k[d], current[d], finestActive) : 1;
            }
            kernels.add(k.clone());
            int[] stride = new int[] {1, 1, 1};
            for (int d : valid) {
                stride[d] = 2;
                pools[d]++;
                current[d] *= 2;
                size[d] = Math.ceil(size[d] / 2);
            }
            strides.add(stride);
        }
        int[] bottleneck = new int[3];
        for (int d = 0; d < 3; d++) {
            bottleneck[d] = active[d] ? 3 : 1;
        }
        kernels.add(bottleneck);
        return new NetworkTopology(pools, strides.toArray(new int[0][]), kernels.toArray(new int[0][]));
    }

    /**
     * The default kernel rule: 3 once the axis's spacing is within 2x of the finest spacing (and
     * from then on), 1 before. Anisotropic data thus get 1x3x3-like kernels in their first stages.
     *
     * @param previous      the kernel size of this axis at the previous stage (1 at the first)
     * @param axisSpacing   spacing of the axis at this stage
     * @param finestSpacing finest spacing of any axis at this stage
     * @return 1 or 3
     */
    public static int kernelSize(int previous, double axisSpacing, double finestSpacing) {
        return previous == 3 || !SpacingTolerance.ratioReaches(axisSpacing, finestSpacing, 2) ? 3 : 1;
    }

    /**
     * Feature maps per stage: {@code base} doubling with every stage, capped at {@code max}.
     *
     * @param stages number of stages
     * @param base   feature maps of the top stage
     * @param max    cap per stage
     * @return feature maps per stage
     */
    public static int[] featuresPerStage(int stages, int base, int max) {
        int[] f = new int[stages];
        for (int s = 0; s < stages; s++) {
            f[s] = (int) Math.min(max, (long) base << Math.min(s, 30));
        }
        return f;
    }
}
