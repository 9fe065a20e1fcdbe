package io.github.nnunetfiji.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.pipeline.PlanStage;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.testutil.TestStages;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.Progress;

/**
 * The bundled 5-case ISBI set planned with a tiny 2D network (64x64 patch, batch 2, 4 base
 * features) and preprocessed once; each test copies the work folder.
 */
final class TrainFixture {

    static final String CONFIG = "2d";
    private static Path prepared;

    private TrainFixture() {
    }

    static synchronized Path preparedWork() throws Exception {
        if (prepared == null) {
            Path dir = Files.createTempDirectory("nnunet-train-fixture");
            dir.toFile().deleteOnExit();
            Dataset ds = DatasetLoader.load(TestData.isbiMini());
            WorkFolder work = new WorkFolder(dir);
            Plans plans = new PlanStage().run(new PlanStage.Request(ds.root(), work, Planners.create("paper"),
                    PlanOverrides.parse(List.of("2d.patch=64x64", "2d.batch=2", "2d.features=4")), 2, false),
                    Progress.NONE).plans();
            TestStages.preprocess(ds, plans, List.of(CONFIG), work, 2);
            prepared = dir;
        }
        return prepared;
    }

    /** A writable copy of the prepared work folder. */
    static WorkFolder work(Path target) throws Exception {
        return new WorkFolder(TestData.copy(preparedWork(), target));
    }

    /** A small request: 2 epochs of 3 iterations, 2 validation batches, 1 thread, CPU float32. */
    static TrainRequest.Builder request(WorkFolder work, Fold fold) {
        TrainRequest.Builder r = new TrainRequest.Builder();
        r.dataset(TestData.isbiMini());
        r.work(work);
        r.configuration(CONFIG);
        r.fold(fold);
        r.epochs(2);
        r.iterationsPerEpoch(3);
        r.validationIterations(2);
        r.threads(1);
        r.device(io.github.nnunetfiji.engine.Device.CPU);
        r.precision(io.github.nnunetfiji.engine.EngineOptions.Precision.FLOAT32);
        r.saveInterval(java.time.Duration.ZERO);
        return r;
    }
}
