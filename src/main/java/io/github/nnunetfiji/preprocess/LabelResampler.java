package io.github.nnunetfiji.preprocess;

/**
 * Resamples label maps. {@link Mode#NEAREST} is the paper's rule. {@link Mode#ONE_HOT_LINEAR} is
 * the reference implementation's smoother variant: every class is resampled as a 0/1 mask with
 * linear interpolation and a voxel takes the (highest) class whose mask reaches 0.5 there, 0 if
 * none does. Labels are signed: {@link PreprocessedCase#OUTSIDE} (-1) comes first, then 0.
 * The out-of-plane axis of anisotropic data always uses nearest neighbour.
 */
public final class LabelResampler {

    /** How label maps are interpolated. */
    public enum Mode {
        NEAREST,
        ONE_HOT_LINEAR
    }

    private final VolumeResampler resampler;

    public LabelResampler(int threads) {
        this.resampler = new VolumeResampler(threads);
    }

    /**
     * @param labels          label values per voxel ({@code shape})
     * @param nearestAxis     an axis to resample with nearest neighbour in either mode, or -1
     * @return labels of {@code newShape}
     */
    public byte[] resample(byte[] labels, int[] shape, int[] newShape, Mode mode, int nearestAxis) {
        if (java.util.Arrays.equals(shape, newShape)) {
            return labels;
        }
        int n = labels.length;
        if (mode == Mode.NEAREST) {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = labels[i];
            }
            float[] r = resampler.resample(f, shape, newShape, new int[] {0, 0, 0});
            byte[] out = new byte[r.length];
            for (int i = 0; i < r.length; i++) {
                out[i] = (byte) r[i];
            }
            return out;
        }
        int[] orders = {1, 1, 1};
        if (nearestAxis >= 0) {
            orders[nearestAxis] = 0;
        }
        boolean[] present = new boolean[256];
        boolean negative = false;
        for (byte b : labels) {
            present[b + 128] = true;
            negative |= b < 0;
        }
        byte[] out = new byte[newShape[0] * newShape[1] * newShape[2]];
        float[] onehot = new float[n];
        // Ascending signed order, later labels overwriting earlier ones where they reach 0.5, as the
        // reference does. Background (0) only matters where it overwrites a negative mark.
        for (int v = -128; v < 128; v++) {
            if (!present[v + 128] || (v == 0 && !negative)) {
                continue;
            }
            byte c = (byte) v;
            for (int i = 0; i < n; i++) {
                onehot[i] = labels[i] == c ? 1f : 0f;
            }
            float[] r = resampler.resample(onehot, shape, newShape, orders);
            for (int i = 0; i < r.length; i++) {
                if (r[i] >= 0.5f) {
                    out[i] = c;
                }
            }
        }
        return out;
    }
}
