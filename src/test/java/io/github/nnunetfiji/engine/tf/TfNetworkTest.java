package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.github.nnunetfiji.engine.LossSpec;

class TfNetworkTest {

    static Engine engine;

    @BeforeAll
    static void start() {
        engine = EngineLoader.fromClassPath(EngineOptions.cpu(2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static void trainsAndPredicts(NetworkSpec plain, int[] shape) {
        NetworkSpec spec = plain.toBuilder().optimizer(OptimizerSpec.adam(1e-2)).build();
        SphereData data = new SphereData(shape, 7, 0.3);
        try (Network net = engine.create(spec)) {
            Batch b = data.batch(2);
            float first = net.trainStep(b);
            float last = first;
            for (int i = 0; i < 15; i++) {
                last = net.trainStep(b);
            }
            assertTrue(Float.isFinite(first) && Float.isFinite(last));
            assertTrue(last < first, "loss should fall on a repeated batch: " + first + " -> " + last);
            assertEquals(16, net.step());
            float[] p = net.predict(Batch.images(2, shape, 1, b.images()));
            assertEquals(2 * b.voxelsPerSample() * 2, p.length);
            for (int i = 0; i < p.length; i += 2) {
                assertEquals(1.0, p[i] + p[i + 1], 1e-5);
            }
        }
    }

    @Test
    void unet2dTrainsAndPredicts() {
        NetworkSpec spec = NetworkSpec.uniform(2, 1, 2, 3, 4, 16);
        trainsAndPredicts(spec, new int[] {32, 24});
    }

    @Test
    void unet3dWithAnisotropicKernelsAndDeepSupervisionTrains() {
        NetworkSpec.Builder specBuilder = NetworkSpec.uniformBuilder(3, 1, 2, 3, 4, 16);
        specBuilder.kernelSize(0, new int[] {3, 3, 1});
        specBuilder.poolStride(0, new int[] {2, 2, 1});
        specBuilder.deepSupervision(true);
        specBuilder.loss(LossSpec.defaults().withBatchDice(false));
        NetworkSpec spec = specBuilder.build();
        trainsAndPredicts(spec, new int[] {16, 16, 8});
    }

    @Test
    void threeConvolutionsPerStageTrain() {
        NetworkSpec spec = NetworkSpec.uniformBuilder(2, 1, 2, 3, 4, 16)
                .convolutionsPerStage(3).build();
        try (Network net = engine.create(spec)) {
            java.util.Set<String> names = net.weights().keySet();
            assertTrue(names.contains("enc1.c.conv.w") && names.contains("dec0.c.conv.w"), names.toString());
        }
        trainsAndPredicts(spec, new int[] {16, 16});
    }

    @Test
    void maxPoolAndSgdWork() {
        NetworkSpec spec = NetworkSpec.uniformBuilder(2, 1, 2, 3, 4, 16)
                .downsampling(NetworkSpec.Downsampling.MAX_POOL)
                .optimizer(OptimizerSpec.sgdNesterov(100)).build();
        try (Network net = engine.create(spec)) {
            Batch b = new SphereData(new int[] {16, 16}, 3, 0.3).batch(2);
            float first = net.trainStep(b);
            float last = first;
            for (int i = 0; i < 10; i++) {
                last = net.trainStep(b);
            }
            assertTrue(last < first, first + " -> " + last);
        }
    }

    @Test
    void theSeedDecidesTheInitialWeights() {
        NetworkSpec spec = NetworkSpec.uniform(2, 1, 2, 2, 4, 8);
        try (Network a = engine.create(spec); Network b = engine.create(spec)) {
            try (Network c = engine.create(spec.toBuilder().seed(spec.seed() + 1).build())) {
                java.util.Map<String, float[]> wa = a.weights();
                java.util.Map<String, float[]> wb = b.weights();
                java.util.Map<String, float[]> wc = c.weights();
                float[] first = wa.get("enc0.a.conv.w");
                assertTrue(java.util.Arrays.equals(first, wb.get("enc0.a.conv.w")));
                assertTrue(!java.util.Arrays.equals(first, wc.get("enc0.a.conv.w")));
                // He initialization: variance 2 / ((1 + 0.01^2) * fan-in), fan-in 9 here.
                assertEquals(2.0 / (1.0001 * 9 * 4), meanSquare(wa.get("enc1.a.conv.w")), 0.25 * 2.0 / (9 * 4));
                // The transposed convolution (8 -> 4 features, 2x2) takes the reference's fan,
                // out * prod(kernel) = 16, not its true fan-in of 8.
                float[] up = wa.get("up0.w");
                assertEquals(2 * 2 * 4 * 8, up.length);
                assertEquals(2.0 / (1.0001 * 16), meanSquare(up), 0.3 * 2.0 / 16);
                assertTrue(java.util.Arrays.equals(new float[4], wa.get("enc0.a.norm.beta")));
            }
        }
    }

    /** Mean of the squares: the variance of a zero-mean initialization. */
    private static double meanSquare(float[] w) {
        double sum = 0;
        for (float v : w) {
            sum += v * v;
        }
        return sum / w.length;
    }

    @Test
    void labelsOutsideTheClassesAreRefused() {
        try (Network net = engine.create(NetworkSpec.uniform(2, 1, 2, 2, 2, 4))) {
            Batch b = new SphereData(new int[] {8, 8}, 1, 0.1).batch(1);
            b.labels()[5] = 2;
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> net.trainStep(b));
            b.labels()[5] = (byte) 255;
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> net.loss(b));
            assertEquals(0, net.step());
        }
    }
}
