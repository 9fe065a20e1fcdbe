package io.github.nnunetfiji.engine;

/**
 * What {@link Engine#exportSavedModel} wrote: a TensorFlow SavedModel folder whose graph takes one
 * float32 input {@code [N, C, (Z,) Y, X]} and gives softmax probabilities {@code [N, classes, (Z,)
 * Y, X]}, both channels first.
 *
 * @param tag               the meta graph's tag ({@code serve})
 * @param signature         the signature's key ({@code serving_default})
 * @param input             the signature's input name
 * @param output            the signature's output name
 * @param tensorflowVersion the TensorFlow version that wrote it, e.g. {@code 2.18.0}
 */
public record SavedModelExport(String tag, String signature, String input, String output,
        String tensorflowVersion) {
}
