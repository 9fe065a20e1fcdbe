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

import io.github.nnunetfiji.cli.CliCommand;
import io.github.nnunetfiji.cli.Main;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.engine.Device;
import io.github.nnunetfiji.engine.EngineOptions;import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.RequestException;
import io.github.nnunetfiji.util.RequestField;

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
        assertEquals(CliCommand.PROBLEMS, code, "a problem of the request's file:\n" + err);
    }

    @Test
    void durations() throws Exception {
        assertEquals(Duration.ofMinutes(15), TrainSettings.duration(RequestField.TIME_LIMIT, "15m"));
        assertEquals(Duration.ofMinutes(90), TrainSettings.duration(RequestField.TIME_LIMIT, "1h30m"));
        assertEquals(Duration.ofSeconds(90), TrainSettings.duration(RequestField.TIME_LIMIT, "90s"));
        assertEquals(Duration.ofMinutes(5), TrainSettings.duration(RequestField.TIME_LIMIT, "5"));
        assertThrows(RequestException.class, () -> TrainSettings.duration(RequestField.TIME_LIMIT, "15 minutes"));
        assertThrows(RequestException.class, () -> TrainSettings.duration(RequestField.TIME_LIMIT, "0m"));
        assertEquals(Duration.ZERO, TrainSettings.saveInterval("0"));
        assertEquals(Duration.ofMinutes(5), TrainSettings.saveInterval("5m"));
        // The core names the field; the command line words it as the flag, with the usage.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(CliCommand.USAGE, run(err, "train", TestData.isbiMini().toString(), "2d", "0", "--time-limit",
                "15 minutes"));
        assertTrue(err.toString().contains("--time-limit must be a duration such as 15m") && err.toString().contains(
                "Usage: nnunet train"), err.toString());
    }

    @Test
    void settingsAreReadAlikeOnEverySurface() {
        assertEquals(Device.GPU, TrainSettings.device(" GPU "));
        assertEquals(TrainRequest.Optimizer.ADAM, TrainSettings.optimizer("adam"));
        assertEquals(Boolean.FALSE, TrainSettings.elastic("off"));
        assertEquals(null, TrainSettings.elastic("default"));
        assertEquals(EngineOptions.Precision.MIXED_BFLOAT16, TrainSettings.precision("bfloat16"));
        RequestException e = assertThrows(RequestException.class, () -> TrainSettings.optimizer("rmsprop"));
        assertEquals(RequestField.OPTIMIZER, ((Message.Field) e.explanation().parts().get(0)).field());
    }

    @Test
    void elasticMustBeOnOrOff() throws Exception {
        WorkFolder work = TrainFixture.work(tmp);
        Map<String, Long> before = TrainStageTest.snapshot(work.root());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(CliCommand.USAGE, run(err, "train", TestData.isbiMini().toString(), "2d", "0", "--work",
                work.root().toString(), "--elastic", "maybe"));
        assertTrue(err.toString().contains("--elastic must be on, off or default, got 'maybe'"), err.toString());
        assertEquals(before, TrainStageTest.snapshot(work.root()));
    }
}
