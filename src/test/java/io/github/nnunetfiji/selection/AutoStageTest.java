package io.github.nnunetfiji.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.engine.Device;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.inference.ChosenModel;
import io.github.nnunetfiji.pipeline.AutoStage;
import io.github.nnunetfiji.pipeline.PredictStage;
import io.github.nnunetfiji.pipeline.SelectStage;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.train.TrainRequest;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Progress;

/**
 * The one command on the bundled 3-case brain tumour set (2d and 3d_fullres, tiny networks, two
 * folds of one validation case each): canceled at several points and run again, it ends with the
 * choice and scores of an uninterrupted run, and predicting with the models folder runs the choice.
 */
class AutoStageTest {

    @TempDir
    Path tmp;

    private static AutoStage.Request request(WorkFolder work) {
        TrainRequest training = new TrainRequest.Builder().epochs(1).iterationsPerEpoch(2).validationIterations(1)
                .threads(1).device(Device.CPU).precision(EngineOptions.Precision.FLOAT32).saveInterval(Duration.ZERO)
                .build();
        return new AutoStage.Request(TestData.bratsMini(), work, Planners.create("paper"), PlanOverrides.parse(List.of(
                "2d.features=4", "2d.batch=2", "3d_fullres.features=4", "3d_fullres.patch=32x32x32",
                "3d_fullres.batch=1")), null, List.of(), List.of("0", "1"), training, 1);
    }

    /** Cancels from the first status message that contains {@code marker} on. */
    private static Progress cancelAt(String marker) {
        return new Progress() {
            boolean seen;

            @Override
            public void status(String message) {
                seen |= message.contains(marker);
            }

            @Override
            public void progress(long done, long total) {
            }

            @Override
            public boolean isCanceled() {
                return seen;
            }
        };
    }

    @Test
    void aRunCanceledAndRunAgainEndsAsAnUninterruptedOne() throws Exception {
        WorkFolder straight = new WorkFolder(tmp.resolve("straight"));
        AutoStage.Result whole = new AutoStage().run(request(straight), Progress.NONE);
        assertEquals(4, whole.trainings().size());
        assertEquals(List.of("2d", "3d_fullres", "2d+3d_fullres"), whole.selection().candidates().stream()
                .map(CandidateScore::name).toList());

        WorkFolder interrupted = new WorkFolder(tmp.resolve("interrupted"));
        // In preprocessing, in the first training, in a training's final validation, in the last training.
        for (String at : List.of("Preprocessing 3d_fullres", "iteration 2/2", "Validating fold 1", "Validating fold 1")) {
            assertThrows(CanceledException.class, () -> new AutoStage().run(request(interrupted), cancelAt(at)), at);
        }
        AutoStage.Result resumed = new AutoStage().run(request(interrupted), Progress.NONE);
        assertEquals(whole.selection().candidates(), resumed.selection().candidates(),
                "the same scores, to the last digit");
        assertEquals(whole.selection().chosen().name(), resumed.selection().chosen().name());
        Path models = interrupted.forDataset("Task01_BrainTumour_mini").modelsDir();
        assertEquals(ChosenModel.read(straight.forDataset("Task01_BrainTumour_mini").modelsDir()).orElseThrow(),
                ChosenModel.read(models).orElseThrow());
        assertTrue(Files.isRegularFile(models.resolve(SelectStage.PLOT)));
        assertEquals(1, resumed.testCases().prediction().cases().size(), "the bundled test case, with the choice");
        assertTrue(Files.isRegularFile(interrupted.forDataset("Task01_BrainTumour_mini").predictionsDir(
                AutoStage.TEST_PREDICTIONS).resolve("BRATS_0004.nii.gz")));

        // The models folder with no configuration predicts the choice.
        Path out = tmp.resolve("predicted");
        PredictStage.Result p = new PredictStage().run(new PredictStage.Request(List.of(TestData.bratsMini()
                .resolve("imagesTr")), out, models, null, List.of(), PredictionOptions.defaults().withThreads(1)
                        .withMirror(false), true), Progress.NONE);
        assertTrue(p.ok());
        assertEquals(whole.selection().chosen().name(), p.prediction().configuration());
        assertEquals(3, p.prediction().cases().size());
        assertTrue(Files.isRegularFile(out.resolve("BRATS_0001.nii.gz")));
    }
}
