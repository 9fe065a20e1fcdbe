package io.github.nnunetfiji.normalization;

import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;

/** Intensities as they are (the reference's {@code noNorm}), for channels named {@code noNorm}. */
public final class NoNormalization implements NormalizationScheme {

    @Override
    public String name() {
        return "NoNorm";
    }

    @Override
    public boolean claims(String channelName) {
        return NormalizationSchemes.named(channelName, "noNorm");
    }

    @Override
    public void normalize(float[] data, boolean[] mask, ChannelIntensityStatistics stats) {
        // Nothing to do: the voxels are already float.
    }
}
