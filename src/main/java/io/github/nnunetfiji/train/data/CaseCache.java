package io.github.nnunetfiji.train.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.nnunetfiji.preprocess.PreprocessedCase;
import io.github.nnunetfiji.preprocess.PreviousStagePredictions;

/**
 * The cases in use, memory-mapped once and shared by every worker (no per-worker copies), at most
 * {@code capacity} open at a time so that large data sets do not run out of file handles. An
 * evicted case's files are closed; a worker still reading it is unaffected, because a mapping
 * stays valid after its channel is closed (it is released when no longer referenced).
 */
final class CaseCache implements AutoCloseable {

    private final Path dir;
    private final int capacity;
    private final LinkedHashMap<String, PreprocessedCase> open = new LinkedHashMap<>(16, 0.75f, true);
    private final Path previousStage;
    private final LinkedHashMap<String, PreviousStagePredictions.Mapped> openPrevious = new LinkedHashMap<>(16, 0.75f,
            true);
    private boolean closed;

    CaseCache(Path dir, int capacity) {
        this(dir, capacity, null);
    }

    /** @param previousStage the cascade's stored first-stage segmentations ({@link PreviousStagePredictions}), or null */
    CaseCache(Path dir, int capacity, Path previousStage) {
        this.dir = dir;
        this.capacity = Math.max(1, capacity);
        this.previousStage = previousStage;
    }

    /** The first stage's segmentation of a case, on the grid of its preprocessed data. */
    synchronized PreviousStagePredictions.Mapped previous(String id) throws IOException {
        if (closed) {
            throw new IllegalStateException("The batch source is closed");
        }
        PreviousStagePredictions.Mapped m = openPrevious.get(id);
        if (m != null) {
            return m;
        }
        m = PreviousStagePredictions.open(previousStage, id, get(id).header().shape());
        openPrevious.put(id, m);
        if (openPrevious.size() > capacity) {
            Iterator<Map.Entry<String, PreviousStagePredictions.Mapped>> it = openPrevious.entrySet().iterator();
            try {
                it.next().getValue().close();
            } catch (IOException e) {
                // Read-only: nothing is lost.
            }
            it.remove();
        }
        return m;
    }

    synchronized PreprocessedCase get(String id) throws IOException {
        if (closed) {
            throw new IllegalStateException("The batch source is closed");
        }
        PreprocessedCase c = open.get(id);
        if (c != null) {
            return c;
        }
        c = PreprocessedCase.open(dir, id);
        if (!c.header().hasLabels()) {
            c.close();
            throw new IOException(PreprocessedCase.headerFile(dir, id) + " is a case without labels; training needs "
                    + "labelled cases: preprocess the data set's training cases again");
        }
        open.put(id, c);
        if (open.size() > capacity) {
            Iterator<Map.Entry<String, PreprocessedCase>> it = open.entrySet().iterator();
            closeQuietly(it.next().getValue());
            it.remove();
        }
        return c;
    }

    private static void closeQuietly(PreprocessedCase c) {
        try {
            c.close();
        } catch (IOException e) {
            // Read-only files: nothing is lost by a failed close.
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (PreprocessedCase c : open.values()) {
            try {
                c.close();
            } catch (IOException e) {
                // Read-only files: nothing is lost; close the others.
            }
        }
        open.clear();
        for (PreviousStagePredictions.Mapped m : openPrevious.values()) {
            try {
                m.close();
            } catch (IOException e) {
                // Read-only files: nothing is lost; close the others.
            }
        }
        openPrevious.clear();
    }
}
