package io.github.nnunetfiji.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.Json;

/**
 * {@code auto --slurm} on a real cluster (bench/slurm-cluster.sh start): the bundled 3-case set
 * with tiny networks, one training task canceled on purpose, resubmitted with
 * {@code --resubmit-failed}; the selection runs after every fold, and the choice and every score
 * equal a local {@code auto} run's with the same settings. Runs only in {@code mvn -Pslurm}
 * (system property {@code nnunet.slurm=true}), through the {@code nnunet} script as a user would.
 */
class SlurmClusterTest {

    private static final List<String> SETTINGS = List.of("2d.features=4", "2d.batch=2", "3d_fullres.features=4",
            "3d_fullres.patch=32x32x32", "3d_fullres.batch=1", "--epochs", "1", "--iterations-per-epoch", "2",
            "--validation-iterations", "1", "--threads", "1", "--device", "cpu", "--precision", "float32");

    @TempDir
    Path tmp;

    private final Path script = Path.of("nnunet").toAbsolutePath();

    @Test
    void aRunWithACanceledTaskResubmittedEndsAsALocalRun() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("nnunet.slurm"), "needs a SLURM cluster: mvn -Pslurm"
                + " (bench/slurm-cluster.sh start makes one here)");
        Path data = TestData.bratsMini().toAbsolutePath();
        assertEquals(0, nnunet("help").exit(), "the nnunet script builds");

        Path clusterWork = tmp.resolve("cluster");
        List<String> submit = new ArrayList<>(List.of("auto", data.toString(), "--work", clusterWork.toString()));
        submit.addAll(SETTINGS);
        submit.addAll(List.of("--slurm", "--cpus", "1", "--mem", "3G", "--launcher", "env NNUNET_JAVA_OPTS=-Xmx2g"
                + " nice -n 10 " + script));
        long start = System.nanoTime();
        Result submitted = nnunet(submit.toArray(String[]::new));
        assertEquals(0, submitted.exit(), submitted.output());
        Path work = clusterWork.resolve(data.getFileName().toString());
        SlurmRun run = SlurmRun.read(work);
        // One task killed on purpose: the selection, waiting for it, can no longer run.
        String killed = run.training("3d_fullres").taskId("1");
        assertEquals(0, tool("scancel", killed).exit());
        waitUntilNothingRuns();
        Result status = nnunet("status", data.toString(), "--work", clusterWork.toString());
        assertTrue(status.output().contains("Run: failed (2 failed)"), status.output());
        assertTrue(status.output().contains(killed), status.output());

        Result again = nnunet("status", data.toString(), "--work", clusterWork.toString(), "--resubmit-failed");
        assertEquals(0, again.exit(), again.output());
        assertTrue(again.output().contains("Resubmitted nnunet_3d_fullres"), again.output());
        waitUntilNothingRuns();
        double clusterSeconds = (System.nanoTime() - start) / 1e9;
        Result done = nnunet("status", data.toString(), "--work", clusterWork.toString());
        assertTrue(done.output().contains("Run: done"), done.output());
        SlurmRun after = SlurmRun.read(work);
        assertEquals(List.of("1"), after.training("3d_fullres").latest().tasks());
        assertEquals(2, after.selection().submissions().size());

        // The selection ran after every fold.
        FileTime chosen = Files.getLastModifiedTime(work.resolve("models/chosen_model.json"));
        for (String c : List.of("2d", "3d_fullres")) {
            for (String f : List.of("0", "1", "2")) {
                Path summary = work.resolve("models/" + c + "/fold_" + f + "/validation/summary.json");
                assertTrue(Files.getLastModifiedTime(summary).compareTo(chosen) <= 0, summary + " after the choice");
            }
        }

        Path localWork = tmp.resolve("local");
        List<String> local = new ArrayList<>(List.of("auto", data.toString(), "--work", localWork.toString()));
        local.addAll(SETTINGS);
        long localStart = System.nanoTime();
        Result ran = nnunet(local.toArray(String[]::new));
        assertEquals(0, ran.exit(), ran.output());
        double localSeconds = (System.nanoTime() - localStart) / 1e9;
        Path localModels = localWork.resolve(data.getFileName().toString()).resolve("models");
        for (String f : List.of("chosen_model.json", "selection.json")) {
            assertEquals(Json.read(localModels.resolve(f), Map.class), Json.read(work.resolve("models").resolve(f),
                    Map.class), f);
        }
        System.err.printf("SlurmClusterTest: submission to selected model (one task resubmitted) %.1f s on the"
                + " cluster; local auto %.1f s%n", clusterSeconds, localSeconds);
    }

    record Result(int exit, String output) {
    }

    private Result nnunet(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("nice", "-n", "10", script.toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static Result tool(String... cmd) throws IOException, InterruptedException {
        return run(List.of(cmd));
    }

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("NNUNET_JAVA_OPTS", "-Xmx2g");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    /** This cluster is the test's own: waits until its queue holds nothing pending or running. */
    private static void waitUntilNothingRuns() throws Exception {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (System.nanoTime() < deadline) {
            Result q = tool("squeue", "-h", "-t", "pending,running,configuring,completing");
            if (q.exit() == 0 && q.output().isBlank()) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the cluster's queue did not empty in 10 minutes");
    }
}
