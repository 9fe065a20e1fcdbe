package io.github.nnunetfiji.plan;

import static io.github.nnunetfiji.plan.SyntheticFingerprints.shape;
import static io.github.nnunetfiji.plan.SyntheticFingerprints.spacing;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.fingerprint.DatasetFingerprint;

/** The pure helpers behind the planner's rules, on values worked out by hand. */
class PlannerHelpersTest {

    /** Isotropic spacing, the paper's limits: pooling while the edge stays >= 8, at most 5 times. */
    private static final PatchShapes.TopologyRule PAPER_ISO = p -> PoolingTopology.of(p, new double[] {1, 1, 1}, 8, 5,
            PoolingTopology::kernelSize);

    @Test
    void poolingStopsAtTheMinimumEdgeAndSkipsTheCoarseAxisFirst() {
        // 128 -> 64 -> 32 -> 16 -> 8: 4 poolings per axis, 5 stages.
        NetworkTopology t = PAPER_ISO.of(new long[] {128, 128, 128});
        assertArrayEquals(new int[] {4, 4, 4}, t.poolingsPerAxis());
        assertEquals(5, t.stages());
        // z 4x coarser: x, y pool twice before z is within 2x; z's first kernels are 1.
        NetworkTopology a = PoolingTopology.of(new long[] {128, 128, 32}, new double[] {1, 1, 4}, 8, 5,
                PoolingTopology::kernelSize);
        assertArrayEquals(new int[] {4, 4, 2}, a.poolingsPerAxis());
        assertArrayEquals(new int[] {3, 3, 1}, a.kernelSizes()[0]);
        assertArrayEquals(new int[] {2, 2, 1}, a.strides()[1]);
        // A 2D patch (edge 1 along z) never pools z and has kernel 1 there.
        NetworkTopology flat = PAPER_ISO.of(new long[] {64, 64, 1});
        assertEquals(0, flat.poolingsPerAxis()[2]);
        assertEquals(1, flat.kernelSizes()[0][2]);
    }

    @Test
    void featuresDoubleUpToTheCap() {
        assertArrayEquals(new int[] {30, 60, 120, 240, 320, 320}, PoolingTopology.featuresPerStage(6, 30, 320));
        assertArrayEquals(new int[] {400, 400}, PoolingTopology.featuresPerStage(2, 400, 400));
    }

    @Test
    void patchesAreFittedPaddedAndShrunkByTheTopologyDivisor() {
        // The whole 100^3 median fits 128^3: covered, padded to the divisor: 100 -> 50 -> 25 -> 13
        // is 3 poolings, divisor 8, so 104.
        assertArrayEquals(new long[] {104, 104, 104},
                PatchShapes.fit(new double[] {100, 100, 100}, new boolean[] {true, true, true}, 128L * 128 * 128,
                        PAPER_ISO));
        // y (10) is too short to pool, z is flat: only x pools, 3 times.
        assertArrayEquals(new long[] {104, 10, 1}, PatchShapes.padToTopology(new long[] {100, 10, 1}, PAPER_ISO));
        // x is largest relative to the median; 128 - 16 = 112 pools 3 times (divisor 8), so x
        // steps by 8 to 120 rather than skipping it.
        long[] smaller = PatchShapes.shrink(new long[] {128, 128, 128}, new double[] {200, 400, 400}, PAPER_ISO);
        assertArrayEquals(new long[] {120, 128, 128}, smaller);
        assertEquals(48, PatchShapes.ceilToMultiple(33, 16));
        assertEquals(32, PatchShapes.ceilToMultiple(32, 16));
    }

    @Test
    void cascadeRules() {
        assertTrue(CascadeRules.triggered(4.0 * 1000 + 1, 1000, 4));
        assertFalse(CascadeRules.triggered(4.0 * 1000, 1000, 4));
        // Paper: finer axes grow 1% but never beyond the coarsest; then all grow.
        assertArrayEquals(new double[] {1.01, 1.01, 3}, CascadeRules.growFinerAxes(new double[] {1, 1, 3}, 1.01), 1e-12);
        assertArrayEquals(new double[] {3, 3, 3}, CascadeRules.growFinerAxes(new double[] {2.99, 2.99, 3}, 1.01), 1e-12);
        assertArrayEquals(new double[] {3.03, 3.03, 3.03}, CascadeRules.growFinerAxes(new double[] {3, 3, 3}, 1.01),
                1e-12);
        // Reference: only axes more than 2x finer grow (by 3%) while there are any.
        assertArrayEquals(new double[] {1.03, 2, 3}, CascadeRules.growAxesFinerThan(new double[] {1, 2, 3}, 2, 1.03),
                1e-12);
        assertArrayEquals(new double[] {2.06, 2.06, 3.09},
                CascadeRules.growAxesFinerThan(new double[] {2, 2, 3}, 2, 1.03), 1e-12);
        assertTrue(CascadeRules.worthKeeping(10, 5, 2));
        assertFalse(CascadeRules.worthKeeping(10, 5.1, 2));
        // The search stops at the first spacing whose candidate no longer needs a coarser one.
        CascadeRules.LowResStage<Double> s = CascadeRules.searchLowResSpacing(new double[] {1, 1, 1},
                new double[] {100, 100, 100}, sp -> new double[] {sp[0] * 2, sp[1] * 2, sp[2] * 2},
                (sp, median) -> median[0], (voxels, candidate) -> voxels > 20_000);
        assertArrayEquals(new double[] {4, 4, 4}, s.spacing(), 0);
        assertEquals(25.0, s.stage());
        assertEquals(25 * 25 * 25, s.medianVoxels(), 1e-9);
    }

    @Test
    void resampledShapesRoundHalvesToEvenAsTheReference() {
        // 5 voxels at 1 mm resampled to 2 mm: 2.5 voxels. Python's round (the reference's
        // compute_new_shape) gives 2 where Math.round gives 3; 7 -> 3.5 -> 4 either way; 9 -> 4.5 -> 4
        // (Math.round: 5).
        DatasetFingerprint fp = new SyntheticFingerprints("Half", List.of("MR"), 2)
                .cases(1, shape(5, 7, 9), spacing(1, 1, 1)).build();
        ExperimentPlanner planner = new ExperimentPlanner();
        assertArrayEquals(new long[] {2, 4, 4}, planner.resampledShapes(fp, new double[] {2, 2, 2}).get(0));
        assertArrayEquals(new double[] {2, 4, 4}, planner.resampledMedianShape(fp, new double[] {2, 2, 2}), 0);
    }
}
