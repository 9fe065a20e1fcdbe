package io.github.nnunetfiji.fiji;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

import org.scijava.plugin.Plugin;
import org.scijava.Priority;

import ij.IJ;
import ij.ImagePlus;
import ij.Menus;
import ij.Prefs;
import net.imagej.legacy.plugin.LegacyOpener;

/**
 * Opens {@code .nii} and {@code .nii.gz} files as the pipeline reads them (axes, spacing in mm,
 * channels) wherever Fiji opens a file by its path: a macro's {@code open(path)} and
 * {@code openImage} ({@code IJ.open}, {@code IJ.openImage}), File &gt; Open Recent, drag and drop
 * onto Fiji, File &gt; Import &gt; Image Sequence. imagej-legacy asks each such opener in priority
 * order and tells it whether the image is to be shown; this one comes just before imagej-legacy's
 * own, whose versions 2.0.0-2.0.2 end the chain for every file they do not open themselves (they
 * hand the path back to ImageJ 1 instead of passing). File &gt; Open from the
 * menu is the exception: imagej-legacy hands the file it asked for straight to ImageJ 1, so it
 * opens with Fiji's own NIfTI reader, as File &gt; Import &gt; NIfTI (nnU-Net)... opens with this one.
 * <p>
 * {@code Prefs} key {@value #ENABLED_KEY} (default true) hands NIfTI back to Fiji's readers:
 * {@code call("ij.Prefs.set", "nnunet.openNifti", "false");}.
 */
@Plugin(type = LegacyOpener.class, priority = Priority.LOW + 1)
public class NiftiLegacyOpener implements LegacyOpener {

    /** The ImageJ preference that turns this opener off (ImageJ stores it as {@code .nnunet.openNifti}). */
    static final String ENABLED_KEY = "nnunet.openNifti";

    @Override
    public Object open(String path, int planeIndex, boolean displayResult) {
        if (path == null || !isNifti(path) || !Prefs.get(ENABLED_KEY, true)) {
            return null; // not ours: the next opener, finally ImageJ 1, tries
        }
        Path file = Paths.get(path);
        if (!Files.isRegularFile(file)) {
            return null; // ImageJ 1 says "file not found" in its own words
        }
        ImagePlus imp;
        try {
            imp = OpenNiftiPlugin.open(file);
        } catch (IOException | RuntimeException e) {
            // Handled, not passed on: ImageJ 1 would only add "unsupported format" to the real reason.
            IJ.error("NIfTI (nnU-Net)", DialogText.forDialog("Could not open " + path + ": " + e.getMessage()));
            return Boolean.TRUE;
        }
        if (planeIndex > 0 && planeIndex <= imp.getStackSize()) {
            ImagePlus plane = new ImagePlus(imp.getTitle(), imp.getStack().getProcessor(planeIndex));
            plane.setCalibration(imp.getCalibration());
            imp = plane;
        }
        if (displayResult) {
            imp.show();
            Menus.addOpenRecentItem(path);
        }
        return imp;
    }

    static boolean isNifti(String path) {
        String name = path.toLowerCase(Locale.ROOT);
        return name.endsWith(".nii") || name.endsWith(".nii.gz");
    }
}
