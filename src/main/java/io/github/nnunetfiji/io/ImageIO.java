package io.github.nnunetfiji.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * Reads and writes images by file name, through the {@link ImageFormat} that claims the file's
 * ending ({@link ImageFormats}: NIfTI {@code .nii}, {@code .nii.gz} and TIFF {@code .tif},
 * {@code .tiff} built in). Every format follows {@link AxisOrder}.
 */
public final class ImageIO {

    private ImageIO() {
    }

    /** File endings of all registered formats, longest first. */
    public static final List<String> FILE_ENDINGS = ImageFormats.endings();

    /** True if the file name has an ending this class can read. */
    public static boolean isSupported(Path p) {
        return endingOf(p) != null;
    }

    /** The supported ending of a file name ({@code ".nii.gz"} etc.), or null. */
    public static String endingOf(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String e : FILE_ENDINGS) {
            if (n.endsWith(e)) {
                return e;
            }
        }
        return null;
    }

    /** Reads an image (all of its channels). */
    public static Image read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new ImageFileException(file, "file not found; check the path");
        }
        ImageFormat format = ImageFormats.forFile(file);
        if (format == null) {
            throw new ImageFileException(file, "unsupported file type; use one of " + ImageFormats.describe(false));
        }
        return format.read(file);
    }

    /**
     * Reads one image from one file per channel ({@code case_0000.nii.gz}, {@code case_0001.nii.gz}, ...).
     * The files must agree in shape and geometry; each may itself hold several channels.
     */
    public static Image readChannels(List<Path> files) throws IOException {
        if (files.size() == 1) {
            return read(files.get(0));
        }
        List<RandomAccessibleInterval<? extends RealType<?>>> channels = new ArrayList<>();
        Image first = null;
        for (Path f : files) {
            Image img = read(f);
            if (first == null) {
                first = img;
            } else {
                checkSameGrid(files.get(0), first, f, img);
            }
            channels.addAll(img.channels());
        }
        return new Image(channels, first.geometry());
    }

    /** Throws if two images of one case differ in shape, spacing or orientation. */
    public static void checkSameGrid(Path refFile, Image ref, Path file, Image img) throws ImageFileException {
        if (!java.util.Arrays.equals(ref.shape(), img.shape())) {
            throw new ImageFileException(file, "shape " + AxisOrder.format(img.shape()) + " differs from "
                    + AxisOrder.format(ref.shape()) + " of " + refFile.getFileName()
                    + "; all channel files of a case must be on the same voxel grid");
        }
        Geometry a = ref.geometry();
        Geometry b = img.geometry();
        if (a.spacingDifference(b) > Geometry.SPACING_TOLERANCE || a.directionDifference(b) > Geometry.DIRECTION_TOLERANCE) {
            throw new ImageFileException(file, "spacing " + AxisOrder.format(b.spacing()) + " or orientation differs from "
                    + refFile.getFileName() + " (spacing " + AxisOrder.format(a.spacing())
                    + "); all channel files of a case must be on the same voxel grid");
        }
    }

    /** Writes an image; the format follows the file ending (TIFF gets unit "mm"). */
    public static void write(Image image, Path file) throws IOException {
        ImageFormat format = ImageFormats.forFile(file);
        if (format == null || !format.canWrite()) {
            throw new ImageFileException(file, "unsupported file type for writing; use one of "
                    + ImageFormats.describe(true));
        }
        format.write(image, file);
    }
}
