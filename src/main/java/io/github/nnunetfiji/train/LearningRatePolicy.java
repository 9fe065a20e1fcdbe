package io.github.nnunetfiji.train;

/**
 * The learning-rate factor of each epoch, applied to the optimizer's constant base rate through
 * {@link io.github.nnunetfiji.engine.Network#setLearningRateFactor}. The trainer owns the schedule
 * (rather than the engine's step-based decay) so that it can be refitted when a time budget fixes
 * the epoch count after training has started, or when a finished training is extended.
 */
enum LearningRatePolicy {

    /** The reference: lr = 0.01 (1 - epoch / epochs)^0.9, set at the start of each epoch. */
    POLY {
        @Override
        double factor(TrainerState s) {
            return Math.pow(1 - Math.min(s.epoch, s.epochs) / (double) s.epochs, 0.9);
        }
    },
    /**
     * The paper: Adam at 3e-4, cut by 5 when the moving average of the training loss has not
     * improved for 30 epochs; training stops once the rate falls below 1e-6.
     */
    PLATEAU {
        @Override
        double factor(TrainerState s) {
            return s.plateauFactor;
        }

        @Override
        void afterEpoch(TrainerState s, double trainLoss) {
            s.trainLossAverage = s.trainLossAverage == null ? trainLoss
                    : TRAIN_LOSS_ALPHA * s.trainLossAverage + (1 - TRAIN_LOSS_ALPHA) * trainLoss;
            if (s.bestTrainLossAverage == null || s.trainLossAverage < s.bestTrainLossAverage - TRAIN_LOSS_EPSILON) {
                s.bestTrainLossAverage = s.trainLossAverage;
                s.epochsWithoutImprovement = 0;
            } else if (++s.epochsWithoutImprovement >= PATIENCE) {
                s.plateauFactor /= CUT;
                s.epochsWithoutImprovement = 0;
            }
        }
    };

    /** The paper-era trainer's moving average and the improvement that counts. */
    static final double TRAIN_LOSS_ALPHA = 0.93;
    static final double TRAIN_LOSS_EPSILON = 5e-4;
    static final int PATIENCE = 30;
    static final double CUT = 5;
    /** Training stops below this learning rate (the paper). */
    static final double MIN_LEARNING_RATE = 1e-6;

    abstract double factor(TrainerState s);

    /** Updates the rule's state after an epoch with its mean training loss. */
    void afterEpoch(TrainerState s, double trainLoss) {
    }
}
