package io.github.nnunetfiji.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.train.ModelFolder.Checkpoint;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Progress;

/**
 * The final validation is a step of its own: a stop during it leaves a finished training that
 * {@code --continue} completes (before, it refused: "finished its N epochs", and the summary never
 * came), and an extension removes the validation of the model before it, so that nothing
 * downstream mistakes it for the new model's.
 */
class FinalValidationResumesTest {

    @TempDir
    Path tmp;

    /** Cancels as soon as the final validation has started. */
    static final class CancelInValidation implements Progress {
        volatile boolean validating;

        @Override
        public void status(String message) {
            if (message.startsWith("Validating fold")) {
                validating = true;
            }
        }

        @Override
        public void progress(long done, long total) {
        }

        @Override
        public boolean isCanceled() {
            return validating;
        }
    }

    @Test
    void aStopDuringTheFinalValidationIsCompletedByContinue() throws Exception {
        WorkFolder work = TrainFixture.work(tmp);
        Fold fold = new Fold(0);
        ModelFolder f = TrainStageTest.folder(work);
        assertThrows(CanceledException.class,
                () -> TrainStageTest.stage().run(TrainFixture.request(work, fold).build(), new CancelInValidation()));
        assertTrue(Files.isRegularFile(f.checkpoint(fold, Checkpoint.FINAL)), "the training itself finished");
        assertTrue(Files.isRegularFile(f.inferenceModel(fold).resolve("model.json")));
        assertFalse(Files.exists(f.validationSummary(fold)), "stopped before the summary");
        assertTrue(FoldValidation.completed(f, fold).isEmpty());

        TrainRequest.Builder again = TrainFixture.request(work, fold);
        again.continueTraining(true);
        List<String> log = new ArrayList<>();
        TrainResult r = TrainStageTest.stage().run(again.build(), notes(log)).training();
        assertTrue(r.finished());
        assertEquals(2, r.epochsDone(), "no epoch trained again");
        assertTrue(String.join("\n", log).contains("completing its final validation"), String.join("\n", log));
        long step = TrainerState.read(f.trainerState(fold, Checkpoint.FINAL)).networkStep;
        assertEquals(2 * 3, step);
        FoldValidation.Summary s = FoldValidation.completed(f, fold).orElseThrow();
        assertEquals(step, s.networkStep());
        assertFalse(Files.exists(f.validation(fold).resolve(FoldValidation.IN_PROGRESS)));

        // Complete now: a further --continue (a requeued job) has nothing to do, and says so, touching nothing.
        java.util.Map<String, Long> before = TrainStageTest.snapshot(work.root());
        log.clear();
        TrainResult done = TrainStageTest.stage().run(again.build(), notes(log)).training();
        assertTrue(done.finished() && done.validation() != null);
        assertTrue(String.join("\n", log).contains("is complete (2 epochs, final validation done); nothing to do"),
                String.join("\n", log));
        assertEquals(before, TrainStageTest.snapshot(work.root()));
    }

    @Test
    void anExtensionDiscardsTheValidationOfTheModelBefore() throws Exception {
        WorkFolder work = TrainFixture.work(tmp);
        Fold fold = new Fold(4);
        ModelFolder f = TrainStageTest.folder(work);
        TrainStageTest.stage().run(TrainFixture.request(work, fold).build(), Progress.NONE);
        assertTrue(FoldValidation.completed(f, fold).isPresent());

        TrainRequest.Builder more = TrainFixture.request(work, fold);
        more.continueTraining(true);
        more.epochs(3);
        more.validateAtEnd(false);
        TrainStageTest.stage().run(more.build(), Progress.NONE);
        assertFalse(Files.exists(f.validation(fold)), "the earlier model's predictions are gone");
        assertTrue(FoldValidation.completed(f, fold).isEmpty());

        // Continuing with validation now validates the extended model.
        TrainRequest.Builder validate = TrainFixture.request(work, fold);
        validate.continueTraining(true);
        TrainStageTest.stage().run(validate.build(), Progress.NONE);
        assertEquals(3 * 3, FoldValidation.completed(f, fold).orElseThrow().networkStep());
    }

    private static Progress notes(List<String> log) {
        return new Progress() {
            @Override
            public void status(String message) {
            }

            @Override
            public void note(String text) {
                log.add(text);
            }

            @Override
            public void progress(long done, long total) {
            }

            @Override
            public boolean isCanceled() {
                return false;
            }
        };
    }
}
