package io.github.nnunetfiji.plan;

import java.io.IOException;

import io.github.nnunetfiji.engine.NetworkSpec;

/**
 * How long one optimizer step of a network takes on this machine, as training would run it. A
 * planner with a time budget asks this for each candidate patch ({@link BudgetPlanning}); the
 * engine measures it ({@code pipeline.EngineStepTimes}), {@link CachedStepTimes} keeps the answers,
 * tests make them up. Closed once planning is done.
 */
public interface StepTimes extends AutoCloseable {

    /**
     * What the step times depend on besides the network: the processor's model and the engine's
     * device, precision and threads. Measurements are reused only where this is the same.
     *
     * @return a one-line description
     * @throws IOException if the engine cannot be started
     */
    String machine() throws IOException;

    /**
     * Seconds per training step of a freshly initialized network on random batches, warm-up left out.
     *
     * @param spec  the network
     * @param patch the patch, network axis order
     * @param batch patches per step
     * @return seconds per step
     * @throws IOException if the engine cannot be started or the step fails
     */
    double secondsPerStep(NetworkSpec spec, int[] patch, int batch) throws IOException;

    /**
     * Seconds per forward pass of one patch (batch 1) of a freshly initialized network, as the
     * sliding window runs it. Without a measurement, a third of a one-patch training step (a
     * forward pass, its backward pass about twice as long, and the update).
     *
     * @param spec  the network
     * @param patch the patch, network axis order
     * @return seconds per pass
     * @throws IOException if the engine cannot be started or the pass fails
     */
    default double secondsPerForward(NetworkSpec spec, int[] patch) throws IOException {
        return secondsPerStep(spec, patch, 1) / 3;
    }

    /** Releases the engine; nothing by default. */
    @Override
    default void close() {
    }
}
