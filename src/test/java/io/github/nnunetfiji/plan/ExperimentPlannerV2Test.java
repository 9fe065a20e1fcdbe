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

/**
 * The reference implementation's rules on imagined data sets, with answers worked out by hand from
 * the rules; agreement with the reference's own plans is {@link ReferencePlansTest}'s.
 */
class ExperimentPlannerV2Test {

    private final ExperimentPlannerV2 planner = new ExperimentPlannerV2();

    @Test
    void featureMapEstimateOfATinyNetwork() {
        // 2D patch 8x8, two stages (strides 1 and 2), features 4 and 8, 2 classes.
        // Stage voxels: 64 and 16. Encoder: 2 convs x (4 x 64 + 8 x 16) = 768. Decoder at stage 0:
        // 2 convs + 1 transposed conv, 3 x 4 x 64 = 768. Segmentation: 2 x 64 = 128. Total 1,664.
        NetworkTopology t = new NetworkTopology(new int[] {1, 1, 0}, new int[][] {{1, 1, 1}, {2, 2, 1}},
                new int[][] {{3, 3, 1}, {3, 3, 1}});
        assertEquals(1664, planner.estimateFeatureMapVoxels(new long[] {8, 8, 1}, t, new int[] {4, 8}, 2), 1e-9);
    }

    @Test
    void hippocampusByTheRulesWorkedOutByHand() {
        // Median 35x50x36 (x, y, z), 1 mm, 260 cases. Start patch 256^3 clipped to the median;
        // pooling while the edge is >= 8: 35 -> 18 -> 9 -> 5, 50 -> 25 -> 13 -> 7, 36 -> 18 -> 9 -> 5,
        // 3 poolings, divisor 8: 40 x 56 x 40. Batch from memory is far above the 5% cap:
        // round(0.05 x 260 x 63,000 / 89,600) = round(9.14) = 9.
        DatasetFingerprint fp = ExperimentPlannerTest.hippocampus();
        Plans plans = planner.plan(fp);
        PlanConfiguration c = plans.configuration("3d_fullres");
        assertArrayEquals(new long[] {40, 56, 40}, c.patchSize());
        assertArrayEquals(new int[] {3, 3, 3}, c.poolingsPerAxis());
        assertArrayEquals(new int[] {32, 64, 128, 256}, c.featuresPerStage());
        assertEquals(9, c.batchSize());
        // 2D: plane 35 x 50 -> 40 x 56; round(819,000 / 2,240) = round(365.6) = 366.
        PlanConfiguration c2 = plans.configuration("2d");
        assertArrayEquals(new long[] {40, 56, 1}, c2.patchSize());
        assertEquals(366, c2.batchSize());
        assertEquals("v2", plans.planner());
        assertEquals(1, c.labelResamplingOrder());
    }

    @Test
    void largeCtVolumesShrinkThePatchUntilTheEstimateFits() {
        PlanConfiguration c = planner.plan(ExperimentPlannerTest.liver()).configuration("3d_fullres");
        NetworkTopology t = c.topology();
        double estimate = planner.estimateFeatureMapVoxels(c.patchSize(), t, c.featuresPerStage(), 3);
        assertTrue(estimate <= ExperimentPlannerV2.REFERENCE_3D, "estimate " + estimate);
        // One step larger along any axis would not fit at batch 2.
        for (int d = 0; d < 3; d++) {
            long[] bigger = c.patchSize();
            bigger[d] += t.divisor()[d];
            NetworkTopology tb = planner.poolingTopology(bigger, c.spacing());
            double eb = planner.estimateFeatureMapVoxels(bigger, tb, planner.featuresPerStage(tb.stages(), false), 3);
            assertTrue(eb > ExperimentPlannerV2.REFERENCE_3D, "axis " + d + " could grow: " + eb);
        }
        assertEquals(2, c.batchSize());
        // Poolings stop at edge 4 with no limit on their number: 128 -> 4 takes 5.
        assertArrayEquals(new int[] {5, 5, 5}, c.poolingsPerAxis());
        assertArrayEquals(new int[] {32, 64, 128, 256, 320, 320}, c.featuresPerStage());
    }

    @Test
    void lowResSpacingGrowsAnisotropicAxesFirstByThreePercent() {
        // x, y are more than 2x finer than z: only they grow.
        assertArrayEquals(new double[] {1.03, 1.03, 5}, planner.lowResSpacingStep(new double[] {1, 1, 5}), 1e-12);
        // Within 2x: all grow together.
        assertArrayEquals(new double[] {1.03, 1.03, 2.06}, planner.lowResSpacingStep(new double[] {1, 1, 2}), 1e-12);
    }

    @Test
    void dummy2dAugmentationComparesTheLargestEdgeWithTheCoarseAxis() {
        // Coarse axis z: 160 / 48 = 3.3 > 3 -> slice-wise; 128 / 48 = 2.7 -> 3D.
        assertTrue(planner.augmentationIs2D(new long[] {160, 160, 48}, spacing(0.7, 0.7, 3)));
        assertFalse(planner.augmentationIs2D(new long[] {128, 128, 48}, spacing(0.7, 0.7, 3)));
        // The paper's rule would call the second slice-wise (128 > 2 x 48).
        assertTrue(new ExperimentPlanner().augmentationIs2D(new long[] {128, 128, 48}, spacing(0.7, 0.7, 3)));
    }

    @Test
    void smallDataSetFloorsTheBatchAtTwo() {
        // 4 cases of 200^3: cap round(0.05 x 4 x 8 M / patch) is below 2 for any patch above 800 k voxels.
        DatasetFingerprint fp = new SyntheticFingerprints("Small", List.of("MR"), 2)
                .cases(4, shape(200, 200, 200), spacing(1, 1, 1)).build();
        PlanConfiguration c = planner.plan(fp).configuration("3d_fullres");
        assertTrue(c.patchVoxels() > 800_000);
        assertEquals(2, c.batchSize());
    }
}
