package io.github.nnunetfiji.pipeline;

/** What a {@link Stage} did: whether it succeeded, and a report for people. */
public interface StageResult {

    /** Start of a report line naming one item that failed (a case, a file) while the others finished. */
    String FAILED = "FAILED ";

    /** False when the stage finished but its input had problems (failed cases, an invalid data set). */
    boolean ok();

    /** Lines for people, each ending in a newline: what was made, reused or failed, and where. */
    String report();
}
