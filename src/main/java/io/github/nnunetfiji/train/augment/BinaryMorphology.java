package io.github.nnunetfiji.train.augment;

/**
 * Erosion, dilation, opening and closing of a 3D binary mask (x fastest) by a ball of integer
 * radius r (the voxels v with |v|^2 <= r^2, skimage's {@code ball(r)}), computed from exact squared
 * Euclidean distance transforms, so a radius of 8 costs no more than a radius of 1. Voxels outside
 * the volume count as neither foreground nor background: nothing dilates in from outside, and
 * nothing erodes from the border (as the reference's convolution with zero padding).
 */
public final class BinaryMorphology {

    private static final double FAR = 1e20;

    private BinaryMorphology() {
    }

    /** Voxels within distance r of a foreground voxel. */
    public static boolean[] dilate(boolean[] mask, int[] shape, int radius) {
        double[] d = squaredDistanceTo(mask, true, shape);
        double r2 = (double) radius * radius;
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = d[i] <= r2;
        }
        return out;
    }

    /** Foreground voxels farther than r from every background voxel of the volume. */
    public static boolean[] erode(boolean[] mask, int[] shape, int radius) {
        double[] d = squaredDistanceTo(mask, false, shape);
        double r2 = (double) radius * radius;
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = mask[i] && d[i] > r2;
        }
        return out;
    }

    public static boolean[] open(boolean[] mask, int[] shape, int radius) {
        return dilate(erode(mask, shape, radius), shape, radius);
    }

    public static boolean[] close(boolean[] mask, int[] shape, int radius) {
        return erode(dilate(mask, shape, radius), shape, radius);
    }

    /**
     * Squared Euclidean distance of every voxel to the nearest voxel whose mask value is
     * {@code target} (Felzenszwalb and Huttenlocher's separable transform, one axis at a time);
     * a huge value where there is none.
     */
    static double[] squaredDistanceTo(boolean[] mask, boolean target, int[] shape) {
        double[] f = new double[mask.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = mask[i] == target ? 0 : FAR;
        }
        int longest = Math.max(shape[0], Math.max(shape[1], shape[2]));
        double[] line = new double[longest];
        double[] out = new double[longest];
        int[] v = new int[longest];
        double[] z = new double[longest + 1];
        int[] stride = {1, shape[0], shape[0] * shape[1]};
        for (int axis = 0; axis < 3; axis++) {
            int n = shape[axis];
            int a = axis == 0 ? 1 : 0;
            int b = axis == 2 ? 1 : 2;
            for (int j = 0; j < shape[b]; j++) {
                for (int i = 0; i < shape[a]; i++) {
                    int base = i * stride[a] + j * stride[b];
                    for (int q = 0; q < n; q++) {
                        line[q] = f[base + q * stride[axis]];
                    }
                    transformLine(line, n, out, v, z);
                    for (int q = 0; q < n; q++) {
                        f[base + q * stride[axis]] = out[q];
                    }
                }
            }
        }
        return f;
    }

    /** One line: d(q) = min over p of (q - p)^2 + f(p), by the lower envelope of parabolas. */
    private static void transformLine(double[] f, int n, double[] d, int[] v, double[] z) {
        int k = 0;
        v[0] = 0;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        for (int q = 1; q < n; q++) {
            double s = intersection(f, q, v[k]);
            while (s <= z[k]) {
                k--;
                s = intersection(f, q, v[k]);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (z[k + 1] < q) {
                k++;
            }
            double dq = q - v[k];
            d[q] = dq * dq + f[v[k]];
        }
    }

    private static double intersection(double[] f, int q, int p) {
        return ((f[q] + (double) q * q) - (f[p] + (double) p * p)) / (2.0 * q - 2.0 * p);
    }
}
