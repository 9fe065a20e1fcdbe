package io.github.nnunetfiji.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * Fits the schedule to a time budget once the first iterations have been timed: the epochs (and,
 * when they were not given, the iterations per epoch) are fixed so that the whole training takes
 * about the budget, and the learning rate, which the policy computes from epoch / epochs, still
 * decays to its end. Fixed once; later sessions keep it.
 *
 * <p>Cost per training iteration = the median step time of the timed iterations (the first two,
 * which build and warm up the graph, are left out when there are more), plus the epoch's share
 * of validation batches at a third of a step each (a forward pass). Of the budget left after the
 * timed iterations, 98% is planned, leaving room for checkpoints and the progress picture, and the
 * epoch count is rounded to the nearest (so the run ends within half an epoch of the budget). When
 * fewer than {@value #MIN_EPOCHS} epochs of the planned length would fit, epochs are shortened so
 * that {@value #MIN_EPOCHS} fit (at least {@value #MIN_ITERATIONS} iterations each), so the
 * moving average and the best checkpoint still mean something.
 *
 * <p>The first iterations underestimate what an epoch costs (validation, checkpoints, the picture,
 * augmentation competing for the cores), so after every later epoch the remaining epochs are
 * fitted again to the measured wall time per epoch ({@link #refit}); the learning rate then still
 * reaches the end of its decay when the budget runs out, instead of being cut off.
 */
final class ScheduleFit {

    static final int MIN_EPOCHS = 20;
    static final int MIN_ITERATIONS = 5;
    /** Iterations timed before the schedule is fixed. */
    static final int TIMED_ITERATIONS = 5;
    static final double PLANNED_SHARE = 0.98;

    private ScheduleFit() {
    }

    /** The median step time, leaving out the warm-up steps when enough remain. */
    static double stepSeconds(double[] durations) {
        double[] d = durations.length > 2 ? Arrays.copyOfRange(durations, 2, durations.length) : durations.clone();
        Arrays.sort(d);
        return d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
    }

    /**
     * Fixes epochs, iterations and validation batches in {@code s}.
     *
     * @param iterationsDone training iterations done so far (all in epoch 0)
     * @param elapsedSeconds training time used so far
     * @param keepIterations the iterations per epoch were given and must stay
     * @param keepValidation the validation batches were given and must stay
     */
    static void fit(TrainerState s, double stepSeconds, int iterationsDone, double elapsedSeconds, boolean keepIterations,
            boolean keepValidation) {
        double validationShare = keepValidation ? (double) s.validationIterations / s.iterationsPerEpoch
                : TrainRequest.VALIDATION_FRACTION;
        double perIteration = stepSeconds * (1 + validationShare / 3);
        double available = Math.max(0, s.timeLimitSeconds - elapsedSeconds) * PLANNED_SHARE;
        long total = iterationsDone + (long) Math.floor(available / perIteration);
        int iterations = s.iterationsPerEpoch;
        if (!keepIterations && total < (long) MIN_EPOCHS * iterations) {
            iterations = (int) Math.max(Math.max(MIN_ITERATIONS, iterationsDone), Math.floor(total / (double) MIN_EPOCHS));
        }
        int epochs = (int) Math.max(1, Math.min(s.epochs, Math.round(total / (double) iterations)));
        s.iterationsPerEpoch = iterations;
        s.epochs = epochs;
        if (!keepValidation) {
            s.validationIterations = Math.max(1, (int) Math.round(iterations * TrainRequest.VALIDATION_FRACTION));
        }
        s.scheduleFixed = true;
        s.scheduleNote = String.format(Locale.ROOT,
                "time limit %.0f s: %.3f s per step measured over the first %d iterations, so %d epochs of %d iterations "
                        + "(%d validation batches each) were fixed",
                s.timeLimitSeconds, stepSeconds, iterationsDone, epochs, iterations, s.validationIterations);
    }

    /**
     * Fits the epochs still to run to the budget left, at {@code epochSeconds} of wall time per
     * epoch: as many as end within a third of an epoch of the budget, at most {@code epochCap} in
     * all, and none beyond those done when the budget is spent.
     *
     * @return true if the epochs changed
     */
    static boolean refit(TrainerState s, double epochSeconds, int epochCap) {
        if (s.timeLimitSeconds <= 0 || !s.scheduleFixed || !(epochSeconds > 0)) {
            return false;
        }
        double left = Math.max(0, s.timeLimitSeconds - s.trainingSeconds);
        long more = (long) Math.floor(left / epochSeconds + 1.0 / 3);
        int epochs = (int) Math.max(s.epoch, Math.min(epochCap, s.epoch + more));
        if (epochs == s.epochs) {
            return false;
        }
        s.epochs = epochs;
        return true;
    }
}
