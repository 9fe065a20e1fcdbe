package io.github.nnunetfiji.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM and Ctrl-C (SIGINT) stop a command the way a cancel does: the JVM's shutdown hook asks
 * the running stage to stop ({@link ConsoleProgress#isCanceled}), and waits while it ends at its
 * next safe point, a training at its next iteration with a checkpoint that {@code --continue}
 * resumes exactly. SLURM sends SIGTERM at a job's time limit and SIGKILL after its KillWait (30 s
 * by default); a training step is shorter. Only the command line's {@code main} installs it.
 */
final class GracefulStop {

    /** The longest the hook waits for the stage to stop before the JVM ends anyway. */
    static final long WAIT_SECONDS = 600;

    private static volatile boolean requested;
    private static final CountDownLatch DONE = new CountDownLatch(1);

    private GracefulStop() {
    }

    /** Installs the hook; {@link #finished} must follow the command, before {@code System.exit}. */
    static void install(PrintStream err) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (DONE.getCount() == 0) {
                return; // a normal exit
            }
            requested = true;
            err.println("Stop requested: ending at the next safe point and keeping what was done (a training writes"
                    + " a checkpoint that --continue resumes); kill -9 stops at once");
            try {
                DONE.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nnunet-graceful-stop"));
    }

    /** The command has returned (its results are written); the hook need not wait. */
    static void finished() {
        DONE.countDown();
    }

    /** Whether a signal asked this process to stop. */
    static boolean requested() {
        return requested;
    }
}
