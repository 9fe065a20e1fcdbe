package io.github.nnunetfiji.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.OptimizerSpec;
import io.github.nnunetfiji.engine.SphereData;
import io.github.nnunetfiji.util.Progress;

/** Networks built by the engine: the sliding window reproduces a whole-image pass where one tile covers it. */
class EngineSlidingWindowTest {

    static Engine engine;

    @BeforeAll
    static void start() {
        engine = EngineLoader.fromClassPath(EngineOptions.cpu(2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static Network trained3d() {
        NetworkSpec spec = NetworkSpec.uniformBuilder(3, 1, 3, 3, 4, 16)
                .poolStride(1, new int[] {2, 2, 1})
                .optimizer(OptimizerSpec.adam(1e-3)).build();
        Network net = engine.create(spec);
        SphereData data = new SphereData(new int[] {16, 16, 8}, 3, 0.5);
        for (int i = 0; i < 3; i++) {
            net.trainStep(data.batch(2));
        }
        return net;
    }

    private static float[][] channels(Batch b) {
        int n = (int) b.voxelsPerSample();
        int c = b.channels();
        float[][] out = new float[c][n];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                out[ch][i] = b.images()[i * c + ch];
            }
        }
        return out;
    }

    @Test
    void oneTileEqualsTheWholeImagePass() {
        try (Network net = trained3d()) {
            int[] shape = {16, 16, 8};
            Batch b = new SphereData(shape, 42, 0.5).batch(1);
            float[] whole = net.predict(b);
            float[][] tiled = new SlidingWindowPredictor(List.of(net), new int[] {0, 1, 2}, shape, 0.5, false)
                    .predict(channels(b), shape, Progress.NONE);
            for (int i = 0; i < tiled[0].length; i++) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(whole[i * 3 + k], tiled[k][i], 1e-5);
                }
            }
        }
    }

    @Test
    void smallerImageEqualsThePaddedPass() {
        try (Network net = trained3d()) {
            int[] patch = {16, 16, 8};
            int[] shape = {11, 16, 5}; // padded by 2 (x) and 1 (z) before
            float[][] image = channels(new SphereData(shape, 5, 0.5).batch(1));
            float[] padded = new float[16 * 16 * 8];
            for (int z = 0; z < 5; z++) {
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 11; x++) {
                        padded[(x + 2) + 16 * (y + 16 * (z + 1))] = image[0][x + 11 * (y + 16 * z)];
                    }
                }
            }
            float[] whole = net.predict(Batch.images(1, patch, 1, padded));
            for (boolean mirror : new boolean[] {false, true}) {
                float[][] tiled = new SlidingWindowPredictor(List.of(net), new int[] {0, 1, 2}, patch, 0.5, mirror)
                        .predict(image, shape, Progress.NONE);
                double worst = 0;
                for (int z = 0; z < 5; z++) {
                    for (int y = 0; y < 16; y++) {
                        for (int x = 0; x < 11; x++) {
                            int i = x + 11 * (y + 16 * z);
                            int j = (x + 2) + 16 * (y + 16 * (z + 1));
                            float total = 0;
                            for (int k = 0; k < 3; k++) {
                                worst = Math.max(worst, Math.abs(whole[j * 3 + k] - tiled[k][i]));
                                total += tiled[k][i];
                            }
                            assertEquals(1f, total, 1e-5);
                        }
                    }
                }
                if (mirror) {
                    assertTrue(worst > 1e-6, "a trained net is not exactly mirror-symmetric: TTA must change something");
                } else {
                    assertEquals(0, worst, 1e-5);
                }
            }
        }
    }

    /** Batched passes (tiles and mirrorings per engine call) give the probabilities of one pass per call. */
    @Test
    void batchedPassesEqualThePlainPath() {
        try (Network net = trained3d()) {
            int[] patch = {16, 16, 8};
            int[] shape = {37, 29, 13}; // 4 x 3 x 3 tiles, partial ones at every border
            float[][] image = channels(new SphereData(shape, 7, 0.5).batch(1));
            for (boolean mirror : new boolean[] {false, true}) {
                SlidingWindowPredictor batched = new SlidingWindowPredictor(List.of(net), new int[] {0, 1, 2}, patch,
                        0.5, mirror, true);
                assertTrue(batched.tilesPerRun() > 1, "small tiles run several per call");
                float[][] a = batched.predict(image, shape, Progress.NONE);
                float[][] b = new SlidingWindowPredictor(List.of(net), new int[] {0, 1, 2}, patch, 0.5, mirror, false)
                        .predict(image, shape, Progress.NONE);
                for (int k = 0; k < 3; k++) {
                    for (int i = 0; i < a[k].length; i++) {
                        assertEquals(b[k][i], a[k][i], 1e-5, "class " + k + " voxel " + i + " mirror " + mirror);
                    }
                }
            }
        }
        NetworkSpec spec = NetworkSpec.uniform(2, 2, 3, 3, 4, 16);
        try (Network net = engine.create(spec)) {
            // A tile as large as one call may hold runs its mirrorings one call each, as before.
            SlidingWindowPredictor large = new SlidingWindowPredictor(List.of(net), new int[] {0, 1},
                    new int[] {2048, 1024}, 0.5, true, true);
            assertEquals(1, large.passesPerRun());
            assertEquals(1, large.tilesPerRun());
            int[] shape = {40, 23, 5};
            float[][] image = new float[2][40 * 23 * 5];
            java.util.Random r = new java.util.Random(3);
            for (float[] ch : image) {
                for (int i = 0; i < ch.length; i++) {
                    ch[i] = (float) r.nextGaussian();
                }
            }
            float[][] a = new SlidingWindowPredictor(List.of(net), new int[] {0, 1}, new int[] {16, 8}, 0.5, true, true)
                    .predict(image, shape, Progress.NONE);
            float[][] b = new SlidingWindowPredictor(List.of(net), new int[] {0, 1}, new int[] {16, 8}, 0.5, true, false)
                    .predict(image, shape, Progress.NONE);
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < a[k].length; i++) {
                    assertEquals(b[k][i], a[k][i], 1e-5, "2D class " + k + " voxel " + i);
                }
            }
        }
    }

    @Test
    void twoDimensionalNetworkPredictsEverySlice() {
        NetworkSpec spec = NetworkSpec.uniform(2, 1, 2, 3, 4, 16);
        try (Network net = engine.create(spec)) {
            int[] shape = {3, 16, 8}; // slices across x; the network sees (y, z)
            float[][] image = new float[1][3 * 16 * 8];
            java.util.Random r = new java.util.Random(1);
            for (int i = 0; i < image[0].length; i++) {
                image[0][i] = (float) r.nextGaussian();
            }
            float[][] tiled = new SlidingWindowPredictor(List.of(net), new int[] {1, 2}, new int[] {16, 8}, 0.5, false)
                    .predict(image, shape, Progress.NONE);
            for (int x = 0; x < 3; x++) {
                float[] slice = new float[16 * 8];
                for (int z = 0; z < 8; z++) {
                    for (int y = 0; y < 16; y++) {
                        slice[y + 16 * z] = image[0][x + 3 * (y + 16 * z)];
                    }
                }
                float[] p = net.predict(Batch.images(1, new int[] {16, 8}, 1, slice));
                for (int z = 0; z < 8; z++) {
                    for (int y = 0; y < 16; y++) {
                        int i = x + 3 * (y + 16 * z);
                        assertEquals(p[(y + 16 * z) * 2 + 1], tiled[1][i], 1e-5);
                    }
                }
            }
        }
    }
}
