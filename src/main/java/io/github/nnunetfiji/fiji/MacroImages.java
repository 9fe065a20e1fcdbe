package io.github.nnunetfiji.fiji;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.scijava.thread.ThreadService;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;

/**
 * Hands a command's result images to the ImageJ 1 macro that ran the command. ImageJ 1 keeps a
 * macro's current image per thread, and Fiji runs a command on a thread of its own: an image shown
 * there (as Fiji's display does) becomes the current image of the command's thread, not the
 * macro's, whose next {@code saveAs} then saved its input. When the macro works without image
 * windows (batch mode; always so in headless Fiji) the images are made batch-mode images (which
 * {@code nImages}, {@code selectImage} and {@code close} see) and Fiji's display is skipped; with
 * windows, Fiji's display opens them as usual. Either way the last one becomes the current image of
 * the thread that started the command, as ImageJ 1 itself makes a new window the current image of
 * the macro that showed it.
 */
final class MacroImages {

    private MacroImages() {
    }

    /**
     * Whether a macro is running whose images have no windows: as {@code ImagePlus.show()} decides,
     * but only while a macro runs: headless Fiji's batch mode never ends, and a script calling the
     * command in a loop (it has the outputs) would pile up every result in ImageJ 1's batch-mode images.
     */
    static boolean windowless() {
        return IJ.isMacro() && (Interpreter.isBatchMode() || !imageJWindow.getAsBoolean());
    }

    /** Whether ImageJ 1's main window is up (not in headless Fiji). Replaced in tests. */
    static BooleanSupplier imageJWindow = () -> IJ.getInstance() != null;

    /**
     * Gives the (non-null) images to the running macro, the last one as its current image; returns
     * whether they were shown here as batch-mode images ({@link #windowless()}), so that Fiji's
     * display must not show them again. Outside a macro does nothing.
     */
    static boolean show(ThreadService threads, ImagePlus... images) {
        if (!IJ.isMacro()) {
            return false;
        }
        boolean windowless = windowless();
        ImagePlus last = null;
        for (ImagePlus imp : Stream.of(images).filter(Objects::nonNull).toList()) {
            if (windowless) {
                Interpreter.addBatchModeImage(imp);
            }
            last = imp;
        }
        if (last != null) {
            WindowManager.setTempCurrentImage(caller(threads), last);
        }
        return windowless;
    }

    /**
     * The thread that started this one through the ThreadService (Fiji runs a command from a macro's
     * {@code run(...)} so), else this thread. Never further up: an older ancestor (the event thread,
     * a pooled thread) is no macro's, and would go on handing the image to whatever runs on it next.
     */
    private static Thread caller(ThreadService threads) {
        Thread parent = threads == null ? null : threads.getParent(Thread.currentThread());
        return parent != null ? parent : Thread.currentThread();
    }
}
