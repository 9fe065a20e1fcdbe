package io.github.nnunetfiji.train.data;

import io.github.nnunetfiji.engine.Batch;

/** An endless, deterministic sequence of batches; thread-safe close. */
public interface BatchSource extends AutoCloseable {

    /**
     * The next batch (images and labels), blocking until it is ready.
     *
     * @throws BatchLoadingException if a case could not be read or a batch could not be made
     */
    Batch next() throws InterruptedException;

    /** Stops the producing threads and releases the cases; a later {@link #next()} fails. */
    @Override
    void close();
}
