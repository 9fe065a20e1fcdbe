package io.github.nnunetfiji.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** A trainable U-Net with its optimizer state. Not thread-safe: one trainer drives it. */
public interface Network extends Predictor {

    /** One optimizer step on a labelled batch; returns the loss before the update. */
    float trainStep(Batch batch);

    /** The loss on a labelled batch, without changing anything (validation). */
    float loss(Batch batch);

    /** Optimizer steps done so far (restored with a checkpoint). */
    long step();

    /** The learning rate the next step will use: the spec's schedule times {@link #learningRateFactor()}. */
    double learningRate();

    double learningRateFactor();

    /** Scales the scheduled rate, e.g. a 5x cut when the loss stalls; saved with the checkpoint. */
    void setLearningRateFactor(double factor);

    /** Writes weights, optimizer state, step and spec to one file, atomically. */
    void saveCheckpoint(Path file) throws IOException;

    /**
     * Writes a self-contained model for inference into {@code folder}: no optimizer, no training
     * graph, loadable with {@link Engine#loadInferenceModel(Path)}. Files are written atomically.
     */
    void exportInferenceModel(Path folder) throws IOException;

    /** A copy of every trainable parameter, by name. */
    Map<String, float[]> weights();
}
