package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.Processor;

/**
 * The same untrained 3D network in mixed bfloat16 and in float32 gives the same probabilities up to
 * bfloat16 rounding, for 1, 2 and 3 input channels (MRI sets have 2 or 4, CT and EM 1, RGB 3) and an
 * odd class count. TensorFlow's oneDNN bfloat16 3D convolution computes garbage for an odd input
 * channel count and wrong borders with "SAME" padding (UNetBuilder works around both).
 */
class MixedPrecision3dConvolutionTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void mixedMatchesFloat32(int channels) throws Exception {
        Assumptions.assumeTrue(Processor.current().nativeBfloat16().orElse(false), "no native bfloat16");
        int[] shape = {16, 12, 16};
        NetworkSpec spec = NetworkSpec.uniform(3, channels, 3, 3, 8, 32);
        float[] images = new float[2 * 16 * 12 * 16 * channels];
        Random r = new Random(7);
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) r.nextGaussian();
        }
        Batch probe = Batch.images(2, shape, channels, images);
        try (Engine exact = EngineLoader.fromClassPath(EngineOptions.cpu(2));
                Engine mixed = EngineLoader.fromClassPath(
                        EngineOptions.cpu(2).withPrecision(EngineOptions.Precision.MIXED_BFLOAT16))) {
            Path checkpoint = dir.resolve("random" + channels + ".ckpt");
            float[] mixedProbabilities;
            try (Network net = mixed.create(spec)) {
                mixedProbabilities = net.predict(probe);
                net.saveCheckpoint(checkpoint);
            }
            float[] exactProbabilities;
            try (Network net = exact.loadCheckpoint(checkpoint)) {
                exactProbabilities = net.predict(probe);
            }
            double sum = 0;
            float max = 0;
            for (int i = 0; i < exactProbabilities.length; i++) {
                float d = Math.abs(exactProbabilities[i] - mixedProbabilities[i]);
                sum += d;
                max = Math.max(max, d);
            }
            double mean = sum / exactProbabilities.length;
            assertTrue(mean < 0.01 && max < 0.15, channels + " channel(s): float32 vs bfloat16 mean " + mean + ", max " + max);
        }
    }
}
