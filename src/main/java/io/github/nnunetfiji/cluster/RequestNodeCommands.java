package io.github.nnunetfiji.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.nnunetfiji.engine.Device;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.train.TrainRequest;

/**
 * The command lines a cluster's nodes run, made from a training request whoever filled it (the
 * command line, a Fiji dialog): the options that differ from a new request's defaults passed on,
 * paths made absolute (the nodes start elsewhere).
 */
public final class RequestNodeCommands implements NodeCommands {

    private final Path dataset;
    private final Path work;
    private final List<String> training;
    private final String threads;
    private final Path testImages;
    private final Path testPredictions;

    /**
     * @param training        the training options (its data set, configuration and fold are not read)
     * @param threads         threads of each training where the request gives none (the job's CPUs)
     * @param testPredictions where the test cases are segmented with the choice, or null for none
     */
    public RequestNodeCommands(Path dataset, Path work, TrainRequest training, int threads, Path testPredictions) {
        this.dataset = dataset.toAbsolutePath().normalize();
        this.work = work.toAbsolutePath().normalize();
        this.training = options(training);
        this.threads = Integer.toString(training.threads() > 0 ? training.threads() : threads);
        this.testImages = this.dataset.resolve("imagesTs");
        this.testPredictions = testPredictions;
    }

    /** The options of {@code r} that a new request would not have, as {@code nnunet train} takes them. */
    static List<String> options(TrainRequest r) {
        TrainRequest defaults = new TrainRequest.Builder().build();
        List<String> a = new ArrayList<>();
        add(a, "--epochs", r.epochs());
        add(a, "--iterations-per-epoch", r.iterationsPerEpoch());
        add(a, "--validation-iterations", r.validationIterations());
        if (r.timeLimit() != null) {
            add(a, "--time-limit", seconds(r.timeLimit()));
        }
        if (r.optimizer() != defaults.optimizer()) {
            add(a, "--optimizer", r.optimizer().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (r.seed() != defaults.seed()) {
            add(a, "--seed", r.seed());
        }
        if (r.device() != Device.AUTO) {
            add(a, "--device", r.device().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (r.precision() != EngineOptions.Precision.AUTO) {
            add(a, "--precision", r.precision() == EngineOptions.Precision.FLOAT32 ? "float32" : "bfloat16");
        }
        if (r.elastic() != null) {
            add(a, "--elastic", r.elastic() ? "on" : "off");
        }
        if (!r.saveInterval().equals(defaults.saveInterval())) {
            add(a, "--save-every", r.saveInterval().isZero() ? "0" : seconds(r.saveInterval()));
        }
        if (r.splitsFile() != null) {
            add(a, "--splits", r.splitsFile().toAbsolutePath().normalize());
        }
        return a;
    }

    private static void add(List<String> a, String flag, Object value) {
        if (value != null) {
            a.add(flag);
            a.add(value.toString());
        }
    }

    private static String seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000) + "s";
    }

    @Override
    public List<String> train(String configuration, String fold) {
        List<String> a = new ArrayList<>(List.of("train", dataset.toString(), configuration, fold, "--work",
                work.toString(), "--continue", "--save-probabilities", "--threads", threads));
        a.addAll(training);
        return a;
    }

    @Override
    public List<String> select(List<String> configurations, List<String> folds) {
        List<String> a = new ArrayList<>(List.of("select", dataset.toString(), "--work", work.toString(),
                "--threads", threads, "-c"));
        a.addAll(configurations);
        a.add("--folds");
        a.addAll(folds);
        return a;
    }

    @Override
    public List<String> predictTestCases() {
        if (testPredictions == null || !Files.isDirectory(testImages)) {
            return List.of();
        }
        return List.of("predict", "-i", testImages.toString(), "-o", testPredictions.toString(), "-m",
                testPredictions.getParent().getParent().resolve("models").toString(), "--threads", threads);
    }
}
