package io.github.nnunetfiji.train.augment;

import java.util.SplittableRandom;

/**
 * The reference's intensity transforms on one sample (channels one after the other, x fastest),
 * in place, in its order: Gaussian noise, Gaussian blur, multiplicative brightness, contrast,
 * simulated low resolution, inverted gamma, gamma. Holds scratch buffers: one instance per thread.
 */
public final class IntensityAugmentations {

    private final AugmentationOptions o;
    /** Axis kept at full resolution by the simulated low resolution (slice-wise mode), or -1. */
    private final int keepAxis;
    private float[] line = new float[0];

    public IntensityAugmentations(AugmentationOptions options, SpatialMode mode) {
        this.o = options;
        this.keepAxis = mode.isVolume() ? -1 : mode.sliceAxis();
    }

    public void apply(float[] image, int channels, int[] shape, SplittableRandom rng) {
        int n = shape[0] * shape[1] * shape[2];
        if (rng.nextDouble() < o.noiseProbability()) {
            double sd = SpatialTransform.uniform(rng, 0, o.noiseStdMax());
            for (int i = 0; i < channels * n; i++) {
                image[i] += (float) (sd * rng.nextGaussian());
            }
        }
        if (rng.nextDouble() < o.blurProbability()) {
            for (int c = 0; c < channels; c++) {
                if (rng.nextDouble() < o.blurPerChannel()) {
                    for (int axis = 0; axis < 3; axis++) {
                        double sigma = SpatialTransform.uniform(rng, o.blurSigmaMin(), o.blurSigmaMax());
                        if (shape[axis] > 1) {
                            blur(image, c * n, shape, axis, sigma);
                        }
                    }
                }
            }
        }
        if (rng.nextDouble() < o.brightnessProbability()) {
            for (int c = 0; c < channels; c++) {
                float m = (float) contrastLike(rng, o.brightnessMin(), o.brightnessMax());
                for (int i = c * n; i < (c + 1) * n; i++) {
                    image[i] *= m;
                }
            }
        }
        if (rng.nextDouble() < o.contrastProbability()) {
            for (int c = 0; c < channels; c++) {
                contrast(image, c * n, n, contrastLike(rng, o.contrastMin(), o.contrastMax()));
            }
        }
        if (rng.nextDouble() < o.lowResolutionProbability()) {
            for (int c = 0; c < channels; c++) {
                if (rng.nextDouble() < o.lowResolutionPerChannel()) {
                    double zoom = SpatialTransform.uniform(rng, o.lowResolutionZoomMin(), o.lowResolutionZoomMax());
                    lowResolution(image, c * n, shape, zoom);
                }
            }
        }
        if (rng.nextDouble() < o.invertedGammaProbability()) {
            for (int c = 0; c < channels; c++) {
                gamma(image, c * n, n, contrastLike(rng, o.gammaMin(), o.gammaMax()), true);
            }
        }
        if (rng.nextDouble() < o.gammaProbability()) {
            for (int c = 0; c < channels; c++) {
                gamma(image, c * n, n, contrastLike(rng, o.gammaMin(), o.gammaMax()), false);
            }
        }
    }

    /** The reference's "BGContrast" draw: below 1 half of the time when the range reaches below 1. */
    static double contrastLike(SplittableRandom rng, double lo, double hi) {
        if (lo < 1 && rng.nextDouble() < 0.5) {
            return SpatialTransform.uniform(rng, lo, 1);
        }
        return SpatialTransform.uniform(rng, Math.max(lo, 1), hi);
    }

    /** Kernel edge: the odd number nearest to 6 sigma + 0.5 (Python rounding, as the reference). */
    static int kernelSize(double sigma) {
        double v = 6 * sigma + 0.5;
        long r = (long) Math.rint(v);
        if (r % 2 == 1) {
            return (int) r;
        }
        return (int) (v - r >= 0 ? r + 1 : r - 1);
    }

    /** Separable Gaussian along one axis, mirror ("reflect") boundary. */
    void blur(float[] a, int off, int[] shape, int axis, double sigma) {
        int ks = kernelSize(sigma);
        int r = ks / 2;
        float[] k = new float[ks];
        double sum = 0;
        for (int i = 0; i < ks; i++) {
            double x = i - r;
            k[i] = (float) Math.exp(-0.5 * x * x / (sigma * sigma));
            sum += k[i];
        }
        for (int i = 0; i < ks; i++) {
            k[i] /= (float) sum;
        }
        int len = shape[axis];
        int stride = axis == 0 ? 1 : axis == 1 ? shape[0] : shape[0] * shape[1];
        ensureLines(len + 2 * r);
        int lines = shape[0] * shape[1] * shape[2] / len;
        for (int l = 0; l < lines; l++) {
            int start = lineStart(l, shape, axis, off);
            float[] buf = line;
            for (int i = 0; i < len; i++) {
                buf[i + r] = a[start + i * stride];
            }
            for (int i = 1; i <= r; i++) {
                buf[r - i] = buf[r + reflect(-i, len)];
                buf[r + len - 1 + i] = buf[r + reflect(len - 1 + i, len)];
            }
            for (int i = 0; i < len; i++) {
                float v = 0;
                for (int t = 0; t < ks; t++) {
                    v += k[t] * buf[i + t];
                }
                a[start + i * stride] = v;
            }
        }
    }

    /** Mirror index without repeating the edge (d c b | a b c d | c b a), for any overhang. */
    static int reflect(int i, int len) {
        if (len == 1) {
            return 0;
        }
        int period = 2 * (len - 1);
        int m = Math.floorMod(i, period);
        return m < len ? m : period - m;
    }

    /** First element of line {@code l} along {@code axis}. */
    private static int lineStart(int l, int[] shape, int axis, int off) {
        if (axis == 0) {
            return off + l * shape[0];
        }
        if (axis == 1) {
            int x = l % shape[0];
            int z = l / shape[0];
            return off + x + shape[0] * shape[1] * z;
        }
        return off + l;
    }

    private void ensureLines(int n) {
        if (line.length < n) {
            line = new float[n];
        }
    }

    /** (x - mean) * f + mean, clamped to the channel's range before the transform. */
    static void contrast(float[] a, int off, int n, double f) {
        double sum = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + n; i++) {
            sum += a[i];
            min = Math.min(min, a[i]);
            max = Math.max(max, a[i]);
        }
        float mean = (float) (sum / n);
        float ff = (float) f;
        for (int i = off; i < off + n; i++) {
            float v = (a[i] - mean) * ff + mean;
            a[i] = v < min ? min : v > max ? max : v;
        }
    }

    /**
     * Gamma on the channel's range, then mean and standard deviation restored; inverted: on the
     * negated image.
     */
    static void gamma(float[] a, int off, int n, double g, boolean invert) {
        double sum = 0;
        double sq = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + n; i++) {
            float v = invert ? -a[i] : a[i];
            sum += v;
            sq += (double) v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / n;
        double sd = Math.sqrt(Math.max(0, sq / n - mean * mean));
        double range = max - min;
        double div = Math.max(range, 1e-7);
        double sum2 = 0;
        double sq2 = 0;
        for (int i = off; i < off + n; i++) {
            float v = invert ? -a[i] : a[i];
            double w = Math.pow((v - min) / div, g) * range + min;
            a[i] = (float) w;
            sum2 += w;
            sq2 += w * w;
        }
        double mean2 = sum2 / n;
        double sd2 = Math.sqrt(Math.max(0, sq2 / n - mean2 * mean2));
        double scale = sd / Math.max(sd2, 1e-7);
        for (int i = off; i < off + n; i++) {
            double v = (a[i] - mean2) * scale + mean;
            a[i] = (float) (invert ? -v : v);
        }
    }

    /**
     * Downsamples to round(zoom x edge) per axis with nearest-exact sampling and back with linear
     * interpolation (half-pixel centres, edge clamp), one axis at a time (both steps are separable).
     * Axes of extent 1 and the slice axis of slice-wise mode keep their resolution.
     */
    void lowResolution(float[] a, int off, int[] shape, double zoom) {
        for (int axis = 0; axis < 3; axis++) {
            int len = shape[axis];
            if (len <= 1 || axis == keepAxis) {
                continue;
            }
            int m = (int) Math.max(1, Math.rint(len * zoom));
            if (m == len) {
                continue;
            }
            int[] i0 = new int[len];
            int[] i1 = new int[len];
            float[] t = new float[len];
            for (int o = 0; o < len; o++) {
                double x = Math.max(0, (o + 0.5) * m / len - 0.5);
                int lo = Math.min((int) Math.floor(x), m - 1);
                int hi = Math.min(lo + 1, m - 1);
                t[o] = (float) (x - lo);
                // The small image's voxel j is the full image's voxel nearestExact(j).
                i0[o] = Math.min((int) Math.floor((lo + 0.5) * len / m), len - 1);
                i1[o] = Math.min((int) Math.floor((hi + 0.5) * len / m), len - 1);
            }
            int stride = axis == 0 ? 1 : axis == 1 ? shape[0] : shape[0] * shape[1];
            ensureLines(len);
            int lines = shape[0] * shape[1] * shape[2] / len;
            for (int l = 0; l < lines; l++) {
                int start = lineStart(l, shape, axis, off);
                float[] buf = line;
                for (int i = 0; i < len; i++) {
                    buf[i] = a[start + i * stride];
                }
                for (int o = 0; o < len; o++) {
                    float v0 = buf[i0[o]];
                    a[start + o * stride] = v0 + t[o] * (buf[i1[o]] - v0);
                }
            }
        }
    }
}
