package io.github.nnunetfiji.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.train.augment.AugmentationOptions;
import io.github.nnunetfiji.train.augment.SpatialMode;

/** The enlarged loader patch and rotation ranges against the reference's worked examples. */
class SamplingPlanTest {

    @Test
    void enlargedPatchMatchesTheReferenceExamples() {
        assertArrayEquals(new int[] {205, 205, 205},
                SamplingPlan.enlargedPatch(new int[] {128, 128, 128}, SpatialMode.volume(), Math.toRadians(30), 0.85));
        assertArrayEquals(new int[] {602, 602, 1},
                SamplingPlan.enlargedPatch(new int[] {512, 512, 1}, SpatialMode.slicewise(2), Math.PI, 0.85));
        // The reference's (20, 256, 256) slice-wise is (256, 256, 20) in x, y, z.
        assertArrayEquals(new int[] {301, 301, 20},
                SamplingPlan.enlargedPatch(new int[] {256, 256, 20}, SpatialMode.slicewise(2), Math.PI, 0.85));
    }

    @Test
    void rotationRangesFollowTheConfiguration() {
        AugmentationOptions o = AugmentationOptions.defaults();
        assertEquals(30, SamplingPlan.rotationDegrees(o, SpatialMode.volume(), new int[] {64, 64, 64}));
        assertEquals(180, SamplingPlan.rotationDegrees(o, SpatialMode.slicewise(2), new int[] {512, 512, 1}));
        assertEquals(15, SamplingPlan.rotationDegrees(o, SpatialMode.slicewise(2), new int[] {512, 256, 1}));
        assertEquals(180, SamplingPlan.rotationDegrees(o, SpatialMode.slicewise(0), new int[] {8, 256, 256}));
        assertEquals(10, SamplingPlan.rotationDegrees(o.withRotationDegrees(10), SpatialMode.volume(), new int[] {64, 64, 64}));
    }
}
