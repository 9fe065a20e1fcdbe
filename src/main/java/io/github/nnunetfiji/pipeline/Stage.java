package io.github.nnunetfiji.pipeline;

import java.io.IOException;

import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.util.Progress;

/**
 * One step of the pipeline, called the same way by the command line, the Fiji commands, the
 * one-command pipeline and a cluster job, so each rule is written once.
 *
 * <p>A stage takes an immutable request, checks its own prerequisites (a missing input is a
 * {@link PrerequisiteException} that says what to run first), reports progress and polls for
 * cancellation through the {@link Progress} ({@link io.github.nnunetfiji.util.CanceledException}),
 * writes every file atomically, and reuses an earlier result only when {@link Provenance} shows it
 * was made from the same inputs. What it did comes back as a {@link StageResult}.
 *
 * @param <Q> the request: what to do, on which data, with which options
 * @param <R> the result: what was made or reused, and a report for people
 */
public interface Stage<Q, R extends StageResult> {

    /** The stage's name, as on the command line ({@code preprocess}). */
    String name();

    /**
     * Runs the stage.
     *
     * @param request  what to do
     * @param progress progress and cancellation
     * @return what was made or reused
     * @throws PrerequisiteException if an input of an earlier stage is missing
     * @throws DatasetException if a data set the request names is broken (nothing written)
     * @throws IllegalArgumentException if the request names something that does not exist (a
     *         configuration that is not planned, an invalid override); nothing is written then
     * @throws IOException if reading or writing fails
     */
    R run(Q request, Progress progress) throws PrerequisiteException, DatasetException, IOException;
}
