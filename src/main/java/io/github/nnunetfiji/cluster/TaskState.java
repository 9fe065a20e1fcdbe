package io.github.nnunetfiji.cluster;

import java.util.Set;

/**
 * What SLURM says of one job or array task: its state (PENDING, RUNNING, COMPLETED, FAILED ...)
 * and, for a pending one, why.
 *
 * @param state  SLURM's state word, {@link #UNKNOWN} where neither the queue nor the accounting
 *               knows the job any more
 * @param reason the reason squeue gives (None, Resources, Dependency, DependencyNeverSatisfied ...), or ""
 */
public record TaskState(String state, String reason) {

    /** Neither in the queue nor in the accounting (both forget finished jobs after a while). */
    public static final String UNKNOWN = "UNKNOWN";

    private static final Set<String> FAILED = Set.of("FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY",
            "PREEMPTED", "BOOT_FAIL", "DEADLINE", "REVOKED");

    public static TaskState unknown() {
        return new TaskState(UNKNOWN, "");
    }

    /** Finished with exit code 0. */
    public boolean done() {
        return state.equals("COMPLETED");
    }

    /**
     * Ended without success, or waits for a dependency that can no longer be met (where the
     * cluster does not cancel such jobs itself, they would pend for ever).
     */
    public boolean failed() {
        return FAILED.contains(state) || (state.equals("PENDING") && reason.equals("DependencyNeverSatisfied"));
    }

    /** Still pending or running, and able to finish. */
    public boolean live() {
        return !done() && !failed() && !state.equals(UNKNOWN);
    }

    @Override
    public String toString() {
        return state + (reason.isEmpty() || reason.equals("None") ? "" : " (" + reason + ")");
    }
}
