package io.github.nnunetfiji.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The learning-rate rules and the fitting of a schedule to a time budget. */
class ScheduleTest {

    private static TrainerState state(int epochs, int iterations) {
        TrainerState s = new TrainerState();
        s.epochs = epochs;
        s.iterationsPerEpoch = iterations;
        s.validationIterations = Math.max(1, (int) Math.round(iterations * TrainRequest.VALIDATION_FRACTION));
        return s;
    }

    @Test
    void polyScheduleIsTheReferences() {
        TrainerState s = state(1000, 250);
        double[][] expected = {{0, 0.01}, {500, 5.36e-3}, {999, 2.0e-5}};
        for (double[] e : expected) {
            s.epoch = (int) e[0];
            assertEquals(e[1], FoldTraining.SGD_LEARNING_RATE * LearningRatePolicy.POLY.factor(s), e[1] * 0.01);
        }
    }

    @Test
    void plateauCutsAfterThirtyEpochsWithoutImprovement() {
        TrainerState s = state(1000, 250);
        LearningRatePolicy.PLATEAU.afterEpoch(s, 1.0);
        for (int i = 0; i < 29; i++) {
            LearningRatePolicy.PLATEAU.afterEpoch(s, 1.0);
            assertEquals(1.0, LearningRatePolicy.PLATEAU.factor(s));
        }
        LearningRatePolicy.PLATEAU.afterEpoch(s, 1.0);
        assertEquals(0.2, LearningRatePolicy.PLATEAU.factor(s), 1e-12);
        LearningRatePolicy.PLATEAU.afterEpoch(s, 0.5); // improves: the count starts again
        assertEquals(0, s.epochsWithoutImprovement);
    }

    @Test
    void budgetFixesEpochsSoTheScheduleEndsInTime() {
        // 15 minutes at 1 s per step: about 800 iterations, fewer than 20 epochs of 250, so epochs shrink.
        TrainerState s = state(1000, 250);
        s.timeLimitSeconds = 900;
        ScheduleFit.fit(s, 1.0, 5, 5.0, false, false);
        long total = (long) s.epochs * s.iterationsPerEpoch;
        assertEquals(20, s.epochs);
        assertTrue(total * (1 + TrainRequest.VALIDATION_FRACTION / 3) <= 0.98 * 895 + s.iterationsPerEpoch * 1.1,
                "planned " + total + " iterations");
        assertEquals(Math.round(s.iterationsPerEpoch * TrainRequest.VALIDATION_FRACTION), s.validationIterations);

        // Plenty of time: the plan's epochs stay, capped.
        TrainerState t = state(10, 250);
        t.timeLimitSeconds = 1e6;
        ScheduleFit.fit(t, 1.0, 5, 5.0, false, false);
        assertEquals(10, t.epochs);
        assertEquals(250, t.iterationsPerEpoch);

        // Given iterations per epoch are kept.
        TrainerState u = state(1000, 50);
        u.timeLimitSeconds = 600;
        ScheduleFit.fit(u, 2.0, 5, 10.0, true, false);
        assertEquals(50, u.iterationsPerEpoch);
        assertEquals(6, u.epochs); // 276 iterations fit: 5.5 epochs, rounded
    }

    @Test
    void refitFollowsTheMeasuredEpochTime() {
        // Fitted to 20 epochs, but 5 epochs took 250 s of the 900 s: 13 more of 50 s fit (650 s).
        TrainerState s = state(20, 12);
        s.timeLimitSeconds = 900;
        s.epoch = 5;
        s.trainingSeconds = 250;
        assertTrue(ScheduleFit.refit(s, 50, 1000));
        assertEquals(18, s.epochs);
        // Faster than planned: more epochs, but never beyond the cap.
        s.trainingSeconds = 100;
        assertTrue(ScheduleFit.refit(s, 20, 1000));
        assertEquals(5 + 40, s.epochs);
        assertTrue(ScheduleFit.refit(s, 20, 30));
        assertEquals(30, s.epochs);
        // Budget spent: no epoch beyond those done; without a time limit nothing changes.
        s.trainingSeconds = 950;
        assertTrue(ScheduleFit.refit(s, 20, 1000));
        assertEquals(5, s.epochs);
        TrainerState free = state(1000, 250);
        assertFalse(ScheduleFit.refit(free, 20, 1000));
        assertEquals(1000, free.epochs);
    }

    @Test
    void stepTimeLeavesOutTheWarmUp() {
        assertEquals(1.0, ScheduleFit.stepSeconds(new double[] {30, 5, 1, 1.1, 0.9}), 1e-12);
        assertEquals(2.0, ScheduleFit.stepSeconds(new double[] {2}), 1e-12);
    }
}
