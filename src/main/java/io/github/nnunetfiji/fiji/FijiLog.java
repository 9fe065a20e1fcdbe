package io.github.nnunetfiji.fiji;

import java.awt.GraphicsEnvironment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.scijava.log.LogLevel;
import org.scijava.log.LogListener;
import org.scijava.log.LogMessage;
import org.scijava.log.LogSource;
import org.scijava.log.Logger;

import ij.IJ;

/**
 * The commands' log: every message goes to the console (scijava's log), and messages at INFO and
 * above also go to ImageJ's Log window when ImageJ 1 shows its GUI, where Fiji users look (scijava's
 * log reaches only the console there). Headless, the console alone. It remembers what it wrote at
 * INFO and above, so that a report already written is not printed again ({@link OutputDisplayFilter}).
 */
final class FijiLog implements Logger {

    /** Where ImageJ's Log window is, or null where there is none. Replaced in tests. */
    static Supplier<Consumer<String>> window = FijiLog::imageJLogWindow;

    private final Logger console;
    private final Consumer<String> shown;
    private final Set<String> said = ConcurrentHashMap.newKeySet();

    private FijiLog(Logger console, Consumer<String> shown) {
        this.console = console;
        this.shown = shown;
    }

    /** {@code console}, and ImageJ's Log window where it is shown. */
    static FijiLog of(Logger console) {
        return new FijiLog(console, window.get());
    }

    /** Whether {@code text} was written at INFO or above (surrounding white space aside). */
    boolean said(String text) {
        return said.contains(text.strip());
    }

    /** {@code IJ.log} when ImageJ 1 runs with a window (Fiji's GUI); null when headless or without ImageJ 1's window. */
    static Consumer<String> imageJLogWindow() {
        return !GraphicsEnvironment.isHeadless() && IJ.getInstance() != null ? IJ::log : null;
    }

    @Override
    public void alwaysLog(int level, Object msg, Throwable t) {
        if (console != null) {
            console.alwaysLog(level, msg, t);
        }
        if (level <= LogLevel.INFO && (msg != null || t != null)) {
            String text = msg != null ? msg.toString() : t.toString();
            said.add(text.strip());
            if (shown != null) {
                shown.accept(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
            }
        }
    }

    @Override
    public LogSource getSource() {
        return console != null ? console.getSource() : LogSource.newRoot();
    }

    @Override
    public int getLevel() {
        return console != null ? console.getLevel() : LogLevel.INFO;
    }

    @Override
    public Logger subLogger(String name, int level) {
        return new FijiLog(console != null ? console.subLogger(name, level) : null, shown);
    }

    @Override
    public void addLogListener(LogListener listener) {
        if (console != null) {
            console.addLogListener(listener);
        }
    }

    @Override
    public void removeLogListener(LogListener listener) {
        if (console != null) {
            console.removeLogListener(listener);
        }
    }

    @Override
    public void notifyListeners(LogMessage message) {
        if (console != null) {
            console.notifyListeners(message);
        }
    }
}
