package io.github.nnunetfiji.fuzz;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs one input through its entry point on a thread of its own and says how it ended: a result, a
 * clear error (an {@link IOException} or {@link IllegalArgumentException} whose message names the
 * file), or a crash: any other exception or error (OutOfMemoryError, StackOverflowError included),
 * a clear kind without the file's name, more than {@link #TIMEOUT_MS} (a hang), or more memory
 * allocated than the input can explain (a reader that trusted a declared size).
 */
final class InputRunner {

    /** A read of these small files taking longer is a hang. */
    static final long TIMEOUT_MS = Long.getLong("nnunet.fuzz.timeoutMs", 5_000);
    /** Allocation every read may make: buffers, class loading, ImageJ's and Gson's own. */
    static final long BASE_ALLOCATION = 256L << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** How an input ended. */
    enum Kind {
        RESULT, CLEAR_ERROR, CRASH
    }

    /** How it ended, in words, and what was thrown (null for a result or a hang). */
    record Outcome(Kind kind, String detail, Throwable error) {
        Outcome(Kind kind, String detail) {
            this(kind, detail, null);
        }
    }

    private InputRunner() {
    }

    static Outcome run(FuzzTarget target, FuzzTarget.Input input) throws IOException, InterruptedException {
        return run(target, input, TIMEOUT_MS);
    }

    /** {@link #run(FuzzTarget, FuzzTarget.Input)} with another time limit. */
    static Outcome run(FuzzTarget target, FuzzTarget.Input input, long timeoutMs)
            throws IOException, InterruptedException {
        Path file = input.from().place().file(input.seed());
        Files.createDirectories(file.getParent());
        Files.write(file, input.bytes());
        Throwable[] thrown = new Throwable[1];
        long[] allocated = new long[1];
        Thread t = new Thread(() -> {
            long id = Thread.currentThread().getId();
            long before = THREADS.getThreadAllocatedBytes(id);
            try {
                target.entry().read(file);
            } catch (Throwable e) {
                thrown[0] = e;
            } finally {
                allocated[0] = THREADS.getThreadAllocatedBytes(id) - before;
            }
        }, "fuzz " + input.kind() + " " + input.seed());
        t.setDaemon(true);
        t.start();
        t.join(timeoutMs);
        if (t.isAlive()) {
            // Left running (a daemon): a reader that ignores interrupts cannot be stopped otherwise.
            t.interrupt();
            return new Outcome(Kind.CRASH, "hang: still running after " + timeoutMs + " ms at " + where(t));
        }
        long limit = BASE_ALLOCATION + target.memory() * input.bytes().length;
        if (allocated[0] > limit) {
            return new Outcome(Kind.CRASH, "allocated " + mib(allocated[0]) + " (limit " + mib(limit) + " for "
                    + input.bytes().length + " bytes): a declared size was trusted"
                    + (thrown[0] == null ? "" : "; then " + thrown[0]));
        }
        return classify(file, thrown[0]);
    }

    static Outcome classify(Path file, Throwable e) {
        if (e == null) {
            return new Outcome(Kind.RESULT, "");
        }
        String m = e.getMessage();
        if (e instanceof IOException || e instanceof IllegalArgumentException) {
            if (m != null && m.contains(file.getFileName().toString())) {
                return new Outcome(Kind.CLEAR_ERROR, m, e);
            }
            return new Outcome(Kind.CRASH, e.getClass().getSimpleName() + " not naming the file: " + m + at(e), e);
        }
        return new Outcome(Kind.CRASH, e + at(e), e);
    }

    /** Where an exception was thrown: its first frames in this project (or the first frame). */
    private static String at(Throwable e) {
        StackTraceElement[] st = e.getStackTrace();
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (StackTraceElement f : st) {
            if (f.getClassName().startsWith("io.github.nnunetfiji.") && !f.getClassName().contains(".fuzz.")) {
                sb.append(shown == 0 ? " at " : " < ").append(f);
                if (++shown == 3) {
                    break;
                }
            }
        }
        if (shown == 0 && st.length > 0) {
            sb.append(" at ").append(st[0]);
        }
        return sb.toString();
    }

    private static String where(Thread t) {
        StackTraceElement[] st = t.getStackTrace();
        for (StackTraceElement f : st) {
            if (f.getClassName().startsWith("io.github.nnunetfiji.")) {
                return f.toString();
            }
        }
        return st.length > 0 ? st[0].toString() : "?";
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1 << 20));
    }
}
