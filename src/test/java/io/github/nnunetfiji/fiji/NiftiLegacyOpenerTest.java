package io.github.nnunetfiji.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Priority;
import org.scijava.plugin.PluginInfo;
import org.scijava.plugin.PluginService;

import ij.ImagePlus;
import ij.Prefs;
import ij.WindowManager;
import ij.macro.Interpreter;
import io.github.nnunetfiji.testutil.FijiContextExtension;
import io.github.nnunetfiji.testutil.TestData;
import net.imagej.legacy.plugin.LegacyOpener;

/**
 * The opener Fiji's imagej-legacy asks for a macro's {@code open(path)}, {@code openImage}, Open
 * Recent and drag and drop. The calls are the ones imagej-legacy's hooks make (the hooks themselves
 * need imagej-legacy, which is not on Maven Central).
 */
class NiftiLegacyOpenerTest {

    @RegisterExtension
    static final FijiContextExtension fiji = new FijiContextExtension();

    @TempDir
    Path tmp;

    private static final Path FLAIR = TestData.bratsMini().resolve("imagesTr/BRATS_0001_0000.nii.gz");

    @AfterEach
    void reset() {
        BatchModeImages.forget();
        Prefs.set(NiftiLegacyOpener.ENABLED_KEY, true);
    }

    /**
     * imagej-legacy builds its openers so, once, when its hooks are installed, and asks them in
     * priority order until one answers; its own DefaultLegacyOpener (Priority.LOW) answers every
     * path in versions 2.0.0-2.0.2 (with the path, for ImageJ 1), so this one must come first.
     */
    @Test
    void fijiFindsItAmongItsOpenersBeforeItsOwn() {
        PluginService plugins = fiji.service(PluginService.class);
        List<PluginInfo<LegacyOpener>> openers = plugins.getPluginsOfType(LegacyOpener.class);
        PluginInfo<LegacyOpener> ours = openers.stream()
                .filter(i -> i.getClassName().equals(NiftiLegacyOpener.class.getName())).findFirst().orElseThrow();
        assertTrue(ours.getPriority() > Priority.LOW, "before imagej-legacy's own opener");
        assertTrue(ours.getPriority() < Priority.NORMAL, "after any opener of normal priority");
        assertTrue(plugins.createInstancesOfType(LegacyOpener.class).stream()
                .anyMatch(o -> o instanceof NiftiLegacyOpener));
    }

    /** A macro's openImage and IJ.openImage: the image, not shown, as File > Import > NIfTI (nnU-Net) reads it. */
    @Test
    void opensUnshownAsTheImportDoes() throws Exception {
        Object opened = new NiftiLegacyOpener().open(FLAIR.toString(), -1, false);
        ImagePlus imp = assertInstanceOf(ImagePlus.class, opened);
        ImagePlus imported = OpenNiftiPlugin.open(FLAIR);
        assertEquals(imported.getTitle(), imp.getTitle());
        assertArrayEquals(imported.getDimensions(), imp.getDimensions());
        assertEquals(imported.getCalibration().pixelDepth, imp.getCalibration().pixelDepth, 0);
        assertEquals("mm", imp.getCalibration().getUnit());
        imp.setSlice(20);
        imported.setSlice(20);
        assertArrayEquals((float[]) imported.getProcessor().convertToFloat().getPixels(),
                (float[]) imp.getProcessor().convertToFloat().getPixels());
        assertNull(imp.getWindow());
        assertNull(WindowManager.getCurrentImage(), "not made anybody's current image");
    }

    /**
     * A macro's open(path) in batch mode (headless Fiji always): shown means the macro's current
     * batch-mode image, so the next saveAs saves it.
     */
    @Test
    void opensShownAsTheMacrosCurrentImage() {
        Interpreter.batchMode = true;
        Object opened = new NiftiLegacyOpener().open(FLAIR.toString(), -1, true);
        assertSame(opened, WindowManager.getCurrentImage());
        assertEquals(1, Interpreter.getBatchModeImageIDs().length);
        assertSame(opened, Interpreter.getBatchModeImage(((ImagePlus) opened).getID()));
    }

    @Test
    void onePlaneWhenAskedForOne() {
        ImagePlus plane = (ImagePlus) new NiftiLegacyOpener().open(FLAIR.toString(), 20, false);
        ImagePlus all = (ImagePlus) new NiftiLegacyOpener().open(FLAIR.toString(), -1, false);
        assertEquals(1, plane.getStackSize());
        all.setSlice(20);
        assertArrayEquals((float[]) all.getProcessor().convertToFloat().getPixels(),
                (float[]) plane.getProcessor().convertToFloat().getPixels());
        assertEquals(all.getCalibration().pixelWidth, plane.getCalibration().pixelWidth, 0);
    }

    /** Anything else goes on to the next opener (in the end ImageJ 1), which has its own words for it. */
    @Test
    void leavesOtherFilesAndTheFileDialogToFiji() throws Exception {
        Path tif = Files.writeString(tmp.resolve("a.tif"), "x");
        NiftiLegacyOpener opener = new NiftiLegacyOpener();
        assertNull(opener.open(null, -1, true), "File > Open still shows Fiji's own file dialog");
        assertNull(opener.open(tif.toString(), -1, true));
        assertNull(opener.open(tmp.resolve("missing.nii.gz").toString(), -1, true));
        assertTrue(NiftiLegacyOpener.isNifti("/x/CASE.NII.GZ") && NiftiLegacyOpener.isNifti("a.nii"));
        assertFalse(NiftiLegacyOpener.isNifti("a.nii.gz.tif"));
    }

    @Test
    void userCanHandNiftiBackToFijisReaders() {
        Prefs.set(NiftiLegacyOpener.ENABLED_KEY, false);
        assertNull(new NiftiLegacyOpener().open(FLAIR.toString(), -1, false));
    }

    /** A broken file: the reader's reason with the file's name, and opening ends there (no second "unsupported format"). */
    @Test
    void aBrokenFileIsRefusedByNameAndNotPassedOn() throws Exception {
        Path broken = Files.write(tmp.resolve("broken.nii.gz"), new byte[] {1, 2, 3});
        PrintStream out = System.out;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        Object opened;
        try {
            System.setOut(new PrintStream(said, true, StandardCharsets.UTF_8));
            opened = new NiftiLegacyOpener().open(broken.toString(), -1, true);
        } finally {
            System.setOut(out);
        }
        assertEquals(Boolean.TRUE, opened);
        assertTrue(said.toString(StandardCharsets.UTF_8).contains(broken.toString()), said.toString());
    }

    /** The copy of imagej-legacy's interface that the main code compiles against is not in its classes. */
    @Test
    void theCompileOnlyInterfaceIsNotPackaged() throws Exception {
        Path mainClasses = Path.of(NiftiLegacyOpener.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isRegularFile(mainClasses.resolve("io/github/nnunetfiji/fiji/NiftiLegacyOpener.class")));
        assertFalse(Files.exists(mainClasses.resolve("net/imagej")), mainClasses + " holds net/imagej");
    }
}
