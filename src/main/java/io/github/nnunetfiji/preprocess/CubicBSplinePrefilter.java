package io.github.nnunetfiji.preprocess;

/**
 * Turns samples into cubic B-spline coefficients, so that the spline passes through the samples
 * (Unser's recursive filter, mirror boundary). Interpolating raw samples with B-spline weights
 * without this step would blur; {@code scipy.ndimage}'s {@code prefilter=True} does the same.
 */
final class CubicBSplinePrefilter {

    /** The pole of the cubic B-spline filter, sqrt(3) - 2. */
    static final double POLE = Math.sqrt(3.0) - 2.0;
    /** Overall gain (1 - z)(1 - 1/z) = 6. */
    private static final double GAIN = (1.0 - POLE) * (1.0 - 1.0 / POLE);
    /** Terms of the causal initial sum below this weight no longer change a double. */
    private static final double TOLERANCE = 1e-17;

    private CubicBSplinePrefilter() {
    }

    /**
     * Filters {@code w} interleaved lines in place: sample {@code i} of line {@code k} is
     * {@code c[i * w + k]}. Working on rows of {@code w} neighbouring lines keeps memory access
     * sequential when the lines run along a strided axis.
     */
    static void apply(double[] c, int n, int w) {
        if (n < 2) {
            return;
        }
        final double z = POLE;
        int total = n * w;
        for (int i = 0; i < total; i++) {
            c[i] *= GAIN;
        }
        double zn1 = Math.pow(z, n - 1);
        int last = (n - 1) * w;
        // Causal initialisation (mirror boundary), row 0 += sum of weighted rows.
        double[] sum = new double[w];
        for (int k = 0; k < w; k++) {
            sum[k] = c[k] + zn1 * c[last + k];
        }
        double zi = z;
        for (int i = 1; i < n - 1; i++) {
            int a = i * w;
            int b = (n - 1 - i) * w;
            for (int k = 0; k < w; k++) {
                sum[k] += zi * (c[a + k] + zn1 * c[b + k]);
            }
            zi *= z;
            if (Math.abs(zi) < TOLERANCE && Math.abs(zn1) < TOLERANCE) {
                break;
            }
        }
        double norm = 1.0 / (1.0 - zn1 * zn1);
        for (int k = 0; k < w; k++) {
            c[k] = sum[k] * norm;
        }
        for (int i = 1; i < n; i++) {
            int a = i * w;
            int p = a - w;
            for (int k = 0; k < w; k++) {
                c[a + k] += z * c[p + k];
            }
        }
        double f = z / (z * z - 1.0);
        int prev = last - w;
        for (int k = 0; k < w; k++) {
            c[last + k] = (z * c[prev + k] + c[last + k]) * f;
        }
        for (int i = n - 2; i >= 0; i--) {
            int a = i * w;
            int nx = a + w;
            for (int k = 0; k < w; k++) {
                c[a + k] = z * (c[nx + k] - c[a + k]);
            }
        }
    }
}
