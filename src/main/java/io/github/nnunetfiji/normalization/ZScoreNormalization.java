package io.github.nnunetfiji.normalization;

import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;

/**
 * Z-score each case with its own mean and standard deviation; with a mask, statistics come from
 * the voxels inside it and everything outside becomes 0 (used when cropping to the nonzero region
 * shrank cases a lot, e.g. skull-stripped brains). The default for channels no other scheme claims.
 */
public final class ZScoreNormalization implements NormalizationScheme {

    @Override
    public String name() {
        return "ZScore";
    }

    /** Claims nothing by name: it is what every unclaimed channel gets. */
    @Override
    public boolean claims(String channelName) {
        return false;
    }

    @Override
    public boolean supportsNonzeroMask() {
        return true;
    }

    @Override
    public void normalize(float[] data, boolean[] mask, ChannelIntensityStatistics stats) {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < data.length; i++) {
            if (mask == null || mask[i]) {
                sum += data[i];
                n++;
            }
        }
        if (n == 0) {
            java.util.Arrays.fill(data, 0f);
            return;
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < data.length; i++) {
            if (mask == null || mask[i]) {
                double d = data[i] - mean;
                ss += d * d;
            }
        }
        double std = Math.max(Math.sqrt(ss / n), CtNormalization.MIN_STD);
        for (int i = 0; i < data.length; i++) {
            data[i] = mask == null || mask[i] ? (float) ((data[i] - mean) / std) : 0f;
        }
    }
}
