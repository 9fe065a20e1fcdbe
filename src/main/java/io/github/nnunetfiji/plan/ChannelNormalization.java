package io.github.nnunetfiji.plan;

/**
 * How one image channel is normalized.
 *
 * <ul>
 *   <li>{@link #CT}: clip to the data set's foreground 0.5 and 99.5 percentiles, then z-score with
 *       the foreground mean and standard deviation (see the fingerprint).</li>
 *   <li>{@link #ZSCORE}: z-score each case with its own mean and standard deviation; with
 *       {@code useNonzeroMask}, only inside the nonzero region, and everything outside set to 0.</li>
 * </ul>
 */
public final class ChannelNormalization {

    /** Scheme name of CT normalization. */
    public static final String CT = "CT";
    /** Scheme name of per-case z-scoring. */
    public static final String ZSCORE = "ZScore";

    private final int channel;
    private final String channelName;
    private final String scheme;
    private final boolean useNonzeroMask;

    /**
     * @param channel        channel index
     * @param channelName    channel name from {@code dataset.json}
     * @param scheme         {@link #CT} or {@link #ZSCORE}
     * @param useNonzeroMask normalize only inside the nonzero mask and set the outside to 0
     */
    public ChannelNormalization(int channel, String channelName, String scheme, boolean useNonzeroMask) {
        this.channel = channel;
        this.channelName = channelName;
        this.scheme = scheme;
        this.useNonzeroMask = useNonzeroMask;
    }

    /** Channel index. */
    public int channel() {
        return channel;
    }

    /** Channel name from {@code dataset.json}. */
    public String channelName() {
        return channelName;
    }

    /** {@link #CT} or {@link #ZSCORE}. */
    public String scheme() {
        return scheme;
    }

    /** True: statistics from, and values written to, the nonzero region only. */
    public boolean useNonzeroMask() {
        return useNonzeroMask;
    }
}
