package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import io.github.nnunetfiji.inference.ChosenModel;
import io.github.nnunetfiji.testutil.FijiContextExtension;
import io.github.nnunetfiji.testutil.TestData;

/**
 * nnU-Net Train Automatically and nnU-Net Select Model through CommandService, headless: the bundled
 * brain tumour set with tiny networks, two folds and a budget of seconds ends with a choice, its
 * configuration(s) installed for Segment Image, and the same choice when selected again.
 */
class TrainAutomaticallyCommandTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    @TempDir
    Path tmp;

    private CommandModule run(Class<? extends org.scijava.command.Command> type, Object... inputs) throws Exception {
        return fiji.service(CommandService.class).run(type, true, inputs).get();
    }

    @Test
    void trainsChoosesAndInstallsTheChoice() throws Exception {
        Path work = tmp.resolve("work");
        CommandModule m = run(TrainAutomaticallyCommand.class, "dataset", TestData.bratsMini().toFile(), "work",
                work.toFile(), "budget", "20s", "folds", "0 1", "overrides", "2d.features=4 2d.batch=2 "
                        + "3d_fullres.features=4 3d_fullres.patch=32x32x32 3d_fullres.batch=1", "device", "cpu",
                "threads", 2);
        assertFalse(m.isCanceled(), m.getCancelReason());
        String report = (String) m.getOutput("report");
        assertTrue(report.contains("Chosen: "), report);
        Path models = work.resolve("Task01_BrainTumour_mini/models");
        ChosenModel choice = ChosenModel.read(models).orElseThrow();
        String installed = (String) m.getOutput("installed");
        assertEquals(choice.configurations().stream().map(c -> "Task01_BrainTumour_mini_" + c).toList(),
                java.util.List.of(installed.split(" ")), report);
        for (String name : installed.split(" ")) {
            assertTrue(Files.isRegularFile(fiji.modelsFolder().resolve(name).resolve("plans.json")), name);
        }

        CommandModule again = run(SelectModelCommand.class, "dataset", TestData.bratsMini().toFile(), "work",
                work.toFile());
        assertFalse(again.isCanceled(), again.getCancelReason());
        assertTrue(((String) again.getOutput("report")).contains("Chosen: " + choice.name() + " "),
                (String) again.getOutput("report"));
        assertEquals(choice, ChosenModel.read(models).orElseThrow());
    }

    /**
     * "Run on the cluster": prepared here, then the trainings and the selection submitted through
     * the cluster's sbatch (a stand-in that records its calls), each job running the command line
     * given for the nodes with the dialog's training options.
     */
    @Test
    void submitsToTheCluster() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path calls = tmp.resolve("sbatch-calls.txt");
        Path sbatch = bin.resolve("sbatch");
        Files.writeString(sbatch, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\nn=$(wc -l < '" + calls + "')\necho $((100 + n))\n");
        sbatch.toFile().setExecutable(true);
        System.setProperty(io.github.nnunetfiji.cluster.Slurm.BIN_PROPERTY, bin.toString());
        try {
            Path work = tmp.resolve("work");
            CommandModule m = run(TrainAutomaticallyCommand.class, "dataset", TestData.bratsMini().toFile(), "work",
                    work.toFile(), "epochs", 1, "cluster", true, "partition", "short", "cpus", 2, "sbatch",
                    "--account=lab; --mail-type=END,FAIL", "launcher",
                    "/opt/nnunet/nnunet", "configurations", "2d");
            assertFalse(m.isCanceled(), m.getCancelReason());
            String report = (String) m.getOutput("report");
            assertTrue(report.contains("Submitted") && report.contains("nnunet status"), report);
            java.util.List<String> lines = Files.readAllLines(calls);
            assertEquals(2, lines.size(), "the 2d array job and the selection after it: " + lines);
            assertTrue(lines.get(0).contains("--array=0,1,2"), lines.get(0));
            assertTrue(lines.get(1).contains("--dependency=afterok:101"), lines.get(1));
            Path script = Path.of(lines.get(0).substring(lines.get(0).lastIndexOf(' ') + 1));
            String job = Files.readString(script);
            assertTrue(job.contains("#SBATCH --partition=short") && job.contains("#SBATCH --cpus-per-task=2"), job);
            assertTrue(job.contains("#SBATCH --account=lab\n") && job.contains("#SBATCH --mail-type=END,FAIL\n"), job);
            assertTrue(job.contains("/opt/nnunet/nnunet") && job.contains("--epochs 1") && job.contains("--threads 2"),
                    job);
            assertTrue(Files.isRegularFile(work.resolve("Task01_BrainTumour_mini/slurm/run.json")));
        } finally {
            System.clearProperty(io.github.nnunetfiji.cluster.Slurm.BIN_PROPERTY);
        }
    }
}
