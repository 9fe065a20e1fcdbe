package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import io.github.nnunetfiji.testutil.FijiContextExtension;
import io.github.nnunetfiji.testutil.TestData;

/** The Fiji command, run headless through CommandService in a plain Context. */
class ValidateDatasetCommandTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    @TempDir
    Path tmp;

    @Test
    void validDataSetReportsSummaryAndWritesIt() throws Exception {
        CommandModule m = fiji.service(CommandService.class).run(ValidateDatasetCommand.class, true,
                "dataset", TestData.isbiMini().toFile(), "work", tmp.toFile(), "threads", 2).get();
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertEquals(Boolean.TRUE, m.getOutput("valid"));
        String report = (String) m.getOutput("report");
        assertTrue(report.contains("5 training"), report);
        assertTrue(Files.isRegularFile(tmp.resolve("Task100_ISBI2012EM_mini/dataset_summary.json")));
    }

    @Test
    void brokenDataSetReportsProblemsAndWritesNothing() throws Exception {
        Path ds = TestData.copy(TestData.isbiMini(), tmp.resolve("broken"));
        Files.delete(ds.resolve("labelsTr/isbi_001.nii.gz"));
        Path work = tmp.resolve("work");
        CommandModule m = fiji.service(CommandService.class).run(ValidateDatasetCommand.class, true,
                "dataset", ds.toFile(), "work", work.toFile()).get();
        assertEquals(Boolean.FALSE, m.getOutput("valid"));
        assertTrue(((String) m.getOutput("report")).contains("isbi_001.nii.gz"));
        assertTrue(TestData.isEmptyTree(work));
    }

    @Test
    void missingFolderCancelsWithAClearReason() throws Exception {
        CommandModule m = fiji.service(CommandService.class).run(ValidateDatasetCommand.class, true,
                "dataset", tmp.resolve("nope").toFile()).get();
        assertTrue(m.isCanceled());
        assertTrue(m.getCancelReason().contains("Data set folder not found"), m.getCancelReason());
    }

    /** A required field left empty is named as the dialog names it, with the macro key and what to do. */
    @Test
    void anEmptyRequiredFieldIsNamedByItsLabel() throws Exception {
        CommandModule m = fiji.service(CommandService.class).run(ValidateDatasetCommand.class, true,
                "work", tmp.toFile()).get();
        assertTrue(m.isCanceled());
        assertEquals("\"Data set folder\" is not set: choose it in the nnU-Net Validate dialog, or give it in a macro"
                + " as dataset=[...].", m.getCancelReason());
        assertEquals(m.getCancelReason(), m.getOutput("message"));
    }
}
