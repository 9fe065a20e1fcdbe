package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.ExperimentPlanner;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.plan.SyntheticFingerprints;
import io.github.nnunetfiji.train.TrainRequest;
import io.github.nnunetfiji.util.Progress;

/** {@code auto --budget} plans for each training's share: 3/4 of the budget over configurations x folds. */
class AutoBudgetShareTest {

    private static final Plans PLANS = new ExperimentPlanner().plan(new SyntheticFingerprints("Cubes", List.of("MRI"),
            2).cases(3, SyntheticFingerprints.shape(40, 40, 40), SyntheticFingerprints.spacing(1, 1, 1)).build());

    private static AutoStage.Request request(List<String> configurations, List<String> folds) {
        return new AutoStage.Request(Path.of("data"), new WorkFolder(Path.of("work")), new ExperimentPlanner(),
                PlanOverrides.none(), Duration.ofMinutes(20), configurations, folds, new TrainRequest.Builder().build(),
                1);
    }

    @Test
    void theShareFollowsThePlannedConfigurationsAndTheSplit() {
        assertEquals(List.of("2d", "3d_fullres"), List.copyOf(PLANS.configurations().keySet()));
        // 2 configurations x 3 folds (3 cases: one fold per case) share 3/4 of 20 minutes: 150 s each.
        assertEquals(Duration.ofSeconds(150), AutoStage.plannedShare(request(List.of(), List.of()), PLANS, 3,
                Progress.NONE));
        // 5 folds of 30 cases: 90 s each.
        assertEquals(Duration.ofSeconds(90), AutoStage.plannedShare(request(List.of(), List.of()), PLANS, 30,
                Progress.NONE));
        // One configuration on one fold gets the whole training part.
        assertEquals(Duration.ofSeconds(900), AutoStage.plannedShare(request(List.of("2d"), List.of("0")), PLANS, 30,
                Progress.NONE));
    }
}
