package io.github.nnunetfiji.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.image.AxisOrder;

/** The resampling rule's anisotropy decision compares spacings as the planners do. */
class ResamplingRuleTest {

    @Test
    void aRatioOfExactlyTheThresholdIsNotAnisotropicUpToNoise() {
        double[] noisy = {0.5 * (1 - 2e-8), 0.5, 1.5 * (1 + 2e-8)};
        assertEquals(-1, ResamplingRule.separateAxis(noisy, noisy, 3));
        double[] thick = {0.5, 0.5, 1.6};
        assertEquals(AxisOrder.Z, ResamplingRule.separateAxis(thick, thick, 3));
    }

    @Test
    void twoEquallyCoarseAxesUpToNoiseGiveNoSeparateAxis() {
        double[] noisy = {0.5, 2 * (1 + 3e-8), 2};
        assertEquals(-1, ResamplingRule.separateAxis(noisy, noisy, 3));
    }

    @Test
    void noisyIsotropicSpacingIsResampledAsIsotropic() {
        double[] noisy = {1 - 2.4e-8, 1 + 1.9e-8, 1 - 8.2e-9};
        assertEquals(-1, ResamplingRule.separateAxis(noisy, new double[] {1, 1, 1}, 3));
    }
}
