package io.github.nnunetfiji.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.train.data.BatchSource;
import io.github.nnunetfiji.train.data.DataOptions;

/** Opens the batches of one epoch; the trainer opens a fresh source per epoch with a derived seed. */
@FunctionalInterface
public interface BatchSourceFactory {

    BatchSource open(Path preprocessedDir, List<String> caseIds, Plans plans, String configuration, boolean forValidation,
            long seed, int threads, DataOptions options) throws IOException;
}
