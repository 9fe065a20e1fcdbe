package io.github.nnunetfiji.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.util.WorkInUseException;

/**
 * The jobs written and submitted for a run (scripts, array ranges, dependencies), the states read
 * back, which tasks count as failed, and what a resubmission submits; SLURM's tools are faked.
 */
class SlurmSubmitterTest {

    @TempDir
    Path tmp;

    private static final NodeCommands COMMANDS = new NodeCommands() {
        @Override
        public List<String> train(String configuration, String fold) {
            return List.of("train", "/data/Task", configuration, fold, "--continue");
        }

        @Override
        public List<String> select(List<String> configurations, List<String> folds) {
            List<String> a = new ArrayList<>(List.of("select", "/data/Task"));
            a.addAll(configurations);
            return a;
        }

        @Override
        public List<String> predictTestCases() {
            return List.of("predict", "-i", "/data/Task/imagesTs");
        }
    };

    private static SlurmOptions options() {
        return new SlurmOptions("gpu", "12:00:00", 8, "32G", "gpu:1", List.of("--account=lab"),
                "nice -n 10 /opt/nnunet/nnunet");
    }

    private SlurmPlan cascade() {
        return new SlurmPlan(Path.of("/data/Task"), tmp.resolve("Task"), List.of("2d", "3d_lowres",
                "3d_cascade_fullres"), Map.of("3d_cascade_fullres", "3d_lowres"), List.of("0", "1", "2"), true);
    }

    @Test
    void oneArrayJobPerConfigurationThenTheSelectionAfterEveryTask() throws Exception {
        FakeSlurm fake = new FakeSlurm();
        SlurmRun run = new SlurmSubmitter(new Slurm(fake)).submit(cascade(), options(), COMMANDS);
        List<List<String>> sbatch = fake.calls("sbatch");
        Path folder = tmp.resolve("Task/slurm");
        assertEquals(List.of("sbatch", "--parsable", "--array=0,1,2", folder.resolve("train_2d.sh").toString()),
                sbatch.get(0));
        assertEquals(List.of("sbatch", "--parsable", "--array=0,1,2", folder.resolve("train_3d_lowres.sh")
                .toString()), sbatch.get(1));
        // The cascade's second stage waits for every fold of its first (the whole array job).
        assertEquals(List.of("sbatch", "--parsable", "--array=0,1,2", "--dependency=afterok:101",
                folder.resolve("train_3d_cascade_fullres.sh").toString()), sbatch.get(2));
        assertEquals(List.of("sbatch", "--parsable", "--dependency=afterok:100:101:102", folder.resolve("select.sh").toString()), sbatch.get(3));
        assertEquals(4, sbatch.size());

        String train = Files.readString(folder.resolve("train_2d.sh"));
        assertEquals("""
                #!/bin/bash
                #SBATCH --job-name=nnunet_2d
                #SBATCH --output=%s
                #SBATCH --partition=gpu
                #SBATCH --time=12:00:00
                #SBATCH --nodes=1
                #SBATCH --ntasks=1
                #SBATCH --cpus-per-task=8
                #SBATCH --mem=32G
                #SBATCH --gres=gpu:1
                #SBATCH --account=lab
                set -e
                exec nice -n 10 /opt/nnunet/nnunet train /data/Task 2d $SLURM_ARRAY_TASK_ID --continue
                """.formatted(folder.resolve("logs/train_2d_%A_%a.log")), train);
        String select = Files.readString(folder.resolve("select.sh"));
        assertTrue(select.contains("\nnice -n 10 /opt/nnunet/nnunet select /data/Task 2d 3d_lowres"
                + " 3d_cascade_fullres\nexec nice -n 10 /opt/nnunet/nnunet predict -i /data/Task/imagesTs\n"), select);

        SlurmRun read = SlurmRun.read(tmp.resolve("Task"));
        assertEquals(run, read);
        assertEquals("3d_lowres", read.training("3d_cascade_fullres").after());
        assertEquals("101_2", read.training("3d_lowres").taskId("2"));
        assertEquals(Path.of(folder + "/logs/train_2d_100_1.log"), read.training("2d").logOf("100_1"));
    }

    @Test
    void wordsAreQuotedForTheShell() {
        assertEquals("/a/b.nii.gz", JobScript.quote("/a/b.nii.gz"));
        assertEquals("'/my data/x'", JobScript.quote("/my data/x"));
        assertEquals("'it'\\''s'", JobScript.quote("it's"));
        assertEquals("$SLURM_ARRAY_TASK_ID", JobScript.quote(NodeCommands.ARRAY_TASK));
        assertEquals("'$HOME'", JobScript.quote("$HOME"));
        assertThrows(IllegalArgumentException.class, () -> new SlurmOptions(null, null, 1, "1G", null,
                List.of("#SBATCH --x"), "/x/nnunet"));
        assertThrows(IllegalArgumentException.class, () -> new SlurmOptions(null, null, 1, "1G", null, List.of(), " "));
        assertThrows(IllegalArgumentException.class, () -> new SlurmPlan(Path.of("/d"), Path.of("/w"), List.of("2d"),
                Map.of(), List.of("all"), true));
    }

    @Test
    void squeueAndSacctAreRead() {
        Map<String, TaskState> q = QueueParser.squeue("""
                100_0|COMPLETED|None
                100_1|FAILED|NonZeroExitCode
                100_2|RUNNING|None
                103|PENDING|Dependency
                104|CANCELLED|DependencyNeverSatisfied
                """);
        assertEquals(new TaskState("FAILED", "NonZeroExitCode"), q.get("100_1"));
        assertEquals(5, q.size());
        Map<String, TaskState> a = QueueParser.sacct("""
                200_[3-5,7]|PENDING
                201_0|CANCELLED by 0
                201_0.batch|CANCELLED
                202|TIMEOUT
                """);
        assertEquals(List.of("200_3", "200_4", "200_5", "200_7", "201_0", "202"), List.copyOf(a.keySet()));
        assertEquals("CANCELLED", a.get("201_0").state());
    }

    @Test
    void whatCountsAsFailed() {
        for (String s : List.of("FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED")) {
            assertTrue(new TaskState(s, "").failed(), s);
        }
        assertTrue(new TaskState("PENDING", "DependencyNeverSatisfied").failed());
        for (String s : List.of("PENDING", "RUNNING", "COMPLETING", "COMPLETED", TaskState.UNKNOWN)) {
            assertFalse(new TaskState(s, "Resources").failed(), s);
        }
        assertTrue(new TaskState("RUNNING", "None").live());
        assertFalse(TaskState.unknown().live());
    }

    @Test
    void aResubmissionRunsOnlyWhatFailedAndTheSelectionAfterIt() throws Exception {
        FakeSlurm fake = new FakeSlurm();
        Slurm slurm = new Slurm(fake);
        new SlurmSubmitter(slurm).submit(cascade(), options(), COMMANDS);
        // 2d fold 1 failed, 3d_lowres fold 2 timed out; the cascade's stage 2 and the selection can no longer start.
        fake.queue.putAll(Map.of("100_0", "COMPLETED|None", "100_1", "FAILED|NonZeroExitCode", "100_2", "RUNNING|None",
                "101_0", "COMPLETED|None", "101_1", "COMPLETED|None", "101_2", "TIMEOUT|TimeLimit"));
        fake.queue.put("102_[0-2]", "PENDING|DependencyNeverSatisfied");
        fake.queue.put("103", "PENDING|DependencyNeverSatisfied");
        // 3d_lowres fold 1 finished in the work folder even where the queue had forgotten it; only the
        // folds not finished are waited for.
        fake.queue.remove("101_1");
        Path fold = tmp.resolve("Task/models/3d_lowres/fold_1/validation");
        Files.createDirectories(fold);
        Files.writeString(fold.resolve("summary.json"), "{}");

        RunStatus status = RunStatus.of(SlurmRun.read(tmp.resolve("Task")), slurm);
        assertEquals(List.of("100_1", "101_2", "102_0", "102_1", "102_2", "103"), status.failed().stream()
                .map(RunStatus.Unit::taskId).toList());
        assertEquals("failed", status.overall());
        assertTrue(status.report(5).contains("COMPLETED (work folder)"), status.report(5));

        fake.calls.clear();
        SlurmRun again = new Resubmitter(slurm).resubmitFailed(status);
        assertEquals(List.of(List.of("scancel", "102_0", "102_1", "102_2", "103")), fake.calls("scancel"));
        Path folder = tmp.resolve("Task/slurm");
        assertEquals(List.of(
                List.of("sbatch", "--parsable", "--array=1", folder.resolve("train_2d.sh").toString()),
                List.of("sbatch", "--parsable", "--array=2", folder.resolve("train_3d_lowres.sh").toString()),
                List.of("sbatch", "--parsable", "--array=0,1,2", "--dependency=afterok:105_2",
                        folder.resolve("train_3d_cascade_fullres.sh").toString()),
                List.of("sbatch", "--parsable", "--dependency=afterok:104_1:100_2:105_2:106_0:106_1:106_2",
                        folder.resolve("select.sh").toString())), fake.calls("sbatch"));
        assertEquals("104_1", again.training("2d").taskId("1"));
        assertEquals("100_0", again.training("2d").taskId("0"));
        assertEquals("107", again.selection().latest().jobId());
        assertEquals(again, SlurmRun.read(tmp.resolve("Task")));
    }

    @Test
    void aNewRunIsRefusedWhileTheLastIsLive() throws Exception {
        FakeSlurm fake = new FakeSlurm();
        Slurm slurm = new Slurm(fake);
        new SlurmSubmitter(slurm).submit(cascade(), options(), COMMANDS);
        fake.queue.put("100_0", "RUNNING|None");
        assertThrows(WorkInUseException.class, () -> new SlurmSubmitter(slurm).submit(cascade(), options(), COMMANDS));
        fake.queue.put("100_0", "COMPLETED|None");
        new SlurmSubmitter(slurm).submit(cascade(), options(), COMMANDS);
    }
}
