package io.github.nnunetfiji.plan;

import java.util.Locale;

/**
 * The rule that fits a configuration's patch to a training time budget, from measured step times.
 * The planner sizes the patch for 1000 epochs of 250 steps; a budget of minutes buys a few hundred
 * steps of that patch, and early in training more steps of a smaller patch learn more (docs/training.md,
 * "A patch for a CPU budget": on ISBI in 15 minutes, 264 steps of 512x512 gave a membrane Dice of
 * 0.776, 902 steps of 256x256 gave 0.818).
 *
 * <p>Candidates: the planned patch, then patches halved along every axis of the patch (the in-plane
 * axes of a 2D network), not below {@link #minimumEdge()}, each padded to its own network's
 * divisor; the batch stays the planned one ({@link #candidateBatch}). Choice: the largest candidate
 * whose measured step time buys at least {@link #minimumSteps()} steps in the budget; if none
 * does, the smallest. Candidates are measured from the smallest up, and one that surely buys too
 * few steps is not measured ({@link #worthMeasuring}). Every method is a rule a variant may override.
 */
public class BudgetRule {

    /**
     * The fewest steps a budget should buy: 500. On ISBI (15 minutes) 264 steps of the planned patch
     * were too few (Dice 0.776) where 902 steps of a quarter of it were not (0.818); 500 lies
     * between, near their geometric mean (488).
     */
    protected int minimumSteps() {
        return 500;
    }

    /** The smallest edge a halving may give: 64 voxels, so a patch keeps context around small structures. */
    protected long minimumEdge() {
        return 64;
    }

    /**
     * The next smaller candidate: every axis longer than {@link #minimumEdge()} halved (rounded
     * up, not below the minimum edge), padded to its network's divisor by the planner.
     *
     * @param patch   the current candidate (edge 1 along a 2D configuration's slice axis)
     * @param spacing the configuration's spacing
     * @param planner the planner, for the padding
     * @return the smaller patch, or null if no axis can shrink
     */
    protected long[] smallerPatch(long[] patch, double[] spacing, ExperimentPlanner planner) {
        long[] p = patch.clone();
        boolean changed = false;
        for (int d = 0; d < 3; d++) {
            if (p[d] > minimumEdge()) {
                p[d] = Math.max(minimumEdge(), (p[d] + 1) / 2);
                changed = true;
            }
        }
        if (!changed) {
            return null;
        }
        long[] padded = planner.padToTopology(p, spacing);
        return PatchShapes.voxels(padded) < PatchShapes.voxels(patch) ? padded : null;
    }

    /**
     * The batch of a smaller candidate: the planned one. The planner would raise it to refill its
     * voxels per step, which would cost the steps the smaller patch is meant to buy.
     *
     * @param planned the planned configuration
     * @param patch   the candidate patch
     * @return patches per step
     */
    protected int candidateBatch(PlanConfiguration planned, long[] patch) {
        return planned.batchSize();
    }

    /**
     * Steps a budget buys, counted as {@code train --time-limit} counts them: 98% of the budget, each
     * step with its share of validation (a fifth of a batch per step, at a third of a step each).
     *
     * @param stepSeconds   seconds per step
     * @param budgetSeconds the training's time
     * @return whole steps
     */
    public long stepsBought(double stepSeconds, double budgetSeconds) {
        return (long) Math.floor(budgetSeconds * 0.98 / (stepSeconds * (1 + 0.2 / 3)));
    }

    /**
     * Whether a candidate is enough: it buys at least {@link #minimumSteps()} steps. The largest
     * candidate that is enough is the choice.
     *
     * @param steps steps the candidate buys
     * @return true to take it
     */
    protected boolean enough(long steps) {
        return steps >= minimumSteps();
    }

    /**
     * Whether a larger candidate is worth measuring, given the steps it would buy at the time per
     * voxel of the last one measured: not if that is below a third of {@link #minimumSteps()}
     * (step time grows less than the voxels, so a third leaves a margin). Measuring the planned 3D
     * patch on a CPU takes minutes and gigabytes; this keeps a short budget's planning short.
     *
     * @param predictedSteps steps the candidate would buy, predicted
     * @return true to measure it
     */
    protected boolean worthMeasuring(long predictedSteps) {
        return predictedSteps * 3 >= minimumSteps();
    }

    /**
     * Why the choice was made, for the plan's note.
     *
     * @param planned true if the choice is the planned patch
     * @param enough  true if it buys {@link #minimumSteps()} steps (else it is the smallest candidate)
     * @return the reason
     */
    protected String reason(boolean planned, boolean enough) {
        if (enough) {
            return planned ? String.format(Locale.ROOT, "the planned patch buys at least %d steps, so it stays",
                    minimumSteps())
                    : String.format(Locale.ROOT, "the largest patch that buys at least %d steps", minimumSteps());
        }
        return String.format(Locale.ROOT, "no candidate buys %d steps; the smallest is taken (a larger budget "
                + "would learn more)", minimumSteps());
    }
}
