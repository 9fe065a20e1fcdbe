package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;

import io.github.nnunetfiji.testutil.FijiContextExtension;
import io.github.nnunetfiji.testutil.TestData;

/**
 * With ImageJ 1's GUI the commands' messages reach ImageJ's Log window as well as the console;
 * headless only the console. The window is replaced by a list here (no display in tests).
 */
class FijiLogTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    @TempDir
    Path tmp;

    private final Supplier<Consumer<String>> before = FijiLog.window;

    @AfterEach
    void restore() {
        FijiLog.window = before;
    }

    /** What the console (scijava's log) received at INFO and above. */
    private List<String> console() {
        List<String> lines = new CopyOnWriteArrayList<>();
        fiji.service(LogService.class).addLogListener(m -> {
            if (m.level() <= LogLevel.INFO) {
                lines.add(m.text());
            }
        });
        return lines;
    }

    @Test
    void withImageJsWindowTheReportAndProgressNotesReachTheLogWindowAndTheConsole() throws Exception {
        List<String> window = new CopyOnWriteArrayList<>();
        FijiLog.window = () -> window::add;
        List<String> console = console();
        CommandModule m = fiji.service(CommandService.class).run(ValidateDatasetCommand.class, true,
                "dataset", TestData.isbiMini().toFile(), "work", tmp.toFile(), "threads", 2).get();
        String report = ((String) m.getOutput("report")).strip();
        assertTrue(window.stream().anyMatch(l -> l.strip().equals(report)), "Log window: " + window);
        assertTrue(console.stream().anyMatch(l -> l.strip().equals(report)), "console: " + console);
    }

    @Test
    void failuresReachTheLogWindow() throws Exception {
        List<String> window = new CopyOnWriteArrayList<>();
        FijiLog.window = () -> window::add;
        CommandModule m = fiji.service(CommandService.class).run(ValidateDatasetCommand.class, true,
                "dataset", tmp.resolve("nope").toFile(), "work", tmp.toFile()).get();
        assertTrue(window.contains(m.getOutput("message")), "Log window: " + window);
    }

    @Test
    void headlessOnlyTheConsole() throws Exception {
        assertNull(FijiLog.imageJLogWindow(), "tests run headless: no Log window");
        List<String> console = console();
        CommandModule m = fiji.service(CommandService.class).run(ValidateDatasetCommand.class, true,
                "dataset", TestData.isbiMini().toFile(), "work", tmp.toFile(), "threads", 2).get();
        String report = ((String) m.getOutput("report")).strip();
        assertEquals(1, console.stream().filter(l -> l.strip().equals(report)).count(), "console: " + console);
        assertFalse(console.isEmpty());
    }
}
