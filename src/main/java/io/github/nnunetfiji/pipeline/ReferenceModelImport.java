package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.github.nnunetfiji.engine.CheckpointFile;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.inference.models.InstalledModel;
import io.github.nnunetfiji.inference.models.ModelInstaller;
import io.github.nnunetfiji.inference.models.ModelRefusedException;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.inference.reference.ReferenceImport;
import io.github.nnunetfiji.inference.reference.ReferenceModelException;
import io.github.nnunetfiji.inference.reference.ReferencePlans;
import io.github.nnunetfiji.inference.reference.ReferencePostprocessing;
import io.github.nnunetfiji.inference.reference.ReferenceTrainerFolder;
import io.github.nnunetfiji.inference.reference.ReferenceWeights;
import io.github.nnunetfiji.io.torch.TorchCheckpoint;
import io.github.nnunetfiji.io.torch.TorchCheckpointException;
import io.github.nnunetfiji.io.torch.TorchTensor;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.util.AtomicFiles;
import io.github.nnunetfiji.util.Progress;

/**
 * Installs a model the reference implementation (nnU-Net v2) trained, given as its trainer folder
 * ({@code TRAINER__PLANS__CONFIG}, or a folder above it) or as its {@code nnUNetv2_export_model_to_zip}
 * archive, as a model of this project (docs/inference.md, "Models trained by the reference
 * implementation"): per configuration {@code plans.json} translated ({@link ReferencePlans}), the
 * reference's {@code dataset.json}, {@code postprocessing.json} from the reference's decision on the
 * imported folds (or none), and per fold the engine's inference model of the checkpoint's weights;
 * the reference's own files are kept under {@code reference/}. The source is unpacked and checked
 * as any model is ({@link ModelInstaller}: links, entries outside the folder, twice, zip bombs), and
 * the result installed all or nothing.
 */
public final class ReferenceModelImport {

    /** Where the reference's own plans, dataset.json, fingerprint and postprocessing are kept. */
    public static final String REFERENCE_FILES = "reference";

    private ReferenceModelImport() {
    }

    /** Whether {@code source} (a folder or zip) holds a model folder of the reference implementation. */
    public static boolean isReferenceModel(Path source) throws IOException {
        return ReferenceTrainerFolder.holdsOne(source);
    }

    /**
     * The name a reference model gets when none is given: {@code DatasetXXX_Name_CONFIG} for one
     * trainer folder, else the folder's or zip's name.
     */
    public static String defaultName(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            List<ReferenceTrainerFolder> found = ReferenceTrainerFolder.find(source);
            if (found.size() == 1) {
                ReferenceTrainerFolder t = found.get(0);
                String n = t.datasetFolderName().map(d -> d + "_").orElse("") + t.configuration();
                return n.replaceAll("[^A-Za-z0-9._-]", "_");
            }
        }
        return ModelInstaller.defaultName(source);
    }

    /** Installs the reference model {@code source} as {@code name} (blank: {@link #defaultName}). */
    public static InstalledModel install(Path source, String name, ModelRegistry registry, boolean replace,
            Progress progress) throws IOException {
        if (!Files.exists(source)) {
            throw new IOException("Model not found: " + source + ". Choose the reference's trained model folder "
                    + "(TRAINER__PLANS__CONFIG) or its exported .zip.");
        }
        String n = name == null || name.isBlank() ? defaultName(source) : name;
        return ModelInstaller.install(source, n, registry, replace, progress,
                (unpacked, into, p) -> convert(source, unpacked, into, p));
    }

    private static Path convert(Path source, Path unpacked, Path into, Progress progress) throws IOException {
        // A trainer folder given itself is copied under another name: its name is the source's.
        Optional<ReferenceTrainerFolder> given = Files.isDirectory(source) && source.getFileName() != null
                ? ReferenceTrainerFolder.named(unpacked, source.toRealPath().getFileName().toString()) : Optional.empty();
        List<ReferenceTrainerFolder> trainers = given.isPresent() ? List.of(given.get())
                : ReferenceTrainerFolder.find(unpacked);
        if (trainers.isEmpty()) {
            throw new ModelRefusedException(source + " holds no model folder of the reference implementation: a "
                    + "folder named TRAINER__PLANS__CONFIG (such as nnUNetTrainer__nnUNetPlans__2d) with plans.json, "
                    + "dataset.json and fold_K/checkpoint_final.pth, at its top or below DatasetXXX_Name/.");
        }
        Set<String> configurations = new HashSet<>();
        for (ReferenceTrainerFolder t : trainers) {
            if (trainers.size() > 1 && (!configurations.add(t.configuration())
                    || !List.of("2d", "3d_fullres", "3d_lowres", "3d_cascade_fullres").contains(t.configuration()))) {
                throw new ModelRefusedException(source + " holds " + trainers.size() + " trained models, among them "
                        + unpacked.relativize(t.folder()) + ", whose configuration is named twice or is not one of 2d, "
                        + "3d_fullres, 3d_lowres, 3d_cascade_fullres: import one trainer folder at a time (unzip the archive and give "
                        + "the folder).");
            }
        }
        try (Engine engine = EngineLoader.load(EngineOptions.cpu(Math.max(1, Runtime.getRuntime().availableProcessors())))) {
            for (ReferenceTrainerFolder t : trainers) {
                Path target = trainers.size() == 1 ? into : into.resolve(t.configuration());
                // Messages name the user's files: the folder given, or the entries of the zip.
                String shown = given.isPresent() ? source.toString()
                        : source + (Files.isDirectory(source) ? "/" : ": ") + unpacked.relativize(t.folder());
                convertOne(engine, t, Files.createDirectories(target), shown, progress);
            }
        } catch (ReferenceModelException e) {
            // What the reference's files hold is refused as a model is: named, nothing installed.
            throw new ModelRefusedException(e.getMessage(), e);
        }
        return into;
    }

    private static void convertOne(Engine engine, ReferenceTrainerFolder t, Path target, String shown,
            Progress progress) throws IOException {
        Path plansFile = t.folder().resolve(ReferenceTrainerFolder.PLANS);
        Path datasetFile = t.folder().resolve(ReferenceTrainerFolder.DATASET);
        Path fingerprintFile = t.folder().resolve(ReferenceTrainerFolder.FINGERPRINT);
        JsonObject plans = readJson(plansFile, shown);
        JsonObject dataset = readJson(datasetFile, shown);
        if (!plans.has("foreground_intensity_properties_per_channel") && Files.isRegularFile(fingerprintFile)) {
            // Older plans keep the CT statistics in the fingerprint only.
            JsonObject fp = readJson(fingerprintFile, shown);
            if (fp.has("foreground_intensity_properties_per_channel")) {
                plans.add("foreground_intensity_properties_per_channel",
                        fp.get("foreground_intensity_properties_per_channel"));
            }
        }
        SortedMap<String, Path> checkpoints = t.checkpoints();
        String config = t.configuration();
        JsonObject configuration = ReferencePlans.configuration(plans, config, shown + "/plans.json");
        List<Integer> mirror = null;
        Plans ours = null;
        for (var fold : checkpoints.entrySet()) {
            progress.checkCanceled();
            String where = shown + "/" + t.folder().relativize(fold.getValue());
            progress.status("Converting " + where);
            TorchCheckpoint c;
            try {
                c = TorchCheckpoint.read(fold.getValue());
            } catch (TorchCheckpointException e) {
                throw new ModelRefusedException(e.getMessage().replace(fold.getValue().toString(), where), e);
            }
            List<Integer> axes = mirrorAxes(c, where);
            if (ours == null) {
                mirror = axes;
                ours = ReferencePlans.translate(plans, config, dataset, axes, shown + "/plans.json",
                        shown + "/dataset.json");
            } else if (!java.util.Objects.equals(mirror, axes)) {
                throw new ReferenceModelException("The reference model " + where + " allows mirroring along "
                        + axes + ", the other folds along " + mirror + ": its folds were trained differently; import "
                        + "them one at a time");
            }
            Map<String, TorchTensor> weights;
            try {
                weights = c.tensors("network_weights");
            } catch (TorchCheckpointException e) {
                throw new ModelRefusedException(e.getMessage().replace(fold.getValue().toString(), where), e);
            }
            NetworkSpec spec = ReferenceImport.spec(configuration, weights, where);
            NetworkSpec planned;
            try {
                planned = new PlanNetworkAdapter().spec(ours, config);
            } catch (IllegalArgumentException e) {
                throw new ReferenceModelException("The reference model " + shown + "/dataset.json cannot be imported: "
                        + e.getMessage());
            }
            if (spec.inputChannels() != planned.inputChannels() || spec.classes() != planned.classes()) {
                throw new ReferenceModelException("The reference model " + where + " takes " + spec.inputChannels()
                        + " channel(s) and predicts " + spec.classes() + " classes, while its dataset.json names "
                        + planned.inputChannels() + " channel(s) and " + planned.classes() + " classes: give the "
                        + "dataset.json the model was trained with");
            }
            Map<String, CheckpointFile.Array> mapped = ReferenceWeights.map(spec, weights, where);
            Path fd = Files.createDirectories(target.resolve(TrainedModel.FOLD_PREFIX + fold.getKey()));
            Path engineCheckpoint = fd.resolve("reference.ckpt");
            ReferenceImport.write(engine, spec, mapped, engineCheckpoint);
            try (Network net = engine.loadCheckpoint(engineCheckpoint)) {
                net.exportInferenceModel(fd.resolve(TrainedModel.INFERENCE_MODEL));
            } finally {
                Files.deleteIfExists(engineCheckpoint);
            }
        }
        ours.write(target.resolve(TrainedModel.PLANS));
        Files.copy(datasetFile, target.resolve(TrainedModel.DATASET));
        postprocessing(t, checkpoints.keySet(), ours, shown).write(target.resolve(TrainedModel.POSTPROCESSING));
        Path keep = Files.createDirectories(target.resolve(REFERENCE_FILES));
        for (Path f : List.of(plansFile, datasetFile, fingerprintFile)) {
            if (Files.isRegularFile(f)) {
                Files.copy(f, keep.resolve(f.getFileName()));
            }
        }
        Optional<Path> pp = t.postprocessing(checkpoints.keySet());
        if (pp.isPresent()) {
            Files.copy(pp.get(), keep.resolve(ReferenceTrainerFolder.POSTPROCESSING));
        }
        AtomicFiles.writeString(keep.resolve("source.txt"), "Imported from the reference implementation's trained "
                + "model " + shown + " (trainer " + t.trainer() + ", plans " + t.plansName() + ", configuration "
                + config + ", folds " + String.join(" ", checkpoints.keySet()) + ", checkpoints "
                + checkpoints.values().stream().map(p -> p.getFileName().toString()).distinct().toList() + ").\n");
    }

    /**
     * The checkpoint's mirroring axes (network axes); null where it says None, which is the
     * reference's "no mirroring"; a checkpoint without the entry is refused.
     */
    private static List<Integer> mirrorAxes(TorchCheckpoint c, String where) throws IOException {
        if (!(c.root() instanceof java.util.Map<?, ?> root) || !root.containsKey("inference_allowed_mirroring_axes")) {
            throw new ReferenceModelException("The reference model " + where + " has no "
                    + "inference_allowed_mirroring_axes: it is no checkpoint of the reference's nnUNetTrainer (v2). "
                    + "Give the fold's checkpoint_final.pth");
        }
        Object axes = root.get("inference_allowed_mirroring_axes");
        if (axes == null) {
            return null;
        }
        if (!(axes instanceof List<?> list)) {
            throw new ReferenceModelException("The reference model " + where + " gives inference_allowed_mirroring_"
                    + "axes as " + axes + ", not as a tuple of axes");
        }
        List<Integer> r = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Long v)) {
                throw new ReferenceModelException("The reference model " + where + " names the mirroring axis " + o);
            }
            r.add(v.intValue());
        }
        return r;
    }

    /**
     * The reference's decision for exactly the imported folds, as this project's rule; none if it
     * made none (as the reference's predictor, which postprocesses only when told to).
     */
    private static PostprocessingRule postprocessing(ReferenceTrainerFolder t, Set<String> folds, Plans plans,
            String shown) throws IOException {
        Optional<Path> file = t.postprocessing(folds);
        int[] foreground = plans.labels().keySet().stream().filter(v -> v > 0)
                .filter(v -> !"ignore".equals(plans.labels().get(v))).mapToInt(Integer::intValue).toArray();
        if (file.isEmpty()) {
            Optional<Path> pickle = t.postprocessingPickle(folds);
            if (pickle.isPresent()) {
                throw new ReferenceModelException("The reference model " + shown + " holds "
                        + t.folder().relativize(pickle.get()) + " without the postprocessing.json the reference writes "
                        + "beside it (the pickle holds Python code and is not read): copy postprocessing.json into "
                        + "that folder, or remove the pickle to import the model without postprocessing");
            }
            return PostprocessingRule.none().addNote("The reference implementation determined no postprocessing "
                    + "for folds " + String.join(" ", folds) + " of this model.");
        }
        String where = shown + "/" + t.folder().relativize(file.get());
        ReferencePostprocessing d = ReferencePostprocessing.read(readJson(file.get(), shown), foreground, where);
        int[] classes = d.classes();
        java.util.Arrays.sort(classes); // the reference's order is dataset.json's, ascending; this rule's too
        return new PostprocessingRule(PostprocessingRule.CROSS_VALIDATION, d.largestForeground(), classes)
                .addNote("Determined by the reference implementation on the cross-validation of folds "
                        + String.join(" ", folds) + " (" + where + ").");
    }

    private static JsonObject readJson(Path file, String shown) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelRefusedException("The reference model " + shown + " lacks " + file.getFileName()
                    + ", which the reference writes into every trained model folder; copy it from the training's "
                    + "results folder.");
        }
        try {
            return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new ModelRefusedException("The reference model " + shown + ": " + file.getFileName()
                    + " is no JSON object (" + e.getMessage() + "); copy it again from the training's results folder.",
                    e);
        }
    }
}
