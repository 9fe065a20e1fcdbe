package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Dimension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.console.ConsoleService;
import org.scijava.log.LogService;
import org.scijava.startup.StartupService;
import org.scijava.ui.UIService;

import io.github.nnunetfiji.testutil.FijiContextExtension;
import io.github.nnunetfiji.testutil.TestData;

/**
 * Fiji shows every simple output that no postprocessor handled (a Name/Value table when there are
 * several): after a run the command's report alone is shown, in a window titled after the command
 * with ImageJ 1's GUI and once on the console headless, while scripts still read every value.
 */
class OutputDisplayFilterTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    @TempDir
    Path tmp;

    /** Report windows opened, as title and text (there is no display in tests). */
    private final List<String[]> windows = new CopyOnWriteArrayList<>();
    private final Supplier<BiConsumer<String, String>> opener = ReportWindow.opener;

    @AfterEach
    void restore() {
        ReportWindow.opener = opener;
    }

    /** As Fiji with ImageJ 1's GUI: reports go to report windows. */
    private void withImageJWindows() {
        ReportWindow.opener = () -> (title, text) -> windows.add(new String[] {title, text});
    }

    @Test
    void validateShowsOnlyTheReportInAWindowTitledAfterTheCommand() throws Exception {
        withImageJWindows();
        CommandModule m = fiji.service(CommandService.class).run(ValidateDatasetCommand.class, true,
                "dataset", TestData.isbiMini().toFile(), "work", tmp.toFile(), "threads", 2).get();
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertEquals(1, windows.size());
        assertEquals("nnU-Net Validate: report", windows.get(0)[0]);
        assertEquals(m.getOutput("report"), windows.get(0)[1]);
        assertTrue(m.isOutputResolved("report"), "Fiji's own display shows it no second time");
        assertTrue(m.isOutputResolved("valid"));
        assertTrue(m.isOutputResolved("success"));
        assertTrue(m.isOutputResolved("message"));
        assertEquals(Boolean.TRUE, m.getOutput("success"));
        assertEquals(Boolean.TRUE, m.getOutput("valid"));
    }

    @Test
    void aboutShowsOnlyTheReport() throws Exception {
        withImageJWindows();
        CommandModule m = fiji.service(CommandService.class).run(AboutCommand.class, true,
                "startengine", false).get();
        assertEquals(List.of("nnU-Net About: report"), windows.stream().map(w -> w[0]).toList());
        assertTrue(m.isOutputResolved("report"));
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

    /** A report window is as large as its text needs, up to most of the screen. */
    @Test
    void aReportWindowIsSizedToItsText() {
        Dimension screen = new Dimension(1920, 1080);
        // 7 pixels a character, 16 a line.
        Dimension small = ReportWindow.size(List.of("Freed 1 model", "and 1 engine"), l -> 7 * l.length(), 16, screen);
        assertEquals(ReportWindow.MIN, small, "a short report: the smallest window");
        List<String> report = java.util.Collections.nCopies(20, "x".repeat(100));
        assertEquals(new Dimension(700 + ReportWindow.MARGIN_WIDTH, 320 + ReportWindow.MARGIN_HEIGHT),
                ReportWindow.size(report, l -> 7 * l.length(), 16, screen));
        Dimension huge = ReportWindow.size(java.util.Collections.nCopies(500, "x".repeat(400)), l -> 7 * l.length(),
                16, screen);
        assertEquals(new Dimension(1536, 864), huge, "at most 80% of the screen; the rest scrolls");
    }

    /**
     * Headless, as {@code ImageJ-linux64 --headless --console --run ...}: the report is printed once
     * (the command logs it), not a second time as "Report = ..." by the headless UI at the end.
     */
    @Test
    void headlessRunPrintsTheReportOnce() throws Exception {
        List<String> console = new CopyOnWriteArrayList<>();
        fiji.service(LogService.class).addLogListener(m -> console.add(m.text()));
        // As headless Fiji starts: its user interface is scijava's headless one, shown.
        fiji.service(UIService.class).showUI();
        assertTrue(fiji.service(UIService.class).isHeadless());
        fiji.service(ConsoleService.class).processArgs("--run", "nnU-Net Validate",
                "dataset=\"" + TestData.isbiMini() + "\", work=\"" + tmp + "\", threads=2");
        fiji.service(StartupService.class).executeOperations();
        assertEquals("true", System.getProperty(NnunetCommand.SUCCESS_PROPERTY));
        String firstLine = "Data set";
        List<String> reports = console.stream().filter(l -> l.contains(firstLine)).toList();
        assertEquals(1, reports.size(), "printed: " + console);
    }
}
