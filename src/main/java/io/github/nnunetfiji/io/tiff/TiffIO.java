package io.github.nnunetfiji.io.tiff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.FileInfo;
import ij.io.Opener;
import ij.io.TiffDecoder;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageFileException;
import io.github.nnunetfiji.io.ij.ImagePlusConverter;
import io.github.nnunetfiji.util.AtomicFiles;

/**
 * TIFF files through ImageJ 1, with calibration (spacing and unit). TIFF stores resolution as a
 * rational number, so spacings come back with a small rounding error; compare them with a tolerance.
 */
public final class TiffIO {

    private TiffIO() {
    }

    /** True for {@code .tif} and {@code .tiff} files. */
    public static boolean isTiff(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".tif") || n.endsWith(".tiff");
    }

    /**
     * Reads a TIFF through ImageJ, after checking what ImageJ's decoder would trust: the file's
     * structure ({@link TiffStructure#check}), then the sizes its header declares against the file and
     * the free heap ({@link TiffStructure#checkSizes}). Whatever still goes wrong inside ImageJ
     * comes back as an {@link ImageFileException} naming the file.
     */
    public static Image read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFileException(file, "file not found; check the path");
        }
        Path abs = file.toAbsolutePath();
        int ifds = TiffStructure.check(file);
        FileInfo[] info;
        try {
            info = new TiffDecoder(abs.getParent().toString(), abs.getFileName().toString()).getTiffInfo();
        } catch (IOException | RuntimeException e) {
            throw new ImageFileException(file, "ImageJ cannot read this TIFF's header (" + e.getMessage()
                    + "); re-save it from Fiji with File > Save As > Tiff", e);
        }
        if (info == null || info.length == 0) {
            throw new ImageFileException(file, "ImageJ finds no image in this TIFF (corrupt header); "
                    + "re-save it from Fiji with File > Save As > Tiff");
        }
        TiffStructure.checkSizes(file, info, Files.size(file), ifds);
        ImagePlus imp;
        try {
            imp = new Opener().openImage(abs.toString());
        } catch (RuntimeException e) {
            throw new ImageFileException(file, "ImageJ cannot read this TIFF (" + e + "); re-save it from Fiji with "
                    + "File > Save As > Tiff", e);
        }
        if (imp == null) {
            throw new ImageFileException(file, "ImageJ cannot open this TIFF (corrupt or unsupported compression); "
                    + "re-save it from Fiji with File > Save As > Tiff");
        }
        try {
            return ImagePlusConverter.toImage(imp);
        } catch (IllegalArgumentException e) {
            throw new ImageFileException(file, e.getMessage(), e);
        } catch (RuntimeException e) {
            // Pixels ImageJ read that do not make an image (a damaged header it accepted).
            throw new ImageFileException(file, "its pixels do not make an image (" + e + "); re-save it from Fiji"
                    + " with File > Save As > Tiff", e);
        }
    }

    /** Writes an image as a (multi-page, hyperstack when multi-channel) TIFF, atomically. */
    public static void write(Image image, Path file, String unit) throws IOException {
        ImagePlus imp = ImagePlusConverter.toImagePlus(image, file.getFileName().toString(), unit);
        // FileSaver writes to a path, not a stream: save beside the target, then move over it.
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp.tif");
        try {
            FileSaver saver = new FileSaver(imp);
            boolean ok = imp.getStackSize() > 1 ? saver.saveAsTiffStack(tmp.toString()) : saver.saveAsTiff(tmp.toString());
            if (!ok) {
                throw new ImageFileException(file, "ImageJ could not write the TIFF; check the folder is writable and the disk not full");
            }
            AtomicFiles.moveIntoPlace(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
