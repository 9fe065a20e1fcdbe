package io.github.nnunetfiji.inference;

import java.util.Arrays;

import io.github.nnunetfiji.image.AxisOrder;

/**
 * Where the tiles of a sliding-window prediction start, per axis (x, y, z), and the per-axis sums
 * of their Gaussian weights that normalize the aggregation.
 *
 * <p>Along an axis of size {@code S} with tile edge {@code P}: if {@code S >= P}, there are
 * {@code n = ceil((S - P) / (P * step)) + 1} tiles starting at {@code round(k (S - P) / (n - 1))}
 * (half to even, as numpy), so the first touches the start and the last the end; if {@code S < P}
 * the image is padded with zeros to {@code P}, {@code floor((P - S) / 2)} before it, and the one
 * tile starts that far before the image (as the reference pads; here no padded copy is made: voxels
 * outside the image read as 0). Along the slice axis of a 2D configuration the tile edge is 1 and
 * every slice is a tile.
 *
 * <p>Tiles form a grid and the Gaussian map is a product of axis vectors, so the summed weight of a
 * voxel is the product of one sum per axis ({@link #weightSum}); dividing by it makes the weights
 * of every voxel add up to 1 without a weight buffer per voxel.
 */
public final class TileGrid {

    private final int[] shape;
    private final int[] tile;
    private final int[][] starts;
    private final float[][] weights;
    private final float[][] weightSums;

    /**
     * @param shape     image shape (x, y, z)
     * @param tile      tile edges (x, y, z); 1 along the slice axis of a 2D configuration
     * @param step      tile step as a fraction of the tile edge, in (0, 1]
     * @param sliceAxis the axis predicted slice by slice, or -1
     */
    public TileGrid(int[] shape, int[] tile, double step, int sliceAxis) {
        if (shape.length != 3 || tile.length != 3) {
            throw new IllegalArgumentException("Shape and tile need 3 axes (x, y, z)");
        }
        if (!(step > 0 && step <= 1)) {
            throw new IllegalArgumentException("The tile step must be in (0, 1] (a fraction of the patch), got " + step);
        }
        this.shape = shape.clone();
        this.tile = tile.clone();
        this.starts = new int[3][];
        this.weights = new float[3][];
        this.weightSums = new float[3][];
        for (int a = 0; a < 3; a++) {
            if (shape[a] < 1 || tile[a] < 1) {
                throw new IllegalArgumentException("Shape " + AxisOrder.format(toLong(shape)) + " and tile "
                        + AxisOrder.format(toLong(tile)) + " need at least 1 voxel per axis");
            }
            if (a == sliceAxis) {
                if (tile[a] != 1) {
                    throw new IllegalArgumentException("The slice axis needs a tile edge of 1");
                }
                starts[a] = new int[shape[a]];
                for (int i = 0; i < shape[a]; i++) {
                    starts[a][i] = i;
                }
            } else {
                starts[a] = axisStarts(shape[a], tile[a], step);
            }
            weights[a] = GaussianImportance.axisWeights(tile[a]);
            weightSums[a] = new float[shape[a]];
            double[] sum = new double[shape[a]];
            for (int s : starts[a]) {
                for (int i = Math.max(0, s); i < Math.min(shape[a], s + tile[a]); i++) {
                    sum[i] += weights[a][i - s];
                }
            }
            for (int i = 0; i < shape[a]; i++) {
                weightSums[a][i] = (float) sum[i];
            }
        }
    }

    /** Tile starts along one axis of size {@code s} for tile edge {@code p} (see the class comment). */
    public static int[] axisStarts(int s, int p, double step) {
        if (s <= p) {
            return new int[] {-((p - s) / 2)};
        }
        double stepVoxels = p * step;
        int n = (int) Math.ceil((s - p) / stepVoxels) + 1;
        double actual = (double) (s - p) / (n - 1);
        int[] r = new int[n];
        for (int k = 0; k < n; k++) {
            r[k] = (int) Math.rint(k * actual);
        }
        return r;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int[] tile() {
        return tile.clone();
    }

    /** Tile starts along an axis (negative where the image is padded). */
    public int[] starts(int axis) {
        return starts[axis].clone();
    }

    /** Number of tiles. */
    public long tileCount() {
        return (long) starts[0].length * starts[1].length * starts[2].length;
    }

    /** The Gaussian weights of a tile along an axis. */
    public float[] weights(int axis) {
        return weights[axis].clone();
    }

    /** Sum over all tiles of the weights that fall on index {@code i} of {@code axis}. */
    public float weightSum(int axis, int i) {
        return weightSums[axis][i];
    }

    /**
     * The normalized weights of the tile starting at {@code start} along {@code axis}: the Gaussian
     * weight divided by the axis sum at the voxel it lands on (0 where it lands outside the image).
     */
    float[] normalizedWeights(int axis, int start) {
        float[] w = new float[tile[axis]];
        for (int l = 0; l < w.length; l++) {
            int i = start + l;
            if (i >= 0 && i < shape[axis]) {
                w[l] = weights[axis][l] / weightSums[axis][i];
            }
        }
        return w;
    }

    private static long[] toLong(int[] v) {
        return Arrays.stream(v).asLongStream().toArray();
    }
}
