package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.CachedStepTimes;
import io.github.nnunetfiji.plan.ExperimentPlanner;
import io.github.nnunetfiji.plan.FakeStepTimes;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.plan.TrainingBudget;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Progress;

/** {@code plan --budget} end to end on the bundled ISBI sections, with made-up step times. */
class BudgetedPlanStageTest {

    @TempDir
    Path tmp;

    private PlanStage.Result plan(TrainingBudget budget, FakeStepTimes times) throws Exception {
        return new PlanStage().run(new PlanStage.Request(TestData.isbiMini(), new WorkFolder(tmp),
                new ExperimentPlanner(), PlanOverrides.none(), 1, false, budget, times), Progress.NONE);
    }

    private static FakeStepTimes times(String machine) {
        return new FakeStepTimes(machine, Map.of("512x512", 3.1, "256x256", 0.9, "128x128", 0.3, "64x64", 0.1));
    }

    @Test
    void theBudgetChoosesThePatchTheTableSaysWhyAndReplansMeasureNothing() throws Exception {
        PlanStage.Result plain = plan(null, null);
        assertArrayEquals(new long[] {512, 512, 1}, plain.plans().configuration("2d").patchSize());
        Path cache = plain.file().resolveSibling(CachedStepTimes.FILE);
        assertTrue(Files.notExists(cache), "no budget, nothing measured");

        FakeStepTimes first = times("cpu A");
        PlanStage.Result r = plan(TrainingBudget.of(Duration.ofMinutes(15)), first);
        assertEquals(List.of("64x64 batch 2", "128x128 batch 2", "256x256 batch 2", "512x512 batch 2"), first.asked);
        assertArrayEquals(new long[] {256, 256, 1}, Plans.read(r.file()).configuration("2d").patchSize());
        String table = r.report();
        assertTrue(table.contains("patch 512x512x1 batch 2 3.100 s (266 steps), patch 256x256x1 batch 2 0.900 s "
                + "(918 steps), patch 128x128x1"), table);
        assertTrue(table.contains("patch 256x256x1 batch 2 chosen: the largest patch that buys at least 500 steps"),
                table);
        assertTrue(Files.isRegularFile(cache));

        // Planned again on the same machine: the file answers, the same plan results.
        FakeStepTimes again = times("cpu A");
        PlanStage.Result r2 = plan(TrainingBudget.of(Duration.ofMinutes(15)), again);
        assertTrue(again.asked.isEmpty(), again.asked.toString());
        assertEquals(Json.toJson(r.plans().configurations()), Json.toJson(r2.plans().configurations()));

        // Another machine (or engine setting) is measured anew.
        FakeStepTimes other = times("cpu B");
        plan(TrainingBudget.of(Duration.ofMinutes(15)), other);
        assertEquals(4, other.asked.size());
    }
}
