package io.github.nnunetfiji.fiji;

import java.awt.Dimension;
import java.awt.FontMetrics;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Window;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import ij.IJ;
import ij.WindowManager;
import ij.text.TextWindow;

/**
 * A command's report in an ImageJ text window: titled after the command ("nnU-Net Validate:
 * report"), sized to its text, and, being ImageJ's own kind of window, listed in the Window menu and
 * closed from a macro with {@code selectWindow("nnU-Net Validate: report"); run("Close");}. A report
 * of the same title that is still open gets the new text instead of a second window.
 */
final class ReportWindow {

    /** Space around the text: borders, scroll bar, title and menu bar. */
    static final int MARGIN_WIDTH = 40;
    static final int MARGIN_HEIGHT = 80;
    /** A report never covers more of the screen than this. */
    static final double MAX_SCREEN_FRACTION = 0.8;
    static final Dimension MIN = new Dimension(300, 150);

    /**
     * How a report is shown: a function of title and text, or null where ImageJ 1 shows no GUI (then
     * the console has it). Replaced in tests.
     */
    static Supplier<BiConsumer<String, String>> opener = ReportWindow::imageJWindows;

    private ReportWindow() {
    }

    static BiConsumer<String, String> imageJWindows() {
        return !GraphicsEnvironment.isHeadless() && IJ.getInstance() != null ? ReportWindow::show : null;
    }

    /** The window's title for a report of the command titled {@code commandTitle}. */
    static String title(String commandTitle) {
        return commandTitle + ": report";
    }

    /**
     * The window size for {@code lines}: wide enough for the longest line and tall enough for all,
     * within {@value #MAX_SCREEN_FRACTION} of the screen (beyond that the window scrolls).
     */
    static Dimension size(List<String> lines, ToIntFunction<String> lineWidth, int lineHeight, Dimension screen) {
        int widest = lines.stream().mapToInt(lineWidth).max().orElse(0);
        int w = Math.max(MIN.width, Math.min(widest + MARGIN_WIDTH, (int) (screen.width * MAX_SCREEN_FRACTION)));
        int h = Math.max(MIN.height,
                Math.min(lines.size() * lineHeight + MARGIN_HEIGHT, (int) (screen.height * MAX_SCREEN_FRACTION)));
        return new Dimension(w, h);
    }

    private static void show(String title, String text) {
        List<String> lines = text.strip().lines().toList();
        Window open = WindowManager.getWindow(title);
        TextWindow window;
        if (open instanceof TextWindow earlier) {
            window = earlier;
            window.getTextPanel().clear();
            lines.forEach(window.getTextPanel()::appendLine);
        } else {
            window = new TextWindow(title, String.join("\n", lines), MIN.width, MIN.height);
        }
        FontMetrics metrics = window.getTextPanel().getFontMetrics(window.getTextPanel().getFont());
        Rectangle screen = window.getGraphicsConfiguration().getBounds();
        window.setSize(size(lines, metrics::stringWidth, metrics.getHeight(), screen.getSize()));
        window.toFront();
    }
}
