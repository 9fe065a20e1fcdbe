package io.github.nnunetfiji.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tiles cover every voxel, and the Gaussian weights of all tiles add up to 1 at every voxel. */
class TileGridTest {

    @Test
    void startsAreTheReferences() {
        assertArrayEquals(new int[] {0, 23, 46}, TileGrid.axisStarts(110, 64, 0.5)); // TRAINING-INFERENCE.md
        assertArrayEquals(new int[] {0}, TileGrid.axisStarts(64, 64, 0.5));
        assertArrayEquals(new int[] {0, 32, 64}, TileGrid.axisStarts(128, 64, 0.5));
        assertArrayEquals(new int[] {0, 1}, TileGrid.axisStarts(65, 64, 0.5));
        assertArrayEquals(new int[] {-3}, TileGrid.axisStarts(10, 16, 0.5)); // padded: floor(6/2) before
        assertArrayEquals(new int[] {-2}, TileGrid.axisStarts(11, 16, 0.5));
        assertArrayEquals(new int[] {0, 16, 32, 48, 64}, TileGrid.axisStarts(128, 64, 0.25));
        assertArrayEquals(new int[] {0, 64}, TileGrid.axisStarts(128, 64, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new TileGrid(new int[] {4, 4, 4}, new int[] {4, 4, 4}, 0, -1));
    }

    @Test
    void gaussianIsTheReferencesClosedForm() {
        float[] w = GaussianImportance.axisWeights(16);
        assertEquals(1f, w[8]);
        assertEquals((float) Math.exp(-64.0 / (2 * 4)), w[0], 1e-9);
        assertEquals((float) Math.exp(-49.0 / (2 * 4)), w[15], 1e-9);
        float[] m = GaussianImportance.map(new int[] {16, 8, 4});
        assertEquals(16 * 8 * 4, m.length);
        float min = Float.MAX_VALUE;
        for (float v : m) {
            min = Math.min(min, v);
        }
        assertTrue(min > 0, "no zero weights");
        assertEquals(1f, m[8 + 16 * (4 + 8 * 2)]);
        assertArrayEquals(new float[] {1}, GaussianImportance.axisWeights(1));
    }

    @Test
    void weightsSumToOneEverywhere() {
        int[][][] cases = {
            {{37, 21, 10}, {16, 8, 4}}, // no multiple of the step
            {{64, 32, 16}, {32, 16, 8}}, // exact multiples
            {{5, 7, 3}, {8, 8, 4}}, // smaller than the patch on every axis
            {{40, 6, 9}, {16, 8, 4}}, // mixed
            {{1, 1, 1}, {4, 4, 4}},
        };
        for (int[][] c : cases) {
            for (double step : new double[] {0.5, 0.3, 1.0}) {
                checkSums(new TileGrid(c[0], c[1], step, -1));
            }
        }
        checkSums(new TileGrid(new int[] {6, 30, 21}, new int[] {1, 16, 8}, 0.5, 0)); // 2D slices across x
        checkSums(new TileGrid(new int[] {30, 21, 3}, new int[] {16, 8, 1}, 0.5, 2)); // 2D slices across z
    }

    /** Brute force: every tile's whole Gaussian map, added voxel by voxel, divided by the sums. */
    private static void checkSums(TileGrid g) {
        int[] s = g.shape();
        int[] t = g.tile();
        float[] map = GaussianImportance.map(t);
        double[] total = new double[s[0] * s[1] * s[2]];
        int[] covered = new int[total.length];
        for (int z0 : g.starts(2)) {
            for (int y0 : g.starts(1)) {
                for (int x0 : g.starts(0)) {
                    for (int lz = 0; lz < t[2]; lz++) {
                        for (int ly = 0; ly < t[1]; ly++) {
                            for (int lx = 0; lx < t[0]; lx++) {
                                int x = x0 + lx;
                                int y = y0 + ly;
                                int z = z0 + lz;
                                if (x < 0 || y < 0 || z < 0 || x >= s[0] || y >= s[1] || z >= s[2]) {
                                    continue;
                                }
                                int i = x + s[0] * (y + s[1] * z);
                                total[i] += map[lx + t[0] * (ly + t[1] * lz)];
                                covered[i]++;
                            }
                        }
                    }
                }
            }
        }
        for (int z = 0; z < s[2]; z++) {
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++) {
                    int i = x + s[0] * (y + s[1] * z);
                    assertTrue(covered[i] > 0, "voxel " + x + "," + y + "," + z + " covered");
                    double norm = (double) g.weightSum(0, x) * g.weightSum(1, y) * g.weightSum(2, z);
                    assertEquals(1.0, total[i] / norm, 1e-5, "weights at " + x + "," + y + "," + z);
                }
            }
        }
        // Tiles stay within the image, or within the padding when the image is smaller.
        for (int a = 0; a < 3; a++) {
            int[] st = g.starts(a);
            if (s[a] >= t[a]) {
                assertEquals(0, st[0]);
                assertEquals(s[a] - t[a], st[st.length - 1]);
            }
        }
    }
}
