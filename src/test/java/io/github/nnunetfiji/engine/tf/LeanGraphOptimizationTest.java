package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.TensorLayout;

/**
 * {@link EngineOptions#leanGraphOptimization} against TensorFlow's default graph optimizer passes:
 * inference sessions skip the layout and memory optimizers and the second round, training sessions
 * keep the default, and a trained network's probabilities are the same to the bit (the passes
 * skipped rewrite nothing on the CPU), in 2D and anisotropic 3D.
 */
class LeanGraphOptimizationTest {

    @TempDir
    Path dir;

    @Test
    void inferenceSessionsSkipThePassesThatRewriteNothingOnTheCpu() {
        try (TfEngine lean = new TfEngine(EngineOptions.cpu(2));
                TfEngine all = new TfEngine(EngineOptions.cpu(2).withLeanGraphOptimization(false))) {
            RewriterConfig rw = lean.inferenceSessionConfig().getGraphOptions().getRewriteOptions();
            assertEquals(RewriterConfig.Toggle.OFF, rw.getLayoutOptimizer());
            assertEquals(RewriterConfig.MemOptType.NO_MEM_OPT, rw.getMemoryOptimization());
            assertEquals(RewriterConfig.NumIterationsType.ONE, rw.getMetaOptimizerIterations());
            assertEquals(RewriterConfig.Toggle.DEFAULT, rw.getRemapping(), "the remapper stays (its fusions pay)");
            ConfigProto inference = lean.inferenceSessionConfig();
            assertEquals(lean.sessionConfig().getIntraOpParallelismThreads(), inference.getIntraOpParallelismThreads());
            assertEquals(lean.sessionConfig().getDeviceCountMap(), inference.getDeviceCountMap());
            assertNotEquals(lean.sessionConfig(), inference);
            assertEquals(ConfigProto.getDefaultInstance().getGraphOptions(), lean.sessionConfig().getGraphOptions(),
                    "training sessions keep TensorFlow's default passes");
            assertEquals(all.sessionConfig(), all.inferenceSessionConfig());
        }
    }

    @Test
    void twoDimensionalProbabilitiesAreTheSame() throws IOException {
        compare(NetworkSpec.uniformBuilder(2, 1, 3, 4, 6, 48).build(), new int[] {32, 40}, 3);
    }

    @Test
    void threeDimensionalProbabilitiesAreTheSame() throws IOException {
        compare(NetworkSpec.uniformBuilder(3, 2, 2, 3, 4, 16).build(), new int[] {16, 24, 8}, 2);
    }

    private void compare(NetworkSpec spec, int[] patch, int samples) throws IOException {
        int values = (int) TensorLayout.voxels(patch) * spec.inputChannels();
        Random r = new Random(11);
        float[] images = new float[samples * values];
        for (int i = 0; i < images.length; i++) {
            images[i] = (i / values) * 2 + (float) r.nextGaussian();
        }
        byte[] labels = new byte[samples * (int) TensorLayout.voxels(patch)];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) r.nextInt(spec.classes());
        }
        Path model = dir.resolve("model" + spec.dims());
        try (TfEngine lean = new TfEngine(EngineOptions.cpu(2));
                TfEngine all = new TfEngine(EngineOptions.cpu(2).withLeanGraphOptimization(false))) {
            try (Network net = lean.create(spec)) {
                for (int i = 0; i < 3; i++) {
                    net.trainStep(new Batch(samples, patch, spec.inputChannels(), images, labels));
                }
                net.exportInferenceModel(model);
            }
            Batch batch = Batch.images(samples, patch, spec.inputChannels(), images);
            float[] p;
            float[] q;
            try (InferenceModel m = lean.loadInferenceModel(model)) {
                p = m.predict(batch);
            }
            try (InferenceModel m = all.loadInferenceModel(model)) {
                q = m.predict(batch);
            }
            float lo = 1;
            float hi = 0;
            for (float v : p) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            assertTrue(hi - lo > 0.1, "the probabilities vary: " + lo + " to " + hi);
            assertArrayEquals(q, p, "lean graph optimization changed the probabilities");
        }
    }
}
