package io.github.nnunetfiji.normalization;

import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;

/**
 * Per case: subtract the minimum, divide by the new maximum (at least 1e-8), as the reference's
 * {@code rescale_to_0_1}, for channels named so.
 */
public final class RescaleTo01Normalization implements NormalizationScheme {

    @Override
    public String name() {
        return "RescaleTo01";
    }

    @Override
    public boolean claims(String channelName) {
        return NormalizationSchemes.named(channelName, "rescale_to_0_1");
    }

    @Override
    public void normalize(float[] data, boolean[] mask, ChannelIntensityStatistics stats) {
        float min = Float.POSITIVE_INFINITY;
        for (float v : data) {
            min = Math.min(min, v);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < data.length; i++) {
            data[i] -= min;
            max = Math.max(max, data[i]);
        }
        float scale = (float) Math.max(max, 1e-8);
        for (int i = 0; i < data.length; i++) {
            data[i] /= scale;
        }
    }
}
