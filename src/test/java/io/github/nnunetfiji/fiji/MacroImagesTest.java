package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.scijava.thread.ThreadService;

import ij.IJ;
import ij.ImagePlus;
import ij.macro.Interpreter;
import io.github.nnunetfiji.testutil.FijiContextExtension;

/**
 * A macro that runs a command on Fiji's command thread and then works on "the" image: the
 * command's result, also where ImageJ shows image windows (no batch mode), where Fiji's display
 * shows the result on the command's thread and the macro's own thread kept its input as current.
 */
public class MacroImagesTest {

    @RegisterExtension
    static final FijiContextExtension fiji = new FijiContextExtension();

    private static final String SHOWN = "nnunet.test.shownHere";

    @AfterEach
    void reset() {
        MacroImages.imageJWindow = () -> IJ.getInstance() != null;
        BatchModeImages.forget();
    }

    /** What a command does at its end, run as Fiji runs a command: on a thread of the ThreadService. */
    public static String command() throws Exception {
        ThreadService threads = fiji.service(ThreadService.class);
        ImagePlus labels = IJ.createImage("labels", "8-bit black", 8, 8, 1);
        Future<Boolean> shown = threads.run(() -> MacroImages.show(threads, null, labels));
        return String.valueOf(shown.get());
    }

    private static final String MACRO = "newImage(\"input\", \"8-bit black\", 8, 8, 1);\n"
            + "shown = call(\"" + MacroImagesTest.class.getName() + ".command\");\n"
            + "call(\"java.lang.System.setProperty\", \"" + SHOWN + "\", shown);\n"
            + "call(\"java.lang.System.setProperty\", \"nnunet.test.title\", getTitle());\n";

    @Test
    void withImageWindowsTheResultIsTheMacrosCurrentImageAndFijiShowsIt() {
        MacroImages.imageJWindow = () -> true;
        new Interpreter().run(MACRO);
        assertFalse(Interpreter.isBatchMode(), "test setup: a macro with image windows");
        assertEquals("labels", System.getProperty("nnunet.test.title"), "the macro's next saveAs saves the result");
        assertEquals("false", System.getProperty(SHOWN), "Fiji's display still shows it (its window)");
    }

    @Test
    void withoutImageWindowsTheResultIsABatchModeImage() {
        new Interpreter().run("setBatchMode(true);\n" + MACRO);
        assertEquals("labels", System.getProperty("nnunet.test.title"));
        assertEquals("true", System.getProperty(SHOWN), "shown here; Fiji's display must not add it again");
    }
}
