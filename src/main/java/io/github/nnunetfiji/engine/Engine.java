package io.github.nnunetfiji.engine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A deep learning back end. The rest of the project talks only to this interface and its
 * companions in this package; implementations live in sub-packages and are obtained through
 * {@link EngineLoader}.
 */
public interface Engine extends AutoCloseable {

    /** What runs, e.g. "TensorFlow Java 1.1.0 (TF 2.x), CPU, 2 threads". */
    String description();

    /** The device networks of this engine run on (never {@link Device#AUTO}). */
    Device device();

    /**
     * The CPU kernels in use and why, e.g. "oneDNN on (TF_ENABLE_ONEDNN_OPTS=1 set by the engine)";
     * printed next to speed figures.
     */
    String cpuKernels();

    /** Whether networks compute in mixed bfloat16 (resolved from {@link EngineOptions#precision()}). */
    boolean mixedPrecision();

    /** A new network with freshly initialized weights (seeded by the spec). */
    Network create(NetworkSpec spec);

    /** A network and its optimizer state from {@link Network#saveCheckpoint(Path)}. */
    Network loadCheckpoint(Path file) throws IOException;

    /** A model exported by {@link Network#exportInferenceModel(Path)}, checked before it runs. */
    InferenceModel loadInferenceModel(Path folder) throws IOException;

    /**
     * Writes the model of {@code inferenceModel} (a folder of {@link Network#exportInferenceModel})
     * as a TensorFlow SavedModel into the new folder {@code target}, with a serving signature whose
     * input and output are channels first ({@link ChannelsFirstModel}): the weights format other
     * tools (bioimage.io consumers) run.
     */
    SavedModelExport exportSavedModel(Path inferenceModel, Path target) throws IOException;

    /**
     * A SavedModel written by {@link #exportSavedModel}, for checking it: only the part of its
     * graph that computes the signature's output is loaded, and checked as inference models are.
     */
    ChannelsFirstModel loadSavedModel(Path folder) throws IOException;

    @Override
    void close();
}
