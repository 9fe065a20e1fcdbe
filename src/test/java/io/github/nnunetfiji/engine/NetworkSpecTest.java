package io.github.nnunetfiji.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.util.Json;

class NetworkSpecTest {

    private static NetworkSpec anisotropic() {
        NetworkSpec s = NetworkSpec.uniform(3, 2, 4, 4, 32, 64);
        s.kernelSizes[0] = new int[] {3, 3, 1};
        s.poolStrides[0] = new int[] {2, 2, 1};
        return s;
    }

    @Test
    void uniformDoublesFeaturesUpToTheCap() {
        NetworkSpec s = NetworkSpec.uniform(2, 1, 2, 5, 30, 200);
        assertArrayEquals(new int[] {30, 60, 120, 200, 200}, s.features);
        assertEquals(4, s.poolStrides.length);
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
        NetworkSpec even = anisotropic();
        even.kernelSizes[1] = new int[] {2, 3, 3};
        assertThrows(IllegalArgumentException.class, even::validate);
        NetworkSpec missingStride = anisotropic();
        missingStride.poolStrides = new int[][] {{2, 2, 2}};
        assertThrows(IllegalArgumentException.class, missingStride::validate);
        NetworkSpec oneClass = anisotropic();
        oneClass.classes = 1;
        assertThrows(IllegalArgumentException.class, oneClass::validate);
        NetworkSpec badOptimizer = anisotropic();
        badOptimizer.optimizer.momentum = 1;
        assertThrows(IllegalArgumentException.class, badOptimizer::validate);
    }

    @Test
    void survivesJson() {
        NetworkSpec s = anisotropic();
        s.deepSupervision = true;
        s.loss.batchDice = false;
        s.optimizer = OptimizerSpec.adam(3e-4);
        NetworkSpec back = Json.gson().fromJson(Json.toJson(s), NetworkSpec.class);
        assertEquals(Json.toJson(s), Json.toJson(back));
        assertEquals(Json.toJson(s), Json.toJson(s.copy()));
        assertEquals(OptimizerSpec.Kind.ADAM, back.optimizer.kind);
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
        assertEquals(2, s.convolutionsPerStage);
        assertEquals(1, s.optimizer.decayInterval);
        assertEquals(0.01 * Math.pow(0.99, 0.9), s.optimizer.learningRateAt(1), 1e-15);
    }
}
