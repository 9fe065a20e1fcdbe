package io.github.nnunetfiji.train.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import io.github.nnunetfiji.engine.Batch;

/**
 * Worker threads making batches ahead of the consumer. Each worker claims the next batch index and
 * makes that batch alone, so batch i is the same whatever the thread count; the consumer gets them
 * in index order. A semaphore bounds the batches claimed but not yet consumed (memory: that many
 * batches plus each worker's scratch). With no threads, batches are made in the caller's thread.
 */
final class BatchProducer implements BatchSource {

    private final Object lock = new Object();
    private final Map<Long, Batch> ready = new HashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final Semaphore slots;
    private final AutoCloseable resources;
    private final BatchMaker inline;
    private long nextToClaim;
    private long nextToHand;
    private RuntimeException failure;
    private boolean closed;

    /**
     * @param threads   worker threads; 0 makes batches in the caller's thread
     * @param queue     batches claimed ahead of the consumer (at least 1)
     * @param makers    one maker per worker
     * @param resources closed with the producer, after the workers stopped
     */
    BatchProducer(int threads, int queue, Supplier<BatchMaker> makers, AutoCloseable resources) {
        this.resources = resources;
        this.slots = new Semaphore(Math.max(1, queue));
        if (threads <= 0) {
            inline = makers.get();
            return;
        }
        inline = null;
        for (int t = 0; t < threads; t++) {
            BatchMaker maker = makers.get();
            Thread w = new Thread(() -> work(maker), "nnunet-batches-" + t);
            w.setDaemon(true);
            workers.add(w);
        }
        for (Thread w : workers) {
            w.start();
        }
    }

    private void work(BatchMaker maker) {
        try {
            while (true) {
                slots.acquire();
                long index;
                synchronized (lock) {
                    if (closed || failure != null) {
                        return;
                    }
                    index = nextToClaim++;
                }
                Batch b = maker.make(index);
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    ready.put(index, b);
                    lock.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            // close() stops the workers this way.
        } catch (RuntimeException | Error e) {
            synchronized (lock) {
                if (failure == null) {
                    failure = e instanceof BatchLoadingException ble ? ble
                            : new BatchLoadingException("Making a training batch failed: " + e, e);
                }
                lock.notifyAll();
            }
        }
    }

    @Override
    public Batch next() throws InterruptedException {
        if (inline != null) {
            synchronized (lock) {
                if (closed) {
                    throw new IllegalStateException("The batch source is closed");
                }
                return inline.make(nextToHand++);
            }
        }
        Batch b;
        synchronized (lock) {
            while (closed || !ready.containsKey(nextToHand)) {
                if (closed) {
                    throw new IllegalStateException("The batch source is closed");
                }
                if (failure != null) {
                    throw failure;
                }
                lock.wait();
            }
            b = ready.remove(nextToHand++);
        }
        slots.release();
        return b;
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            ready.clear();
            lock.notifyAll();
        }
        for (Thread w : workers) {
            w.interrupt();
        }
        boolean interrupted = false;
        for (Thread w : workers) {
            while (w.isAlive()) {
                try {
                    w.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        try {
            resources.close();
        } catch (Exception e) {
            // Read-only resources: nothing to save.
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
