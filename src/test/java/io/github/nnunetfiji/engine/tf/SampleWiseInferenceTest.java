package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.TensorLayout;

/**
 * {@link EngineOptions#sampleWiseInference} against the plain path: the same probabilities (float32,
 * to 1e-5) from an inference model whose network was trained a few steps, so that the normalizations'
 * scales and shifts are not their starting values, for batches whose samples differ in scale and
 * offset (statistics mixed across samples would show at once), in 2D and anisotropic 3D.
 */
class SampleWiseInferenceTest {

    @TempDir
    Path dir;

    @Test
    void twoDimensionalBatchEqualsThePlainPath() throws IOException {
        NetworkSpec spec = NetworkSpec.uniformBuilder(2, 2, 3, 4, 6, 48).build();
        compare(spec, new int[] {32, 40}, 3);
    }

    @Test
    void threeDimensionalBatchEqualsThePlainPath() throws IOException {
        NetworkSpec spec = NetworkSpec.uniformBuilder(3, 1, 2, 3, 4, 16).build();
        compare(spec, new int[] {16, 24, 8}, 2);
    }

    private void compare(NetworkSpec spec, int[] patch, int samples) throws IOException {
        int voxels = (int) TensorLayout.voxels(patch);
        Random r = new Random(7);
        float[] images = new float[samples * voxels * spec.inputChannels()];
        byte[] labels = new byte[samples * voxels];
        for (int n = 0; n < samples; n++) {
            float scale = 1 + 4 * n;
            float offset = -2 + 3 * n;
            for (int i = 0; i < voxels * spec.inputChannels(); i++) {
                images[n * voxels * spec.inputChannels() + i] = offset + scale * (float) r.nextGaussian();
            }
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) r.nextInt(spec.classes());
        }
        Batch batch = Batch.images(samples, patch, spec.inputChannels(), images);
        Path model = dir.resolve("model");
        try (TfEngine plainEngine = new TfEngine(EngineOptions.cpu(2));
                TfEngine sampleWiseEngine = new TfEngine(EngineOptions.cpu(2).withSampleWiseInference(true))) {
            try (Network net = plainEngine.create(spec)) {
                for (int i = 0; i < 3; i++) {
                    net.trainStep(new Batch(samples, patch, spec.inputChannels(), images, labels));
                }
                float[] gamma = net.weights().get("enc0.a.norm.gamma");
                assertTrue(Arrays.stream(toDouble(gamma)).anyMatch(g -> Math.abs(g - 1) > 1e-4),
                        "training moved the normalization's scale");
                net.exportInferenceModel(model);
            }
            float[] plain;
            float[] sampleWise;
            float[] plainOneByOne = new float[0];
            try (InferenceModel m = plainEngine.loadInferenceModel(model)) {
                plain = m.predict(batch);
                int in = voxels * spec.inputChannels();
                for (int n = 0; n < samples; n++) {
                    float[] one = Arrays.copyOfRange(images, n * in, (n + 1) * in);
                    float[] p = m.predict(Batch.images(1, patch, spec.inputChannels(), one));
                    plainOneByOne = concat(plainOneByOne, p);
                }
            }
            try (InferenceModel m = sampleWiseEngine.loadInferenceModel(model)) {
                sampleWise = m.predict(batch);
            }
            assertEquals(plain.length, sampleWise.length);
            assertEquals((long) samples * voxels * spec.classes(), sampleWise.length);
            double spread = 0;
            for (int i = 0; i < plain.length; i++) {
                spread = Math.max(spread, Math.abs(plain[i] - plain[(i + plain.length / 2) % plain.length]));
            }
            assertTrue(spread > 0.05, "the probabilities vary across the batch: " + spread);
            assertTrue(maxDifference(plain, sampleWise) <= 1e-5, "sample-wise differs from the batch by "
                    + maxDifference(plain, sampleWise));
            assertTrue(maxDifference(plainOneByOne, sampleWise) <= 1e-5, "sample-wise differs from the plain "
                    + "graph fed one sample at a time by " + maxDifference(plainOneByOne, sampleWise));
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
