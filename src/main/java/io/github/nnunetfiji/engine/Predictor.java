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

    /**
     * Predicts the smallest input the network takes (one sample of zeros, {@link NetworkSpec#sizeDivisor()}
     * per axis) and drops the result, so that what a freshly loaded network does before its first
     * pass (the engine's graph optimization and kernel set-up, about a second for a large 2D network)
     * is done now, while nobody waits, and not in the first real prediction. Costs a few milliseconds
     * of arithmetic.
     */
    default void warmUp() {
        int[] shape = spec().sizeDivisor();
        int values = Math.toIntExact(TensorLayout.voxels(shape) * spec().inputChannels());
        predict(Batch.images(1, shape, spec().inputChannels(), new float[values]));
    }

    @Override
    void close();
}
