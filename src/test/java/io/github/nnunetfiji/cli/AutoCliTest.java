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

import io.github.nnunetfiji.testutil.TestData;

/** Mistakes in an auto or select command line are usage errors before any work. */
class AutoCliTest {

    @TempDir
    Path tmp;

    private int run(ByteArrayOutputStream err, String... args) {
        return new Main().run(List.of(args), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void anOverrideAfterFoldsIsNotTakenForAFold() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path work = tmp.resolve("work");
        assertEquals(2, run(err, "auto", TestData.bratsMini().toString(), "--work", work.toString(), "--folds", "0",
                "all.features=4"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("give plan overrides before --folds"), err.toString());
        assertTrue(!Files.exists(work), "nothing written");
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        assertEquals(2, run(err2, "select", TestData.bratsMini().toString(), "--work", work.toString(), "--folds", "7"));
        assertTrue(err2.toString(StandardCharsets.UTF_8).contains("--folds takes folds 0 .. 4 or all, not '7'"),
                err2.toString());
    }
}
