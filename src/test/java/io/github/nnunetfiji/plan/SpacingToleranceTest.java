package io.github.nnunetfiji.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.image.AxisOrder;

/**
 * Spacings that differ by affine rounding noise (about 1e-8) are equal, in every rule that compares
 * spacings: the coarsest axis, the anisotropic axis, ratio thresholds of pooling and kernels.
 */
class SpacingToleranceTest {

    /** 1 mm isotropic as read from a rotated float32 affine: y happens to come out longest. */
    private static final double[] NOISY_ISOTROPIC = {1 - 2.4e-8, 1 + 1.9e-8, 1 - 8.2e-9};

    @Test
    void noiseIsEqualRealDifferencesAreNot() {
        assertTrue(SpacingTolerance.equal(1.0, 1.0 + 2e-8));
        assertTrue(SpacingTolerance.equal(3.6, 3.6 * (1 - 1e-7)));
        assertFalse(SpacingTolerance.equal(1.0, 1.001));
        assertFalse(SpacingTolerance.equal(0.62, 0.625));
        assertEquals(0, SpacingTolerance.compare(1.0, 1.0 + 2e-8));
        assertTrue(SpacingTolerance.compare(1.0, 1.01) < 0);
    }

    @Test
    void theCoarsestAxisOfAnIsotropicSpacingIsZWhateverTheNoise() {
        assertEquals(AxisOrder.Z, SpacingTolerance.coarsestAxis(NOISY_ISOTROPIC));
        assertEquals(AxisOrder.Z, ExperimentPlanner.coarsestAxis(NOISY_ISOTROPIC));
        // y and z tie (z wins); x is really coarser.
        assertEquals(AxisOrder.Z, SpacingTolerance.coarsestAxis(new double[] {0.5, 1 + 1e-8, 1}));
        assertEquals(AxisOrder.X, SpacingTolerance.coarsestAxis(new double[] {1.2, 1 + 1e-8, 1}));
    }

    @Test
    void twoAxesEquallyCoarseUpToNoiseHaveNoSingleOutOfPlaneAxis() {
        boolean[] all = {true, true, true};
        assertEquals(-1, SpacingTolerance.singleCoarsestAxis(new double[] {0.5, 2 + 3e-8, 2}, all));
        assertEquals(AxisOrder.Z, SpacingTolerance.singleCoarsestAxis(new double[] {0.5, 0.5 + 1e-8, 2}, all));
        assertNull(new ExperimentPlanner().anisotropicAxis(new double[] {0.5, 2 + 3e-8, 2}, all));
    }

    @Test
    void ratiosAtAThresholdStayAtItUpToNoise() {
        // 1.5 / 0.5 is 3: not above the anisotropy threshold of 3, noise or not.
        assertFalse(SpacingTolerance.ratioExceeds(1.5 * (1 + 2e-8), 0.5 * (1 - 2e-8), 3));
        assertNull(new ExperimentPlanner().anisotropicAxis(new double[] {0.5 * (1 - 2e-8), 0.5, 1.5 * (1 + 2e-8)},
                new boolean[] {true, true, true}));
        assertTrue(SpacingTolerance.ratioExceeds(1.6, 0.5, 3));
        // 1.0 / 0.5 is 2: it reaches the pooling rule's factor of 2 even when noise makes it 1.99999998.
        assertTrue(SpacingTolerance.ratioReaches(1.0 * (1 - 1e-8), 0.5, 2));
        assertEquals(1, new ExperimentPlanner().kernelSize(1, 1.0 * (1 - 1e-8), 0.5));
        assertEquals(3, new ExperimentPlanner().kernelSize(1, 0.99, 0.5));
    }

    @Test
    void poolingOfANoisyTwoToOneSpacingMatchesTheExactOne() {
        ExperimentPlanner p = new ExperimentPlanner();
        long[] patch = {160, 160, 80};
        NetworkTopology exact = p.poolingTopology(patch, new double[] {0.5, 0.5, 1.0});
        NetworkTopology noisy = p.poolingTopology(patch, new double[] {0.5 * (1 + 1e-8), 0.5, 1.0 * (1 - 1e-8)});
        assertEquals(exact, noisy);
        ExperimentPlannerV2 v2 = new ExperimentPlannerV2();
        assertEquals(v2.poolingTopology(patch, new double[] {0.5, 0.5, 1.0}),
                v2.poolingTopology(patch, new double[] {0.5 * (1 + 1e-8), 0.5, 1.0 * (1 - 1e-8)}));
    }

    @Test
    void lowResolutionStepsTreatNoisyEqualAxesAsEqual() {
        // Exactly 2x finer grows in v2 only above 2x; noise must not make it grow.
        double[] next = new ExperimentPlannerV2().lowResSpacingStep(new double[] {1 * (1 - 1e-8), 1, 2});
        assertEquals(1.03 * 1, next[0], 1e-6);
        assertEquals(1.03 * 2, next[2], 1e-6);
        // Paper: axes equal to the coarsest up to noise grow together with it.
        double[] paper = new ExperimentPlanner().lowResSpacingStep(NOISY_ISOTROPIC);
        for (int d = 0; d < 3; d++) {
            assertEquals(1.01, paper[d], 1e-6, "axis " + d);
        }
    }
}
