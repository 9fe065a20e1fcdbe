package io.github.nnunetfiji.fiji;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

import ij.IJ;
import ij.ImagePlus;
import ij.io.OpenDialog;
import ij.plugin.PlugIn;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.io.ij.ImagePlusConverter;

/**
 * File &gt; Import &gt; NIfTI (nnU-Net)...: opens a NIfTI file exactly as the pipeline reads it (same
 * axes, spacing and channels), so users see what the networks see. Macro:
 * {@code run("NIfTI (nnU-Net)...", "open=/path/case.nii.gz");}
 */
public class OpenNiftiPlugin implements PlugIn {

    @Override
    public void run(String arg) {
        OpenDialog od = new OpenDialog("Open NIfTI (nnU-Net)", arg == null || arg.isEmpty() ? null : arg);
        if (od.getFileName() == null) {
            return; // canceled
        }
        try {
            open(Paths.get(od.getDirectory(), od.getFileName())).show();
        } catch (IOException | RuntimeException e) {
            IJ.error("NIfTI (nnU-Net)", e.getMessage());
        }
    }

    /** Reads a NIfTI (or TIFF) file into an ImagePlus titled with its file name, calibrated in mm. */
    public static ImagePlus open(Path file) throws IOException {
        Image img = ImageIO.read(file);
        return ImagePlusConverter.toImagePlus(img, file.getFileName().toString(), "mm");
    }
}
