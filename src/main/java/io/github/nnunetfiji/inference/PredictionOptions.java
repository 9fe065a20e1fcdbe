package io.github.nnunetfiji.inference;

/** How a case is predicted; defaults are the reference's. */
public final class PredictionOptions {

    /** Tile step as a fraction of the patch (0.5: tiles overlap by half). */
    public double step = SlidingWindowPredictor.DEFAULT_STEP;
    /** Test-time augmentation: average over every mirroring of the network's axes. */
    public boolean mirror = true;
    /** Also return the class probabilities in the input's geometry. */
    public boolean probabilities;
    /** Threads for preprocessing and resampling (the network uses the engine's threads). */
    public int threads = Runtime.getRuntime().availableProcessors();

    public static PredictionOptions defaults() {
        return new PredictionOptions();
    }

    public PredictionOptions withStep(double s) {
        step = s;
        return this;
    }

    public PredictionOptions withMirror(boolean m) {
        mirror = m;
        return this;
    }

    public PredictionOptions withProbabilities(boolean p) {
        probabilities = p;
        return this;
    }

    public PredictionOptions withThreads(int t) {
        threads = Math.max(1, t);
        return this;
    }
}
