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

    /** Filters {@code c[0..n)} in place. */
    static void apply(double[] c, int n) {
        if (n < 2) {
            return;
        }
        final double z = POLE;
        for (int i = 0; i < n; i++) {
            c[i] *= GAIN;
        }
        // Causal initialisation for a mirror-symmetric extension.
        double zn1 = Math.pow(z, n - 1);
        double sum = c[0] + zn1 * c[n - 1];
        double zi = z;
        for (int i = 1; i < n - 1; i++) {
            sum += zi * (c[i] + zn1 * c[n - 1 - i]);
            zi *= z;
            if (Math.abs(zi) < TOLERANCE && Math.abs(zn1) < TOLERANCE) {
                break;
            }
        }
        c[0] = sum / (1.0 - zn1 * zn1);
        for (int i = 1; i < n; i++) {
            c[i] += z * c[i - 1];
        }
        // Anti-causal initialisation and pass.
        c[n - 1] = (z * c[n - 2] + c[n - 1]) * z / (z * z - 1.0);
        for (int i = n - 2; i >= 0; i--) {
            c[i] = z * (c[i + 1] - c[i]);
        }
    }
}
