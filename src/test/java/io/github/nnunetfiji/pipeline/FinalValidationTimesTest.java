package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.plan.ExperimentPlanner;
import io.github.nnunetfiji.plan.FakeStepTimes;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.plan.SyntheticFingerprints;

/** The final validations' time under a budget, and how the budget is split around it. */
class FinalValidationTimesTest {

    private static final Plans PLANS = new ExperimentPlanner().plan(new SyntheticFingerprints("Cubes", List.of("MRI"),
            2).cases(10, SyntheticFingerprints.shape(100, 80, 40), SyntheticFingerprints.spacing(1, 1, 1)).build());

    @Test
    void tilesAreTheSlidingWindowsOfTheMedianShape() {
        PlanConfiguration c = PLANS.configuration("3d_fullres").toBuilder().patchSize(new long[] {64, 64, 32})
                .medianShape(new long[] {100, 80, 40}).build();
        // x: ceil(36/32)+1 = 3, y: ceil(16/32)+1 = 2, z: ceil(8/16)+1 = 2.
        assertEquals(12, FinalValidationTimes.tiles(c));
        assertEquals(8, FinalValidationTimes.mirrorings(c));
        PlanConfiguration flat = PLANS.configuration("2d").toBuilder().patchSize(new long[] {64, 64, 1})
                .medianShape(new long[] {100, 80, 40}).build();
        // Every one of the 40 slices, 3 x 2 tiles each.
        assertEquals(240, FinalValidationTimes.tiles(flat));
        assertEquals(4, FinalValidationTimes.mirrorings(flat));
    }

    @Test
    void eachCaseIsValidatedOnceOverTheCrossValidation() {
        assertEquals(10, FinalValidationTimes.validatedCases(List.of("0", "1", "2", "3", "4"), 10));
        assertEquals(2, FinalValidationTimes.validatedCases(List.of("0"), 10));
        assertEquals(1, FinalValidationTimes.validatedCases(List.of("0"), 3));
        assertEquals(6, FinalValidationTimes.validatedCases(List.of("all"), 6));
    }

    @Test
    void theEstimateIsCasesTimesTilesTimesPasses() throws IOException {
        PlanConfiguration c = PLANS.configuration("3d_fullres").toBuilder().patchSize(new long[] {64, 64, 32})
                .medianShape(new long[] {100, 80, 40}).build();
        Plans plans = PLANS.withConfiguration(c);
        // The fake's step time stands for the forward pass: a third of a one-patch step.
        FakeStepTimes times = new FakeStepTimes("test", Map.of("64x64x32", 3.0));
        FinalValidationTimes.Estimate e = new FinalValidationTimes(times).estimate(plans, List.of("3d_fullres"),
                List.of("0", "1", "2", "3", "4"), 10);
        assertEquals(10 * 12 * 1.0, e.plain(), 1e-9);
        assertEquals(10 * 12 * 8 * 1.0, e.mirrored(), 1e-9);
        assertEquals(List.of("64x64x32 batch 1"), times.asked);
    }

    @Test
    void theBudgetLeavesTheValidationsTheirTime() {
        // Small validations: training keeps 3/4 of what is left, and they mirror.
        AutoStage.ValidationShare small = AutoStage.validationShare(1000, new FinalValidationTimes.Estimate(80, 10));
        assertEquals(750, small.trainingSeconds(), 1e-9);
        assertTrue(small.mirror());
        // Validations of 300 s with mirroring fit 40%: training gets 90% of the other 700 s.
        AutoStage.ValidationShare mirrored = AutoStage.validationShare(1000, new FinalValidationTimes.Estimate(300, 40));
        assertEquals(630, mirrored.trainingSeconds(), 1e-9);
        assertTrue(mirrored.mirror());
        // Mirroring would take 80%: no mirroring, 90% of the 800 s left after 200 s of plain passes, capped at 3/4.
        AutoStage.ValidationShare plain = AutoStage.validationShare(1000, new FinalValidationTimes.Estimate(800, 200));
        assertEquals(720, plain.trainingSeconds(), 1e-9);
        assertFalse(plain.mirror());
        assertTrue(plain.note().contains("do not mirror"), plain.note());
        // Not even the plain passes fit: training still gets a quarter, and the note says the run overruns.
        AutoStage.ValidationShare over = AutoStage.validationShare(1000, new FinalValidationTimes.Estimate(8000, 1000));
        assertEquals(250, over.trainingSeconds(), 1e-9);
        assertFalse(over.mirror());
        assertTrue(over.note().contains("the run will take about 20m50s"), over.note());
        // Plain passes of 45%: training gets 90% of the 550 s they leave, and the run fits the budget.
        AutoStage.ValidationShare fits = AutoStage.validationShare(1000, new FinalValidationTimes.Estimate(3600, 450));
        assertEquals(495, fits.trainingSeconds(), 1e-9);
        assertFalse(fits.mirror());
        assertFalse(fits.note().contains("will take"), fits.note());
    }
}
