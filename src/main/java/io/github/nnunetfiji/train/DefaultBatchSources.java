package io.github.nnunetfiji.train;

import io.github.nnunetfiji.train.data.TrainingData;

/** The batch sources training uses: {@link TrainingData} with its default loader and augmentation. */
public final class DefaultBatchSources {

    /** Opens {@link TrainingData#open} sources. */
    public static final BatchSourceFactory FACTORY = TrainingData::open;

    private DefaultBatchSources() {
    }
}
