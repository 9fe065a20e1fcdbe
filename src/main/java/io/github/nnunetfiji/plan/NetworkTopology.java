package io.github.nnunetfiji.plan;

import java.util.Arrays;

import io.github.nnunetfiji.image.AxisOrder;

/**
 * The depth and shape of a U-Net: how often each axis is pooled, the stride of every stage and the
 * convolution kernel of every stage. Stage 0 works at full resolution (stride 1); stage {@code s}
 * downsamples by {@code strides[s]}; the last stage is the bottleneck. Per-axis values follow
 * {@link AxisOrder}. Immutable.
 */
public final class NetworkTopology {

    private final int[] poolingsPerAxis;
    private final int[][] strides;
    private final int[][] kernelSizes;

    /**
     * @param poolingsPerAxis number of poolings along x, y, z
     * @param strides         stride per stage and axis; stage 0 is all ones
     * @param kernelSizes     convolution kernel per stage and axis; as many stages as {@code strides}
     * @throws IllegalArgumentException if the stage counts differ
     */
    public NetworkTopology(int[] poolingsPerAxis, int[][] strides, int[][] kernelSizes) {
        if (strides.length != kernelSizes.length) {
            throw new IllegalArgumentException(strides.length + " strides but " + kernelSizes.length + " kernel sizes");
        }
        this.poolingsPerAxis = poolingsPerAxis.clone();
        this.strides = deepCopy(strides);
        this.kernelSizes = deepCopy(kernelSizes);
    }

    static int[][] deepCopy(int[][] a) {
        int[][] c = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /** Number of poolings per axis. */
    public int[] poolingsPerAxis() {
        return poolingsPerAxis.clone();
    }

    /** Number of resolution stages (poolings along the most pooled axis, plus one). */
    public int stages() {
        return strides.length;
    }

    /** Stride per stage and axis. */
    public int[][] strides() {
        return deepCopy(strides);
    }

    /** Convolution kernel size per stage and axis. */
    public int[][] kernelSizes() {
        return deepCopy(kernelSizes);
    }

    /** What every patch edge must be divisible by: {@code 2^poolings} per axis. */
    public long[] divisor() {
        long[] d = new long[poolingsPerAxis.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = 1L << poolingsPerAxis[i];
        }
        return d;
    }

    /**
     * Whether a patch fits this topology.
     *
     * @param patch edge per axis
     * @return true if every edge is a multiple of {@link #divisor()}
     */
    public boolean divides(long[] patch) {
        long[] d = divisor();
        for (int i = 0; i < d.length; i++) {
            if (patch[i] % d[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkTopology t && Arrays.equals(poolingsPerAxis, t.poolingsPerAxis)
                && Arrays.deepEquals(strides, t.strides) && Arrays.deepEquals(kernelSizes, t.kernelSizes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(poolingsPerAxis) * 31 + Arrays.deepHashCode(strides);
    }

    @Override
    public String toString() {
        int[] p = poolingsPerAxis;
        return "NetworkTopology[poolings " + p[0] + "x" + p[1] + "x" + p[2] + ", " + stages() + " stages]";
    }
}
