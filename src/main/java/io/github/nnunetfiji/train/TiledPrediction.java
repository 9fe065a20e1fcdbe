package io.github.nnunetfiji.train;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.Predictor;

/**
 * Softmax probabilities of a whole plane (2D network) or volume (3D network) from patch-sized
 * tiles: tiles overlap by half a patch, each weighted by a Gaussian (sigma = patch / 8 per axis)
 * so that voxels near a tile's centre count more; an input smaller than the patch is padded with
 * zeros, centred. No mirroring. (The inference stage brings the full sliding-window predictor;
 * this is what the end-of-fold validation uses until then.)
 */
final class TiledPrediction {

    private TiledPrediction() {
    }

    /**
     * @param image    {@code channels} arrays of the input, concatenated, network axis 0 fastest
     * @param shape    the input's edges in network axis order (2 or 3 entries)
     * @param patch    the tile's edges (multiples of the network's size divisor)
     * @return         probabilities, class after class, each in the input's voxel order
     */
    static float[] probabilities(Predictor net, float[] image, int channels, int[] shape, int[] patch) {
        int dims = shape.length;
        int classes = net.spec().classes;
        int[] s3 = {shape[0], shape[1], dims > 2 ? shape[2] : 1};
        int[] p3 = {patch[0], patch[1], dims > 2 ? patch[2] : 1};
        int voxels = s3[0] * s3[1] * s3[2];
        int patchVoxels = p3[0] * p3[1] * p3[2];
        int[] padded = new int[3];
        int[] low = new int[3];
        int[][] starts = new int[3][];
        for (int a = 0; a < 3; a++) {
            padded[a] = Math.max(s3[a], p3[a]);
            low[a] = (padded[a] - s3[a]) / 2;
            starts[a] = starts(padded[a], p3[a]);
        }
        float[] weight = gaussian(p3, dims);
        float[] acc = new float[classes * voxels];
        float[] wsum = new float[voxels];
        float[] tile = new float[patchVoxels * channels];
        for (int sz : starts[2]) {
            for (int sy : starts[1]) {
                for (int sx : starts[0]) {
                    int[] start = {sx - low[0], sy - low[1], sz - low[2]}; // in input coordinates
                    java.util.Arrays.fill(tile, 0f);
                    forEachInside(start, p3, s3, (t, v) -> {
                        for (int c = 0; c < channels; c++) {
                            tile[t * channels + c] = image[c * voxels + v];
                        }
                    });
                    int[] batchShape = dims > 2 ? p3.clone() : new int[] {p3[0], p3[1]};
                    float[] prob = net.predict(Batch.images(1, batchShape, channels, tile));
                    forEachInside(start, p3, s3, (t, v) -> {
                        float w = weight[t];
                        wsum[v] += w;
                        for (int k = 0; k < classes; k++) {
                            acc[k * voxels + v] += prob[t * classes + k] * w;
                        }
                    });
                }
            }
        }
        for (int k = 0; k < classes; k++) {
            for (int v = 0; v < voxels; v++) {
                acc[k * voxels + v] /= wsum[v];
            }
        }
        return acc;
    }

    private interface VoxelPair {
        void accept(int tileIndex, int inputIndex);
    }

    /** Visits the tile voxels that lie inside the input. */
    private static void forEachInside(int[] start, int[] p, int[] s, VoxelPair f) {
        for (int z = Math.max(0, -start[2]); z < p[2] && start[2] + z < s[2]; z++) {
            for (int y = Math.max(0, -start[1]); y < p[1] && start[1] + y < s[1]; y++) {
                for (int x = Math.max(0, -start[0]); x < p[0] && start[0] + x < s[0]; x++) {
                    f.accept(x + p[0] * (y + p[1] * z), (start[0] + x) + s[0] * ((start[1] + y) + s[1] * (start[2] + z)));
                }
            }
        }
    }

    /** Tile starts along one axis: step half a patch, spread evenly to cover the edge. */
    static int[] starts(int size, int patch) {
        if (size <= patch) {
            return new int[] {0};
        }
        int n = (int) Math.ceil((size - patch) / (patch * 0.5)) + 1;
        int[] s = new int[n];
        for (int k = 0; k < n; k++) {
            s[k] = (int) Math.round(k * (size - patch) / (double) (n - 1));
        }
        return s;
    }

    private static float[] gaussian(int[] p, int dims) {
        float[] w = new float[p[0] * p[1] * p[2]];
        double[][] axis = new double[3][];
        for (int a = 0; a < 3; a++) {
            axis[a] = new double[p[a]];
            double sigma = p[a] / 8.0;
            for (int i = 0; i < p[a]; i++) {
                double d = i - p[a] / 2;
                axis[a][i] = a < dims ? Math.exp(-d * d / (2 * sigma * sigma)) : 1;
            }
        }
        for (int z = 0; z < p[2]; z++) {
            for (int y = 0; y < p[1]; y++) {
                for (int x = 0; x < p[0]; x++) {
                    // Never zero, so border voxels covered by one tile only keep a weight.
                    w[x + p[0] * (y + p[1] * z)] = (float) Math.max(axis[0][x] * axis[1][y] * axis[2][z], 1e-6);
                }
            }
        }
        return w;
    }
}
