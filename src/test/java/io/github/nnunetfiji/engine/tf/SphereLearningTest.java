package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.OptimizerSpec;
import io.github.nnunetfiji.engine.SphereData;
import io.github.nnunetfiji.engine.LossSpec;

/**
 * A small 3D U-Net must learn to segment balls in noise: Dice > 0.95 on held-out volumes at two
 * consecutive checks within 400 steps, in float32 and in mixed bfloat16. A correctness test: how
 * long it takes is the benchmarks' business (bench/), not asserted here.
 */
class SphereLearningTest {

    @ParameterizedTest
    @EnumSource(value = EngineOptions.Precision.class, names = {"FLOAT32", "MIXED_BFLOAT16"})
    void small3dUNetLearnsSphereInNoise(EngineOptions.Precision precision) {
        org.junit.jupiter.api.Assumptions.assumeTrue(precision == EngineOptions.Precision.FLOAT32
                || io.github.nnunetfiji.engine.Processor.current().nativeBfloat16().orElse(false), "no native bfloat16 on this processor");
        int[] shape = {32, 32, 32};
        NetworkSpec.Builder specBuilder = NetworkSpec.uniformBuilder(3, 1, 2, 3, 8, 32);
        specBuilder.optimizer(OptimizerSpec.adam(3e-3));
        specBuilder.loss(LossSpec.defaults().withBatchDice(false));
        NetworkSpec spec = specBuilder.build();
        SphereData train = new SphereData(shape, 1, 0.6);
        Batch validation = new SphereData(shape, 99, 0.6).batch(4);
        long start = System.nanoTime();
        double dice = 0;
        int steps = 0;
        int passedChecks = 0;
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(2).withPrecision(precision)); Network net = engine.create(spec)) {
            while (steps < 400 && passedChecks < 2) {
                net.trainStep(train.batch(2));
                steps++;
                if (steps % 20 == 0) {
                    float[] p = net.predict(Batch.images(4, shape, 1, validation.images()));
                    dice = SphereData.foregroundDice(p, validation.labels());
                    passedChecks = dice > 0.95 ? passedChecks + 1 : 0;
                    System.out.printf("%s step %d dice %.4f after %.1f s%n", precision, steps, dice, (System.nanoTime() - start) / 1e9);
                }
            }
        }
        assertTrue(dice > 0.95, "Dice " + dice + " after " + steps + " steps");
    }
}
