package io.github.nnunetfiji.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.Predictor;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Progress;

/** Tiling, weighting, mirroring and fold ensembling with predictors whose answer is known. */
class SlidingWindowPredictorTest {

    private static float[][] random(int channels, int[] shape, long seed) {
        Random r = new Random(seed);
        float[][] d = new float[channels][shape[0] * shape[1] * shape[2]];
        for (float[] ch : d) {
            for (int i = 0; i < ch.length; i++) {
                ch[i] = (float) r.nextGaussian();
            }
        }
        return d;
    }

    /** A voxel-wise model gives the voxel-wise answer everywhere, however the image is tiled. */
    @Test
    void pointwiseModelIsReproducedEverywhere() {
        int[][] shapes = {{37, 21, 10}, {5, 7, 3}, {16, 8, 4}, {40, 6, 9}};
        for (int[] shape : shapes) {
            for (boolean mirror : new boolean[] {false, true}) {
                float[][] image = random(2, shape, 7);
                Predictor model = FakePredictors.pointwise(3, 2, 3, 0.8f);
                SlidingWindowPredictor p = new SlidingWindowPredictor(List.of(model), new int[] {0, 1, 2},
                        new int[] {16, 8, 4}, 0.5, mirror);
                float[][] prob = p.predict(image, shape, Progress.NONE);
                checkPointwise(image, prob, 0.8f);
            }
        }
    }

    @Test
    void twoDimensionalConfigurationsPredictSliceBySlice() {
        int[] shape = {6, 30, 21};
        float[][] image = random(1, shape, 3);
        // Slices across x: the network sees (y, z).
        SlidingWindowPredictor p = new SlidingWindowPredictor(List.of(FakePredictors.pointwise(2, 1, 2, 1.5f)),
                new int[] {1, 2}, new int[] {16, 8}, 0.5, true);
        assertEquals(6L * 3 * 5, p.grid(shape).tileCount());
        assertEquals(4, p.passesPerTile());
        checkPointwise(image, p.predict(image, shape, Progress.NONE), 1.5f);
    }

    private static void checkPointwise(float[][] image, float[][] prob, float gain) {
        int classes = prob.length;
        for (int i = 0; i < image[0].length; i++) {
            float s = 0;
            for (float[] ch : image) {
                s += ch[i];
            }
            float[] expected = FakePredictors.pointwiseAt(s, classes, gain);
            float total = 0;
            for (int k = 0; k < classes; k++) {
                assertEquals(expected[k], prob[k][i], 2e-6, "voxel " + i + " class " + k);
                total += prob[k][i];
            }
            assertEquals(1f, total, 1e-5);
        }
    }

    /** With one tile covering the image, TTA is the mean of the 8 flipped passes, flipped back. */
    @Test
    void mirroringAveragesEveryFlip() {
        int[] shape = {8, 6, 4};
        float[][] image = random(1, shape, 11);
        Predictor model = FakePredictors.positional(3, 1, 2);
        SlidingWindowPredictor p = new SlidingWindowPredictor(List.of(model), new int[] {0, 1, 2},
                new int[] {8, 6, 4}, 0.5, true);
        assertEquals(8, p.passesPerTile());
        float[][] tta = p.predict(image, shape, Progress.NONE);
        float[][] plain = new SlidingWindowPredictor(List.of(model), new int[] {0, 1, 2}, new int[] {8, 6, 4}, 0.5,
                false).predict(image, shape, Progress.NONE);
        int n = image[0].length;
        double[] expected = new double[n * 2];
        for (int f = 0; f < 8; f++) {
            boolean[] flip = {(f & 1) != 0, (f & 2) != 0, (f & 4) != 0};
            float[] in = new float[n];
            for (int i = 0; i < n; i++) {
                in[flipIndex(i, shape, flip)] = image[0][i];
            }
            float[] out = model.predict(Batch.images(1, shape, 1, in));
            for (int i = 0; i < n; i++) {
                int j = flipIndex(i, shape, flip);
                expected[i * 2] += out[j * 2] / 8.0;
                expected[i * 2 + 1] += out[j * 2 + 1] / 8.0;
            }
        }
        double plainDifference = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i * 2], tta[0][i], 1e-6);
            assertEquals(expected[i * 2 + 1], tta[1][i], 1e-6);
            plainDifference = Math.max(plainDifference, Math.abs(plain[0][i] - tta[0][i]));
        }
        assertTrue(plainDifference > 1e-3, "the positional model is not mirror-symmetric");
    }

    private static int flipIndex(int i, int[] s, boolean[] flip) {
        int x = i % s[0];
        int y = (i / s[0]) % s[1];
        int z = i / (s[0] * s[1]);
        if (flip[0]) {
            x = s[0] - 1 - x;
        }
        if (flip[1]) {
            y = s[1] - 1 - y;
        }
        if (flip[2]) {
            z = s[2] - 1 - z;
        }
        return x + s[0] * (y + s[1] * z);
    }

    @Test
    void foldsAreAveraged() {
        int[] shape = {20, 9, 5};
        float[][] image = random(1, shape, 5);
        Predictor a = FakePredictors.pointwise(3, 1, 2, 0.5f);
        Predictor b = FakePredictors.pointwise(3, 1, 2, 2f);
        int[] axes = {0, 1, 2};
        int[] patch = {8, 8, 4};
        float[][] pa = new SlidingWindowPredictor(List.of(a), axes, patch, 0.5, false).predict(image, shape, Progress.NONE);
        float[][] pb = new SlidingWindowPredictor(List.of(b), axes, patch, 0.5, false).predict(image, shape, Progress.NONE);
        float[][] both = new SlidingWindowPredictor(List.of(a, b), axes, patch, 0.5, true).predict(image, shape,
                Progress.NONE);
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < image[0].length; i++) {
                assertEquals((pa[k][i] + pb[k][i]) / 2, both[k][i], 2e-6);
            }
        }
    }

    @Test
    void wrongInputIsRefusedAndCancelStops() {
        Predictor m = FakePredictors.pointwise(3, 2, 2, 1f);
        SlidingWindowPredictor p = new SlidingWindowPredictor(List.of(m), new int[] {0, 1, 2}, new int[] {8, 8, 4},
                0.5, false);
        int[] shape = {8, 8, 4};
        assertThrows(IllegalArgumentException.class, () -> p.predict(random(1, shape, 1), shape, Progress.NONE));
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindowPredictor(
                List.of(FakePredictors.pointwise(2, 2, 2, 1f)), new int[] {0, 1, 2}, new int[] {8, 8, 4}, 0.5, false));
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindowPredictor(List.of(m,
                FakePredictors.pointwise(3, 2, 3, 1f)), new int[] {0, 1, 2}, new int[] {8, 8, 4}, 0.5, false));
        Progress canceled = new Progress() {
            @Override
            public void status(String message) {
            }

            @Override
            public void progress(long done, long total) {
            }

            @Override
            public boolean isCanceled() {
                return true;
            }
        };
        assertThrows(CanceledException.class, () -> p.predict(random(2, shape, 1), shape, canceled));
    }

    /** Passes per engine call: small tiles share a call, a large tile's mirrorings run one per call. */
    @Test
    void batchesStayWithinTheirCap() {
        Predictor inner = FakePredictors.pointwise(3, 1, 2, 1f);
        List<Integer> sizes = new java.util.ArrayList<>();
        Predictor recording = new Predictor() {
            @Override
            public io.github.nnunetfiji.engine.NetworkSpec spec() {
                return inner.spec();
            }

            @Override
            public float[] predict(Batch b) {
                sizes.add(b.size());
                return inner.predict(b);
            }

            @Override
            public void close() {
            }
        };
        // 128^3 = 2^21 voxels: a call's worth alone; 8 mirrorings, 8 calls of one pass.
        int[] big = {128, 128, 128};
        new SlidingWindowPredictor(List.of(recording), new int[] {0, 1, 2}, big, 0.5, true)
                .predict(random(1, big, 3), big, Progress.NONE);
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1), sizes);
        // 8^3 tiles over 20x12x8: 4 x 2 x 1 tiles of 8 mirrorings, all 64 passes in one call.
        sizes.clear();
        int[] shape = {20, 12, 8};
        float[][] image = random(1, shape, 4);
        float[][] batched = new SlidingWindowPredictor(List.of(recording), new int[] {0, 1, 2}, new int[] {8, 8, 8},
                0.5, true).predict(image, shape, Progress.NONE);
        assertEquals(List.of(64), sizes);
        sizes.clear();
        float[][] plain = new SlidingWindowPredictor(List.of(recording), new int[] {0, 1, 2}, new int[] {8, 8, 8},
                0.5, true, false).predict(image, shape, Progress.NONE);
        assertEquals(64, sizes.size());
        assertTrue(sizes.stream().allMatch(n -> n == 1));
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < plain[k].length; i++) {
                assertEquals(plain[k][i], batched[k][i], 1e-6);
            }
        }
    }
}
