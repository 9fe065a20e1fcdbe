package io.github.nnunetfiji.train.data;

import io.github.nnunetfiji.engine.Batch;

/** An endless, deterministic sequence of batches; thread-safe close. */
public interface BatchSource extends AutoCloseable {

    /** The next batch (images and labels), blocking until it is ready. */
    Batch next() throws InterruptedException;

    @Override
    void close();
}
