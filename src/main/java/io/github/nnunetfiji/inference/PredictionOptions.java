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
 * @param batchPasses   tiles and their mirrorings run as batches, several per engine call
 *                      ({@link SlidingWindowPredictor#MAX_PASSES_PER_RUN}); false: one pass per
 *                      call, the plain path (the system property {@value #PLAIN_PASSES} chooses it
 *                      for the defaults, for comparisons)
 */
public record PredictionOptions(double step, boolean mirror, boolean probabilities, int threads,
        boolean batchPasses) {

    /** A system property that, set to true, makes the defaults run one pass per engine call. */
    public static final String PLAIN_PASSES = "nnunet.inference.plainPasses";

    public PredictionOptions {
        threads = Math.max(1, threads);
    }

    public static PredictionOptions defaults() {
        return new PredictionOptions(SlidingWindowPredictor.DEFAULT_STEP, true, false,
                Runtime.getRuntime().availableProcessors(), !Boolean.getBoolean(PLAIN_PASSES));
    }

    public PredictionOptions withStep(double s) {
        return new PredictionOptions(s, mirror, probabilities, threads, batchPasses);
    }

    public PredictionOptions withMirror(boolean m) {
        return new PredictionOptions(step, m, probabilities, threads, batchPasses);
    }

    public PredictionOptions withProbabilities(boolean p) {
        return new PredictionOptions(step, mirror, p, threads, batchPasses);
    }

    public PredictionOptions withThreads(int t) {
        return new PredictionOptions(step, mirror, probabilities, t, batchPasses);
    }

    public PredictionOptions withBatchPasses(boolean b) {
        return new PredictionOptions(step, mirror, probabilities, threads, b);
    }
}
