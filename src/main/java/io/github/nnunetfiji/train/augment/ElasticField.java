package io.github.nnunetfiji.train.augment;

import java.util.SplittableRandom;

/**
 * A random smooth displacement field over the output patch, as the paper's elastic deformation:
 * per transformed axis, uniform noise in [-1, 1] per voxel, Gaussian-smoothed with sigma (zero
 * outside the patch), times alpha. Because the field is smooth on the scale of sigma (9-13 voxels),
 * it is made on a grid of step g = max(1, floor(sigma / 3)) voxels (noise scaled by g^(-d/2) so the
 * smoothed field has the variance of the voxel-level one) and interpolated linearly in between:
 * about g^d times less work for the same distribution up to interpolation.
 */
public final class ElasticField {

    private final int[] n = new int[3];
    private final double[] step = new double[3];
    private final boolean[] active = new boolean[3];
    /** Per component (output axis), coarse nodes x fastest; null for an axis not transformed. */
    private final float[][] nodes = new float[3][];
    private final double maxAbs;
    /** Per output x of a row: coarse node to its left and the next node's weight (filled on first use). */
    private int[] xNode;
    private float[] xFrac;

    private ElasticField(int[] patch, SpatialMode mode, double alpha, double sigma, SplittableRandom rng) {
        int g = Math.max(1, (int) Math.floor(sigma / 3));
        int dims = 0;
        for (int d = 0; d < 3; d++) {
            active[d] = mode.transforms(d) && patch[d] > 1;
            if (active[d]) {
                dims++;
                n[d] = (patch[d] - 1 + g - 1) / g + 1;
                step[d] = 1.0 / g;
            } else {
                n[d] = 1;
                step[d] = 0;
            }
        }
        int total = n[0] * n[1] * n[2];
        double scale = alpha * Math.pow(g, -dims / 2.0);
        double coarseSigma = sigma / g;
        float[] kernel = gaussian(coarseSigma);
        float[] tmp = new float[total];
        double max = 0;
        for (int c = 0; c < 3; c++) {
            if (!active[c]) {
                continue;
            }
            float[] f = new float[total];
            for (int i = 0; i < total; i++) {
                f[i] = (float) (2 * rng.nextDouble() - 1);
            }
            for (int d = 0; d < 3; d++) {
                if (active[d]) {
                    blur(f, tmp, n, d, kernel);
                    float[] t = f;
                    f = tmp;
                    tmp = t;
                }
            }
            for (int i = 0; i < total; i++) {
                f[i] *= (float) scale;
                max = Math.max(max, Math.abs(f[i]));
            }
            nodes[c] = f;
        }
        maxAbs = max;
    }

    static ElasticField draw(int[] patch, SpatialMode mode, double alpha, double sigma, SplittableRandom rng) {
        return new ElasticField(patch, mode, alpha, sigma, rng);
    }

    /** Largest displacement of any component (voxels). */
    double maxAbs() {
        return maxAbs;
    }

    /** Normalized Gaussian, truncated at 4 sigma (scipy's default). */
    static float[] gaussian(double sigma) {
        int r = (int) (4 * sigma + 0.5);
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            double v = Math.exp(-0.5 * i * i / (sigma * sigma));
            k[i + r] = (float) v;
            sum += v;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    /**
     * Convolves along {@code axis} with zeros outside. Whole rows along axis 0 at a time, so that the
     * inner loops run over contiguous memory; per value the taps are summed in the same order as a
     * voxel-by-voxel loop would (double sum of float products), so the result does not depend on it.
     */
    private static void blur(float[] in, float[] out, int[] n, int axis, float[] k) {
        int r = k.length / 2;
        int n0 = n[0];
        int rows = n[1] * n[2];
        double[] acc = new double[n0];
        if (axis == 0) {
            for (int row = 0, base = 0; row < rows; row++, base += n0) {
                java.util.Arrays.fill(acc, 0);
                for (int t = -r; t <= r; t++) {
                    float kt = k[t + r];
                    int from = Math.max(0, -t);
                    int to = Math.min(n0, n0 - t);
                    for (int x = from; x < to; x++) {
                        acc[x] += kt * in[base + x + t];
                    }
                }
                for (int x = 0; x < n0; x++) {
                    out[base + x] = (float) acc[x];
                }
            }
            return;
        }
        int stride = axis == 1 ? n0 : n0 * n[1];
        int len = n[axis];
        for (int row = 0, base = 0; row < rows; row++, base += n0) {
            int pos = axis == 1 ? row % n[1] : row / n[1];
            int lo = Math.max(-r, -pos);
            int hi = Math.min(r, len - 1 - pos);
            java.util.Arrays.fill(acc, 0);
            for (int t = lo; t <= hi; t++) {
                float kt = k[t + r];
                int src = base + t * stride;
                for (int x = 0; x < n0; x++) {
                    acc[x] += kt * in[src + x];
                }
            }
            for (int x = 0; x < n0; x++) {
                out[base + x] = (float) acc[x];
            }
        }
    }

    /**
     * The displacement of one output row (fixed y, z), per component, into {@code d[c][x]}
     * ({@code d[c]} untouched for an inactive component).
     */
    void row(int y, int z, int length, float[][] d, float[] coarseRow) {
        double fy = y * step[1];
        double fz = z * step[2];
        int j0 = Math.min((int) fy, n[1] - 1);
        int k0 = Math.min((int) fz, n[2] - 1);
        int j1 = Math.min(j0 + 1, n[1] - 1);
        int k1 = Math.min(k0 + 1, n[2] - 1);
        float ty = (float) (fy - j0);
        float tz = (float) (fz - k0);
        int n0 = n[0];
        if (n0 > 1 && (xNode == null || xNode.length < length)) {
            // The same for every row: the coarse node left of x and the weight of the next one.
            xNode = new int[length];
            xFrac = new float[length];
            for (int x = 0; x < length; x++) {
                double fx = x * step[0];
                int i0 = Math.min((int) fx, n0 - 2);
                xNode[x] = i0;
                xFrac[x] = (float) (fx - i0);
            }
        }
        for (int c = 0; c < 3; c++) {
            float[] f = nodes[c];
            if (f == null) {
                continue;
            }
            int b00 = n0 * (j0 + n[1] * k0);
            int b10 = n0 * (j1 + n[1] * k0);
            int b01 = n0 * (j0 + n[1] * k1);
            int b11 = n0 * (j1 + n[1] * k1);
            for (int i = 0; i < n0; i++) {
                float lo = f[b00 + i] + ty * (f[b10 + i] - f[b00 + i]);
                float hi = f[b01 + i] + ty * (f[b11 + i] - f[b01 + i]);
                coarseRow[i] = lo + tz * (hi - lo);
            }
            float[] out = d[c];
            if (n0 == 1) {
                java.util.Arrays.fill(out, 0, length, coarseRow[0]);
            } else {
                int[] xi = xNode;
                float[] xt = xFrac;
                for (int x = 0; x < length; x++) {
                    int i0 = xi[x];
                    out[x] = coarseRow[i0] + xt[x] * (coarseRow[i0 + 1] - coarseRow[i0]);
                }
            }
        }
    }

    /** Coarse nodes along axis 0 (scratch size for {@link #row}). */
    int rowNodes() {
        return n[0];
    }

    boolean active(int component) {
        return active[component];
    }
}
