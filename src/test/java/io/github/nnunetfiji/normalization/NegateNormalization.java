package io.github.nnunetfiji.normalization;

import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;

/** A user's scheme, added as one class plus one line in META-INF/services: negates channels named "negated". */
public final class NegateNormalization implements NormalizationScheme {

    @Override
    public String name() {
        return "Negate";
    }

    @Override
    public boolean claims(String channelName) {
        return "negated".equalsIgnoreCase(channelName);
    }

    @Override
    public void normalize(float[] data, boolean[] mask, ChannelIntensityStatistics stats) {
        for (int i = 0; i < data.length; i++) {
            data[i] = -data[i];
        }
    }
}
