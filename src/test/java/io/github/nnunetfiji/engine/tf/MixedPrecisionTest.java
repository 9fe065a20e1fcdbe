package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.OptimizerSpec;
import io.github.nnunetfiji.engine.SphereData;

/**
 * Mixed bfloat16 computes the same network as float32 up to bfloat16 rounding: checkpoints and
 * exported models move between precisions, and training in mixed precision learns.
 */
class MixedPrecisionTest {

    @TempDir
    Path dir;

    private static float maxDifference(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void mixedPrecisionMatchesFloat32AndLearns() throws IOException {
        // Emulated bfloat16 would be slow (or missing) on older processors; CI's has it natively.
        org.junit.jupiter.api.Assumptions.assumeTrue(io.github.nnunetfiji.engine.Processor.current().nativeBfloat16().orElse(false), "no native bfloat16");
        int[] shape = {16, 16, 16};
        NetworkSpec spec = NetworkSpec.uniformBuilder(3, 1, 2, 3, 8, 32)
                .optimizer(OptimizerSpec.adam(3e-3))
                .deepSupervision(true).build();
        SphereData data = new SphereData(shape, 2, 0.5);
        Batch validation = new SphereData(shape, 77, 0.5).batch(2);
        Batch probe = Batch.images(2, shape, 1, validation.images());
        try (Engine exact = EngineLoader.fromClassPath(EngineOptions.cpu(2));
                Engine mixed = EngineLoader.fromClassPath(
                        EngineOptions.cpu(2).withPrecision(EngineOptions.Precision.MIXED_BFLOAT16))) {
            assertTrue(mixed.mixedPrecision() && !exact.mixedPrecision());
            assertTrue(mixed.description().contains("bfloat16"), mixed.description());
            Path checkpoint = dir.resolve("mixed.ckpt");
            Path model = dir.resolve("model");
            double dice;
            try (Network net = mixed.create(spec)) {
                for (int i = 0; i < 60; i++) {
                    net.trainStep(data.batch(2));
                }
                dice = SphereData.foregroundDice(net.predict(probe), validation.labels());
                net.saveCheckpoint(checkpoint);
                net.exportInferenceModel(model);
                float[] mixedProbabilities = net.predict(probe);
                try (Network asFloat = exact.loadCheckpoint(checkpoint);
                        InferenceModel exported = exact.loadInferenceModel(model);
                        InferenceModel exportedMixed = mixed.loadInferenceModel(model)) {
                    float[] exactProbabilities = asFloat.predict(probe);
                    assertEquals(0f, maxDifference(exactProbabilities, exported.predict(probe)), 1e-6f);
                    assertEquals(0f, maxDifference(mixedProbabilities, exportedMixed.predict(probe)), 1e-6f);
                    float rounding = maxDifference(exactProbabilities, mixedProbabilities);
                    assertTrue(rounding > 0 && rounding < 0.2f, "float32 vs bfloat16: " + rounding);
                    double exactDice = SphereData.foregroundDice(exactProbabilities, validation.labels());
                    assertEquals(dice, exactDice, 0.02, "Dice in float32 " + exactDice + " vs mixed " + dice);
                }
            }
            assertTrue(dice > 0.8, "mixed precision learned only Dice " + dice);
        }
    }
}
