package io.github.nnunetfiji.train.augment;

import java.util.Arrays;

/**
 * Applies a {@link SpatialTransform} in one interpolation pass: reads only the part of the loader
 * box that the transformed output grid touches (plus the interpolation support), then computes
 * each output voxel's source position (incrementally along rows) and interpolates image channels
 * and labels there. As the reference: image taps outside the loader box count as 0; a label is -1
 * where the source position lies outside the loader box's voxel centres. Holds scratch buffers
 * (grown on demand, reused): one instance per thread.
 */
public final class SpatialSampler {

    private final AugmentationOptions.ImageInterpolation imageInterpolation;
    private final AugmentationOptions.LabelInterpolation labelInterpolation;
    private float[] window = new float[0];
    private byte[] windowLabels = new byte[0];
    private float[][] disp = new float[3][0];
    private float[][] offset = new float[3][0];
    private float[] coarseRow = new float[0];
    private final float[] labelWeight = new float[256];
    private final int[] tapIndex = new int[8];
    private final float[] tapWeight = new float[8];

    public SpatialSampler(AugmentationOptions.ImageInterpolation image, AugmentationOptions.LabelInterpolation labels) {
        this.imageInterpolation = image;
        this.labelInterpolation = labels;
    }

    /**
     * @param source      the case
     * @param boxStart    first voxel of the loader box in the case
     * @param loaderPatch loader box size (P')
     * @param patch       output size (P)
     * @param mode        3D or slice-wise
     * @param t           the transform
     * @param channels    image channels
     * @param image       output, {@code channels * P} values
     * @param labels      output labels (may hold -1)
     */
    public void apply(PatchSource source, int[] boxStart, int[] loaderPatch, int[] patch, SpatialMode mode,
            SpatialTransform t, int channels, float[] image, byte[] labels) {
        boolean cubic = imageInterpolation == AugmentationOptions.ImageInterpolation.CUBIC;
        int margin = cubic ? 3 : 1;
        double[] a = t.a;
        double[] cOut = new double[3];
        double[] cIn = new double[3];
        for (int d = 0; d < 3; d++) {
            cOut[d] = (patch[d] - 1) / 2.0;
            cIn[d] = (loaderPatch[d] - 1) / 2.0;
        }
        // Bounding box of the source positions: the 8 corners, widened by the largest displacement.
        double extra = t.elastic == null ? 0 : t.elastic.maxAbs();
        int[] lo = new int[3];
        int[] size = new int[3];
        for (int k = 0; k < 3; k++) {
            if (!mode.transforms(k)) {
                lo[k] = 0;
                size[k] = loaderPatch[k];
                continue;
            }
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double rowAbs = 0;
            for (int corner = 0; corner < 8; corner++) {
                double s = cIn[k];
                for (int j = 0; j < 3; j++) {
                    double u = ((corner >> j) & 1) == 0 ? -cOut[j] : cOut[j];
                    s += a[3 * k + j] * u;
                }
                min = Math.min(min, s);
                max = Math.max(max, s);
            }
            for (int j = 0; j < 3; j++) {
                rowAbs += Math.abs(a[3 * k + j]);
            }
            min -= extra * rowAbs;
            max += extra * rowAbs;
            int from = Math.max(-margin, (int) Math.floor(min) - margin);
            int to = Math.min(loaderPatch[k] - 1 + margin, (int) Math.floor(max) + margin + 1);
            if (to < from) {
                to = from;
            }
            lo[k] = from;
            size[k] = to - from + 1;
        }
        int wn = size[0] * size[1] * size[2];
        if (window.length < wn * channels) {
            window = new float[wn * channels];
        }
        if (windowLabels.length < wn) {
            windowLabels = new byte[wn];
        }
        int[] readStart = {boxStart[0] + lo[0], boxStart[1] + lo[1], boxStart[2] + lo[2]};
        source.readImage(readStart, size, window);
        source.readLabels(readStart, size, windowLabels);
        // Taps outside the loader box count as 0 (the box was read with a margin of real data).
        for (int c = 0; c < channels; c++) {
            zeroOutsideBox(window, c * wn, lo, size, loaderPatch);
        }
        int px = patch[0];
        if (disp[0].length < px) {
            for (int c = 0; c < 3; c++) {
                disp[c] = new float[px];
                offset[c] = new float[px];
            }
        }
        if (t.elastic != null && coarseRow.length < t.elastic.rowNodes()) {
            coarseRow = new float[t.elastic.rowNodes()];
        }
        int sx = size[0];
        int sxy = size[0] * size[1];
        int pv = patch[0] * patch[1] * patch[2];
        double hi0 = loaderPatch[0] - 1;
        double hi1 = loaderPatch[1] - 1;
        double hi2 = loaderPatch[2] - 1;
        int slice = mode.isVolume() ? -1 : mode.sliceAxis();
        for (int z = 0; z < patch[2]; z++) {
            for (int y = 0; y < patch[1]; y++) {
                double u1 = y - cOut[1];
                double u2 = z - cOut[2];
                double u0 = -cOut[0];
                // Source position of x = 0 in window coordinates; then + x * column 0 of A.
                double b0 = cIn[0] + a[0] * u0 + a[1] * u1 + a[2] * u2 - lo[0];
                double b1 = cIn[1] + a[3] * u0 + a[4] * u1 + a[5] * u2 - lo[1];
                double b2 = cIn[2] + a[6] * u0 + a[7] * u1 + a[8] * u2 - lo[2];
                boolean elastic = t.elastic != null;
                if (elastic) {
                    t.elastic.row(y, z, px, disp, coarseRow);
                    for (int k = 0; k < 3; k++) {
                        float[] o = offset[k];
                        double ak0 = t.elastic.active(0) ? a[3 * k] : 0;
                        double ak1 = t.elastic.active(1) ? a[3 * k + 1] : 0;
                        double ak2 = t.elastic.active(2) ? a[3 * k + 2] : 0;
                        for (int x = 0; x < px; x++) {
                            double v = 0;
                            if (ak0 != 0) {
                                v += ak0 * disp[0][x];
                            }
                            if (ak1 != 0) {
                                v += ak1 * disp[1][x];
                            }
                            if (ak2 != 0) {
                                v += ak2 * disp[2][x];
                            }
                            o[x] = (float) v;
                        }
                    }
                }
                int out = px * (y + patch[1] * z);
                for (int x = 0; x < px; x++, out++) {
                    double s0 = b0 + x * a[0];
                    double s1 = b1 + x * a[3];
                    double s2 = b2 + x * a[6];
                    if (elastic) {
                        s0 += offset[0][x];
                        s1 += offset[1][x];
                        s2 += offset[2][x];
                    }
                    // Exact integers along a slice axis (A is the identity there).
                    if (slice == 0) {
                        s0 = Math.rint(s0);
                    } else if (slice == 1) {
                        s1 = Math.rint(s1);
                    } else if (slice == 2) {
                        s2 = Math.rint(s2);
                    }
                    double g0 = s0 + lo[0];
                    double g1 = s1 + lo[1];
                    double g2 = s2 + lo[2];
                    boolean inBox = g0 >= 0 && g0 <= hi0 && g1 >= 0 && g1 <= hi1 && g2 >= 0 && g2 <= hi2;
                    if (cubic) {
                        cubic(s0, s1, s2, size, slice, channels, wn, image, out, pv);
                    } else {
                        linear(s0, s1, s2, size, sx, sxy, slice, channels, wn, image, out, pv);
                    }
                    labels[out] = inBox ? label(s0, s1, s2, sx, sxy, slice) : -1;
                }
            }
        }
    }

    /** (Bi/tri)linear; 0 where the taps leave the window (all of them are then outside the box). */
    private void linear(double s0, double s1, double s2, int[] size, int sx, int sxy, int slice, int channels, int wn,
            float[] image, int out, int pv) {
        int x0 = (int) Math.floor(s0);
        int y0 = (int) Math.floor(s1);
        int z0 = (int) Math.floor(s2);
        float fx = (float) (s0 - x0);
        float fy = (float) (s1 - y0);
        float fz = (float) (s2 - z0);
        int lx = slice == 0 ? 0 : 1;
        int ly = slice == 1 ? 0 : 1;
        int lz = slice == 2 ? 0 : 1;
        if (x0 < 0 || y0 < 0 || z0 < 0 || x0 + lx >= size[0] || y0 + ly >= size[1] || z0 + lz >= size[2]) {
            for (int c = 0; c < channels; c++) {
                image[c * pv + out] = 0f;
            }
            return;
        }
        int i = x0 + sx * y0 + sxy * z0;
        int dx = lx;
        int dy = ly * sx;
        int dz = lz * sxy;
        float[] w = window;
        if (slice < 0) {
            for (int c = 0, base = i; c < channels; c++, base += wn) {
                float c00 = w[base] + fx * (w[base + dx] - w[base]);
                float c10 = w[base + dy] + fx * (w[base + dy + dx] - w[base + dy]);
                float c01 = w[base + dz] + fx * (w[base + dz + dx] - w[base + dz]);
                float c11 = w[base + dz + dy] + fx * (w[base + dz + dy + dx] - w[base + dz + dy]);
                float c0 = c00 + fy * (c10 - c00);
                float c1 = c01 + fy * (c11 - c01);
                image[c * pv + out] = c0 + fz * (c1 - c0);
            }
        } else {
            // In-plane axes p, q: the two with a non-zero step.
            int dp;
            int dq;
            float fp;
            float fq;
            if (slice == 0) {
                dp = dy;
                dq = dz;
                fp = fy;
                fq = fz;
            } else if (slice == 1) {
                dp = dx;
                dq = dz;
                fp = fx;
                fq = fz;
            } else {
                dp = dx;
                dq = dy;
                fp = fx;
                fq = fy;
            }
            for (int c = 0, base = i; c < channels; c++, base += wn) {
                float c0 = w[base] + fp * (w[base + dp] - w[base]);
                float c1 = w[base + dq] + fp * (w[base + dq + dp] - w[base + dq]);
                image[c * pv + out] = c0 + fq * (c1 - c0);
            }
        }
    }

    /** Keys cubic convolution weights (a = -0.5) for taps at floor - 1 .. floor + 2. */
    private static void keys(double t, double[] w) {
        double t2 = t * t;
        double t3 = t2 * t;
        w[0] = -0.5 * t3 + t2 - 0.5 * t;
        w[1] = 1.5 * t3 - 2.5 * t2 + 1;
        w[2] = -1.5 * t3 + 2 * t2 + 0.5 * t;
        w[3] = 0.5 * t3 - 0.5 * t2;
    }

    private final double[] wx = new double[4];
    private final double[] wy = new double[4];
    private final double[] wz = new double[4];

    private void cubic(double s0, double s1, double s2, int[] size, int slice, int channels, int wn, float[] image,
            int out, int pv) {
        int x0 = (int) Math.floor(s0);
        int y0 = (int) Math.floor(s1);
        int z0 = (int) Math.floor(s2);
        int nx = tapsFor(0, slice, s0 - x0, wx);
        int ny = tapsFor(1, slice, s1 - y0, wy);
        int nz = tapsFor(2, slice, s2 - z0, wz);
        int bx = nx == 1 ? x0 : x0 - 1;
        int by = ny == 1 ? y0 : y0 - 1;
        int bz = nz == 1 ? z0 : z0 - 1;
        if (bx < 0 || by < 0 || bz < 0 || bx + nx > size[0] || by + ny > size[1] || bz + nz > size[2]) {
            for (int c = 0; c < channels; c++) {
                image[c * pv + out] = 0f;
            }
            return;
        }
        int sx = size[0];
        int sxy = size[0] * size[1];
        for (int c = 0; c < channels; c++) {
            int base = c * wn;
            double v = 0;
            for (int k = 0; k < nz; k++) {
                for (int j = 0; j < ny; j++) {
                    int row = base + bx + sx * (by + j) + sxy * (bz + k);
                    double r = 0;
                    for (int i = 0; i < nx; i++) {
                        r += wx[i] * window[row + i];
                    }
                    v += wz[k] * wy[j] * r;
                }
            }
            image[c * pv + out] = (float) v;
        }
    }

    private static int tapsFor(int axis, int slice, double t, double[] w) {
        if (axis == slice) {
            w[0] = 1;
            return 1;
        }
        keys(t, w);
        return 4;
    }

    /** Nearest label, or the label of largest linearly interpolated one-hot weight (ties: the lowest label). */
    private byte label(double s0, double s1, double s2, int sx, int sxy, int slice) {
        byte[] l = windowLabels;
        if (labelInterpolation == AugmentationOptions.LabelInterpolation.NEAREST) {
            int x = (int) Math.floor(s0 + 0.5);
            int y = (int) Math.floor(s1 + 0.5);
            int z = (int) Math.floor(s2 + 0.5);
            return l[x + sx * y + sxy * z];
        }
        int x0 = (int) Math.floor(s0);
        int y0 = (int) Math.floor(s1);
        int z0 = (int) Math.floor(s2);
        float fx = slice == 0 ? 0f : (float) (s0 - x0);
        float fy = slice == 1 ? 0f : (float) (s1 - y0);
        float fz = slice == 2 ? 0f : (float) (s2 - z0);
        int i = x0 + sx * y0 + sxy * z0;
        // Taps of zero weight may lie beyond the window's last voxel: never read them.
        int dx = fx == 0f ? 0 : 1;
        int dy = fy == 0f ? 0 : sx;
        int dz = fz == 0f ? 0 : sxy;
        byte first = l[i];
        if (l[i + dx] == first && l[i + dy] == first && l[i + dy + dx] == first && l[i + dz] == first
                && l[i + dz + dx] == first && l[i + dz + dy] == first && l[i + dz + dy + dx] == first) {
            return first;
        }
        float[] acc = labelWeight;
        int[] idx = tapIndex;
        idx[0] = i;
        idx[1] = i + dx;
        idx[2] = i + dy;
        idx[3] = i + dy + dx;
        idx[4] = i + dz;
        idx[5] = i + dz + dx;
        idx[6] = i + dz + dy;
        idx[7] = i + dz + dy + dx;
        float gx = 1 - fx;
        float gy = 1 - fy;
        float gz = 1 - fz;
        float[] w = tapWeight;
        w[0] = gx * gy * gz;
        w[1] = fx * gy * gz;
        w[2] = gx * fy * gz;
        w[3] = fx * fy * gz;
        w[4] = gx * gy * fz;
        w[5] = fx * gy * fz;
        w[6] = gx * fy * fz;
        w[7] = fx * fy * fz;
        for (int k = 0; k < 8; k++) {
            acc[l[idx[k]] + 128] += w[k];
        }
        int best = -1;
        float bestWeight = -1f;
        for (int k = 0; k < 8; k++) {
            int lab = l[idx[k]] + 128;
            float v = acc[lab];
            if (v > bestWeight || (v == bestWeight && lab < best)) {
                bestWeight = v;
                best = lab;
            }
        }
        for (int k = 0; k < 8; k++) {
            acc[l[idx[k]] + 128] = 0f;
        }
        return (byte) (best - 128);
    }

    /** Zeroes the voxels of a window channel that lie outside [0, box) (window origin {@code lo}). */
    static void zeroOutsideBox(float[] w, int off, int[] lo, int[] size, int[] box) {
        int x0 = Math.max(0, -lo[0]);
        int x1 = Math.min(size[0], box[0] - lo[0]);
        for (int z = 0; z < size[2]; z++) {
            boolean zOut = lo[2] + z < 0 || lo[2] + z >= box[2];
            for (int y = 0; y < size[1]; y++) {
                int row = off + size[0] * (y + size[1] * z);
                if (zOut || lo[1] + y < 0 || lo[1] + y >= box[1] || x1 <= x0) {
                    Arrays.fill(w, row, row + size[0], 0f);
                } else {
                    Arrays.fill(w, row, row + x0, 0f);
                    Arrays.fill(w, row + x1, row + size[0], 0f);
                }
            }
        }
    }
}
