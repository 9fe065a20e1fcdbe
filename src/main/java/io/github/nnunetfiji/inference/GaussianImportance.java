package io.github.nnunetfiji.inference;

/**
 * The Gaussian importance weights of a tile: voxels near a tile's centre count more than voxels
 * near its border when overlapping tiles are aggregated (METHOD.md §6). As in the reference, the
 * weight is {@code prod_d exp(-(i_d - floor(P_d/2))^2 / (2 sigma_d^2))} with {@code sigma_d = P_d / 8},
 * scaled (here to a maximum of 1: the scale cancels in the normalization), and zeros are replaced
 * by the smallest nonzero weight so that every voxel of a tile counts.
 *
 * <p>The map is a product of one vector per axis, so it is kept as those vectors; the smallest
 * factor is {@code e^-8} per axis ({@code i} is at most {@code P/2} from the centre), so in single
 * precision no weight is zero (the reference's zeros come from its half-precision map) and the
 * replacement rule never changes a value here. It is applied anyway, per axis, to keep the rule.
 */
public final class GaussianImportance {

    /** Sigma as a fraction of the patch edge. */
    public static final double SIGMA_FRACTION = 1.0 / 8;

    private GaussianImportance() {
    }

    /** The weights along one axis of edge {@code p}: 1 at index {@code floor(p/2)}. */
    public static float[] axisWeights(int p) {
        if (p < 1) {
            throw new IllegalArgumentException("Patch edge must be >= 1, got " + p);
        }
        float[] w = new float[p];
        int centre = p / 2;
        double sigma = p * SIGMA_FRACTION;
        float smallest = Float.MAX_VALUE;
        for (int i = 0; i < p; i++) {
            double d = i - centre;
            w[i] = (float) Math.exp(-d * d / (2 * sigma * sigma));
            if (w[i] > 0) {
                smallest = Math.min(smallest, w[i]);
            }
        }
        for (int i = 0; i < p; i++) {
            if (w[i] == 0) {
                w[i] = smallest;
            }
        }
        return w;
    }

    /**
     * The whole map of a patch (x fastest): the product of the axis weights. For tests and
     * inspection; the predictor works with the axis vectors.
     */
    public static float[] map(int[] patch) {
        float[][] axes = new float[patch.length][];
        int n = 1;
        for (int a = 0; a < patch.length; a++) {
            axes[a] = axisWeights(patch[a]);
            n = Math.multiplyExact(n, patch[a]);
        }
        float[] m = new float[n];
        int[] pos = new int[patch.length];
        for (int i = 0; i < n; i++) {
            float v = 1;
            for (int a = 0; a < patch.length; a++) {
                v *= axes[a][pos[a]];
            }
            m[i] = v;
            for (int a = 0; a < patch.length && ++pos[a] == patch[a]; a++) {
                pos[a] = 0;
            }
        }
        return m;
    }
}
