package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.OptimizerSpec;
import io.github.nnunetfiji.engine.SphereData;

/**
 * One plain SGD step (no momentum, no weight decay) moves the weights by -lr x gradient; with the
 * global gradient norm clipped to a quarter of its value, by exactly a quarter of that, in the same
 * direction, for every parameter tensor. Above the norm, clipping changes nothing.
 */
class GradientClippingTest {

    static TfEngine engine;

    @BeforeAll
    static void start() {
        engine = new TfEngine(EngineOptions.cpu(2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static NetworkSpec spec(double clipNorm) {
        return NetworkSpec.uniformBuilder(2, 1, 2, 3, 4, 8).deepSupervision(true).optimizer(OptimizerSpec.defaults()
                .withLearningRate(0.1).withMomentum(0).withWeightDecay(0).withGradientClipNorm(clipNorm)).build();
    }

    /** The weight change of one step from the spec's initial weights. */
    private static Map<String, float[]> step(NetworkSpec spec, Batch batch) {
        try (TfNetwork net = TfNetwork.create(engine, spec)) {
            Map<String, float[]> before = net.weights();
            net.trainStep(batch);
            Map<String, float[]> after = net.weights();
            after.replaceAll((name, w) -> {
                float[] d = new float[w.length];
                for (int i = 0; i < w.length; i++) {
                    d[i] = w[i] - before.get(name)[i];
                }
                return d;
            });
            return after;
        }
    }

    private static double globalNorm(Map<String, float[]> tensors) {
        double sum = 0;
        for (float[] t : tensors.values()) {
            for (float v : t) {
                sum += (double) v * v;
            }
        }
        return Math.sqrt(sum);
    }

    @Test
    void clippingScalesTheWholeStepDownToTheNorm() {
        Batch batch = new SphereData(new int[] {16, 16}, 3, 0.5).batch(2);
        double norm;
        try (TfNetwork net = TfNetwork.create(engine, spec(0))) {
            norm = globalNorm(net.gradients(batch));
        }
        Map<String, float[]> free = step(spec(0), batch);
        Map<String, float[]> clipped = step(spec(norm / 4), batch);
        Map<String, float[]> loose = step(spec(norm * 4), batch);
        assertEquals(0.1 * norm, globalNorm(free), 1e-3 * norm);
        for (Map.Entry<String, float[]> e : free.entrySet()) {
            float[] f = e.getValue();
            float[] c = clipped.get(e.getKey());
            float[] l = loose.get(e.getKey());
            for (int i = 0; i < f.length; i++) {
                assertEquals(f[i] / 4, c[i], 1e-3 * Math.abs(f[i]) + 1e-7, e.getKey() + "[" + i + "] clipped");
                assertEquals(f[i], l[i], 1e-3 * Math.abs(f[i]) + 1e-7, e.getKey() + "[" + i + "] below the norm");
            }
        }
    }
}
