package io.github.nnunetfiji.evaluation;

import java.util.Arrays;

import io.github.nnunetfiji.util.Percentiles;

/**
 * Distances between the surfaces of two binary masks in world units (mm), for the 95th-percentile
 * Hausdorff distance as medpy's {@code hd95} computes it: the surface of a mask is its voxels with
 * a face neighbour outside it (the image border counts as outside; an axis of one voxel, as z of a
 * 2D image, has no neighbours), the distances from each surface voxel of one mask to the nearest
 * surface voxel of the other, both ways, pooled, and their 95th percentile (numpy's linear rule).
 *
 * <p>Exact Euclidean distances with the voxel spacing: the separable squared distance transform of
 * Felzenszwalb and Huttenlocher, one pass per axis, on the bounding box of both masks (every
 * surface voxel lies inside it, so the box gives the same distances as the whole image).
 */
public final class SurfaceDistances {

    private SurfaceDistances() {
    }

    /**
     * The 95th-percentile Hausdorff distance: NaN if both masks are empty, positive infinity if
     * exactly one is.
     */
    public static double hd95(boolean[] a, boolean[] b, int[] shape, double[] spacing) {
        return percentile(a, b, shape, spacing, 95);
    }

    /** The {@code p}-th percentile of the pooled surface distances (100: the Hausdorff distance). */
    public static double percentile(boolean[] a, boolean[] b, int[] shape, double[] spacing, double p) {
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {-1, -1, -1};
        boolean anyA = bounds(a, shape, lo, hi);
        boolean anyB = bounds(b, shape, lo, hi);
        if (!anyA && !anyB) {
            return Double.NaN;
        }
        if (!anyA || !anyB) {
            return Double.POSITIVE_INFINITY;
        }
        int[] box = {hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1};
        boolean[] sa = surface(a, shape, lo, box);
        boolean[] sb = surface(b, shape, lo, box);
        double[] ab = distancesAt(sa, sb, box, spacing);
        double[] ba = distancesAt(sb, sa, box, spacing);
        double[] all = Arrays.copyOf(ab, ab.length + ba.length);
        System.arraycopy(ba, 0, all, ab.length, ba.length);
        return Percentiles.of(all, p);
    }

    private static boolean bounds(boolean[] m, int[] s, int[] lo, int[] hi) {
        boolean any = false;
        int i = 0;
        for (int z = 0; z < s[2]; z++) {
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++, i++) {
                    if (m[i]) {
                        any = true;
                        lo[0] = Math.min(lo[0], x);
                        hi[0] = Math.max(hi[0], x);
                        lo[1] = Math.min(lo[1], y);
                        hi[1] = Math.max(hi[1], y);
                        lo[2] = Math.min(lo[2], z);
                        hi[2] = Math.max(hi[2], z);
                    }
                }
            }
        }
        return any;
    }

    /** The surface of {@code m} within the box starting at {@code lo}. */
    private static boolean[] surface(boolean[] m, int[] s, int[] lo, int[] box) {
        boolean[] out = new boolean[box[0] * box[1] * box[2]];
        int i = 0;
        for (int bz = 0; bz < box[2]; bz++) {
            for (int by = 0; by < box[1]; by++) {
                for (int bx = 0; bx < box[0]; bx++, i++) {
                    int x = lo[0] + bx;
                    int y = lo[1] + by;
                    int z = lo[2] + bz;
                    int j = x + s[0] * (y + s[1] * z);
                    if (!m[j]) {
                        continue;
                    }
                    out[i] = outside(m, s, x - 1, y, z, 0) || outside(m, s, x + 1, y, z, 0)
                            || outside(m, s, x, y - 1, z, 1) || outside(m, s, x, y + 1, z, 1)
                            || outside(m, s, x, y, z - 1, 2) || outside(m, s, x, y, z + 1, 2);
                }
            }
        }
        return out;
    }

    /** Whether a face neighbour is outside the mask; along a single-voxel axis there is none. */
    private static boolean outside(boolean[] m, int[] s, int x, int y, int z, int axis) {
        if (s[axis] == 1) {
            return false;
        }
        if (x < 0 || y < 0 || z < 0 || x >= s[0] || y >= s[1] || z >= s[2]) {
            return true;
        }
        return !m[x + s[0] * (y + s[1] * z)];
    }

    /** Distance from every voxel of {@code from} to the nearest voxel of {@code to}. */
    private static double[] distancesAt(boolean[] from, boolean[] to, int[] box, double[] spacing) {
        double[] d2 = squaredDistanceTransform(to, box, spacing);
        int count = 0;
        for (boolean f : from) {
            count += f ? 1 : 0;
        }
        double[] out = new double[count];
        for (int i = 0, k = 0; i < from.length; i++) {
            if (from[i]) {
                out[k++] = Math.sqrt(d2[i]);
            }
        }
        return out;
    }

    /** Squared Euclidean distance to the nearest {@code true} voxel, with spacing. */
    static double[] squaredDistanceTransform(boolean[] features, int[] s, double[] spacing) {
        double[] d = new double[features.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = features[i] ? 0 : Double.POSITIVE_INFINITY;
        }
        int maxLen = Math.max(s[0], Math.max(s[1], s[2]));
        double[] f = new double[maxLen];
        double[] out = new double[maxLen];
        int[] v = new int[maxLen];
        double[] zb = new double[maxLen + 1];
        int[] strides = {1, s[0], s[0] * s[1]};
        for (int axis = 0; axis < 3; axis++) {
            int n = s[axis];
            if (n == 1) {
                continue;
            }
            int stride = strides[axis];
            int a1 = axis == 0 ? 1 : 0;
            int a2 = axis == 2 ? 1 : 2;
            for (int j = 0; j < s[a2]; j++) {
                for (int i = 0; i < s[a1]; i++) {
                    int base = i * strides[a1] + j * strides[a2];
                    for (int q = 0; q < n; q++) {
                        f[q] = d[base + q * stride];
                    }
                    transform1d(f, n, spacing[axis], out, v, zb);
                    for (int q = 0; q < n; q++) {
                        d[base + q * stride] = out[q];
                    }
                }
            }
        }
        return d;
    }

    /** Lower envelope of parabolas {@code ((p - q) h)^2 + f(q)} (Felzenszwalb and Huttenlocher). */
    private static void transform1d(double[] f, int n, double h, double[] out, int[] v, double[] z) {
        double h2 = h * h;
        int k = -1;
        for (int q = 0; q < n; q++) {
            if (f[q] == Double.POSITIVE_INFINITY) {
                continue;
            }
            if (k < 0) {
                k = 0;
                v[0] = q;
                z[0] = Double.NEGATIVE_INFINITY;
                z[1] = Double.POSITIVE_INFINITY;
                continue;
            }
            double sPos;
            while (true) {
                int r = v[k];
                // Intersection of the parabolas from r and q, in index units.
                sPos = ((f[q] + h2 * q * q) - (f[r] + h2 * r * r)) / (2 * h2 * (q - r));
                if (sPos <= z[k]) {
                    k--;
                    if (k < 0) {
                        break;
                    }
                } else {
                    break;
                }
            }
            k++;
            v[k] = q;
            z[k] = k == 0 ? Double.NEGATIVE_INFINITY : sPos;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        if (k < 0) {
            Arrays.fill(out, 0, n, Double.POSITIVE_INFINITY);
            return;
        }
        int j = 0;
        for (int p = 0; p < n; p++) {
            while (z[j + 1] < p) {
                j++;
            }
            double dp = (p - v[j]) * h;
            out[p] = dp * dp + f[v[j]];
        }
    }
}
