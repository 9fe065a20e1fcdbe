package io.github.nnunetfiji.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Overrides on the hippocampus-like set (median 35x50x36 x, y, z; planned 3D patch 36x52x36, batch 12). */
class PlanOverridesTest {

    private final ExperimentPlanner planner = new ExperimentPlanner();

    private Plans plan(String... specs) {
        return planner.plan(ExperimentPlannerTest.hippocampus(), PlanOverrides.parse(List.of(specs)));
    }

    private static boolean noted(Plans plans, String text) {
        return plans.notes().stream().anyMatch(n -> n.contains(text));
    }

    @Test
    void validPatchIsKeptAndTheBatchFollowsIt() {
        Plans plans = plan("3d_fullres.patch=32x32x32");
        PlanConfiguration c = plans.configuration("3d_fullres");
        // 32 -> 16 -> 8: 2 poolings per axis, divisor 4: valid as given.
        assertArrayEquals(new long[] {32, 32, 32}, c.patchSize());
        assertArrayEquals(new int[] {2, 2, 2}, c.poolingsPerAxis());
        // floor(4,194,304 / 32,768) = 128, capped at floor(819,000 / 32,768) = 24.
        assertEquals(24, c.batchSize());
        assertTrue(noted(plans, "batch recomputed for the new network: 12 -> 24"), plans.notes().toString());
    }

    @Test
    void patchNotDivisibleByItsPoolingsIsPadded() {
        Plans plans = plan("3d_fullres.patch=33x50x34");
        // 33 -> 17 -> 9 and 34 -> 17 -> 9 pool twice: edges must be multiples of 4.
        assertArrayEquals(new long[] {36, 52, 36}, plans.configuration("3d_fullres").patchSize());
        assertTrue(noted(plans, "is not divisible by 2^poolings per axis (4x4x4) of its network; padded to 36x52x36"),
                plans.notes().toString());
    }

    @Test
    void patchBeyondTheDataIsReduced() {
        Plans plans = plan("3d_fullres.patch=64x64x64");
        // The median case padded to multiples of 4 is 36x52x36: nothing beyond it holds data.
        assertArrayEquals(new long[] {36, 52, 36}, plans.configuration("3d_fullres").patchSize());
        assertTrue(noted(plans, "extends beyond the median case 35x50x36 (at this spacing) along x, y, z"),
                plans.notes().toString());
    }

    @Test
    void twoEdgesSetThePlaneOfThe2dNetwork() {
        Plans plans = plan("2d.patch=32x48");
        PlanConfiguration c = plans.configuration("2d");
        // 32 -> 16 -> 8 and 48 -> 24 -> 12: 2 poolings each, both multiples of 4; none along z.
        assertArrayEquals(new long[] {32, 48, 1}, c.patchSize());
        assertArrayEquals(new int[] {2, 2, 0}, c.poolingsPerAxis());
        Plans three = plan("2d.patch=32x48x5");
        assertArrayEquals(new long[] {32, 48, 1}, three.configuration("2d").patchSize());
        assertTrue(noted(three, "one voxel along its slice axis z"));
    }

    @Test
    void userBatchIsKeptWithItsRisksExplained() {
        Plans plans = plan("3d_fullres.batch=100");
        assertEquals(100, plans.configuration("3d_fullres").batchSize());
        // 100 x 67,392 = 6,739,200 voxels per step: 41% of 16,380,000, and above 2 x 128^3.
        assertTrue(noted(plans, "covers 41.1% of the data set's voxels"), plans.notes().toString());
        assertTrue(noted(plans, "exceeds the 4194304 voxels per step"), plans.notes().toString());
        Plans one = plan("3d_fullres.batch=1");
        assertTrue(noted(one, "below the planner's minimum of 2; kept as asked"));
    }

    @Test
    void featuresAndEpochs() {
        Plans plans = plan("3d_fullres.features=16", "all.epochs=50");
        assertArrayEquals(new int[] {16, 32, 64}, plans.configuration("3d_fullres").featuresPerStage());
        assertArrayEquals(new int[] {30, 60, 120}, plans.configuration("2d").featuresPerStage());
        for (PlanConfiguration c : plans.configurations().values()) {
            assertEquals(50, c.numEpochs());
        }
        Plans wide = plan("3d_fullres.features=400");
        assertArrayEquals(new int[] {400, 400, 400}, wide.configuration("3d_fullres").featuresPerStage());
        assertTrue(noted(wide, "exceed the cap of 320"));
    }

    @Test
    void cascadeSecondStageInheritsTheFullResolutionOverride() {
        Plans plans = planner.plan(ExperimentPlannerTest.liver(),
                PlanOverrides.parse(List.of("3d_fullres.batch=3", "3d_lowres.epochs=10")));
        assertEquals(3, plans.configuration("3d_fullres").batchSize());
        assertEquals(3, plans.configuration("3d_cascade_fullres").batchSize());
        assertEquals(10, plans.configuration("3d_lowres").numEpochs());
        assertEquals(1000, plans.configuration("3d_fullres").numEpochs());
    }

    @Test
    void badOverridesAreRejectedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan("3d_lowres.batch=4"));
        assertTrue(e.getMessage().contains("hold only 2d, 3d_fullres"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PlanOverrides.parse(List.of("3d_fullres.patch")));
        assertTrue(e.getMessage().contains("is not CONFIG.KEY=VALUE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PlanOverrides.parse(List.of("2d.size=3")));
        assertTrue(e.getMessage().contains("unknown key 'size'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PlanOverrides.parse(List.of("2d.batch=0")));
        assertTrue(e.getMessage().contains("not a whole number of at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> plan("3d_fullres.patch=32x32"));
        assertTrue(e.getMessage().contains("a 3D patch has 3 edges"), e.getMessage());
    }
}
