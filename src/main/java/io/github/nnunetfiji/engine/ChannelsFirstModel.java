package io.github.nnunetfiji.engine;

/**
 * A network exported for other tools ({@link Engine#exportSavedModel}), loaded back: it takes and
 * gives arrays channels first, {@code [N, C, (Z,) Y, X]} in row-major order (x fastest), the axis
 * order of the bioimage.io model format, instead of this engine's {@link TensorLayout}.
 */
public interface ChannelsFirstModel extends AutoCloseable {

    /**
     * Softmax probabilities {@code [N, classes, (Z,) Y, X]} for {@code values} of {@code shape}
     * {@code [N, C, (Z,) Y, X]}; spatial edges must be multiples of the network's size divisor.
     */
    float[] predict(long[] shape, float[] values);

    @Override
    void close();
}
