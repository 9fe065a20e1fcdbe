package io.github.nnunetfiji.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.engine.Device;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.pipeline.PlanStage;
import io.github.nnunetfiji.pipeline.TrainStage;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.train.Fold;
import io.github.nnunetfiji.train.TrainRequest;
import io.github.nnunetfiji.util.Progress;

/**
 * A model really trained by the pipeline, once per test JVM: the bundled ISBI cases planned with a
 * tiny 2D network (64x64 patch, batch 2, 4 base features), fold 0 trained for 2 epochs of 3
 * iterations on the CPU. Barely trained, but a complete model folder (plans, fingerprint,
 * exported network) as users get it; tests compare its outputs across commands, not its accuracy.
 */
public final class TrainedTestModel {

    public static final String CONFIG = "2d";
    private static Path folder;

    private TrainedTestModel() {
    }

    /** The model folder {@code WORK/Task100_ISBI2012EM_mini/models/2d} (read-only for tests). */
    public static synchronized Path folder() throws Exception {
        if (folder == null) {
            Path dir = Files.createTempDirectory("nnunet-trained-model");
            dir.toFile().deleteOnExit();
            Dataset ds = DatasetLoader.load(TestData.isbiMini());
            WorkFolder work = new WorkFolder(dir);
            Plans plans = new PlanStage().run(new PlanStage.Request(ds.root(), work, Planners.create("paper"),
                    PlanOverrides.parse(List.of("2d.patch=64x64", "2d.batch=2", "2d.features=4")), 2, false),
                    Progress.NONE).plans();
            TestStages.preprocess(ds, plans, List.of(CONFIG), work, 2);
            TrainRequest.Builder r = new TrainRequest.Builder();
            r.dataset(TestData.isbiMini());
            r.work(work);
            r.configuration(CONFIG);
            r.fold(new Fold(0));
            r.epochs(2);
            r.iterationsPerEpoch(3);
            r.validationIterations(2);
            r.threads(2);
            r.device(Device.CPU);
            r.precision(EngineOptions.Precision.FLOAT32);
            r.saveInterval(Duration.ZERO);
            r.validateAtEnd(false);
            new TrainStage().run(r.build(), Progress.NONE);
            folder = work.root().resolve("Task100_ISBI2012EM_mini").resolve("models").resolve(CONFIG);
            if (!Files.isRegularFile(folder.resolve("fold_0/inference_model/model.json"))) {
                throw new IllegalStateException("training left no inference model in " + folder);
            }
        }
        return folder;
    }
}
