package io.github.nnunetfiji.engine;

/** A trained network loaded for prediction only. */
public interface InferenceModel extends Predictor {
}
