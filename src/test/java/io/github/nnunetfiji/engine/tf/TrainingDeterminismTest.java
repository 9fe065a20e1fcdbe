package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * On the CPU with a fixed thread count a train step is deterministic, to the bit: two networks from
 * the same seed fed the same batches hold identical weights and optimizer state, and a training
 * resumed from a checkpoint (as after kill -9 and a restart) continues exactly as one that never
 * stopped. Compared through the checkpoint files, which hold every parameter, optimizer slot, the
 * step and the learning-rate factor.
 */
class TrainingDeterminismTest {

    private static final int STEPS = 6;
    private static final int CHECKPOINT_AT = 3;

    static Engine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        engine = EngineLoader.fromClassPath(EngineOptions.cpu(2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static NetworkSpec spec(String optimizer) {
        NetworkSpec.Builder specBuilder = NetworkSpec.uniformBuilder(3, 1, 3, 3, 8, 32);
        specBuilder.poolStride(1, new int[] {2, 2, 1});
        specBuilder.deepSupervision(true);
        specBuilder.loss(LossSpec.defaults().withBatchDice(false));
        specBuilder.optimizer(optimizer.equals("adam") ? OptimizerSpec.adam(1e-3) : OptimizerSpec.sgdNesterovPerEpoch(4, 2));
        specBuilder.seed(7);
        NetworkSpec spec = specBuilder.build();
        return spec;
    }

    private static Batch[] batches() {
        SphereData data = new SphereData(new int[] {16, 16, 8}, 11, 0.5);
        Batch[] b = new Batch[STEPS];
        for (int i = 0; i < STEPS; i++) {
            b[i] = data.batch(2);
        }
        return b;
    }

    /** Bits of the losses of steps [from, to), so that -0.0 and NaN compare as they are. */
    private static int[] train(Network net, Batch[] batches, int from, int to) {
        int[] bits = new int[to - from];
        for (int i = from; i < to; i++) {
            if (i == CHECKPOINT_AT) {
                net.setLearningRateFactor(0.2); // a plateau cut, restored from the checkpoint
            }
            bits[i - from] = Float.floatToRawIntBits(net.trainStep(batches[i]));
        }
        return bits;
    }

    private static void assertSameWeights(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), b.get(name), name); // bitwise: assertArrayEquals(float[]) has no tolerance
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam"})
    void twoNetworksFromOneSeedTrainIdentically(String optimizer) throws IOException {
        Batch[] batches = batches();
        try (Network a = engine.create(spec(optimizer)); Network b = engine.create(spec(optimizer))) {
            assertArrayEquals(train(a, batches, 0, STEPS), train(b, batches, 0, STEPS));
            assertSameWeights(a.weights(), b.weights());
            a.saveCheckpoint(dir.resolve("a.ckpt"));
            b.saveCheckpoint(dir.resolve("b.ckpt"));
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.ckpt")), Files.readAllBytes(dir.resolve("b.ckpt")),
                "weights, optimizer slots, step or learning-rate factor differ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam"})
    void resumedTrainingEqualsAnUninterruptedOne(String optimizer) throws IOException {
        Batch[] batches = batches();
        Path interrupted = dir.resolve("at-" + CHECKPOINT_AT + ".ckpt");
        int[] uninterruptedLosses;
        try (Network whole = engine.create(spec(optimizer))) {
            uninterruptedLosses = train(whole, batches, 0, STEPS);
            whole.saveCheckpoint(dir.resolve("whole.ckpt"));
        }
        int[] resumedLosses = new int[STEPS];
        try (Network first = engine.create(spec(optimizer))) {
            System.arraycopy(train(first, batches, 0, CHECKPOINT_AT), 0, resumedLosses, 0, CHECKPOINT_AT);
            first.setLearningRateFactor(0.2);
            first.saveCheckpoint(interrupted);
        }
        try (Network resumed = engine.loadCheckpoint(interrupted)) {
            assertEquals(CHECKPOINT_AT, resumed.step());
            System.arraycopy(train(resumed, batches, CHECKPOINT_AT, STEPS), 0, resumedLosses, CHECKPOINT_AT,
                    STEPS - CHECKPOINT_AT);
            resumed.saveCheckpoint(dir.resolve("resumed.ckpt"));
        }
        assertArrayEquals(uninterruptedLosses, resumedLosses);
        assertArrayEquals(Files.readAllBytes(dir.resolve("whole.ckpt")), Files.readAllBytes(dir.resolve("resumed.ckpt")),
                "the resumed training's weights, optimizer slots, step or learning-rate factor differ");
    }
}
