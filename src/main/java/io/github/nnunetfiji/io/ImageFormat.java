package io.github.nnunetfiji.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Image;

/**
 * One image file format: the file endings it claims and how it reads (and, unless
 * {@link #canWrite()} says otherwise, writes) them. Images follow {@link AxisOrder}.
 *
 * <p>A new format is one class implementing this interface plus its name in
 * {@code META-INF/services/io.github.nnunetfiji.io.ImageFormat}; {@link ImageFormats} finds it and
 * {@link ImageIO} dispatches to it by file ending.
 */
public interface ImageFormat {

    /** Short name for messages, e.g. {@code "NIfTI"}. */
    String name();

    /** The file endings this format claims, lower case with the dot ({@code ".nii.gz"}). */
    List<String> endings();

    /** Reads an image (all of its channels). */
    Image read(Path file) throws IOException;

    /** Writes an image, atomically. Only called when {@link #canWrite()} is true. */
    void write(Image image, Path file) throws IOException;

    /** False for read-only formats. */
    default boolean canWrite() {
        return true;
    }

    /** The longest of this format's endings that the file name ends with (any case), or null. */
    default String endingOf(Path file) {
        if (file == null || file.getFileName() == null) {
            return null;
        }
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String best = null;
        for (String e : endings()) {
            if (n.endsWith(e) && (best == null || e.length() > best.length())) {
                best = e;
            }
        }
        return best;
    }

    /** True if the file name has one of this format's endings. */
    default boolean claims(Path file) {
        return endingOf(file) != null;
    }
}
