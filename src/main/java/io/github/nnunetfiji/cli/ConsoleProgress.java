package io.github.nnunetfiji.cli;

import java.io.PrintStream;

import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.Progress;

/**
 * Prints progress to the console at most a few times per second. Canceled by SIGTERM or Ctrl+C
 * where the command line installed {@link GracefulStop}.
 */
final class ConsoleProgress implements Progress {

    private final PrintStream out;
    private final CliWording words;
    private long lastPrint;
    private String status = "";

    /** Notes that name request fields get the flags most commands take. */
    ConsoleProgress(PrintStream out) {
        this(out, CliWording.of(""));
    }

    /** Notes that name request fields get the flags of one command. */
    ConsoleProgress(PrintStream out, CliWording words) {
        this.out = out;
        this.words = words;
    }

    @Override
    public synchronized void status(String message) {
        status = message;
    }

    /** Printed as it is, with a newline added if it has none. */
    @Override
    public synchronized void note(String text) {
        out.print(text.endsWith("\n") ? text : text + "\n");
    }

    /** With the request fields as this command's flags. */
    @Override
    public void note(Message text) {
        note(text.render(words));
    }

    @Override
    public synchronized void progress(long done, long total) {
        long now = System.nanoTime();
        if (done == total || now - lastPrint > 500_000_000L) {
            lastPrint = now;
            out.printf("  [%d/%d] %s%n", done, total, status);
        }
    }

    @Override
    public boolean isCanceled() {
        return GracefulStop.requested();
    }
}
