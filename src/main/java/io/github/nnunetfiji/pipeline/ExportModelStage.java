package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.github.nnunetfiji.inference.ChosenModel;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.inference.models.InstalledModel;
import io.github.nnunetfiji.inference.models.ModelExportZip;
import io.github.nnunetfiji.inference.models.ModelManifest;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.RequestField;

/**
 * Exports a trained model to one zip (docs/inference.md, "Exporting and importing models"): per
 * configuration what prediction reads (plans, dataset.json, fingerprint, postprocessing rule,
 * split) and each fold's {@code inference_model/}, not checkpoints, logs or validation
 * predictions; the selection's choice where all it names is exported; and
 * {@link ModelManifest#FILE}. The zip has a data set's {@code models} folder's layout, one folder
 * per configuration, which is what an import installs.
 */
public final class ExportModelStage implements Stage<ExportModelStage.Request, ExportModelStage.Result> {

    /** The files of a configuration's folder an export takes, where present. */
    static final List<String> CONFIGURATION_FILES = List.of(TrainedModel.PLANS, TrainedModel.DATASET,
            TrainedModel.FINGERPRINT, TrainedModel.POSTPROCESSING, "splits.json");
    /** The selection's files in the models folder, exported with its choice. */
    static final List<String> SELECTION_FILES = List.of(ChosenModel.FILE, "selection.json", "selection.png");

    /**
     * @param model          a configuration's model folder, or a data set's {@code models} folder
     * @param configurations the configurations; empty: the selection's choice where there is one,
     *                       else the model folder's own, else every trained one
     * @param folds          the folds; empty: the choice's, else every trained fold (as predict)
     * @param output         the zip to write
     */
    public record Request(Path model, List<String> configurations, List<String> folds, Path output) {

        public Request {
            configurations = List.copyOf(configurations);
            folds = List.copyOf(folds);
        }
    }

    /**
     * @param output   the zip written
     * @param manifest what it holds
     * @param choice   the selection's choice exported with it, or null
     */
    public record Result(Path output, ModelManifest manifest, String choice) implements StageResult {

        @Override
        public boolean ok() {
            return true;
        }

        @Override
        public String report() {
            StringBuilder sb = new StringBuilder("Exported " + manifest.dataset() + ": ");
            List<String> parts = new ArrayList<>();
            for (String c : manifest.configurations()) {
                parts.add(c + " (folds " + String.join(" ", manifest.folds().get(c)) + ")");
            }
            sb.append(String.join(", ", parts));
            if (choice != null) {
                sb.append(", with the selection's choice ").append(choice);
            }
            long bytes = manifest.files().stream().mapToLong(ModelManifest.FileEntry::size).sum();
            return sb.append(String.format(Locale.ROOT, "%nWrote %s (%d files, %.1f MiB unpacked)%n", output,
                    manifest.files().size(), bytes / (1024.0 * 1024))).toString();
        }
    }

    @Override
    public String name() {
        return "export model";
    }

    @Override
    public Result run(Request r, Progress progress) throws PrerequisiteException, IOException {
        if (r.model() == null || r.output() == null) {
            throw new IllegalArgumentException("Exporting needs a model and an output file");
        }
        if (!r.output().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
            throw new IllegalArgumentException("The export is a zip: its file name must end in .zip, got " + r.output());
        }
        boolean configurationFolder = Files.isRegularFile(r.model().resolve(TrainedModel.PLANS));
        Optional<ChosenModel> chosen = !Files.isDirectory(r.model()) || configurationFolder ? Optional.empty()
                : ChosenModel.read(r.model());
        List<String> configs = configurations(r, configurationFolder, chosen);
        if (chosen.isPresent() && !configs.containsAll(chosen.get().configurations())) {
            chosen = Optional.empty(); // the choice names a configuration not exported
        }
        List<String> folds = r.folds().isEmpty() && chosen.isPresent() ? chosen.get().folds() : r.folds();
        Map<String, TrainedModel.Location> located = new LinkedHashMap<>();
        for (String c : configs) {
            locate(r.model(), c, folds, located);
        }
        progress.status("Exporting " + r.model());
        SortedMap<String, Path> files = new TreeMap<>();
        Map<String, List<String>> exportedFolds = new TreeMap<>();
        for (Map.Entry<String, TrainedModel.Location> e : located.entrySet()) {
            addConfiguration(e.getKey(), e.getValue(), files);
            exportedFolds.put(e.getKey(), e.getValue().folds());
        }
        Path scratch = null;
        try {
            if (chosen.isPresent()) {
                scratch = addChoice(r.model(), chosen.get(), located.get(configs.get(0)).folds(), files);
            }
            String dataset = located.values().iterator().next().plans().datasetName();
            ModelManifest m = ModelExportZip.write(r.output(), files, dataset, List.copyOf(located.keySet()),
                    exportedFolds);
            return new Result(r.output(), m, chosen.map(ChosenModel::name).orElse(null));
        } finally {
            if (scratch != null) {
                Files.deleteIfExists(scratch.resolve(ChosenModel.FILE));
                Files.deleteIfExists(scratch);
            }
        }
    }

    /** The configurations asked for, else the choice's, else the folder's own, else every trained one. */
    private static List<String> configurations(Request r, boolean configurationFolder, Optional<ChosenModel> chosen)
            throws PrerequisiteException {
        if (!r.configurations().isEmpty()) {
            return r.configurations();
        }
        if (chosen.isPresent()) {
            return chosen.get().configurations();
        }
        if (configurationFolder) {
            return List.of(r.model().getFileName().toString());
        }
        List<String> all = InstalledModel.configurationFolders(r.model());
        if (all.isEmpty()) {
            throw new PrerequisiteException(Message.of(r.model(), " holds no trained configuration (no CONFIG/",
                    TrainedModel.PLANS, "): give as ", RequestField.MODEL,
                    " a configuration's model folder (WORK/<data set>/models/<CONFIG>) or the models folder above it"));
        }
        return all;
    }

    /** Locates a configuration and, for a cascade's second stage, its first stage (same folds). */
    private static void locate(Path model, String configuration, List<String> folds,
            Map<String, TrainedModel.Location> located) throws PrerequisiteException, IOException {
        if (located.containsKey(configuration)) {
            return;
        }
        // Checks the folder, the folds and the cascade's first stage as predict does.
        TrainedModel.Location where = TrainedModels.locate(model, configuration, folds);
        located.put(configuration, where);
        String previous = where.plans().configuration(configuration).previousStage();
        if (previous != null) {
            locate(model, previous, where.folds(), located);
        }
    }

    /** A configuration's files and its folds' inference models, under {@code CONFIG/}. */
    private static void addConfiguration(String config, TrainedModel.Location where, SortedMap<String, Path> files)
            throws IOException {
        for (String f : CONFIGURATION_FILES) {
            Path p = where.folder().resolve(f);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                files.put(config + "/" + f, p);
            }
        }
        for (String fold : where.folds()) {
            String name = TrainedModel.FOLD_PREFIX + fold + "/" + TrainedModel.INFERENCE_MODEL;
            Path dir = where.folder().resolve(name);
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted().toList()) {
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        files.put(config + "/" + name + "/" + dir.relativize(p).toString().replace('\\', '/'), p);
                    }
                }
            }
        }
    }

    /**
     * The selection's files and an ensemble's postprocessing rule; {@link ChosenModel#FILE} names
     * the folds exported (written into a temporary folder, returned for deleting) where they
     * differ from the choice's.
     */
    private static Path addChoice(Path models, ChosenModel chosen, List<String> folds, SortedMap<String, Path> files)
            throws IOException {
        for (String f : SELECTION_FILES) {
            Path p = models.resolve(f);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                files.put(f, p);
            }
        }
        Path rule = models.resolve(chosen.postprocessing()).normalize();
        if (chosen.isEnsemble() && rule.startsWith(models.resolve(ChosenModel.ENSEMBLES))
                && Files.isRegularFile(rule, LinkOption.NOFOLLOW_LINKS)) {
            files.put(models.relativize(rule).toString().replace('\\', '/'), rule);
        }
        if (folds.equals(chosen.folds())) {
            return null;
        }
        Path tmp = Files.createTempDirectory("nnunet-export-");
        new ChosenModel(chosen.name(), chosen.configurations(), folds, chosen.postprocessing(),
                chosen.crossValidationDice()).write(tmp);
        files.put(ChosenModel.FILE, tmp.resolve(ChosenModel.FILE));
        return tmp;
    }
}
