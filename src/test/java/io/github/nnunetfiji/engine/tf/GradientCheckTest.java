package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.SphereData;
import io.github.nnunetfiji.engine.LossSpec;

/**
 * The analytic gradient of the whole loss (U-Net, instance norm, Dice, cross-entropy, deep
 * supervision) against central finite differences, per parameter tensor along a random direction.
 */
class GradientCheckTest {

    static TfEngine engine;

    @BeforeAll
    static void start() {
        engine = new TfEngine(EngineOptions.cpu(2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static void check(NetworkSpec spec, int[] shape) {
        Batch batch = new SphereData(shape, 5, 0.5).batch(2);
        if (spec.loss().ignoreLabel() >= 0) {
            for (int i = 0; i < batch.labels().length; i += 7) {
                batch.labels()[i] = (byte) spec.loss().ignoreLabel();
            }
        }
        Random random = new Random(11);
        try (TfNetwork net = TfNetwork.create(engine, spec)) {
            Map<String, float[]> w0 = net.weights();
            // Move affine parameters off their 1/0 init so their gradients are generic.
            for (Map.Entry<String, float[]> e : w0.entrySet()) {
                for (int i = 0; i < e.getValue().length; i++) {
                    e.getValue()[i] += 0.1f * (float) random.nextGaussian();
                }
            }
            net.setWeights(w0);
            Map<String, float[]> grads = net.gradients(batch);
            // Small enough for the kinks of leaky ReLU (at 3e-4 a step crossed one in the
            // first layer: central differences of 0.147 at 3e-4 and 0.126 at 1e-3 around an analytic
            // 0.136), large enough for float32 (about 5e-4 of noise against a tolerance of 1.5e-3).
            double eps = 1e-4;
            double sumError = 0;
            double sumMagnitude = 0;
            int checked = 0;
            for (Map.Entry<String, float[]> e : w0.entrySet()) {
                float[] g = grads.get(e.getKey());
                float[] d = new float[g.length];
                double norm = 0;
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) random.nextGaussian();
                    norm += d[i] * d[i];
                }
                double analytic = 0;
                for (int i = 0; i < d.length; i++) {
                    d[i] /= (float) Math.sqrt(norm);
                    analytic += g[i] * d[i];
                }
                double plus = lossAt(net, w0, e.getKey(), d, eps, batch);
                double minus = lossAt(net, w0, e.getKey(), d, -eps, batch);
                double numeric = (plus - minus) / (2 * eps);
                assertEquals(numeric, analytic, 1.5e-3 + 0.05 * Math.abs(numeric),
                        "gradient of " + e.getKey() + ": numeric " + numeric + " analytic " + analytic);
                sumError += Math.abs(numeric - analytic);
                sumMagnitude += Math.abs(analytic);
                checked++;
            }
            assertEquals(w0.size(), checked);
            assertTrue(sumError < 0.05 * sumMagnitude, "summed error " + sumError + " vs magnitude " + sumMagnitude);
        }
    }

    private static double lossAt(TfNetwork net, Map<String, float[]> w0, String name, float[] d, double eps,
            Batch batch) {
        Map<String, float[]> w = new LinkedHashMap<>(w0);
        float[] moved = w0.get(name).clone();
        for (int i = 0; i < moved.length; i++) {
            moved[i] += (float) (eps * d[i]);
        }
        w.put(name, moved);
        net.setWeights(w);
        float l = net.loss(batch);
        net.setWeights(w0);
        return l;
    }

    @Test
    void tiny2dNetMatchesFiniteDifferences() {
        NetworkSpec.Builder specBuilder = NetworkSpec.uniformBuilder(2, 1, 2, 3, 3, 8);
        specBuilder.deepSupervision(true);
        specBuilder.loss(LossSpec.defaults().withBatchDice(true).withIgnoreLabel(2));
        NetworkSpec spec = specBuilder.build();
        check(spec, new int[] {12, 8});
    }

    @Test
    void tiny3dNetMatchesFiniteDifferences() {
        NetworkSpec.Builder specBuilder = NetworkSpec.uniformBuilder(3, 1, 3, 2, 3, 6);
        specBuilder.kernelSize(0, new int[] {3, 3, 1});
        specBuilder.poolStride(0, new int[] {2, 2, 1});
        specBuilder.loss(LossSpec.defaults().withBatchDice(false).withDiceIncludesBackground(false));
        NetworkSpec spec = specBuilder.build();
        check(spec, new int[] {8, 6, 4});
    }
}
