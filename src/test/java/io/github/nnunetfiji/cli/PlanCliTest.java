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

import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.testutil.TestData;

/** {@code nnunet fingerprint} and {@code nnunet plan}. */
class PlanCliTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return new Main().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBudgetThatIsNotADurationIsAUsageErrorAndNothingIsWritten() {
        assertEquals(2, run("plan", TestData.isbiMini().toString(), "--work", tmp.toString(), "--budget", "15 minutes"));
        assertTrue(err().contains("--budget"), err());
        assertFalse(Files.exists(tmp.resolve("Task100_ISBI2012EM_mini")));
    }

    @Test
    void fingerprintThenPlanUsesTheWrittenFingerprint() throws Exception {
        assertEquals(0, run("fingerprint", TestData.bratsMini().toString(), "--work", tmp.toString()), err());
        Path dir = tmp.resolve("Task01_BrainTumour_mini");
        assertTrue(out().contains("Wrote " + dir.resolve("dataset_fingerprint.json")), out());
        assertTrue(out().contains("median spacing 3x3x3"), out());

        assertEquals(0, run("plan", TestData.bratsMini().toString(), "--work", tmp.toString(), "--planner", "v2",
                "3d_fullres.patch=32x32x32"), err());
        assertTrue(out().contains("Using the fingerprint in"), out());
        assertTrue(out().contains("Plans for BrainTumour_mini (planner v2"), out());
        assertTrue(out().contains("3d_fullres: patch set to 32x32x32 by the user"), out());
        Plans plans = Plans.read(dir.resolve("plans.json"));
        assertEquals(32, plans.configuration("3d_fullres").patchSize()[0]);
    }

    @Test
    void planWithoutFingerprintComputesIt() throws Exception {
        assertEquals(0, run("plan", TestData.isbiMini().toString(), "--work", tmp.toString()), err());
        assertTrue(out().contains("No fingerprint yet; computing"), out());
        assertTrue(Files.isRegularFile(tmp.resolve("Task100_ISBI2012EM_mini/plans.json")));
    }

    @Test
    void usageErrorsExplainTheFix() {
        assertEquals(2, run("plan", TestData.isbiMini().toString(), "--planner", "v9", "--work", tmp.toString()));
        assertTrue(err().contains("Unknown planner 'v9'; choose one of: paper, v2"), err());
        assertEquals(2, run("plan", TestData.isbiMini().toString(), "2d.size=4", "--work", tmp.toString()));
        assertTrue(err().contains("unknown key 'size'"), err());
        assertEquals(2, run("plan", "--work", tmp.toString()));
        assertTrue(err().contains("expected DATASET"), err());
        // A configuration a 2D data set does not have: nothing written.
        assertEquals(2, run("plan", TestData.isbiMini().toString(), "3d_fullres.batch=2", "--work", tmp.toString()));
        assertTrue(err().contains("hold only 2d"), err());
        assertFalse(Files.exists(tmp.resolve("Task100_ISBI2012EM_mini/plans.json")));
        assertEquals(1, run("fingerprint", tmp.resolve("missing").toString(), "--work", tmp.toString()));
    }

    @Test
    void helpDocumentsBothCommands() {
        assertEquals(0, run("help", "plan"));
        assertTrue(out().contains("--planner NAME"), out());
        assertEquals(0, run("help", "fingerprint"));
        assertTrue(out().contains("dataset_fingerprint.json"), out());
    }
}
