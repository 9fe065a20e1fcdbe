package io.github.nnunetfiji.normalization;

import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;

/**
 * One intensity normalization, keyed by the name stored in {@code plans.json}. The planner picks a
 * scheme per channel from the channel's name in {@code dataset.json} ({@link #claims}); the first
 * scheme that claims a name wins, z-score takes the rest. A new scheme is one class implementing
 * this interface, listed in {@code META-INF/services/io.github.nnunetfiji.normalization.NormalizationScheme}
 * of any jar on the class path ({@link NormalizationSchemes}).
 */
public interface NormalizationScheme {

    /** The name stored in the plans, e.g. {@code CT}. */
    String name();

    /** True if a channel of this name in {@code dataset.json} is normalized by this scheme. */
    boolean claims(String channelName);

    /** True if the planner may restrict it to the nonzero mask (statistics inside, 0 outside). */
    default boolean supportsNonzeroMask() {
        return false;
    }

    /**
     * Normalizes one channel of one cropped case in place.
     *
     * @param data  the voxels, x fastest
     * @param mask  voxels inside the nonzero region, or null when the plan does not mask this channel
     * @param stats the data set's foreground statistics of this channel from the fingerprint (null
     *              if the plans hold none)
     */
    void normalize(float[] data, boolean[] mask, ChannelIntensityStatistics stats);

    /**
     * The data set statistics this scheme reads, as text, so stored cases are made again when they
     * change ({@code pipeline.Provenance}); empty for schemes that use the case alone.
     */
    default String statisticsUsed(ChannelIntensityStatistics stats) {
        return "";
    }
}
