package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.util.List;

import io.github.nnunetfiji.inference.TileGrid;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.plan.StepTimes;
import io.github.nnunetfiji.train.Splits;

/**
 * How long the final validations of a run take, estimated before anything trains, so that a
 * budget can leave them their time: every validated case is taken at its configuration's median
 * shape, cut into the sliding window's tiles (step 0.5, every slice of a 2D configuration), each
 * tile one forward pass per mirroring, at the measured time of one pass. On 2 cores a brain
 * tumour case at 1 mm is several minutes of 3D passes with mirroring, far more than training gets
 * from a budget of an hour, which is why this is counted and not left to a fixed share.
 */
final class FinalValidationTimes {

    /** The sliding window's step, as the final validation runs it. */
    static final double STEP = 0.5;

    /** The estimate for the configurations of a run, in seconds, with and without mirroring. */
    record Estimate(double mirrored, double plain) {
    }

    private final StepTimes times;
    private final PlanNetworkAdapter adapter = new PlanNetworkAdapter();

    FinalValidationTimes(StepTimes times) {
        this.times = times;
    }

    /**
     * @param plans          the plan
     * @param configurations the configurations trained
     * @param folds          the folds trained
     * @param cases          the data set's training cases
     */
    Estimate estimate(Plans plans, List<String> configurations, List<String> folds, int cases) throws IOException {
        double mirrored = 0;
        double plain = 0;
        long validated = validatedCases(folds, cases);
        for (String name : configurations) {
            PlanConfiguration c = plans.configuration(name);
            double pass = times.secondsPerForward(adapter.spec(plans, name), PlanNetworkAdapter.networkPatch(c));
            double perCase = tiles(c) * pass;
            plain += validated * perCase;
            mirrored += validated * perCase * mirrorings(c);
        }
        return new Estimate(mirrored, plain);
    }

    /**
     * Cases the folds validate: each case once over a whole cross-validation, the share of the
     * folds otherwise; fold {@code all} validates every case.
     */
    static long validatedCases(List<String> folds, int cases) {
        if (folds.contains("all")) {
            return cases;
        }
        int k = Math.max(1, Splits.foldCount(cases));
        return Math.min(cases, Math.max(1, Math.round((double) cases * folds.size() / k)));
    }

    /** Sliding-window tiles of a case of the configuration's median shape. */
    static long tiles(PlanConfiguration c) {
        long[] shape = c.medianShape();
        long[] patch = c.patchSize();
        int[] axes = PlanNetworkAdapter.networkAxes(c);
        long n = 1;
        for (int a = 0; a < 3; a++) {
            boolean network = false;
            for (int x : axes) {
                network |= x == a;
            }
            int s = (int) Math.max(1, shape[a]);
            n *= network ? TileGrid.axisStarts(s, (int) patch[a], STEP).length : s;
        }
        return n;
    }

    /** Passes per tile with mirroring: every subset of the network's axes (4 in 2D, 8 in 3D). */
    static int mirrorings(PlanConfiguration c) {
        return 1 << PlanNetworkAdapter.networkAxes(c).length;
    }
}
