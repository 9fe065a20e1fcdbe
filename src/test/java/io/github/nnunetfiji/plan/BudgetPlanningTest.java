package io.github.nnunetfiji.plan;

import static io.github.nnunetfiji.plan.SyntheticFingerprints.shape;
import static io.github.nnunetfiji.plan.SyntheticFingerprints.spacing;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Progress;

/**
 * The budget's decision for made-up step times: deterministic, the planned patch kept when the
 * budget is large, the smallest candidate (with a note) when it is tiny.
 */
class BudgetPlanningTest {

    private final ExperimentPlanner planner = new ExperimentPlanner();

    /** 30 sections of 512x512, like ISBI: planned 2D patch 512x512, batch 2. */
    private static DatasetFingerprint em() {
        return new SyntheticFingerprints("EM", List.of("EM"), 2).cases(30, shape(512, 512, 1), spacing(1, 1, 1))
                .build();
    }

    /** Step times in the ratio measured on ISBI (docs/training.md): a quarter patch 0.29x the time. */
    private static FakeStepTimes isbiTimes() {
        return new FakeStepTimes("test machine", Map.of("512x512", 3.1, "256x256", 0.9, "128x128", 0.3, "64x64", 0.1));
    }

    private Plans budgeted(DatasetFingerprint fp, PlanOverrides overrides, Duration budget, StepTimes times)
            throws IOException {
        return new BudgetPlanning(planner, times).apply(planner.plan(fp, overrides), overrides, budget, Progress.NONE);
    }

    private static String note(Plans plans, String start) {
        return plans.notes().stream().filter(n -> n.startsWith(start)).findFirst().orElse(null);
    }

    @Test
    void fifteenMinutesTakeTheQuarterPatchAsOnIsbi() throws IOException {
        FakeStepTimes times = isbiTimes();
        Plans plans = budgeted(em(), PlanOverrides.none(), Duration.ofMinutes(15), times);
        PlanConfiguration c = plans.configuration("2d");
        assertArrayEquals(new long[] {256, 256, 1}, c.patchSize());
        assertEquals(2, c.batchSize(), "the batch stays the planned one, not refilled to the voxel budget");
        assertArrayEquals(new int[] {5, 5, 0}, c.poolingsPerAxis());
        assertEquals(1000, c.numEpochs(), "train --time-limit fits the epochs");
        // Measured from the smallest up. 900 s x 0.98 / (3.1 s x (1 + 0.2 / 3)) = 266 steps, too few;
        // at 0.9 s: 918, enough.
        assertEquals(List.of("64x64 batch 2", "128x128 batch 2", "256x256 batch 2", "512x512 batch 2"), times.asked);
        assertEquals("2d: for 15m00s of training, seconds per step measured: patch 512x512x1 batch 2 3.100 s (266 steps),"
                + " patch 256x256x1 batch 2 0.900 s (918 steps), patch 128x128x1 batch 2 0.300 s (2756 steps), patch "
                + "64x64x1 batch 2 0.100 s (8268 steps); patch 256x256x1 batch 2 chosen: the largest patch that "
                + "buys at least 500 steps.", note(plans, "2d: for"));
        assertTrue(note(plans, "Time budget: 15m00s per training").endsWith("measured on test machine."));
    }

    @Test
    void theV2PlannerUsesTheSameRuleAndKeepsItsOwnBatch() throws IOException {
        ExperimentPlanner v2 = Planners.create("v2");
        Plans planned = v2.plan(em());
        Plans plans = new BudgetPlanning(v2, isbiTimes()).apply(planned, PlanOverrides.none(), Duration.ofMinutes(15),
                Progress.NONE);
        PlanConfiguration c = plans.configuration("2d");
        assertArrayEquals(new long[] {256, 256, 1}, c.patchSize());
        assertEquals(planned.configuration("2d").batchSize(), c.batchSize());
        assertEquals(32, c.featuresPerStage()[0], "v2's features stay v2's");
    }

    @Test
    void theDecisionDependsOnlyOnTheStepTimes() throws IOException {
        Plans a = budgeted(em(), PlanOverrides.none(), Duration.ofMinutes(15), isbiTimes());
        Plans b = budgeted(em(), PlanOverrides.none(), Duration.ofMinutes(15), isbiTimes());
        assertEquals(Json.toJson(a.configurations()), Json.toJson(b.configurations()));
        assertEquals(a.notes(), b.notes());
    }

    @Test
    void aLargeBudgetKeepsThePlannedPatch() throws IOException {
        FakeStepTimes times = isbiTimes();
        Plans plain = planner.plan(em());
        Plans plans = budgeted(em(), PlanOverrides.none(), Duration.ofHours(2), times);
        assertEquals(Json.toJson(plain.configuration("2d")), Json.toJson(plans.configuration("2d")));
        assertEquals(4, times.asked.size());
        assertTrue(note(plans, "2d: for").endsWith("patch 512x512x1 batch 2 chosen: the planned patch buys at least "
                + "500 steps, so it stays."), note(plans, "2d: for"));
    }

    @Test
    void aTinyBudgetTakesTheSmallestCandidateAndSaysSo() throws IOException {
        FakeStepTimes times = isbiTimes();
        Plans plans = budgeted(em(), PlanOverrides.none(), Duration.ofSeconds(20), times);
        // Halved down to the minimum edge of 64; 20 s buy 183 steps even there, so nothing larger is measured.
        assertEquals(List.of("64x64 batch 2"), times.asked);
        assertArrayEquals(new long[] {64, 64, 1}, plans.configuration("2d").patchSize());
        assertTrue(note(plans, "2d: for").endsWith("patch 64x64x1 batch 2 chosen: no candidate buys 500 steps; the "
                + "smallest is taken (a larger budget would learn more)."), note(plans, "2d: for"));
    }

    @Test
    void aPatchOrBatchTheUserSetStays() throws IOException {
        FakeStepTimes times = isbiTimes();
        PlanOverrides o = PlanOverrides.parse(List.of("2d.patch=384x384"));
        Plans plans = budgeted(em(), o, Duration.ofMinutes(15), times);
        assertArrayEquals(new long[] {384, 384, 1}, plans.configuration("2d").patchSize());
        assertTrue(times.asked.isEmpty());
        assertTrue(plans.notes().contains("2d: patch and batch as the user set them; the time budget leaves them."));
        assertTrue(plans.notes().contains("Time budget: 15m00s per training (one configuration, one fold)."),
                "nothing measured, no machine named: " + plans.notes());
        assertTrue(PlanOverrides.parse(List.of("3d_fullres.batch=3")).setsPatchOrBatch("3d_cascade_fullres"));
        assertTrue(PlanOverrides.parse(List.of("all.patch=64x64x64")).setsPatchOrBatch("2d"));
        assertTrue(!PlanOverrides.parse(List.of("all.epochs=5")).setsPatchOrBatch("2d"));
    }

    @Test
    void aCandidateThatSurelyBuysTooFewStepsIsNotMeasured() throws IOException {
        // 20 cases of 128^3: planned 3D patch 128^3, batch 2; the one candidate below it is 64^3.
        DatasetFingerprint cubes = new SyntheticFingerprints("Cubes", List.of("MRI"), 2)
                .cases(20, shape(128, 128, 128), spacing(1, 1, 1)).build();
        FakeStepTimes times = new FakeStepTimes("test machine", Map.of("64x64x64", 1.5, "128x128x128", 12.0,
                "128x128", 1.0, "64x64", 0.5));
        Plans plans = budgeted(cubes, PlanOverrides.none(), Duration.ofMinutes(15), times);
        PlanConfiguration c = plans.configuration("3d_fullres");
        assertArrayEquals(new long[] {64, 64, 64}, c.patchSize());
        assertEquals(2, c.batchSize());
        // 64^3 buys 551 steps; 128^3 at 8x its time would buy 68, below a third of 500: never built.
        assertTrue(!times.asked.contains("128x128x128 batch 2"), times.asked.toString());
        assertEquals("3d_fullres: for 15m00s of training, seconds per step measured: patch 64x64x64 batch 2 1.500 s "
                + "(551 steps); patch 128x128x128 batch 2 not measured: at the time per voxel of 64x64x64 it would buy "
                + "about 68 steps; patch 64x64x64 batch 2 chosen: the largest patch that buys at least 500 steps.",
                note(plans, "3d_fullres: for"));
    }

    @Test
    void threeDimensionalCandidatesHalveOnlyAxesAboveTheMinimumEdge() {
        BudgetRule rule = planner.budgetRule();
        double[] iso = {1, 1, 1};
        assertArrayEquals(new long[] {64, 64, 64}, rule.smallerPatch(new long[] {128, 128, 128}, iso, planner));
        // 120 halves to 60, raised to the minimum of 64; 40 along z is below it and stays.
        assertArrayEquals(new long[] {64, 72, 40}, rule.smallerPatch(new long[] {120, 144, 40}, iso, planner));
        assertNull(rule.smallerPatch(new long[] {64, 64, 64}, iso, planner));
        assertNull(rule.smallerPatch(new long[] {64, 48, 1}, iso, planner));
    }

    @Test
    void stepsAreCountedAsTrainingCountsThem() {
        BudgetRule rule = planner.budgetRule();
        // 98% of the budget; each step with a fifth of a batch of validation at a third of a step.
        assertEquals(918, rule.stepsBought(0.9, 900));
        assertEquals(266, rule.stepsBought(3.1, 900));
    }
}
