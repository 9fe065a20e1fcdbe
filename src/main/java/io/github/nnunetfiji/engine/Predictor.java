package io.github.nnunetfiji.engine;

/** Anything that turns image patches into class probabilities. Closing frees native memory. */
public interface Predictor extends AutoCloseable {

    NetworkSpec spec();

    /**
     * Softmax probabilities of the full-resolution output for every voxel of every sample, laid out
     * as {@link TensorLayout} says with {@code spec().classes} channels. The shape may differ from the
     * training patch but must be a multiple of {@link NetworkSpec#sizeDivisor()} per axis.
     */
    float[] predict(Batch images);

    @Override
    void close();
}
