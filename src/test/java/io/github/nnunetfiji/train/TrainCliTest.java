package io.github.nnunetfiji.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.cli.Args;
import io.github.nnunetfiji.cli.CliCommand;
import io.github.nnunetfiji.cli.Main;
import io.github.nnunetfiji.cli.TrainCli;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.testutil.TestData;

class TrainCliTest {

    @TempDir
    Path tmp;

    private int run(ByteArrayOutputStream err, String... args) {
        return new Main().run(List.of(args), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    }

    @Test
    void wrongFoldIsAUsageError() throws Exception {
        WorkFolder work = TrainFixture.work(tmp);
        Map<String, Long> before = TrainStageTest.snapshot(work.root());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(CliCommand.USAGE, run(err, "train", TestData.isbiMini().toString(), "2d", "7", "--work",
                work.root().toString()));
        assertTrue(err.toString().contains("Fold 7 does not exist"), err.toString());
        err.reset();
        assertEquals(CliCommand.PROBLEMS, run(err, "train", TestData.isbiMini().toString(), "3d_fullres", "0", "--work",
                work.root().toString()));
        assertTrue(err.toString().contains("not planned; planned: 2d"), err.toString());
        assertEquals(before, TrainStageTest.snapshot(work.root()));
    }

    @Test
    void aBinarySplitsFileIsNamedAsNotJson() throws Exception {
        WorkFolder work = TrainFixture.work(tmp);
        Path binary = tmp.resolve("splits_final.json");
        Files.write(binary, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, (byte) 0xfe, 1, 2, 3});
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(err, "train", TestData.isbiMini().toString(), "2d", "0", "--work", work.root().toString(),
                "--splits", binary.toString());
        assertTrue(err.toString().contains(binary + " is not a JSON file") && !err.toString().contains("Input length"),
                err.toString());
        assertEquals(CliCommand.ERROR, code, err.toString());
    }

    @Test
    void durations() throws Exception {
        assertEquals(Duration.ofMinutes(15), TrainCli.parseDuration("time-limit", "15m"));
        assertEquals(Duration.ofMinutes(90), TrainCli.parseDuration("time-limit", "1h30m"));
        assertEquals(Duration.ofSeconds(90), TrainCli.parseDuration("time-limit", "90s"));
        assertEquals(Duration.ofMinutes(5), TrainCli.parseDuration("time-limit", "5"));
        assertThrows(Args.UsageException.class, () -> TrainCli.parseDuration("time-limit", "15 minutes"));
        assertThrows(Args.UsageException.class, () -> TrainCli.parseDuration("time-limit", "0m"));
    }

    @Test
    void elasticMustBeOnOrOff() throws Exception {
        WorkFolder work = TrainFixture.work(tmp);
        Map<String, Long> before = TrainStageTest.snapshot(work.root());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(CliCommand.USAGE, run(err, "train", TestData.isbiMini().toString(), "2d", "0", "--work",
                work.root().toString(), "--elastic", "maybe"));
        assertTrue(err.toString().contains("--elastic must be on or off"), err.toString());
        assertEquals(before, TrainStageTest.snapshot(work.root()));
    }
}
