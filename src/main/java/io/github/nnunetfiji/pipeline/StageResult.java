package io.github.nnunetfiji.pipeline;

/** What a {@link Stage} did: whether it succeeded, and a report for people. */
public interface StageResult {

    /** False when the stage finished but its input had problems (failed cases, an invalid data set). */
    boolean ok();

    /** Lines for people, each ending in a newline: what was made, reused or failed, and where. */
    String report();
}
