package io.github.nnunetfiji.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.fiji.TrainCommand;
import io.github.nnunetfiji.testutil.FijiContextExtension;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.train.ModelFolder.Checkpoint;

/** nnU-Net Train run headless: a cancel leaves a checkpoint that Continue finishes. */
class TrainCommandTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    @TempDir
    Path tmp;

    @Test
    void cancelLeavesAResumableCheckpoint() throws Exception {
        WorkFolder work = TrainFixture.work(tmp);
        Map<String, Object> inputs = Map.of("dataset", TestData.isbiMini().toFile(), "work", work.root().toFile(),
                "threads", 1, "configuration", "2d", "fold", "4", "epochs", 3, "iterations_per_epoch", 40,
                "device", "cpu");
        ModuleService modules = fiji.service(ModuleService.class);
        Module m = modules.createModule(fiji.service(CommandService.class).getCommand(TrainCommand.class));
        Future<Module> running = modules.run(m, true, inputs);
        ModelFolder f = ModelFolder.of(work, "Task100_ISBI2012EM_mini", "2d");
        Fold fold = new Fold(4);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.isRegularFile(f.trainingLog(fold)) && !running.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        ((TrainCommand) ((CommandModule) m).getCommand()).cancel("stop");
        running.get(120, TimeUnit.SECONDS);
        TrainerState s = TrainerState.read(f.trainerState(fold, Checkpoint.LATEST));
        assertEquals("canceled", s.stopReason());
        assertFalse(s.finished());
        assertFalse(Files.exists(f.checkpoint(fold, Checkpoint.FINAL)));

        CommandModule again = fiji.service(CommandService.class).run(TrainCommand.class, true, "dataset",
                TestData.isbiMini().toFile(), "work", work.root().toFile(), "threads", 1, "configuration", "2d", "fold", "4",
                "epochs", 3, "iterations_per_epoch", 40, "device", "cpu", "continue_training", true).get();
        assertFalse(again.isCanceled(), again.getCancelReason());
        String report = (String) again.getOutput("report");
        assertTrue(report.contains("Resuming"), report);
        assertTrue(Files.isRegularFile(f.checkpoint(fold, Checkpoint.FINAL)));
        assertEquals(4, Files.readAllLines(f.trainingLog(fold)).size());
    }
}
