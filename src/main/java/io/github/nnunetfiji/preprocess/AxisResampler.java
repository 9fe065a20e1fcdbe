package io.github.nnunetfiji.preprocess;

/**
 * Resamples lines of samples along one axis from length {@code n} to {@code m}, with spline order
 * 0 (nearest), 1 (linear) or 3 (cubic B-spline with prefilter). Sample positions follow
 * {@code scipy.ndimage.zoom(..., grid_mode=True, mode='nearest')}, which is what
 * {@code skimage.transform.resize} (the reference implementation's resampler) uses: voxel
 * {@code j} of the output covers the same physical extent as its share of the input, so output
 * voxel centres sit at input coordinate {@code (j + 0.5) * n / m - 0.5}; outside the input the
 * edge value continues. One instance per thread: it owns scratch buffers.
 */
final class AxisResampler {

    /** Edge padding before the prefilter, as scipy does for mode 'nearest' (its npad = 12). */
    static final int PAD = 12;

    private final int n;
    private final int m;
    private final int order;
    /** For output j: first input (padded) index of its support. */
    private final int[] start;
    /** For output j: order+1 weights. */
    private final double[] weights;
    private double[] block = new double[0];

    AxisResampler(int n, int m, int order) {
        if (order != 0 && order != 1 && order != 3) {
            throw new IllegalArgumentException("Spline order must be 0, 1 or 3, got " + order);
        }
        if (n < 1 || m < 1) {
            throw new IllegalArgumentException("Line lengths must be positive: " + n + " -> " + m);
        }
        this.n = n;
        this.m = m;
        this.order = order;
        int taps = order + 1;
        this.start = new int[m];
        this.weights = new double[m * taps];
        double scale = (double) n / m;
        for (int j = 0; j < m; j++) {
            double x = (j + 0.5) * scale - 0.5;
            switch (order) {
                case 0 -> {
                    // scipy rounds even orders with floor(x + 0.5); clamp = mode 'nearest'.
                    start[j] = clamp((int) Math.floor(x + 0.5), n) + PAD;
                    weights[j] = 1;
                }
                case 1 -> {
                    int i0 = (int) Math.floor(x);
                    double t = x - i0;
                    start[j] = i0 + PAD;
                    weights[2 * j] = 1 - t;
                    weights[2 * j + 1] = t;
                }
                default -> {
                    int i0 = (int) Math.floor(x);
                    double t = x - i0;
                    start[j] = i0 - 1 + PAD;
                    // Cubic B-spline weights at distances 1+t, t, 1-t, 2-t.
                    double t2 = t * t;
                    double t3 = t2 * t;
                    weights[4 * j] = (1 - t) * (1 - t) * (1 - t) / 6.0;
                    weights[4 * j + 1] = (3 * t3 - 6 * t2 + 4) / 6.0;
                    weights[4 * j + 2] = (-3 * t3 + 3 * t2 + 3 * t + 1) / 6.0;
                    weights[4 * j + 3] = t3 / 6.0;
                }
            }
        }
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }

    /**
     * Resamples {@code w} neighbouring lines at once: sample {@code i} of line {@code k} is read from
     * {@code in[inOffset + k + i * inStride]} and output {@code j} written to
     * {@code out[outOffset + k + j * outStride]}. With {@code w = 1} this is one line of any stride.
     */
    void resample(float[] in, long inOffset, long inStride, int w, float[] out, long outOffset, long outStride) {
        int len = n + 2 * PAD;
        if (block.length < len * w) {
            block = new double[len * w];
        }
        double[] c = block;
        for (int i = 0; i < n; i++) {
            int src = (int) (inOffset + i * inStride);
            int dst = (PAD + i) * w;
            for (int k = 0; k < w; k++) {
                c[dst + k] = in[src + k];
            }
        }
        for (int i = 0; i < PAD; i++) {
            System.arraycopy(c, PAD * w, c, i * w, w);
            System.arraycopy(c, (PAD + n - 1) * w, c, (PAD + n + i) * w, w);
        }
        if (order == 3) {
            CubicBSplinePrefilter.apply(c, len, w);
        }
        int taps = order + 1;
        int maxRow = len - 1;
        for (int j = 0; j < m; j++) {
            int dst = (int) (outOffset + j * outStride);
            int wj = j * taps;
            int s0 = start[j];
            if (s0 >= 0 && s0 + taps - 1 <= maxRow) {
                if (taps == 4) {
                    double w0 = weights[wj];
                    double w1 = weights[wj + 1];
                    double w2 = weights[wj + 2];
                    double w3 = weights[wj + 3];
                    int r0 = s0 * w;
                    int r1 = r0 + w;
                    int r2 = r1 + w;
                    int r3 = r2 + w;
                    for (int k = 0; k < w; k++) {
                        out[dst + k] = (float) (w0 * c[r0 + k] + w1 * c[r1 + k] + w2 * c[r2 + k] + w3 * c[r3 + k]);
                    }
                    continue;
                }
            }
            for (int k = 0; k < w; k++) {
                double v = 0;
                for (int t = 0; t < taps; t++) {
                    // Coordinates never leave the padding for orders <= 3; clamp anyway for tiny lines.
                    int row = Math.max(0, Math.min(maxRow, s0 + t));
                    v += weights[wj + t] * c[row * w + k];
                }
                out[dst + k] = (float) v;
            }
        }
    }
}
