package io.github.nnunetfiji.fiji;

import java.util.Objects;
import java.util.stream.Stream;

import org.scijava.thread.ThreadService;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;

/**
 * Hands a command's result images to the ImageJ 1 macro that ran the command when that macro works
 * without image windows (batch mode; always so in headless Fiji). ImageJ 1 keeps such a macro's
 * current image per thread, and Fiji runs a command on a thread of its own: an image shown there
 * (as Fiji's display does; headless it shows none) becomes the current image of the command's
 * thread, not the macro's, whose next {@code saveAs} then saves its input. So the images are made
 * batch-mode images (which {@code nImages}, {@code selectImage} and {@code close} see) and the last
 * one the current image of the thread that started the command.
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
        return IJ.isMacro() && (Interpreter.isBatchMode() || IJ.getInstance() == null);
    }

    /**
     * Shows the (non-null) images, in order, to the running macro when it is {@link #windowless()},
     * the last one as its current image; returns whether it did. Otherwise does nothing: Fiji's display
     * opens a window per image, which becomes the active one.
     */
    static boolean show(ThreadService threads, ImagePlus... images) {
        if (!windowless()) {
            return false;
        }
        ImagePlus last = null;
        for (ImagePlus imp : Stream.of(images).filter(Objects::nonNull).toList()) {
            Interpreter.addBatchModeImage(imp);
            last = imp;
        }
        if (last != null) {
            WindowManager.setTempCurrentImage(caller(threads), last);
        }
        return true;
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
