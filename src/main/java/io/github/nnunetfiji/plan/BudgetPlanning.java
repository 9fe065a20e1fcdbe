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
 * largest down until one buys enough steps, and a note in the plans with the measured times, the
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
        result.addNote("Time budget: " + format(budget) + " per training (one configuration, one fold); step times "
                + "measured on " + times.machine() + ".");
        for (PlanConfiguration c : plans.configurations().values()) {
            if (overrides.setsPatchOrBatch(c.name())) {
                result.addNote(c.name() + ": patch and batch as the user set them; the time budget leaves them.");
                continue;
            }
            List<Candidate> measured = measure(plans, c, budget, progress);
            Candidate chosen = measured.get(measured.size() - 1);
            result.put(chosen.configuration());
            result.addNote(note(c, measured, budget));
        }
        return result;
    }

    /** Candidates from the planned patch down, measured until one is enough; the last is the choice. */
    List<Candidate> measure(Plans plans, PlanConfiguration planned, double budget, Progress progress)
            throws IOException {
        BudgetRule rule = planner.budgetRule();
        List<Candidate> measured = new ArrayList<>();
        PlanConfiguration c = planned;
        while (c != null) {
            progress.checkCanceled();
            progress.status("measuring the step time of " + c.name() + " at patch " + AxisOrder.format(c.patchSize())
                    + ", batch " + c.batchSize());
            Plans with = plans.withConfiguration(c);
            NetworkSpec spec = adapter.spec(with, c.name());
            double seconds = times.secondsPerStep(spec, PlanNetworkAdapter.networkPatch(c), c.batchSize());
            long steps = rule.stepsBought(seconds, budget);
            measured.add(new Candidate(c, seconds, steps));
            if (rule.enough(steps)) {
                break;
            }
            long[] smaller = rule.smallerPatch(c.patchSize(), c.spacing(), planner);
            c = smaller == null ? null : candidate(plans, planned, smaller, rule.candidateBatch(planned, smaller));
        }
        return measured;
    }

    /** The planned configuration with another patch and batch, built by the planner's override rules. */
    private PlanConfiguration candidate(Plans plans, PlanConfiguration planned, long[] patch, int batch) {
        Plans scratch = plans.withConfiguration(planned);
        PlanOverrides.none().patch(planned.name(), patch).batch(planned.name(), batch).applyTo(scratch, planner);
        return scratch.configuration(planned.name());
    }

    private String note(PlanConfiguration planned, List<Candidate> measured, double budget) {
        BudgetRule rule = planner.budgetRule();
        StringBuilder sb = new StringBuilder(planned.name()).append(": for ").append(format(budget))
                .append(" of training, seconds per step measured:");
        for (int i = 0; i < measured.size(); i++) {
            Candidate m = measured.get(i);
            sb.append(i > 0 ? "," : "").append(String.format(Locale.ROOT, " patch %s batch %d %.3f s (%d steps)",
                    AxisOrder.format(m.configuration().patchSize()), m.configuration().batchSize(), m.seconds(),
                    m.steps()));
        }
        Candidate chosen = measured.get(measured.size() - 1);
        boolean enough = rule.enough(chosen.steps());
        sb.append("; patch ").append(AxisOrder.format(chosen.configuration().patchSize())).append(" batch ")
                .append(chosen.configuration().batchSize()).append(" chosen: ")
                .append(rule.reason(measured.size() == 1, enough)).append('.');
        return sb.toString();
    }

    /** A duration as 15m00s, 1h30m00s or 45s. */
    static String format(double seconds) {
        long t = Math.round(seconds);
        return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", t / 3600, t / 60 % 60, t % 60)
                : t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
    }
}
