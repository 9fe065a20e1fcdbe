package io.github.nnunetfiji.cli;

import java.io.PrintStream;

import io.github.nnunetfiji.util.Progress;

/**
 * Prints progress to the console at most a few times per second. Canceled by SIGTERM or Ctrl+C
 * where the command line installed {@link GracefulStop}.
 */
final class ConsoleProgress implements Progress {

    private final PrintStream out;
    private long lastPrint;
    private String status = "";

    ConsoleProgress(PrintStream out) {
        this.out = out;
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
