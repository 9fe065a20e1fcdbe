package io.github.nnunetfiji.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The image formats known to this run: every {@link ImageFormat} registered through
 * {@link ServiceLoader} ({@code META-INF/services/io.github.nnunetfiji.io.ImageFormat}); the
 * built-in NIfTI and TIFF formats are registered so too, which keeps this package free of imports
 * of its format packages.
 *
 * <p>Formats are looked up with this class's own class loader: inside Fiji that is the plugin
 * class loader that sees this jar's service files, where the thread's context loader may not.
 */
public final class ImageFormats {

    private static volatile List<ImageFormat> all;

    private ImageFormats() {
    }

    /** All formats in class-path order (service files of several jars: jar order); loaded once. */
    public static List<ImageFormat> all() {
        List<ImageFormat> a = all;
        if (a == null) {
            List<ImageFormat> found = new ArrayList<>();
            for (ImageFormat f : ServiceLoader.load(ImageFormat.class, ImageFormats.class.getClassLoader())) {
                found.add(f);
            }
            a = List.copyOf(found);
            all = a;
        }
        return a;
    }

    /**
     * Every claimed ending, longest first (so {@code .nii.gz} is tried before a plain {@code .gz});
     * among equally long endings, format order.
     */
    public static List<String> endings() {
        List<String> out = new ArrayList<>();
        for (ImageFormat f : all()) {
            for (String e : f.endings()) {
                if (!out.contains(e)) {
                    out.add(e);
                }
            }
        }
        out.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(out);
    }

    /**
     * The format that claims the longest ending of the file name, or null if none does; of two
     * formats claiming the same ending, the first in class-path order.
     */
    public static ImageFormat forFile(Path file) {
        ImageFormat best = null;
        int bestLength = -1;
        for (ImageFormat f : all()) {
            String e = f.endingOf(file);
            if (e != null && e.length() > bestLength) {
                best = f;
                bestLength = e.length();
            }
        }
        return best;
    }

    /** "NIfTI (.nii.gz, .nii), TIFF (.tiff, .tif)", for messages; {@code writable} keeps only writers. */
    public static String describe(boolean writable) {
        List<String> parts = new ArrayList<>();
        for (ImageFormat f : all()) {
            if (!writable || f.canWrite()) {
                parts.add(f.name() + " (" + String.join(", ", f.endings()) + ")");
            }
        }
        return parts.isEmpty() ? "none (META-INF/services/" + ImageFormat.class.getName()
                + " is missing from the class path; reinstall the plugin)" : String.join(", ", parts);
    }
}
