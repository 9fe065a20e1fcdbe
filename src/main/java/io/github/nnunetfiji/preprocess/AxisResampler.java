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
    private final double[] line;

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
        this.line = new double[n + 2 * PAD];
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
     * Resamples one line: reads {@code n} values from {@code in} at {@code inOffset} with stride
     * {@code inStride}, writes {@code m} values to {@code out} at {@code outOffset} with {@code outStride}.
     */
    void resample(float[] in, long inOffset, long inStride, float[] out, long outOffset, long outStride) {
        double[] c = line;
        for (int i = 0; i < n; i++) {
            c[PAD + i] = in[(int) (inOffset + i * inStride)];
        }
        double first = c[PAD];
        double last = c[PAD + n - 1];
        for (int i = 0; i < PAD; i++) {
            c[i] = first;
            c[PAD + n + i] = last;
        }
        int len = n + 2 * PAD;
        if (order == 3) {
            CubicBSplinePrefilter.apply(c, len);
        }
        int taps = order + 1;
        int maxIndex = len - 1;
        for (int j = 0; j < m; j++) {
            int s = start[j];
            double v = 0;
            int w = j * taps;
            for (int k = 0; k < taps; k++) {
                int idx = s + k;
                // Coordinates never leave the padding for orders <= 3; clamp anyway for tiny lines.
                idx = idx < 0 ? 0 : idx > maxIndex ? maxIndex : idx;
                v += weights[w + k] * c[idx];
            }
            out[(int) (outOffset + j * outStride)] = (float) v;
        }
    }
}
