package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.Processor;

/** The engine measures a tiny network's step on this machine and says what the time depends on. */
class EngineStepTimesTest {

    @Test
    void aTinyNetworkIsMeasuredAndTheMachineNamed() throws Exception {
        NetworkSpec spec = NetworkSpec.uniform(2, 1, 3, 2, 4, 8);
        try (EngineStepTimes times = new EngineStepTimes(EngineOptions.cpu(1))) {
            String machine = times.machine();
            assertTrue(machine.startsWith(Processor.current().model() + "; "), machine);
            assertTrue(machine.contains("CPU") && machine.contains("1 threads") && machine.contains("float32"), machine);
            double s = times.secondsPerStep(spec, new int[] {32, 32}, 2);
            assertTrue(s > 0 && s < 10, "seconds per step " + s);
            // A forward pass of one patch: measured, and cheaper than a training step of two.
            double f = times.secondsPerForward(spec, new int[] {32, 32});
            assertTrue(f > 0 && f < s, "seconds per forward pass " + f + ", per step " + s);
        }
    }

    @Test
    void theRandomBatchHasTheNetworksChannelsAndClasses() {
        NetworkSpec spec = NetworkSpec.uniform(3, 2, 4, 2, 4, 8);
        Batch b = EngineStepTimes.randomBatch(spec, new int[] {8, 8, 8}, 3);
        assertEquals(3 * 512 * 2, b.images().length);
        for (byte l : b.labels()) {
            assertTrue(l >= 0 && l < 4);
        }
    }
}
