package io.github.nnunetfiji.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.nnunetfiji.util.Json;

class NetworkSpecTest {

    private static NetworkSpec anisotropic() {
        return NetworkSpec.uniformBuilder(3, 2, 4, 4, 32, 64).kernelSize(0, new int[] {3, 3, 1})
                .poolStride(0, new int[] {2, 2, 1}).build();
    }

    @Test
    void uniformDoublesFeaturesUpToTheCap() {
        NetworkSpec s = NetworkSpec.uniform(2, 1, 2, 5, 30, 200);
        assertArrayEquals(new int[] {30, 60, 120, 200, 200}, s.features());
        assertEquals(4, s.poolStrides().length);
        s.validate();
    }

    @Test
    void stridesCombinePerAxis() {
        NetworkSpec s = anisotropic();
        assertArrayEquals(new int[] {8, 8, 4}, s.sizeDivisor());
        assertArrayEquals(new int[] {4, 4, 2}, s.cumulativeStride(2));
        s.checkPatchShape(new int[] {32, 48, 8});
        assertThrows(IllegalArgumentException.class, () -> s.checkPatchShape(new int[] {32, 48, 6}));
        assertThrows(IllegalArgumentException.class, () -> s.checkPatchShape(new int[] {32, 48}));
    }

    @Test
    void inconsistentSpecsAreRefused() {
        NetworkSpec even = anisotropic().toBuilder().kernelSize(1, new int[] {2, 3, 3}).build();
        assertThrows(IllegalArgumentException.class, even::validate);
        NetworkSpec missingStride = anisotropic().toBuilder().poolStrides(new int[][] {{2, 2, 2}}).build();
        assertThrows(IllegalArgumentException.class, missingStride::validate);
        NetworkSpec oneClass = anisotropic().toBuilder().classes(1).build();
        assertThrows(IllegalArgumentException.class, oneClass::validate);
        NetworkSpec badOptimizer = anisotropic().toBuilder()
                .optimizer(OptimizerSpec.sgdNesterov(1000).withMomentum(1)).build();
        assertThrows(IllegalArgumentException.class, badOptimizer::validate);
    }

    private static NetworkSpec adamPerSample() {
        NetworkSpec.Builder b = anisotropic().toBuilder().deepSupervision(true)
                .optimizer(OptimizerSpec.adam(3e-4));
        b.loss(LossSpec.defaults().withBatchDice(false));
        return b.build();
    }

    @Test
    void survivesJson() {
        NetworkSpec s = adamPerSample();
        NetworkSpec back = Json.gson().fromJson(Json.toJson(s), NetworkSpec.class);
        assertEquals(Json.toJson(s), Json.toJson(back));
        assertEquals(s, back);
        assertEquals(s.hashCode(), back.hashCode());
        assertEquals(OptimizerSpec.Kind.ADAM, back.optimizer().kind());
        assertFalse(back.loss().batchDice());
    }

    /** Files written before the spec became immutable, by the field-based version of this class. */
    @ParameterizedTest
    @ValueSource(strings = {"network-spec-3d-pooling.json", "network-spec-2d-adam.json"})
    void filesOfEarlierVersionsReadAndWriteByteForByte(String name) throws IOException {
        String old;
        try (InputStream in = NetworkSpecTest.class.getResourceAsStream(name)) {
            old = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        NetworkSpec s = Json.gson().fromJson(old, NetworkSpec.class).validate();
        assertEquals(old, Json.toJson(s));
        assertEquals(old, Json.toJson(s.toBuilder().build()));
    }

    @Test
    void aLossWithoutSomeFieldsReadsTheirDefaults() {
        LossSpec read = Json.gson().fromJson("{\"batchDice\": false, \"ignoreLabel\": 3}", LossSpec.class);
        assertEquals(LossSpec.defaults().withBatchDice(false).withIgnoreLabel(3), read);
        assertEquals(LossSpec.defaults(), Json.gson().fromJson("{}", LossSpec.class));
        assertEquals(null, Json.gson().fromJson("null", LossSpec.class));
        LossSpec changed = LossSpec.defaults().withDiceSmooth(0.5).withDiceWeight(2).withCrossEntropyWeight(0.25)
                .withDiceIncludesBackground(false);
        assertEquals(changed, Json.gson().fromJson(Json.toJson(changed), LossSpec.class));
    }

    @Test
    void theBuilderGivesTheSameFilesAsEarlierVersions() throws IOException {
        NetworkSpec.Builder b = anisotropic().toBuilder().deepSupervision(true).seed(7)
                .optimizer(OptimizerSpec.sgdNesterovPerEpoch(1000, 250))
                .downsampling(NetworkSpec.Downsampling.MAX_POOL);
        b.loss(LossSpec.defaults().withBatchDice(false).withDiceIncludesBackground(false).withIgnoreLabel(4));
        try (InputStream in = NetworkSpecTest.class.getResourceAsStream("network-spec-3d-pooling.json")) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), Json.toJson(b.build()));
        }
        NetworkSpec adam = NetworkSpec.uniformBuilder(2, 1, 2, 3, 4, 8).optimizer(OptimizerSpec.adam(3e-4)).build();
        try (InputStream in = NetworkSpecTest.class.getResourceAsStream("network-spec-2d-adam.json")) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), Json.toJson(adam));
        }
    }

    @Test
    void arraysGoInAndComeOutAsCopies() {
        int[] features = {4, 8};
        int[][] kernels = {{3, 3}, {3, 3}};
        int[][] strides = {{2, 2}};
        NetworkSpec.Builder b = NetworkSpec.builder().dims(2).inputChannels(1).classes(2)
                .features(features).kernelSizes(kernels).poolStrides(strides);
        NetworkSpec s = b.build().validate();
        features[0] = 99;
        kernels[0][0] = 2;
        strides[0] = new int[] {1, 1};
        s.features()[1] = 99;
        s.kernelSizes()[1][1] = 2;
        s.kernelSize(0)[0] = 2;
        s.poolStrides()[0][0] = 5;
        s.poolStride(0)[1] = 5;
        b.kernelSize(0, new int[] {5, 5}).seed(1).loss(LossSpec.defaults().withIgnoreLabel(2))
                .optimizer(OptimizerSpec.sgdNesterov(1000).withLearningRate(1));
        assertArrayEquals(new int[] {4, 8}, s.features());
        assertArrayEquals(new int[][] {{3, 3}, {3, 3}}, s.kernelSizes());
        assertArrayEquals(new int[][] {{2, 2}}, s.poolStrides());
        assertEquals(1234, s.seed());
        assertEquals(-1, s.loss().ignoreLabel());
        assertEquals(0.01, s.optimizer().learningRate());
        assertEquals(s, NetworkSpec.uniform(2, 1, 2, 2, 4, 8));
        assertNotEquals(s, s.toBuilder().seed(1).build());
    }

    @Test
    void polynomialDecayFollowsTheReference() {
        OptimizerSpec o = OptimizerSpec.sgdNesterov(1000);
        assertEquals(0.01, o.learningRateAt(0), 1e-15);
        assertEquals(0.01 * Math.pow(0.5, 0.9), o.learningRateAt(500), 1e-15);
        assertEquals(0, o.learningRateAt(1000), 1e-15);
        assertEquals(0, o.learningRateAt(5000), 1e-15);
        assertEquals(3e-4, OptimizerSpec.adam(3e-4).learningRateAt(123456), 0);
    }

    @Test
    void perEpochDecayHoldsTheRateWithinAnEpoch() {
        // 4 epochs of 10 steps: the rate of epoch e is 0.01 * (1 - e / 4)^0.9 for all its steps.
        OptimizerSpec o = OptimizerSpec.sgdNesterovPerEpoch(4, 10);
        for (int step = 0; step < 40; step++) {
            assertEquals(0.01 * Math.pow(1 - (step / 10) / 4.0, 0.9), o.learningRateAt(step), 1e-15, "step " + step);
        }
        assertEquals(0, o.learningRateAt(40), 1e-15);
    }

    @Test
    void specsWrittenBeforeNewSettingsReadWithTheirDefaults() {
        String old = "{\"dims\":2,\"inputChannels\":1,\"classes\":2,\"features\":[4,8],"
                + "\"kernelSizes\":[[3,3],[3,3]],\"poolStrides\":[[2,2]],\"optimizer\":{\"decaySteps\":100}}";
        NetworkSpec s = Json.gson().fromJson(old, NetworkSpec.class).validate();
        assertEquals(2, s.convolutionsPerStage());
        assertEquals(NetworkSpec.Downsampling.STRIDED_CONV, s.downsampling());
        assertEquals(1234, s.seed());
        assertEquals(LossSpec.defaults(), s.loss());
        assertEquals(1, s.optimizer().decayInterval());
        assertEquals(0.01 * Math.pow(0.99, 0.9), s.optimizer().learningRateAt(1), 1e-15);
    }
}
