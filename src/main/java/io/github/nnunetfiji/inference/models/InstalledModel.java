package io.github.nnunetfiji.inference.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.github.nnunetfiji.plan.Plans;

/**
 * A trained model folder (docs/training.md, "The model folder": plans.json, dataset.json, fold_K/inference_model/)
 * under a name, or a models folder holding one such folder per configuration, named after it (an
 * exported model: docs/inference.md, "Exporting and importing models"). {@link #check(Path)} says
 * what a folder lacks to be one.
 */
public record InstalledModel(String name, Path folder, String datasetName, List<String> configurations,
        List<String> folds) {

    public static final String PLANS = "plans.json";
    public static final String DATASET = "dataset.json";
    public static final String INFERENCE_MODEL = "inference_model";
    /** The files of an exported inference model (engine.Network#exportInferenceModel). */
    static final List<String> INFERENCE_MODEL_FILES = List.of("model.json", "graph.pb");
    /** The configuration names, which name the folders a trainer writes (WORK/ds/models/CONFIG). */
    static final List<String> CONFIGURATIONS = List.of("2d", "3d_fullres", "3d_lowres", "3d_cascade_fullres");

    /** Reads a model folder; an error naming the folder and what is missing if it is not one. */
    public static InstalledModel read(String name, Path folder) throws IOException {
        List<String> problems = check(folder);
        if (!problems.isEmpty()) {
            throw new IOException(folder + " is not an nnU-Net model folder: " + String.join("; ", problems));
        }
        List<String> configurations = configurationFolders(folder);
        if (!configurations.isEmpty()) {
            Plans plans = Plans.read(folder.resolve(configurations.get(0)).resolve(PLANS));
            java.util.TreeSet<String> folds = new java.util.TreeSet<>();
            for (String c : configurations) {
                folds.addAll(folds(folder.resolve(c)));
            }
            return new InstalledModel(name, folder, plans.datasetName(), configurations, List.copyOf(folds));
        }
        Plans plans = Plans.read(folder.resolve(PLANS));
        return new InstalledModel(name, folder, plans.datasetName(), List.copyOf(plans.configurations().keySet()),
                folds(folder));
    }

    /**
     * The configurations of a models folder: its subfolders named as a configuration that hold
     * plans.json, in the order of {@link #CONFIGURATIONS}; empty for a model folder (plans.json at
     * its top) and for any other folder.
     */
    public static List<String> configurationFolders(Path folder) {
        if (Files.isRegularFile(folder.resolve(PLANS))) {
            return List.of();
        }
        return CONFIGURATIONS.stream().filter(c -> Files.isRegularFile(folder.resolve(c).resolve(PLANS))).toList();
    }

    /** What keeps {@code folder} from being a usable model folder; empty if nothing. */
    public static List<String> check(Path folder) throws IOException {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return List.of(folder + " is not a folder");
        }
        List<String> configurations = configurationFolders(folder);
        if (!configurations.isEmpty()) {
            for (String c : configurations) {
                check(folder.resolve(c)).forEach(p -> problems.add(c + "/: " + p));
            }
            return problems;
        }
        for (String f : List.of(PLANS, DATASET)) {
            if (!Files.isRegularFile(folder.resolve(f))) {
                problems.add(f + " is missing");
            }
        }
        if (Files.isRegularFile(folder.resolve(PLANS))) {
            try {
                Plans.read(folder.resolve(PLANS));
            } catch (IOException | RuntimeException e) {
                problems.add("plans.json cannot be read: " + e.getMessage());
            }
        }
        if (folds(folder).isEmpty()) {
            problems.add("no fold_K/" + INFERENCE_MODEL + "/ with " + String.join(" and ", INFERENCE_MODEL_FILES)
                    + " (train at least one fold and export it)");
        }
        return problems;
    }

    /** The folds with a complete inference model, e.g. [fold_0, fold_1], sorted. */
    static List<String> folds(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches("fold_(\\d+|all)"))
                    .filter(p -> INFERENCE_MODEL_FILES.stream()
                            .allMatch(f -> Files.isRegularFile(p.resolve(INFERENCE_MODEL).resolve(f))))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
