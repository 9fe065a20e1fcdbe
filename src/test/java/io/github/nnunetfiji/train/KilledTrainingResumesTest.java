package io.github.nnunetfiji.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/**
 * A training process killed with SIGKILL in the middle of an epoch, then resumed with
 * {@code --continue}, ends with exactly the weights of a run that was never interrupted.
 */
class KilledTrainingResumesTest {

    @TempDir
    Path tmp;

    @Test
    void killedTrainingResumesExactly() throws Exception {
        Fold fold = new Fold(3);
        int epochs = 4;
        int iterations = 30;
        // The uninterrupted run also gets a fresh JVM: TensorFlow's thread pools and kernel choices are
        // fixed by the first engine of a process, so a run inside the test JVM (which other tests have
        // used) need not match a child's bits.
        WorkFolder straight = TrainFixture.work(tmp.resolve("straight"));
        Process s = child(straight, fold, epochs, iterations, false).redirectOutput(tmp.resolve("straight.txt").toFile())
                .start();
        assertTrue(s.waitFor(180, TimeUnit.SECONDS), "uninterrupted run finishes");
        assertEquals(0, s.exitValue(), Files.readString(tmp.resolve("straight.txt")));

        WorkFolder killed = TrainFixture.work(tmp.resolve("killed"));
        ModelFolder f = ModelFolder.of(killed, "Task100_ISBI2012EM_mini", TrainFixture.CONFIG);
        Path state = f.trainerState(fold, Checkpoint.LATEST);
        Path log = tmp.resolve("child.txt");
        Process p = child(killed, fold, epochs, iterations, false).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && System.nanoTime() < deadline
                && (!Files.isRegularFile(state) || TrainerState.read(state).epoch() < 1)) {
            Thread.sleep(10);
        }
        Thread.sleep(150); // into the second epoch
        assertTrue(p.isAlive(), "the child must still be training when it is killed: " + Files.readString(log));
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hooks, no cleanup
        assertFalse(Files.exists(f.checkpoint(fold, Checkpoint.FINAL)), "killed before the end");
        int resumedAt = TrainerState.read(state).epoch();
        assertTrue(resumedAt >= 1 && resumedAt < epochs, "latest checkpoint at epoch " + resumedAt);

        Process again = child(killed, fold, epochs, iterations, true).redirectOutput(tmp.resolve("child2.txt").toFile())
                .start();
        assertTrue(again.waitFor(180, TimeUnit.SECONDS), "resumed run finishes");
        assertEquals(0, again.exitValue(), Files.readString(tmp.resolve("child2.txt")));
        assertTrue(Files.readString(tmp.resolve("child2.txt")).contains("Resuming"));

        ModelFolder g = ModelFolder.of(straight, "Task100_ISBI2012EM_mini", TrainFixture.CONFIG);
        TrainStageTest.assertSameWeights(g.checkpoint(fold, Checkpoint.FINAL), f.checkpoint(fold, Checkpoint.FINAL));
        assertEquals(Files.readAllLines(g.trainingLog(fold)).stream().map(TrainStageTest::lossesOnly).toList(),
                Files.readAllLines(f.trainingLog(fold)).stream().map(TrainStageTest::lossesOnly).toList());
    }

    private static ProcessBuilder child(WorkFolder work, Fold fold, int epochs, int iterations, boolean resume) {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "io.github.nnunetfiji.cli.Main", "train", TestData.isbiMini().toString(), TrainFixture.CONFIG, fold.toString(),
                "--work", work.root().toString(), "--epochs", Integer.toString(epochs), "--iterations-per-epoch",
                Integer.toString(iterations), "--validation-iterations", "2", "--threads", "1", "--device", "cpu",
                "--precision", "float32", "--save-every", "0"));
        if (resume) {
            cmd.add("--continue");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
        return pb;
    }
}
