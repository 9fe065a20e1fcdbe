package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import io.github.nnunetfiji.testutil.FijiContextExtension;
import io.github.nnunetfiji.testutil.TestData;

/**
 * Fiji shows every simple output that no postprocessor handled (a Name/Value table when there are
 * several): after a run only the command's report may be left unhandled, while scripts still read
 * every value.
 */
class OutputDisplayFilterTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    @TempDir
    Path tmp;

    @Test
    void validateLeavesOnlyTheReportToShow() throws Exception {
        CommandModule m = fiji.service(CommandService.class).run(ValidateDatasetCommand.class, true,
                "dataset", TestData.isbiMini().toFile(), "work", tmp.toFile(), "threads", 2).get();
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertFalse(m.isOutputResolved("report"));
        assertTrue(m.isOutputResolved("valid"));
        assertTrue(m.isOutputResolved("success"));
        assertTrue(m.isOutputResolved("message"));
        assertEquals(Boolean.TRUE, m.getOutput("success"));
        assertEquals(Boolean.TRUE, m.getOutput("valid"));
    }

    @Test
    void aboutLeavesOnlyTheReportToShow() throws Exception {
        CommandModule m = fiji.service(CommandService.class).run(AboutCommand.class, true,
                "startengine", false).get();
        assertFalse(m.isOutputResolved("report"));
        for (String name : new String[] {"enginefound", "modelsfolder", "success", "message"}) {
            assertTrue(m.isOutputResolved(name), name);
        }
        assertTrue(((String) m.getOutput("report")).length() > 0);
    }

    @Test
    void segmentImageLeavesOnlyItsImagesToShow() {
        // A DynamicCommand is its own module: the filter must find the command through the delegate.
        SegmentImageCommand command = new SegmentImageCommand();
        command.setContext(fiji.context());
        new OutputDisplayFilter().process(command);
        assertTrue(command.isOutputResolved("success"));
        assertTrue(command.isOutputResolved("message"));
        assertFalse(command.isOutputResolved("labels"));
    }
}
