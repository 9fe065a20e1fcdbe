package io.github.nnunetfiji.plan;

import java.time.Duration;

/**
 * The time one training (one configuration, one fold) will get, which {@code plan --budget} fits
 * patch and batch to. Asked once the plans show which configurations there are, so that a budget
 * shared by several trainings ({@code auto --budget}) can be divided before the patch is chosen.
 */
@FunctionalInterface
public interface TrainingBudget {

    /**
     * @param plans the plans before the budget (which configurations, which cascade)
     * @param cases training cases of the data set (the folds follow from them)
     * @return the time of one training
     */
    Duration perTraining(Plans plans, int cases);

    /** The same time for every training, as {@code train --time-limit} gives it. */
    static TrainingBudget of(Duration perTraining) {
        return (plans, cases) -> perTraining;
    }
}
