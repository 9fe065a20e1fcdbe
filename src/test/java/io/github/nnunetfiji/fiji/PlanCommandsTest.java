package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.testutil.FijiContextExtension;
import io.github.nnunetfiji.testutil.TestData;

/** The fingerprint and plan commands, run headless through CommandService in a plain Context. */
class PlanCommandsTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    @TempDir
    Path tmp;

    private CommandModule run(Class<? extends org.scijava.command.Command> type, Object... inputs) throws Exception {
        return fiji.service(CommandService.class).run(type, true, inputs).get();
    }

    @Test
    void fingerprintWritesTheFileAndReportsIt() throws Exception {
        CommandModule m = run(FingerprintCommand.class, "dataset", TestData.bratsMini().toFile(), "work",
                tmp.toFile(), "threads", 2);
        assertFalse(m.isCanceled(), m.getCancelReason());
        Path file = tmp.resolve("Task01_BrainTumour_mini/dataset_fingerprint.json");
        assertEquals(file.toString(), m.getOutput("fingerprintfile"));
        String report = (String) m.getOutput("report");
        assertTrue(report.contains("Fingerprint of BrainTumour_mini: 3 cases"), report);
        assertTrue(report.contains("channel 1 T1c foreground"), report);
        assertEquals(3, DatasetFingerprint.read(file).numberOfCases());
    }

    @Test
    void planComputesAMissingFingerprintThenPlans() throws Exception {
        CommandModule m = run(PlanCommand.class, "dataset", TestData.isbiMini().toFile(), "work", tmp.toFile());
        assertFalse(m.isCanceled(), m.getCancelReason());
        Path dir = tmp.resolve("Task100_ISBI2012EM_mini");
        assertTrue(Files.isRegularFile(dir.resolve("dataset_fingerprint.json")));
        Plans plans = Plans.read(dir.resolve("plans.json"));
        assertEquals("paper", plans.planner());
        assertEquals(List.of("2d"), List.copyOf(plans.configurations().keySet()));
        String summary = (String) m.getOutput("summary");
        assertTrue(summary.contains("| 2d"), summary);
        assertEquals(dir.resolve("plans.json").toString(), m.getOutput("plansfile"));
    }

    @Test
    void plannerAndOverridesAreApplied() throws Exception {
        CommandModule m = run(PlanCommand.class, "dataset", TestData.bratsMini().toFile(), "work", tmp.toFile(),
                "planner", "v2", "overrides", "3d_fullres.batch=3, all.epochs=5");
        assertFalse(m.isCanceled(), m.getCancelReason());
        Plans plans = Plans.read(tmp.resolve("Task01_BrainTumour_mini/plans.json"));
        assertEquals("v2", plans.planner());
        assertEquals(3, plans.configuration("3d_fullres").batchSize());
        assertEquals(5, plans.configuration("2d").numEpochs());
        assertTrue(((String) m.getOutput("summary")).contains("batch set to 3 by the user"));
    }

    @Test
    void invalidOverrideCancelsAndWritesNoPlans() throws Exception {
        CommandModule m = run(PlanCommand.class, "dataset", TestData.isbiMini().toFile(), "work", tmp.toFile(),
                "overrides", "3d_fullres.batch=4");
        assertTrue(m.isCanceled());
        assertTrue(m.getCancelReason().contains("hold only 2d"), m.getCancelReason());
        assertFalse(Files.exists(tmp.resolve("Task100_ISBI2012EM_mini/plans.json")));
        m = run(PlanCommand.class, "dataset", TestData.isbiMini().toFile(), "work", tmp.toFile(),
                "overrides", "2d.patch");
        assertTrue(m.getCancelReason().contains("is not CONFIG.KEY=VALUE"), m.getCancelReason());
    }

    @Test
    void aBudgetThatIsNotADurationCancelsNamingTheField() throws Exception {
        CommandModule m = run(PlanCommand.class, "dataset", TestData.isbiMini().toFile(), "work", tmp.toFile(),
                "budget", "soon");
        assertTrue(m.isCanceled());
        assertTrue(m.getCancelReason().contains("Time budget"), m.getCancelReason());
        assertFalse(Files.exists(tmp.resolve("Task100_ISBI2012EM_mini/plans.json")));
    }

    @Test
    void missingFolderCancelsWithAClearReason() throws Exception {
        CommandModule m = run(PlanCommand.class, "dataset", tmp.resolve("nope").toFile());
        assertTrue(m.isCanceled());
        assertTrue(m.getCancelReason().contains("Data set folder not found"), m.getCancelReason());
        m = run(FingerprintCommand.class, "dataset", tmp.resolve("nope").toFile());
        assertTrue(m.getCancelReason().contains("Data set folder not found"), m.getCancelReason());
    }

    @Test
    void commandsAreInTheSciJavaIndex() throws Exception {
        try (var in = getClass().getResourceAsStream("/META-INF/json/org.scijava.plugin.Plugin")) {
            assertNotNull(in);
            String index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(index.contains(FingerprintCommand.class.getName()) && index.contains("nnU-Net Fingerprint"));
            assertTrue(index.contains(PlanCommand.class.getName()) && index.contains("nnU-Net Plan"));
        }
    }

    @Test
    void overridesAreSplitOnSpacesCommasAndSemicolons() {
        assertEquals(List.of("a.batch=1", "b.epochs=2", "c.patch=1x2x3"),
                PlanCommand.splitOverrides(" a.batch=1, b.epochs=2;c.patch=1x2x3 "));
        assertEquals(List.of(), PlanCommand.splitOverrides(null));
    }
}
