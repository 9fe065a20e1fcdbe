package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import ij.ImagePlus;
import ij.process.ByteProcessor;

import io.github.nnunetfiji.testutil.FijiContextExtension;

/**
 * Long messages are wrapped for dialogs only: a cancel reason (which Fiji shows in a dialog) comes
 * in lines of at most {@value DialogText#WIDTH} characters, while the message output, the macro's
 * system property and the console keep the one-line text.
 */
class DialogTextTest {

    @RegisterExtension
    final FijiContextExtension fiji = new FijiContextExtension();

    @TempDir
    Path tmp;

    private final BooleanSupplier before = DialogText.shown;

    @AfterEach
    void restore() {
        DialogText.shown = before;
    }

    @Test
    void wrapsAtSpacesKeepingEveryWordAndLineBreak() {
        String text = "Image 'section.tif' has no calibration (pixel size), and the model works at a fixed pixel size: "
                + "set it with Image > Properties..., or give spacing=[x y z] in the unit of the model's training data."
                + "\nSecond paragraph.";
        String wrapped = DialogText.wrap(text, 40);
        for (String line : wrapped.split("\n")) {
            assertTrue(line.length() <= 40 && !line.startsWith(" ") && !line.endsWith(" "), "[" + line + "]");
        }
        assertEquals(text.replace("\n", " "), wrapped.replace("\n", " "));
        assertTrue(wrapped.endsWith("data.\nSecond paragraph."), wrapped);
        assertEquals("short", DialogText.wrap("short", 40));
    }

    @Test
    void aWordLongerThanALineStaysWhole() {
        String path = "/" + "very_long_folder_name/".repeat(5) + "case.nii.gz";
        assertEquals("Not found:\n" + path + "\nChoose another.", DialogText.wrap("Not found: " + path + " Choose another.", 30));
    }

    @Test
    void aCancelReasonIsWrappedForTheDialogAndTheMessageKeepsTheFullLine() throws Exception {
        DialogText.shown = () -> true;
        Path missing = tmp.resolve("a_data_set_folder_that_is_not_there").resolve("Task100_with_a_long_name");
        CommandModule m = fiji.service(CommandService.class).run(ValidateDatasetCommand.class, true,
                "dataset", missing.toFile(), "work", tmp.toFile()).get();
        String message = (String) m.getOutput("message");
        assertEquals("Data set folder not found: " + missing + ". Choose the folder that holds dataset.json.", message);
        assertEquals(message, System.getProperty(NnunetCommand.MESSAGE_PROPERTY));
        String reason = m.getCancelReason();
        assertTrue(reason.contains("\n"), reason);
        for (String line : reason.split("\n")) {
            assertTrue(line.length() <= DialogText.WIDTH || !line.contains(" "), line);
        }
        assertEquals(message, reason.replace("\n", " "));
    }

    /** The same for a command whose inputs are set up at run time (a DynamicCommand, its own module). */
    @Test
    void segmentImageRefusalsAreWrappedToo() throws Exception {
        DialogText.shown = () -> true;
        ImagePlus imp = new ImagePlus("section.tif", new ByteProcessor(16, 16));
        imp.getCalibration().setUnit("mm");
        Module m = fiji.service(ModuleService.class).run(fiji.service(CommandService.class)
                .getCommand(SegmentImageCommand.class), true, Map.of("image", imp, "model", "no_such_model")).get();
        String message = (String) m.getOutput("message");
        assertTrue(message.contains("No installed model or model folder 'no_such_model'") && !message.contains("\n"),
                message);
        String reason = ((SegmentImageCommand) m).getCancelReason();
        assertTrue(reason.contains("\n"), reason);
        assertEquals(message, reason.replace("\n", " "));
    }

    @Test
    void headlessReasonsStayOneLine() throws Exception {
        DialogText.shown = () -> false;
        Path missing = tmp.resolve("a_data_set_folder_that_is_not_there").resolve("Task100_with_a_long_name");
        CommandModule m = fiji.service(CommandService.class).run(ValidateDatasetCommand.class, true,
                "dataset", missing.toFile(), "work", tmp.toFile()).get();
        assertEquals(m.getOutput("message"), m.getCancelReason());
    }
}
