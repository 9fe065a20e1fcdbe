package io.github.nnunetfiji.preprocess;

import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.SpacingTolerance;
import io.github.nnunetfiji.util.MemoryBudget;

/**
 * Decides how one case is resampled for a configuration: its target spacing, its new shape, and
 * whether its coarsest axis is resampled separately (the reference's anisotropy rule: when the
 * largest spacing is more than {@code threshold} times the smallest, in the source or else in the
 * target, that axis gets the out-of-plane order, usually nearest neighbour, so that thick slices
 * are not smeared into each other). Spacings are compared by {@link SpacingTolerance}, as the
 * planners compare them.
 */
public final class ResamplingRule {

    private ResamplingRule() {
    }

    /**
     * Target spacing of a case: the configuration's, except that a 2D configuration keeps the
     * case's own spacing along its slice axis (slices are never interpolated for a 2D U-Net).
     */
    public static double[] targetSpacing(PlanConfiguration c, double[] caseSpacing) {
        double[] t = c.spacing().clone();
        if (c.is2D() && c.sliceAxis() != null) {
            t[c.sliceAxis()] = caseSpacing[c.sliceAxis()];
        }
        return t;
    }

    /**
     * New shape: {@code round(spacing / target * shape)}, at least 1 voxel per axis, computed as the
     * reference does (in that order, halves rounded to even as Python's {@code round}), so that
     * shapes agree with it even when the exact answer ends in .5.
     */
    public static int[] newShape(int[] shape, double[] spacing, double[] target) {
        int[] out = new int[3];
        for (int d = 0; d < 3; d++) {
            out[d] = (int) newExtent(shape[d], spacing[d], target[d]);
        }
        return out;
    }

    /**
     * Voxels of a case of {@code shape} and {@code spacing} once resampled for the configuration
     * ({@link #targetSpacing}, {@link #newShape}); saturating, for the memory checks, so that an
     * absurd shape never wraps around to a small count.
     */
    public static long newVoxelCount(PlanConfiguration c, long[] shape, double[] spacing) {
        double[] target = targetSpacing(c, spacing);
        long n = 1;
        for (int d = 0; d < 3; d++) {
            n = MemoryBudget.times(n, (long) newExtent(shape[d], spacing[d], target[d]));
        }
        return n;
    }

    private static double newExtent(long extent, double spacing, double target) {
        return Math.max(1, Math.rint(spacing / target * extent));
    }

    /**
     * The interpolation orders per axis for class probabilities, the reference's rule for them:
     * linear, and nearest neighbour along the {@link #separateAxis} if there is one.
     */
    public static int[] probabilityOrders(double[] source, double[] target, double threshold) {
        int[] orders = {1, 1, 1};
        int separate = separateAxis(source, target, threshold);
        if (separate >= 0) {
            orders[separate] = 0;
        }
        return orders;
    }

    /**
     * The axis to resample separately, or -1: the single coarsest axis of the source spacing if it
     * is anisotropic beyond {@code threshold}, else that of the target spacing. Two equally coarse
     * axes give no separate axis, as in the reference.
     */
    public static int separateAxis(double[] source, double[] target, double threshold) {
        int a = coarsestAxisIfAnisotropic(source, threshold);
        return a >= 0 ? a : coarsestAxisIfAnisotropic(target, threshold);
    }

    private static int coarsestAxisIfAnisotropic(double[] sp, double threshold) {
        boolean[] all = {true, true, true};
        int axis = SpacingTolerance.singleCoarsestAxis(sp, all);
        return axis >= 0 && SpacingTolerance.ratioExceeds(sp[axis], SpacingTolerance.finest(sp, all), threshold) ? axis
                : -1;
    }

    /** Spline order per axis for images: the configuration's order, the out-of-plane order on the separate axis. */
    public static int[] imageOrders(PlanConfiguration c, int separateAxis) {
        int[] o = {c.imageResamplingOrder(), c.imageResamplingOrder(), c.imageResamplingOrder()};
        if (separateAxis >= 0) {
            o[separateAxis] = c.outOfPlaneResamplingOrder();
        }
        return o;
    }
}
