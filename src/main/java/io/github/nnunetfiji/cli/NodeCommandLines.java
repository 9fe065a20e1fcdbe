package io.github.nnunetfiji.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.nnunetfiji.cluster.NodeCommands;

/**
 * The command lines a cluster's nodes run, in this command line's words: the training options
 * given here passed on as they were, paths made absolute (the nodes start elsewhere).
 */
final class NodeCommandLines implements NodeCommands {

    /** Training options passed on to every training as given. */
    private static final List<String> TRAINING = List.of("epochs", "iterations-per-epoch", "validation-iterations",
            "optimizer", "seed", "device", "precision", "elastic", "save-every", "time-limit");

    private final Path dataset;
    private final Path work;
    private final List<String> training = new ArrayList<>();
    private final String threads;
    private final Path testImages;
    private final Path testPredictions;

    /**
     * @param testPredictions where the test cases are segmented with the choice, or null for none
     */
    NodeCommandLines(Args args, Path dataset, Path work, int cpus, Path testPredictions) {
        this.dataset = dataset.toAbsolutePath().normalize();
        this.work = work.toAbsolutePath().normalize();
        for (String o : TRAINING) {
            if (args.has(o)) {
                training.add("--" + o);
                training.add(args.get(o, ""));
            }
        }
        if (args.has("splits")) {
            training.add("--splits");
            training.add(Path.of(args.get("splits", "")).toAbsolutePath().normalize().toString());
        }
        this.threads = args.get("threads", Integer.toString(cpus));
        this.testImages = this.dataset.resolve("imagesTs");
        this.testPredictions = testPredictions;
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
