package io.github.nnunetfiji.plan;

/**
 * The one rule for comparing voxel spacings, shared by the planners, the anisotropy rule and the
 * resampling rule: spacings within a relative {@link #RELATIVE_TOLERANCE} of each other are equal.
 *
 * <p>Spacings come from the lengths of the affine's columns, which differ from the header's voxel
 * sizes by rounding noise (about 1e-8 for float32 headers). Compared exactly, that noise decides
 * which of three "equal" axes is the coarsest (and so the 2D slice axis), and whether a ratio of
 * exactly 2 or 3 crosses a threshold. Compared with this rule, an isotropic data set stays
 * isotropic and ties go where the reference sends them (z first, then y, then x).
 */
public final class SpacingTolerance {

    /** Relative difference below which two spacings are the same: far above float32 rounding, far below any real difference. */
    public static final double RELATIVE_TOLERANCE = 1e-5;

    private SpacingTolerance() {
    }

    /**
     * Whether two spacings (or spacing ratios) are the same within {@link #RELATIVE_TOLERANCE}.
     *
     * @param a one value
     * @param b the other
     * @return true if they differ by at most the tolerance relative to the larger
     */
    public static boolean equal(double a, double b) {
        return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }

    /**
     * Compares two spacings: 0 when {@link #equal}, else by value.
     *
     * @param a one value
     * @param b the other
     * @return negative, 0 or positive
     */
    public static int compare(double a, double b) {
        return equal(a, b) ? 0 : Double.compare(a, b);
    }

    /**
     * Whether {@code a / b} exceeds {@code ratio} by more than the tolerance (a ratio exactly at the
     * threshold, up to noise, does not exceed it).
     *
     * @param a     the larger spacing
     * @param b     the smaller spacing
     * @param ratio the threshold
     * @return true if {@code a / b > ratio} beyond noise
     */
    public static boolean ratioExceeds(double a, double b, double ratio) {
        return compare(a / b, ratio) > 0;
    }

    /**
     * Whether {@code a / b} reaches {@code ratio} (a ratio at the threshold up to noise reaches it).
     *
     * @param a     the larger spacing
     * @param b     the smaller spacing
     * @param ratio the threshold
     * @return true if {@code a / b >= ratio} up to noise
     */
    public static boolean ratioReaches(double a, double b, double ratio) {
        return compare(a / b, ratio) >= 0;
    }

    /**
     * The axis of coarsest spacing; among axes equal to the coarsest, the highest index (z before y
     * before x), as the reference, which takes the first of its z, y, x axes.
     *
     * @param spacing spacing per axis (x, y, z)
     * @return the axis
     */
    public static int coarsestAxis(double[] spacing) {
        double max = Math.max(spacing[0], Math.max(spacing[1], spacing[2]));
        for (int d = 2; d >= 0; d--) {
            if (equal(spacing[d], max)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no coarsest axis in non-finite spacing");
    }

    /**
     * The coarsest axis among some axes if it is the only one of that spacing, else -1 (two
     * equally coarse axes have no single out-of-plane axis).
     *
     * @param spacing spacing per axis (x, y, z)
     * @param axes    per axis, whether to consider it
     * @return the axis, or -1
     */
    public static int singleCoarsestAxis(double[] spacing, boolean[] axes) {
        double max = 0;
        for (int d = 0; d < 3; d++) {
            if (axes[d]) {
                max = Math.max(max, spacing[d]);
            }
        }
        int axis = -1;
        for (int d = 0; d < 3; d++) {
            if (axes[d] && equal(spacing[d], max)) {
                if (axis >= 0) {
                    return -1;
                }
                axis = d;
            }
        }
        return axis;
    }

    /**
     * Finest spacing among some axes.
     *
     * @param spacing spacing per axis
     * @param axes    per axis, whether to consider it
     * @return the smallest considered spacing, or +infinity if none
     */
    public static double finest(double[] spacing, boolean[] axes) {
        double min = Double.POSITIVE_INFINITY;
        for (int d = 0; d < 3; d++) {
            if (axes[d]) {
                min = Math.min(min, spacing[d]);
            }
        }
        return min;
    }
}
