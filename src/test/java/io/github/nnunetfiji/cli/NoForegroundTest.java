package io.github.nnunetfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.DatasetValidator;
import io.github.nnunetfiji.dataset.Problem;
import io.github.nnunetfiji.dataset.ValidationReport;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.Progress;

/**
 * Label maps without foreground: none in any case is an input problem (exit 1, nothing written,
 * the fix named); a declared class in no case is accepted with a warning, as the reference does.
 */
class NoForegroundTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Main().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path copyWithLabels(String name, java.util.function.IntUnaryOperator f) throws Exception {
        Path copy = TestData.copy(TestData.bratsMini(), tmp.resolve(name));
        Dataset ds = DatasetLoader.load(copy);
        TestData.relabel(ds, f);
        return copy;
    }

    @Test
    void noForegroundAnywhereStopsEveryStageWithExit1() throws Exception {
        Path data = copyWithLabels("Task01_BrainTumour_mini", v -> 0);
        Path work = tmp.resolve("work");

        ValidationReport r = new DatasetValidator(2).validate(data, Progress.NONE);
        assertEquals(1, r.problemsOf(Problem.Kind.NO_FOREGROUND).size(), r.toText());
        assertTrue(r.toText().contains("labelsTr") && r.toText().contains("fix: label the structures"), r.toText());

        assertEquals(1, run("validate", data.toString(), "--work", work.toString()));
        assertEquals(1, run("plan_and_preprocess", data.toString(), "--work", work.toString()),
                err.toString(StandardCharsets.UTF_8));
        // fingerprint and plan do not validate first: they find it themselves.
        err.reset();
        assertEquals(1, run("fingerprint", data.toString(), "--work", work.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("No case of " + data), err.toString(StandardCharsets.UTF_8));
        assertEquals(1, run("plan", data.toString(), "--work", work.toString()));
        assertTrue(TestData.isEmptyTree(work), "nothing is written");
    }

    @Test
    void classInNoCaseIsAWarningNotAProblem() throws Exception {
        Path data = copyWithLabels("absent", v -> v == 3 ? 2 : v);
        ValidationReport r = new DatasetValidator(2).validate(data, Progress.NONE);
        assertTrue(r.isValid(), r.toText());
        assertEquals(0, r.summary().casesWithLabel().get(3));
        assertTrue(r.toText().contains("warning: class 3 (non-enhancing tumor) is in no training case"), r.toText());
        assertFalse(r.toText().contains("class 2 ("), r.toText());
        assertEquals(0, run("plan_and_preprocess", data.toString(), "--work", tmp.resolve("w").toString(), "-c", "2d"),
                err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(tmp.resolve("w/absent/plans.json")));
    }
}
