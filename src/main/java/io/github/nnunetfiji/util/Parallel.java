package io.github.nnunetfiji.util;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs one task per case on a bounded pool, the pattern of every stage that reads cases: at most
 * {@code threads} cases are in memory at once, results come back in case order (so the outcome
 * never depends on the thread count), progress is reported as results arrive, and cancellation
 * stops the cases not yet started. After a failure or a cancel, the cases already started are
 * interrupted and waited for, so none of them still writes when the caller sees the failure.
 */
public final class Parallel {

    /** Work on one item. */
    @FunctionalInterface
    public interface Task<T, R> {
        R apply(T item) throws IOException;
    }

    private Parallel() {
    }

    /**
     * Applies {@code task} to every item.
     *
     * @param threads    most items worked on at the same time
     * @param threadName name of the worker threads (shown in thread dumps)
     * @param progress   receives {@code done.apply(item)} as status and the count of finished items;
     *                   its cancellation stops items not yet started
     * @return the results, in the order of {@code items}
     * @throws IOException         the first I/O failure of a task (in item order)
     * @throws CanceledException   if canceled or interrupted
     */
    public static <T, R> List<R> map(List<T> items, int threads, String threadName, Progress progress,
            Function<T, String> done, Task<T, R> task) throws IOException {
        int workers = Math.max(1, Math.min(threads, items.size()));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    progress.checkCanceled();
                    return task.apply(item);
                }));
            }
            List<R> out = new ArrayList<>(items.size());
            for (int i = 0; i < futures.size(); i++) {
                out.add(futures.get(i).get());
                progress.status(done.apply(items.get(i)));
                progress.progress(i + 1, items.size());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CanceledException();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re; // CanceledException included
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        } finally {
            pool.shutdownNow();
            // Let started cases wind down (their atomic writes delete their temporary files) before
            // the failure reaches a caller that may end the process.
            awaitWorkers(pool);
        }
    }

    private static void awaitWorkers(ExecutorService pool) {
        try {
            pool.awaitTermination(WIND_DOWN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long a failed or canceled map waits for its started cases. */
    private static final long WIND_DOWN_SECONDS = 60;
}
