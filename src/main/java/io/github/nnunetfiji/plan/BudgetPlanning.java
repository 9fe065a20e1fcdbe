package io.github.nnunetfiji.plan;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.util.Progress;

/**
 * Fits every configuration's patch and batch to the time one training will get: candidates from
 * the planner's {@link BudgetRule}, their step times from {@link StepTimes}, measured from the
 * smallest up while they buy enough steps ({@link #measure}), and a note in the plans with the measured times, the
 * steps each buys, the choice and why. Configurations whose patch or batch the user set are left
 * as set. The epochs stay the plan's: {@code train --time-limit} fits them to the budget.
 */
public final class BudgetPlanning {

    /**
     * One measured candidate.
     *
     * @param configuration the configuration with this patch and batch
     * @param seconds       seconds per step
     * @param steps         steps the budget buys
     */
    public record Candidate(PlanConfiguration configuration, double seconds, long steps) {
    }

    private final ExperimentPlanner planner;
    private final StepTimes times;
    private final PlanNetworkAdapter adapter = new PlanNetworkAdapter();

    /**
     * @param planner the planner that made the plans (its rule, topology and batch rules)
     * @param times   where step times come from
     */
    public BudgetPlanning(ExperimentPlanner planner, StepTimes times) {
        this.planner = planner;
        this.times = times;
    }

    /**
     * The plans with every configuration fitted to the budget.
     *
     * @param plans       the plans as planned (overrides applied)
     * @param overrides   the user's overrides; configurations whose patch or batch they set stay
     * @param perTraining the time one training (one configuration, one fold) gets
     * @param progress    receives what is being measured
     * @return a changed copy; {@code plans} stays as it is
     * @throws IOException if a step cannot be measured
     */
    public Plans apply(Plans plans, PlanOverrides overrides, Duration perTraining, Progress progress)
            throws IOException {
        Plans result = plans.copy();
        double budget = perTraining.toMillis() / 1000.0;
        boolean anyToFit = plans.configurations().keySet().stream().anyMatch(n -> !overrides.setsPatchOrBatch(n));
        // The engine starts only when something is to be measured.
        result.addNote("Time budget: " + format(budget) + " per training (one configuration, one fold)"
                + (anyToFit ? "; step times measured on " + times.machine() + "." : "."));
        for (PlanConfiguration c : plans.configurations().values()) {
            if (overrides.setsPatchOrBatch(c.name())) {
                result.addNote(c.name() + ": patch and batch as the user set them; the time budget leaves them.");
                continue;
            }
            Measured m = measure(plans, c, budget, progress);
            result.put(m.chosen().configuration());
            result.addNote(note(c, m, budget));
        }
        return result;
    }

    /**
     * Candidates measured from the smallest up (a small patch costs seconds to measure, the planned
     * one of a 3D network minutes and gigabytes), until one buys too few steps or, judged by the
     * last one's time per voxel, the next surely would. Step time grows with the patch, so the
     * largest that buys enough is among those measured.
     *
     * @return the candidates measured, largest first, and the choice
     */
    Measured measure(Plans plans, PlanConfiguration planned, double budget, Progress progress) throws IOException {
        BudgetRule rule = planner.budgetRule();
        List<PlanConfiguration> ladder = candidates(plans, planned, rule);
        List<Candidate> measured = new ArrayList<>();
        String skipped = null;
        for (int i = ladder.size() - 1; i >= 0; i--) {
            PlanConfiguration c = ladder.get(i);
            if (!measured.isEmpty()) {
                Candidate last = measured.get(0);
                double scaled = last.seconds() * stepVoxels(c) / stepVoxels(last.configuration());
                long predicted = rule.stepsBought(scaled, budget);
                if (!rule.worthMeasuring(predicted)) {
                    skipped = String.format(Locale.ROOT, "patch %s batch %d not measured: at the time per voxel of %s"
                            + " it would buy about %d steps", AxisOrder.format(c.patchSize()), c.batchSize(),
                            AxisOrder.format(last.configuration().patchSize()), predicted);
                    break;
                }
            }
            progress.checkCanceled();
            progress.status("measuring the step time of " + c.name() + " at patch " + AxisOrder.format(c.patchSize())
                    + ", batch " + c.batchSize());
            NetworkSpec spec = adapter.spec(plans.withConfiguration(c), c.name());
            double seconds = times.secondsPerStep(spec, PlanNetworkAdapter.networkPatch(c), c.batchSize());
            measured.add(0, new Candidate(c, seconds, rule.stepsBought(seconds, budget)));
            if (!rule.enough(measured.get(0).steps())) {
                break;
            }
        }
        Candidate chosen = measured.get(measured.size() - 1);
        for (Candidate m : measured) {
            if (rule.enough(m.steps())) {
                chosen = m;
                break;
            }
        }
        return new Measured(measured, chosen, skipped);
    }

    /**
     * What was measured and chosen.
     *
     * @param candidates the candidates measured, largest first
     * @param chosen     the choice
     * @param skipped    why a larger candidate was not measured, or null
     */
    record Measured(List<Candidate> candidates, Candidate chosen, String skipped) {
    }

    /** The planned configuration and the rule's smaller candidates, largest first. */
    private List<PlanConfiguration> candidates(Plans plans, PlanConfiguration planned, BudgetRule rule) {
        List<PlanConfiguration> ladder = new ArrayList<>();
        ladder.add(planned);
        long[] smaller = rule.smallerPatch(planned.patchSize(), planned.spacing(), planner);
        while (smaller != null) {
            PlanConfiguration c = candidate(plans, planned, smaller, rule.candidateBatch(planned, smaller));
            ladder.add(c);
            smaller = rule.smallerPatch(c.patchSize(), c.spacing(), planner);
        }
        return ladder;
    }

    private static double stepVoxels(PlanConfiguration c) {
        return (double) c.patchVoxels() * c.batchSize();
    }

    /** The planned configuration with another patch and batch, built by the planner's override rules. */
    private PlanConfiguration candidate(Plans plans, PlanConfiguration planned, long[] patch, int batch) {
        Plans scratch = plans.withConfiguration(planned);
        PlanOverrides.none().patch(planned.name(), patch).batch(planned.name(), batch).applyTo(scratch, planner);
        return scratch.configuration(planned.name());
    }

    private String note(PlanConfiguration planned, Measured m, double budget) {
        BudgetRule rule = planner.budgetRule();
        StringBuilder sb = new StringBuilder(planned.name()).append(": for ").append(format(budget))
                .append(" of training, seconds per step measured:");
        for (int i = 0; i < m.candidates().size(); i++) {
            Candidate c = m.candidates().get(i);
            sb.append(i > 0 ? "," : "").append(String.format(Locale.ROOT, " patch %s batch %d %.3f s (%d steps)",
                    AxisOrder.format(c.configuration().patchSize()), c.configuration().batchSize(), c.seconds(),
                    c.steps()));
        }
        if (m.skipped() != null) {
            sb.append("; ").append(m.skipped());
        }
        PlanConfiguration chosen = m.chosen().configuration();
        sb.append("; patch ").append(AxisOrder.format(chosen.patchSize())).append(" batch ")
                .append(chosen.batchSize()).append(" chosen: ")
                .append(rule.reason(chosen.equals(planned), rule.enough(m.chosen().steps()))).append('.');
        return sb.toString();
    }

    /** A duration as 15m00s, 1h30m00s or 45s. */
    static String format(double seconds) {
        long t = Math.round(seconds);
        return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", t / 3600, t / 60 % 60, t % 60)
                : t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
    }
}
