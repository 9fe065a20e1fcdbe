package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.Predictor;
import io.github.nnunetfiji.engine.TensorLayout;

/**
 * {@link Predictor#warmUp}: one sample of the smallest shape the network takes, and a warmed-up
 * inference model predicts what a cold one does.
 */
class WarmUpTest {

    @TempDir
    Path dir;

    @Test
    void warmUpPredictsOneSampleOfTheSmallestShape() {
        NetworkSpec spec = NetworkSpec.builder().dims(3).inputChannels(2).classes(3).features(new int[] {4, 8, 16})
                .kernelSizes(new int[][] {{3, 3, 1}, {3, 3, 3}, {3, 3, 3}}).poolStrides(new int[][] {{2, 2, 1}, {2, 2, 2}})
                .build();
        List<Batch> seen = new ArrayList<>();
        Predictor p = new Predictor() {
            @Override
            public NetworkSpec spec() {
                return spec;
            }

            @Override
            public float[] predict(Batch images) {
                seen.add(images);
                return new float[0];
            }

            @Override
            public void close() {
            }
        };
        p.warmUp();
        assertEquals(1, seen.size());
        assertEquals(1, seen.get(0).size());
        assertArrayEquals(new int[] {4, 4, 2}, seen.get(0).shape(), "the product of the strides per axis");
        assertEquals(2, seen.get(0).channels());
        assertEquals(4 * 4 * 2 * 2, seen.get(0).images().length);
    }

    @Test
    void aWarmedUpModelPredictsWhatAColdOneDoes() throws IOException {
        NetworkSpec spec = NetworkSpec.uniformBuilder(2, 1, 3, 4, 6, 48).build();
        int[] patch = {32, 40};
        float[] images = new float[2 * (int) TensorLayout.voxels(patch)];
        Random r = new Random(3);
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) r.nextGaussian();
        }
        Batch batch = Batch.images(2, patch, 1, images);
        try (TfEngine engine = new TfEngine(EngineOptions.cpu(2))) {
            try (Network net = engine.create(spec)) {
                net.exportInferenceModel(dir);
            }
            float[] cold;
            try (InferenceModel m = engine.loadInferenceModel(dir)) {
                cold = m.predict(batch);
            }
            try (InferenceModel m = engine.loadInferenceModel(dir)) {
                m.warmUp();
                assertArrayEquals(cold, m.predict(batch));
            }
        }
    }
}
