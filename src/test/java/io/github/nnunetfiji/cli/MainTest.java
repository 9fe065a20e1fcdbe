package io.github.nnunetfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.DatasetSummary;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.Json;

class MainTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Main().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void validateWritesTheSummaryIntoTheDataSetsWorkFolderAndSaysWhere() throws Exception {
        int code = run("validate", TestData.bratsMini().toString(), "--work", tmp.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Path summary = tmp.resolve("Task01_BrainTumour_mini/dataset_summary.json");
        assertTrue(Files.isRegularFile(summary));
        assertTrue(text.contains("Wrote " + summary), text);
        assertTrue(text.contains("0=FLAIR, 1=T1c"), text);
        assertEquals(3, Json.read(summary, DatasetSummary.class).cases());
    }

    @Test
    void usageErrorsExitWith2AndExplain() {
        assertEquals(2, run("validate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("expected DATASET"));
        assertEquals(2, run("validate", "x", "--bogus", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --bogus"));
        assertEquals(2, run("validate", "x", "--threads", "zero"));
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run());
    }

    @Test
    void helpListsCommandsAndDocumentsOptions() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("validate"));
        out.reset();
        assertEquals(0, run("help", "validate"));
        String usage = out.toString(StandardCharsets.UTF_8);
        assertTrue(usage.contains("--work DIR") && usage.contains("--threads N"), usage);
    }

    @Test
    void missingDataSetFolderIsAProblemNotACrash() {
        assertEquals(1, run("validate", tmp.resolve("nope").toString(), "--work", tmp.resolve("w").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("data set folder not found"));
    }
}
