package io.github.nnunetfiji.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Lets tests in other packages write a trainer state as a training does and read one back. */
public final class TrainerStateAccess {

    private TrainerStateAccess() {
    }

    /** Writes the state of a 2D fold 0 stopped mid-epoch 3 of 10, with its log, as a checkpoint does. */
    public static void writeSample(Path file) throws IOException {
        TrainerState s = new TrainerState();
        s.configuration = "2d";
        s.fold = "0";
        s.trainCases = List.of("isbi_000", "isbi_001", "isbi_002", "isbi_003");
        s.validationCases = List.of("isbi_004");
        s.seed = 12345;
        s.optimizer = "sgd";
        s.elastic = true;
        s.epochs = 10;
        s.iterationsPerEpoch = 25;
        s.validationIterations = 5;
        s.timeLimitSeconds = 900;
        s.scheduleFixed = false;
        s.scheduleNote = "fitted to 15m";
        s.epoch = 3;
        s.iteration = 7;
        s.partialTrainLossSum = -3.5;
        s.partialEpochSeconds = 12.25;
        s.networkStep = 82;
        s.ema = 0.61;
        s.bestEma = 0.63;
        s.bestEpoch = 2;
        s.trainLossAverage = -0.4;
        s.bestTrainLossAverage = -0.45;
        s.trainingSeconds = 130.5;
        s.stopReason = "canceled";
        for (int e = 0; e < 3; e++) {
            s.log.add(new EpochRecord(e, -0.1 * e, -0.05 * e, new Double[] {0.5 + 0.05 * e}, 0.5 + 0.05 * e,
                    0.5 + 0.04 * e, 0.01 * (1 - e / 10.0), 40.5, 1.25, e == 0 ? null : 0.02));
        }
        s.write(file);
    }

    /** {@code TrainerState.read}, the reader of a resumed training. */
    public static Object read(Path file) throws IOException {
        return TrainerState.read(file);
    }
}
