package io.github.nnunetfiji.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.train.ModelFolder.Checkpoint;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.WorkInUseException;

/**
 * A training process on the command line: while it runs, a second training of the same fold is
 * refused (the fold's lock names the process) and nothing of the first is touched; SIGTERM (what
 * SLURM sends at a time limit, and Ctrl-C's SIGINT alike) makes it write a checkpoint at the next
 * iteration, which {@code --continue} resumes, although no periodic checkpoint was due.
 */
class SignalAndLockTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondTrainingIsRefusedAndSigtermLeavesACheckpointToContinue() throws Exception {
        WorkFolder work = TrainFixture.work(tmp.resolve("work"));
        Fold fold = new Fold(2);
        ModelFolder f = TrainStageTest.folder(work);
        Path log = tmp.resolve("child.txt");
        Process p = child(work, fold, false).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && System.nanoTime() < deadline && !Files.readString(log).contains("epoch 1/6:")) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "still training after its first epoch: " + Files.readString(log));

        WorkInUseException busy = assertThrows(WorkInUseException.class,
                () -> TrainStageTest.stage().run(TrainFixture.request(work, fold).build(), Progress.NONE));
        assertTrue(busy.getMessage().contains("process " + p.pid()) && busy.getMessage().contains("fold 2"),
                busy.getMessage());

        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "stops after the current iteration");
        String out = Files.readString(log);
        assertTrue(out.contains("Stop requested") && out.contains("resume with --continue"), out);
        assertFalse(Files.exists(f.checkpoint(fold, Checkpoint.FINAL)), "stopped before the end");
        TrainerState s = TrainerState.read(f.trainerState(fold, Checkpoint.LATEST));
        assertTrue(s.epoch >= 1 && s.epoch < 6, "checkpoint of the stop, epoch " + s.epoch);
        assertEquals("canceled", s.stopReason());

        Path log2 = tmp.resolve("child2.txt");
        Process again = child(work, fold, true).redirectOutput(log2.toFile()).start();
        assertTrue(again.waitFor(180, TimeUnit.SECONDS), "resumed run finishes");
        String out2 = Files.readString(log2);
        assertEquals(0, again.exitValue(), out2);
        assertTrue(out2.contains("Resuming 2d fold 2 at epoch " + (s.epoch + 1)), out2);
        assertEquals(6 * 20, TrainerState.read(f.trainerState(fold, Checkpoint.FINAL)).networkStep);
    }

    private static ProcessBuilder child(WorkFolder work, Fold fold, boolean resume) {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "io.github.nnunetfiji.cli.Main", "train", TestData.isbiMini().toString(), TrainFixture.CONFIG, fold.toString(),
                "--work", work.root().toString(), "--epochs", "6", "--iterations-per-epoch", "20",
                "--validation-iterations", "2", "--threads", "1", "--device", "cpu", "--precision", "float32",
                "--save-every", "1h"));
        if (resume) {
            cmd.add("--continue");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
        return pb;
    }
}
