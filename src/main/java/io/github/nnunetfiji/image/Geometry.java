package io.github.nnunetfiji.image;

import java.util.Arrays;

/**
 * Where an image's voxels lie in the world: spacing, origin and direction, in {@link AxisOrder}.
 *
 * <p>The voxel-to-world mapping is {@code world = origin + direction * diag(spacing) * index},
 * i.e. the 4x4 affine that nibabel reports. World coordinates are NIfTI's RAS+ millimetres (or
 * whatever unit the file declares). {@code direction} holds one unit column per axis.
 * Immutable.
 */
public final class Geometry {

    /**
     * Largest relative spacing difference, and largest direction-cosine difference, at which two
     * images still count as lying on the same voxel grid (headers store float32, tools round).
     */
    public static final double SPACING_TOLERANCE = 1e-3;
    public static final double DIRECTION_TOLERANCE = 1e-3;

    private final double[] spacing;
    private final double[] origin;
    /** Row-major 3x3; column d is the world direction of axis d. */
    private final double[] direction;

    public Geometry(double[] spacing, double[] origin, double[] direction) {
        if (spacing.length != 3 || origin.length != 3 || direction.length != 9) {
            throw new IllegalArgumentException("Geometry needs 3 spacings, 3 origin values and a 3x3 direction");
        }
        for (int d = 0; d < 3; d++) {
            if (!(spacing[d] > 0) || Double.isInfinite(spacing[d])) {
                throw new IllegalArgumentException("Spacing along " + AxisOrder.name(d)
                        + " must be a positive finite number, got " + spacing[d]);
            }
        }
        this.spacing = spacing.clone();
        this.origin = origin.clone();
        this.direction = direction.clone();
    }

    /** Axis-aligned geometry with the given spacing and origin 0. */
    public static Geometry ofSpacing(double... spacing) {
        return new Geometry(spacing, new double[3], new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    }

    /**
     * Geometry from a 4x4 (or 3x4) voxel-to-world affine. Spacing is the length of each of the
     * first three columns; a zero column (degenerate affine) gets spacing 1 and the axis's unit vector.
     */
    public static Geometry fromAffine(double[][] affine) {
        double[] sp = new double[3];
        double[] dir = new double[9];
        double[] org = new double[3];
        for (int c = 0; c < 3; c++) {
            double n = Math.sqrt(affine[0][c] * affine[0][c] + affine[1][c] * affine[1][c] + affine[2][c] * affine[2][c]);
            if (n == 0 || !Double.isFinite(n)) {
                sp[c] = 1;
                dir[c * 3 + c] = 1;
            } else {
                sp[c] = n;
                for (int r = 0; r < 3; r++) {
                    dir[r * 3 + c] = affine[r][c] / n;
                }
            }
        }
        for (int r = 0; r < 3; r++) {
            org[r] = affine[r][3];
        }
        return new Geometry(sp, org, dir);
    }

    public double[] spacing() {
        return spacing.clone();
    }

    public double spacing(int axis) {
        return spacing[axis];
    }

    public double[] origin() {
        return origin.clone();
    }

    /** Row-major 3x3 direction matrix; column d is the unit world direction of axis d. */
    public double[] direction() {
        return direction.clone();
    }

    /** The 4x4 voxel-to-world affine (as nibabel's {@code img.affine}). */
    public double[][] affine() {
        double[][] a = new double[4][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                a[r][c] = direction[r * 3 + c] * spacing[c];
            }
            a[r][3] = origin[r];
        }
        a[3][3] = 1;
        return a;
    }

    /** A copy with another spacing (same origin and direction). */
    public Geometry withSpacing(double[] newSpacing) {
        return new Geometry(newSpacing, origin, direction);
    }

    /** A copy with another origin. */
    public Geometry withOrigin(double[] newOrigin) {
        return new Geometry(spacing, newOrigin, direction);
    }

    /** Largest relative difference between the spacings of two geometries. */
    public double spacingDifference(Geometry other) {
        double worst = 0;
        for (int d = 0; d < 3; d++) {
            double rel = Math.abs(spacing[d] - other.spacing[d]) / Math.max(spacing[d], other.spacing[d]);
            worst = Math.max(worst, rel);
        }
        return worst;
    }

    /** Largest absolute difference between the direction matrices of two geometries. */
    public double directionDifference(Geometry other) {
        double worst = 0;
        for (int i = 0; i < 9; i++) {
            worst = Math.max(worst, Math.abs(direction[i] - other.direction[i]));
        }
        return worst;
    }

    /** Largest absolute difference between the origins, in world units. */
    public double originDifference(Geometry other) {
        double worst = 0;
        for (int d = 0; d < 3; d++) {
            worst = Math.max(worst, Math.abs(origin[d] - other.origin[d]));
        }
        return worst;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Geometry)) {
            return false;
        }
        Geometry g = (Geometry) o;
        return Arrays.equals(spacing, g.spacing) && Arrays.equals(origin, g.origin) && Arrays.equals(direction, g.direction);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(spacing) * 31 + Arrays.hashCode(origin) * 17 + Arrays.hashCode(direction);
    }

    @Override
    public String toString() {
        return "Geometry[spacing=" + AxisOrder.format(spacing) + ", origin=" + Arrays.toString(origin)
                + ", direction=" + Arrays.toString(direction) + "]";
    }
}
