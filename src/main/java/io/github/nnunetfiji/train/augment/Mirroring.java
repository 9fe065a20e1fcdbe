package io.github.nnunetfiji.train.augment;

import java.util.SplittableRandom;

/** Flips image and labels together along each allowed axis with a given probability, in place. */
public final class Mirroring {

    private Mirroring() {
    }

    public static void apply(float[] image, byte[] labels, int channels, int[] shape, int[] axes, double p,
            SplittableRandom rng) {
        apply(image, labels, null, channels, shape, axes, p, rng);
    }

    /** As {@link #apply(float[], byte[], int, int[], int[], double, SplittableRandom)}, also flipping {@code moreLabels} if not null. */
    public static void apply(float[] image, byte[] labels, byte[] moreLabels, int channels, int[] shape, int[] axes,
            double p, SplittableRandom rng) {
        for (int axis : axes) {
            if (rng.nextDouble() < p && shape[axis] > 1) {
                int n = shape[0] * shape[1] * shape[2];
                for (int c = 0; c < channels; c++) {
                    flip(image, c * n, shape, axis);
                }
                flip(labels, shape, axis);
                if (moreLabels != null) {
                    flip(moreLabels, shape, axis);
                }
            }
        }
    }

    /** Flips one channel starting at {@code off} along {@code axis}. */
    static void flip(float[] a, int off, int[] s, int axis) {
        int sx = s[0];
        int sy = s[1];
        int sz = s[2];
        if (axis == 0) {
            for (int row = 0; row < sy * sz; row++) {
                int b = off + row * sx;
                for (int i = 0, j = sx - 1; i < j; i++, j--) {
                    float t = a[b + i];
                    a[b + i] = a[b + j];
                    a[b + j] = t;
                }
            }
        } else {
            int stride = axis == 1 ? sx : sx * sy;
            int n = s[axis];
            int outer = axis == 1 ? sz : 1;
            int inner = axis == 1 ? sx : sx * sy;
            int block = axis == 1 ? sx * sy : 0;
            for (int o = 0; o < outer; o++) {
                for (int i = 0, j = n - 1; i < j; i++, j--) {
                    int bi = off + o * block + i * stride;
                    int bj = off + o * block + j * stride;
                    for (int k = 0; k < inner; k++) {
                        float t = a[bi + k];
                        a[bi + k] = a[bj + k];
                        a[bj + k] = t;
                    }
                }
            }
        }
    }

    static void flip(byte[] a, int[] s, int axis) {
        int sx = s[0];
        int sy = s[1];
        int sz = s[2];
        if (axis == 0) {
            for (int row = 0; row < sy * sz; row++) {
                int b = row * sx;
                for (int i = 0, j = sx - 1; i < j; i++, j--) {
                    byte t = a[b + i];
                    a[b + i] = a[b + j];
                    a[b + j] = t;
                }
            }
        } else {
            int stride = axis == 1 ? sx : sx * sy;
            int n = s[axis];
            int outer = axis == 1 ? sz : 1;
            int inner = axis == 1 ? sx : sx * sy;
            int block = axis == 1 ? sx * sy : 0;
            for (int o = 0; o < outer; o++) {
                for (int i = 0, j = n - 1; i < j; i++, j--) {
                    int bi = o * block + i * stride;
                    int bj = o * block + j * stride;
                    for (int k = 0; k < inner; k++) {
                        byte t = a[bi + k];
                        a[bi + k] = a[bj + k];
                        a[bj + k] = t;
                    }
                }
            }
        }
    }
}
