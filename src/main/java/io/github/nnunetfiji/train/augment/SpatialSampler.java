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
            zeros = new float[px];
        }
        ElasticField e = t.elastic;
        if (e != null && coarseRow.length < e.rowNodes()) {
            coarseRow = new float[e.rowNodes()];
        }
        this.size = size;
        this.wn = wn;
        this.channels = channels;
        this.slice = mode.isVolume() ? -1 : mode.sliceAxis();
        this.pv = patch[0] * patch[1] * patch[2];
        this.out = image;
        this.outLabels = labels;
        // Window origin in the loader box and the box's last voxel.
        for (int k = 0; k < 3; k++) {
            windowLo[k] = lo[k];
            boxHi[k] = loaderPatch[k] - 1;
        }
        for (int z = 0; z < patch[2]; z++) {
            for (int y = 0; y < patch[1]; y++) {
                double u1 = y - cOut[1];
                double u2 = z - cOut[2];
                double u0 = -cOut[0];
                // Source position of x = 0 in window coordinates; then + x * column 0 of A.
                double b0 = cIn[0] + a[0] * u0 + a[1] * u1 + a[2] * u2 - lo[0];
                double b1 = cIn[1] + a[3] * u0 + a[4] * u1 + a[5] * u2 - lo[1];
                double b2 = cIn[2] + a[6] * u0 + a[7] * u1 + a[8] * u2 - lo[2];
                if (e != null) {
                    elasticOffsets(e, a, y, z, px);
                }
                int first = px * (y + patch[1] * z);
                if (cubic) {
                    cubicRow(b0, b1, b2, a[0], a[3], a[6], e != null, px, first);
                } else {
                    linearRow(b0, b1, b2, a[0], a[3], a[6], e != null, px, first);
                }
            }
        }
        this.out = null;
        this.outLabels = null;
    }

    /** Per-call geometry, shared by the row methods. */
    private int[] size;
    private int wn;
    private int channels;
    private int slice;
    private int pv;
    private float[] out;
    private byte[] outLabels;
    private final double[] windowLo = new double[3];
    private final double[] boxHi = new double[3];
    private float[] zeros = new float[0];

    /** offset[k][x] = (A d(x, y, z))_k, d's inactive components counting as 0. */
    private void elasticOffsets(ElasticField e, double[] a, int y, int z, int px) {
        e.row(y, z, px, disp, coarseRow);
        float[] d0 = e.active(0) ? disp[0] : zeros;
        float[] d1 = e.active(1) ? disp[1] : zeros;
        float[] d2 = e.active(2) ? disp[2] : zeros;
        for (int k = 0; k < 3; k++) {
            float[] o = offset[k];
            // An inactive or zero coefficient adds an exact 0: the same as leaving the term out.
            double ak0 = e.active(0) ? a[3 * k] : 0;
            double ak1 = e.active(1) ? a[3 * k + 1] : 0;
            double ak2 = e.active(2) ? a[3 * k + 2] : 0;
            for (int x = 0; x < px; x++) {
                o[x] = (float) (ak0 * d0[x] + ak1 * d1[x] + ak2 * d2[x]);
            }
        }
    }

    /** Whether a source position (loader box coordinates) lies within the box's voxel centres. */
    private static boolean inBox(double g0, double g1, double g2, double hi0, double hi1, double hi2) {
        return g0 >= 0 && g0 <= hi0 && g1 >= 0 && g1 <= hi1 && g2 >= 0 && g2 <= hi2;
    }

    /** Floor of a double as an int, for the window's coordinate range. */
    private static int floor(double v) {
        int i = (int) v;
        return v < i ? i - 1 : i;
    }

    /**
     * One output row with (bi/tri)linear images: source position per voxel, then all channels and
     * the label from the same taps. Image 0 where the taps leave the window (all of them are then
     * outside the box).
     */
    private void linearRow(double b0, double b1, double b2, double a0, double a3, double a6, boolean elastic,
            int px, int first) {
        float[] w = window;
        float[] img = out;
        byte[] lab = outLabels;
        float[] o0 = offset[0];
        float[] o1 = offset[1];
        float[] o2 = offset[2];
        int sl = slice;
        int n0 = size[0];
        int n1 = size[1];
        int n2 = size[2];
        int sx = n0;
        int sxy = n0 * n1;
        int lx = sl == 0 ? 0 : 1;
        int ly = sl == 1 ? 0 : 1;
        int lz = sl == 2 ? 0 : 1;
        int dx = lx;
        int dy = ly * sx;
        int dz = lz * sxy;
        int chans = channels;
        int cn = wn;
        int opv = pv;
        double lo0 = windowLo[0];
        double lo1 = windowLo[1];
        double lo2 = windowLo[2];
        double hi0 = boxHi[0];
        double hi1 = boxHi[1];
        double hi2 = boxHi[2];
        boolean nearest = labelInterpolation == AugmentationOptions.LabelInterpolation.NEAREST;
        for (int x = 0, o = first; x < px; x++, o++) {
            double s0 = b0 + x * a0;
            double s1 = b1 + x * a3;
            double s2 = b2 + x * a6;
            if (elastic) {
                s0 += o0[x];
                s1 += o1[x];
                s2 += o2[x];
            }
            // Exact integers along a slice axis (A is the identity there).
            if (sl == 0) {
                s0 = Math.rint(s0);
            } else if (sl == 1) {
                s1 = Math.rint(s1);
            } else if (sl == 2) {
                s2 = Math.rint(s2);
            }
            boolean inBox = inBox(s0 + lo0, s1 + lo1, s2 + lo2, hi0, hi1, hi2);
            int x0 = floor(s0);
            int y0 = floor(s1);
            int z0 = floor(s2);
            float fx = (float) (s0 - x0);
            float fy = (float) (s1 - y0);
            float fz = (float) (s2 - z0);
            int i = x0 + sx * y0 + sxy * z0;
            if (x0 < 0 || y0 < 0 || z0 < 0 || x0 + lx >= n0 || y0 + ly >= n1 || z0 + lz >= n2) {
                for (int c = 0; c < chans; c++) {
                    img[c * opv + o] = 0f;
                }
            } else if (sl < 0) {
                for (int c = 0, base = i; c < chans; c++, base += cn) {
                    float c00 = w[base] + fx * (w[base + dx] - w[base]);
                    float c10 = w[base + dy] + fx * (w[base + dy + dx] - w[base + dy]);
                    float c01 = w[base + dz] + fx * (w[base + dz + dx] - w[base + dz]);
                    float c11 = w[base + dz + dy] + fx * (w[base + dz + dy + dx] - w[base + dz + dy]);
                    float c0 = c00 + fy * (c10 - c00);
                    float c1 = c01 + fy * (c11 - c01);
                    img[c * opv + o] = c0 + fz * (c1 - c0);
                }
            } else {
                planar(i, sl, dx, dy, dz, fx, fy, fz, o);
            }
            if (!inBox) {
                lab[o] = -1;
            } else if (nearest) {
                lab[o] = nearestLabel(s0, s1, s2, sx, sxy);
            } else {
                lab[o] = oneHotLabel(i, sl, fx, fy, fz, sx, sxy);
            }
        }
    }

    /** Bilinear in the plane of a slice-wise transform: in-plane axes p, q are the two with a non-zero step. */
    private void planar(int i, int sl, int dx, int dy, int dz, float fx, float fy, float fz, int o) {
        int dp;
        int dq;
        float fp;
        float fq;
        if (sl == 0) {
            dp = dy;
            dq = dz;
            fp = fy;
            fq = fz;
        } else if (sl == 1) {
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
        float[] w = window;
        for (int c = 0, base = i; c < channels; c++, base += wn) {
            float c0 = w[base] + fp * (w[base + dp] - w[base]);
            float c1 = w[base + dq] + fp * (w[base + dq + dp] - w[base + dq]);
            out[c * pv + o] = c0 + fq * (c1 - c0);
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

    /** One output row with cubic images (0 where the taps leave the window) and the label. */
    private void cubicRow(double b0, double b1, double b2, double a0, double a3, double a6, boolean elastic,
            int px, int first) {
        int sl = slice;
        int sx = size[0];
        int sxy = size[0] * size[1];
        boolean nearest = labelInterpolation == AugmentationOptions.LabelInterpolation.NEAREST;
        for (int x = 0, o = first; x < px; x++, o++) {
            double s0 = b0 + x * a0;
            double s1 = b1 + x * a3;
            double s2 = b2 + x * a6;
            if (elastic) {
                s0 += offset[0][x];
                s1 += offset[1][x];
                s2 += offset[2][x];
            }
            if (sl == 0) {
                s0 = Math.rint(s0);
            } else if (sl == 1) {
                s1 = Math.rint(s1);
            } else if (sl == 2) {
                s2 = Math.rint(s2);
            }
            boolean inBox = inBox(s0 + windowLo[0], s1 + windowLo[1], s2 + windowLo[2], boxHi[0], boxHi[1],
                    boxHi[2]);
            int x0 = floor(s0);
            int y0 = floor(s1);
            int z0 = floor(s2);
            cubic(s0, s1, s2, x0, y0, z0, o);
            if (!inBox) {
                outLabels[o] = -1;
            } else if (nearest) {
                outLabels[o] = nearestLabel(s0, s1, s2, sx, sxy);
            } else {
                float fx = (float) (s0 - x0);
                float fy = (float) (s1 - y0);
                float fz = (float) (s2 - z0);
                outLabels[o] = oneHotLabel(x0 + sx * y0 + sxy * z0, sl, fx, fy, fz, sx, sxy);
            }
        }
    }

    private void cubic(double s0, double s1, double s2, int x0, int y0, int z0, int o) {
        int nx = tapsFor(0, slice, s0 - x0, wx);
        int ny = tapsFor(1, slice, s1 - y0, wy);
        int nz = tapsFor(2, slice, s2 - z0, wz);
        int bx = nx == 1 ? x0 : x0 - 1;
        int by = ny == 1 ? y0 : y0 - 1;
        int bz = nz == 1 ? z0 : z0 - 1;
        if (bx < 0 || by < 0 || bz < 0 || bx + nx > size[0] || by + ny > size[1] || bz + nz > size[2]) {
            for (int c = 0; c < channels; c++) {
                out[c * pv + o] = 0f;
            }
            return;
        }
        int sx = size[0];
        int sxy = size[0] * size[1];
        float[] w = window;
        for (int c = 0; c < channels; c++) {
            int base = c * wn;
            double v = 0;
            for (int k = 0; k < nz; k++) {
                for (int j = 0; j < ny; j++) {
                    int row = base + bx + sx * (by + j) + sxy * (bz + k);
                    double r = 0;
                    for (int i = 0; i < nx; i++) {
                        r += wx[i] * w[row + i];
                    }
                    v += wz[k] * wy[j] * r;
                }
            }
            out[c * pv + o] = (float) v;
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

    private byte nearestLabel(double s0, double s1, double s2, int sx, int sxy) {
        int x = floor(s0 + 0.5);
        int y = floor(s1 + 0.5);
        int z = floor(s2 + 0.5);
        return windowLabels[x + sx * y + sxy * z];
    }

    /**
     * The label of largest linearly interpolated one-hot weight (ties: the lowest label), for the
     * taps at window index {@code i} with fractions f (0 along a slice axis).
     */
    private byte oneHotLabel(int i, int sl, float fx, float fy, float fz, int sx, int sxy) {
        byte[] l = windowLabels;
        if (sl == 0) {
            fx = 0f;
        } else if (sl == 1) {
            fy = 0f;
        } else if (sl == 2) {
            fz = 0f;
        }
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
