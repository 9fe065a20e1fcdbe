package io.github.nnunetfiji.inference;

/**
 * How a case is predicted; defaults are the reference's. Immutable: each {@code with*} returns a
 * copy.
 *
 * @param step          tile step as a fraction of the patch (0.5: tiles overlap by half)
 * @param mirror        test-time augmentation: average over every mirroring of the network's axes
 * @param probabilities also return the class probabilities in the input's geometry
 * @param threads       threads for preprocessing and resampling (the network uses the engine's
 *                      threads); at least 1
 */
public record PredictionOptions(double step, boolean mirror, boolean probabilities, int threads) {

    public PredictionOptions {
        threads = Math.max(1, threads);
    }

    public static PredictionOptions defaults() {
        return new PredictionOptions(SlidingWindowPredictor.DEFAULT_STEP, true, false,
                Runtime.getRuntime().availableProcessors());
    }

    public PredictionOptions withStep(double s) {
        return new PredictionOptions(s, mirror, probabilities, threads);
    }

    public PredictionOptions withMirror(boolean m) {
        return new PredictionOptions(step, m, probabilities, threads);
    }

    public PredictionOptions withProbabilities(boolean p) {
        return new PredictionOptions(step, mirror, p, threads);
    }

    public PredictionOptions withThreads(int t) {
        return new PredictionOptions(step, mirror, probabilities, t);
    }
}
