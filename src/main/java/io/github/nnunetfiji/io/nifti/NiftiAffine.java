package io.github.nnunetfiji.io.nifti;

import java.nio.file.Path;

import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.io.nifti.NiftiHeader.AffineSource;

/**
 * The affine mathematics of NIfTI-1 headers: which of sform, qform or pixdim gives the geometry
 * (nibabel's {@code get_best_affine}), the geometry of each, and quaternion/matrix conversion both
 * ways. Field values come in as stored; the header fixes nibabel applies on load are made here.
 */
final class NiftiAffine {

    private static final double[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};

    /** The chosen source and the geometry it gives. */
    record Choice(AffineSource source, Geometry geometry) {
    }

    private NiftiAffine() {
    }

    /**
     * nibabel's {@code img.affine}: the sform if {@code sform_code > 0}, else the qform if
     * {@code qform_code > 0}, else the pixdim-only fallback. Zero spatial pixdims count as 1,
     * negative ones by their absolute value, unknown xform codes as 0.
     *
     * @param nd {@code dim[0]}
     * @param shape the spatial shape (missing dimensions 1)
     * @param pixdim {@code pixdim[0..7]} as stored
     * @throws NiftiFormatException naming the field if the chosen source holds non-finite or
     *         degenerate values
     */
    static Choice choose(Path file, int nd, long[] shape, double[] pixdim, int sformCode, int qformCode,
            double[][] srow, double[] quatern, double[] qoffset) throws NiftiFormatException {
        double[] vox = new double[3];
        for (int d = 0; d < 3; d++) {
            double p = pixdim[d + 1];
            vox[d] = p == 0 ? 1 : Math.abs(p);
        }
        int sCode = validXformCode(sformCode);
        int qCode = validXformCode(qformCode);
        for (int d = 0; d < Math.min(nd, 3); d++) {
            checkPixdim(file, pixdim, vox, d);
        }
        if (sCode != 0) {
            return new Choice(AffineSource.SFORM, sformGeometry(file, srow, shape));
        } else if (qCode != 0) {
            for (int d = 0; d < 3; d++) {
                checkPixdim(file, pixdim, vox, d);
            }
            return new Choice(AffineSource.QFORM, qformGeometry(file, quatern, qoffset, pixdim[0], vox));
        } else {
            return new Choice(AffineSource.PIXDIM, baseGeometry(vox, nd, shape));
        }
    }

    private static void checkPixdim(Path file, double[] pixdim, double[] vox, int d) throws NiftiFormatException {
        if (!Double.isFinite(vox[d])) {
            throw NiftiHeader.corrupt(file, "pixdim[" + (d + 1) + "] (the voxel spacing along " + AxisOrder.name(d)
                    + ") is " + NiftiHeader.fmt(pixdim[d + 1]) + "; spacings must be finite numbers.");
        }
    }

    /** nibabel resets xform codes outside its table (0 to 5) to 0 ("unknown"). */
    private static int validXformCode(int code) {
        return code >= 0 && code <= 5 ? code : 0;
    }

    private static Geometry sformGeometry(Path file, double[][] srow, long[] shape) throws NiftiFormatException {
        double[][] a = new double[4][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                if (!Double.isFinite(srow[r][c])) {
                    throw NiftiHeader.corrupt(file, "srow_" + "xyz".charAt(r) + "[" + c + "] of the sform is "
                            + NiftiHeader.fmt(srow[r][c]) + "; the sform must hold finite numbers.");
                }
                a[r][c] = srow[r][c];
            }
        }
        a[3][3] = 1;
        for (int c = 0; c < 3; c++) {
            if (shape[c] > 1 && a[0][c] == 0 && a[1][c] == 0 && a[2][c] == 0) {
                throw NiftiHeader.corrupt(file, "column " + c + " of the sform (the world direction of axis "
                        + AxisOrder.name(c) + ") is zero, so voxels along " + AxisOrder.name(c) + " have no position.");
            }
        }
        return Geometry.fromAffine(a);
    }

    private static Geometry qformGeometry(Path file, double[] quatern, double[] qoffset, double pixdim0, double[] vox)
            throws NiftiFormatException {
        for (int i = 0; i < 3; i++) {
            if (!Double.isFinite(quatern[i]) || !Double.isFinite(qoffset[i])) {
                throw NiftiHeader.corrupt(file, "the qform has a non-finite " + (Double.isFinite(quatern[i])
                        ? "qoffset_" + "xyz".charAt(i) : "quatern_" + "bcd".charAt(i)) + ".");
            }
        }
        double b = quatern[0];
        double c = quatern[1];
        double d = quatern[2];
        // nibabel's fillpositive: w from the unit-norm constraint, with float32 tolerance.
        double w2 = 1.0 - (b * b + c * c + d * d);
        double a;
        if (w2 < 0) {
            if (w2 < -3 * Math.ulp(1.0f)) {
                throw NiftiHeader.corrupt(file, "the qform quaternion (b, c, d) = (" + NiftiHeader.fmt(b) + ", "
                        + NiftiHeader.fmt(c) + ", " + NiftiHeader.fmt(d) + ") has a norm above 1, so it is not a rotation.");
            }
            a = 0;
        } else {
            a = Math.sqrt(w2);
        }
        double[] rot = quaternionToMatrix(a, b, c, d);
        double qfac = pixdim0 == -1 ? -1 : 1;
        double[] dir = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int col = 0; col < 3; col++) {
                dir[r * 3 + col] = rot[r * 3 + col] * (col == 2 ? qfac : 1);
            }
        }
        return new Geometry(vox.clone(), qoffset.clone(), dir);
    }

    /** nibabel's {@code get_base_affine}: x flipped, origin at the centre of the volume. */
    private static Geometry baseGeometry(double[] vox, int nd, long[] shape) {
        double[] zooms = {1, 1, 1};
        for (int d = 0; d < Math.min(nd, 3); d++) {
            zooms[d] = vox[d];
        }
        double[] origin = new double[3];
        for (int d = 0; d < 3; d++) {
            double signed = d == 0 ? -zooms[d] : zooms[d];
            origin[d] = -((shape[d] - 1) / 2.0) * signed;
        }
        return new Geometry(zooms, origin, new double[] {-1, 0, 0, 0, 1, 0, 0, 0, 1});
    }

    /** nibabel's {@code quat2mat}: rotation matrix (row-major) of a possibly non-unit quaternion. */
    static double[] quaternionToMatrix(double w, double x, double y, double z) {
        double nq = w * w + x * x + y * y + z * z;
        if (nq < Math.ulp(1.0)) {
            return IDENTITY.clone();
        }
        double s = 2.0 / nq;
        double xs = x * s;
        double ys = y * s;
        double zs = z * s;
        double wx = w * xs;
        double wy = w * ys;
        double wz = w * zs;
        double xx = x * xs;
        double xy = x * ys;
        double xz = x * zs;
        double yy = y * ys;
        double yz = y * zs;
        double zz = z * zs;
        return new double[] {
            1.0 - (yy + zz), xy - wz, xz + wy,
            xy + wz, 1.0 - (xx + zz), yz - wx,
            xz - wy, yz + wx, 1.0 - (xx + yy)};
    }

    /**
     * Quaternion {@code (a, b, c, d)} with {@code a >= 0} and {@code qfac} (index 4) of the rotation
     * closest to a direction matrix (row-major, unit columns). A left-handed matrix gets
     * {@code qfac = -1} and its third column negated; shears are removed by polar decomposition,
     * as nibabel's {@code set_qform} does.
     */
    static double[] matrixToQuaternion(double[] direction) {
        double[] m = direction.clone();
        double qfac = det(m) < 0 ? -1 : 1;
        if (qfac < 0) {
            m[2] = -m[2];
            m[5] = -m[5];
            m[8] = -m[8];
        }
        m = nearestRotation(m);
        double r11 = m[0], r12 = m[1], r13 = m[2];
        double r21 = m[3], r22 = m[4], r23 = m[5];
        double r31 = m[6], r32 = m[7], r33 = m[8];
        // Shepperd's method as in nifti1_io's nifti_mat44_to_quatern.
        double a = r11 + r22 + r33 + 1.0;
        double b;
        double c;
        double d;
        if (a > 0.5) {
            a = 0.5 * Math.sqrt(a);
            b = 0.25 * (r32 - r23) / a;
            c = 0.25 * (r13 - r31) / a;
            d = 0.25 * (r21 - r12) / a;
        } else {
            double xd = 1.0 + r11 - (r22 + r33);
            double yd = 1.0 + r22 - (r11 + r33);
            double zd = 1.0 + r33 - (r11 + r22);
            if (xd > 1.0) {
                b = 0.5 * Math.sqrt(xd);
                c = 0.25 * (r12 + r21) / b;
                d = 0.25 * (r13 + r31) / b;
                a = 0.25 * (r32 - r23) / b;
            } else if (yd > 1.0) {
                c = 0.5 * Math.sqrt(yd);
                b = 0.25 * (r12 + r21) / c;
                d = 0.25 * (r23 + r32) / c;
                a = 0.25 * (r13 - r31) / c;
            } else {
                d = 0.5 * Math.sqrt(zd);
                b = 0.25 * (r13 + r31) / d;
                c = 0.25 * (r23 + r32) / d;
                a = 0.25 * (r21 - r12) / d;
            }
            if (a < 0.0) {
                b = -b;
                c = -c;
                d = -d;
                a = -a;
            }
        }
        return new double[] {a, b, c, d, qfac};
    }

    private static double det(double[] m) {
        return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
    }

    /**
     * Orthogonal polar factor of a non-singular 3x3 matrix by Newton iteration
     * {@code X <- (X + X^-T) / 2}; converges in a few steps for the near-orthogonal matrices of
     * real images. A singular matrix gives the identity.
     */
    private static double[] nearestRotation(double[] m) {
        double[] x = m.clone();
        for (int iter = 0; iter < 100; iter++) {
            double dt = det(x);
            if (!(Math.abs(dt) > 1e-12) || !Double.isFinite(dt)) {
                return IDENTITY.clone();
            }
            // inverse transpose = cofactor matrix / det
            double[] it = {
                (x[4] * x[8] - x[5] * x[7]) / dt, -(x[3] * x[8] - x[5] * x[6]) / dt, (x[3] * x[7] - x[4] * x[6]) / dt,
                -(x[1] * x[8] - x[2] * x[7]) / dt, (x[0] * x[8] - x[2] * x[6]) / dt, -(x[0] * x[7] - x[1] * x[6]) / dt,
                (x[1] * x[5] - x[2] * x[4]) / dt, -(x[0] * x[5] - x[2] * x[3]) / dt, (x[0] * x[4] - x[1] * x[3]) / dt};
            double change = 0;
            for (int i = 0; i < 9; i++) {
                double n = 0.5 * (x[i] + it[i]);
                change = Math.max(change, Math.abs(n - x[i]));
                x[i] = n;
            }
            if (change < 1e-15) {
                break;
            }
        }
        return x;
    }
}
