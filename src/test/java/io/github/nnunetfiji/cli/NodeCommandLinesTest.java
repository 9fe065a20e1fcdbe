package io.github.nnunetfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.cluster.NodeCommands;
import io.github.nnunetfiji.cluster.RequestNodeCommands;
import io.github.nnunetfiji.train.TrainRequest;
import io.github.nnunetfiji.cluster.SlurmOptions;

/** What a node runs for {@code auto --slurm}: the training options given passed on, paths absolute; the SLURM options read. */
class NodeCommandLinesTest {

    private static Args parse(String... argv) throws Args.UsageException {
        AutoCli auto = new AutoCli();
        return Args.parse(List.of(argv), auto.valuedOptions(), auto.flagOptions());
    }

    @Test
    void trainingOptionsArePassedOnWithAbsolutePaths() throws Exception {
        Args args = parse("data/Task", "--epochs", "3", "--seed", "7", "--splits", "s.json", "--slurm", "--cpus", "6",
                "--launcher", "/opt/nnunet/nnunet");
        SlurmOptions o = ClusterOptions.of(args);
        assertEquals(6, o.cpus());
        assertEquals(SlurmOptions.DEFAULT_MEMORY, o.memory());
        Path data = Path.of("data/Task").toAbsolutePath();
        Path work = Path.of("w").toAbsolutePath();
        TrainRequest.Builder training = new TrainRequest.Builder();
        TrainCli.settings(args, training);
        RequestNodeCommands c = new RequestNodeCommands(Path.of("data/Task"), Path.of("w"), training.build(), o.cpus(),
                null);
        assertEquals(List.of("train", data.toString(), "2d", NodeCommands.ARRAY_TASK, "--work", work.toString(),
                "--continue", "--save-probabilities", "--threads", "6", "--epochs", "3", "--seed", "7", "--splits",
                Path.of("s.json").toAbsolutePath().toString()), c.train("2d", NodeCommands.ARRAY_TASK));
        assertEquals(List.of("select", data.toString(), "--work", work.toString(), "--threads", "6", "-c", "2d",
                "3d_fullres", "--folds", "0", "1"), c.select(List.of("2d", "3d_fullres"), List.of("0", "1")));
        assertEquals(List.of(), c.predictTestCases());
    }

    @Test
    void sbatchLinesAndMistakes() throws Exception {
        SlurmOptions o = ClusterOptions.of(parse("d", "--slurm", "--sbatch", "--account=lab; --qos=short",
                "--launcher", "/x/nnunet"));
        assertEquals(List.of("--account=lab", "--qos=short"), o.extraLines());
        assertThrows(Args.UsageException.class, () -> ClusterOptions.refuseWithout(parse("d", "--gres", "gpu:1")));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main().run(List.of("auto", "d", "--mem", "4G"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));
        assertEquals(CliCommand.USAGE, code);
        assertTrue(err.toString().contains("--mem is an option of --slurm"), err.toString());
        err.reset();
        code = new Main().run(List.of("status", "/nowhere/Task09", "--work", "/nowhere/work"), new PrintStream(
                new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(CliCommand.USAGE, code);
        assertTrue(err.toString().contains("run.json not found"), err.toString());
    }
}
