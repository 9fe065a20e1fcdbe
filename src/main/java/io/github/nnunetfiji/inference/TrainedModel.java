package io.github.nnunetfiji.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.postprocess.PostprocessingDecision;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.RequestField;

/**
 * A trained model loaded for prediction: the plans of a model folder (docs/training.md, "The model folder";
 * {@code WORK/<data set>/models/<CONFIG>/}) and the exported networks of the chosen folds. The
 * folder is self-contained: nothing else is read, except for the cascade's second stage
 * ({@code 3d_cascade_fullres}), which also loads its first stage from the sibling folder named
 * after it ({@code models/3d_lowres}), with the same folds. Closing frees the networks.
 */
public final class TrainedModel implements AutoCloseable {

    public static final String PLANS = "plans.json";
    public static final String DATASET = "dataset.json";
    public static final String FINGERPRINT = "dataset_fingerprint.json";
    public static final String POSTPROCESSING = "postprocessing.json";
    public static final String INFERENCE_MODEL = "inference_model";
    /** Fold folders are {@code fold_0 .. fold_4} or {@code fold_all}. */
    public static final String FOLD_PREFIX = "fold_";

    private final Path folder;
    private final Plans plans;
    private final String configuration;
    private final List<String> folds;
    private final List<InferenceModel> networks;
    private final TrainedModel previousStage;

    private TrainedModel(Path folder, Plans plans, String configuration, List<String> folds,
            List<InferenceModel> networks, TrainedModel previousStage) {
        this.previousStage = previousStage;
        this.folder = folder;
        this.plans = plans;
        this.configuration = configuration;
        this.folds = List.copyOf(folds);
        this.networks = List.copyOf(networks);
    }

    /**
     * The model folder of a configuration: {@code model} itself if it holds {@value #PLANS}, else
     * {@code model/CONFIG} (a data set's {@code models} folder); {@code configuration} may be null
     * where that is unambiguous.
     *
     * @throws ModelFolderException naming what is missing and what exists
     */
    public static Path resolveFolder(Path model, String configuration) throws ModelFolderException {
        if (!Files.isDirectory(model)) {
            throw new ModelFolderException(Message.of("Model folder not found: ", model, "; give as ",
                    RequestField.MODEL, " a trained model folder (WORK/<data set>/models/<CONFIG>)"));
        }
        if (Files.isRegularFile(model.resolve(PLANS))) {
            if (configuration != null && !configuration.equals(model.getFileName().toString())) {
                Path sibling = model.resolveSibling(configuration);
                if (Files.isRegularFile(sibling.resolve(PLANS))) {
                    return sibling;
                }
                if (!isConfigurationName(model)) {
                    return model; // an installed model, named freely: load() checks its configuration
                }
                throw new ModelFolderException(model + " holds configuration " + model.getFileName() + ", not "
                        + configuration + "; give the models folder or the folder of " + configuration);
            }
            return model;
        }
        List<String> configs = new ArrayList<>();
        try (Stream<Path> s = Files.list(model)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p.resolve(PLANS))) {
                    configs.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new ModelFolderException("Cannot list " + model + ": " + e.getMessage());
        }
        if (configuration != null) {
            if (configs.contains(configuration)) {
                return model.resolve(configuration);
            }
            throw new ModelFolderException("No trained configuration " + configuration + " in " + model
                    + (configs.isEmpty() ? " (no " + PLANS + " found: is this a model folder?)" : "; found " + configs));
        }
        if (configs.size() == 1) {
            return model.resolve(configs.get(0));
        }
        throw new ModelFolderException(configs.isEmpty() ? Message.of(model, " holds no ", PLANS,
                ": give a trained model folder (WORK/<data set>/models/<CONFIG>)")
                : Message.of(model, " holds several configurations ", configs, "; choose one with ",
                        RequestField.CONFIGURATION));
    }

    /** Folds of a model folder with an exported network, {@code 0 .. 4} then {@code all}. */
    public static List<String> availableFolds(Path folder) throws IOException {
        List<String> folds = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            if (Files.isDirectory(folder.resolve(FOLD_PREFIX + k).resolve(INFERENCE_MODEL))) {
                folds.add(Integer.toString(k));
            }
        }
        if (Files.isDirectory(folder.resolve(FOLD_PREFIX + "all").resolve(INFERENCE_MODEL))) {
            folds.add("all");
        }
        return folds;
    }

    /**
     * Where a model's files are, checked without loading a network: its folder, configuration and
     * folds.
     *
     * @param folder        the configuration's model folder
     * @param plans         its plans
     * @param configuration the configuration (the folder's name), or null for an installed model
     *                      whose configuration is decided from its network when it is loaded
     * @param folds         the folds to use, each with an exported network
     */
    public record Location(Path folder, Plans plans, String configuration, List<String> folds) {

        public Location {
            folds = List.copyOf(folds);
        }
    }

    /**
     * Finds and checks a model folder, its configuration and folds, loading no network.
     *
     * @param model         a model folder, or the {@code models} folder holding one per configuration
     * @param configuration the configuration, or null where {@code model} leaves no choice
     * @param folds         fold names ({@code 0 .. 4}, {@code all}), or empty for every trained
     *                      fold of the cross-validation (0 .. 4; {@code all} if there are none)
     * @throws ModelFolderException naming what is missing and what exists
     */
    public static Location locate(Path model, String configuration, List<String> folds) throws IOException {
        Path folder = resolveFolder(model, configuration);
        String config = folder.getFileName().toString();
        Plans plans = Plans.read(folder.resolve(PLANS));
        boolean named = plans.has(config) || isConfigurationName(folder);
        if (!named && configuration != null) {
            config = configuration;
        }
        if (named && !plans.has(config) || !named && configuration != null && !plans.has(config)) {
            throw new ModelFolderException(folder.resolve(PLANS) + " has no configuration " + config + " (it has "
                    + plans.configurations().keySet() + ")" + (named ? "; the folder's name must be its configuration" : ""));
        }
        List<String> available = availableFolds(folder);
        List<String> chosen = new ArrayList<>(folds);
        if (chosen.isEmpty()) {
            chosen.addAll(available.stream().filter(f -> !f.equals("all")).toList());
            if (chosen.isEmpty()) {
                chosen.addAll(available);
            }
            if (chosen.isEmpty()) {
                throw new ModelFolderException("No trained fold in " + folder + " (no fold_K/" + INFERENCE_MODEL
                        + "); train the model first");
            }
        }
        for (String f : chosen) {
            if (!available.contains(f)) {
                throw new ModelFolderException("Fold " + f + " has no exported network in " + folder + " (looked for "
                        + FOLD_PREFIX + f + "/" + INFERENCE_MODEL + "); trained folds: " + available);
            }
        }
        if (plans.has(config) && plans.configuration(config).previousStage() != null) {
            previousStageFolder(folder, plans.configuration(config).previousStage(), chosen);
        }
        // An installed model named freely, with no configuration given: decided from its network on loading.
        return new Location(folder, plans, named || configuration != null ? config : null, chosen);
    }

    /**
     * The first stage of a cascade's second stage: the sibling folder named after it, trained in the
     * same folds.
     *
     * @throws ModelFolderException naming the folder and the folds to train
     */
    static Location previousStageFolder(Path folder, String previous, List<String> folds) throws IOException {
        Path sibling = folder.resolveSibling(previous);
        if (!Files.isRegularFile(sibling.resolve(PLANS))) {
            throw new ModelFolderException(folder + " is the second stage of a cascade; its first stage, " + previous
                    + ", is read from the sibling folder " + sibling + ", which holds no " + PLANS + ": train "
                    + previous + " (or put its model folder there)");
        }
        List<String> available = availableFolds(sibling);
        for (String f : folds) {
            if (!available.contains(f)) {
                throw new ModelFolderException("The cascade's first stage " + sibling + " has no exported network of fold "
                        + f + " (trained folds: " + available + "); train " + previous + " fold " + f
                        + ", or choose the folds both stages have");
            }
        }
        return locate(sibling, previous, folds);
    }

    /**
     * Loads a model.
     *
     * @param model         a model folder, or the {@code models} folder holding one per configuration
     * @param configuration the configuration, or null where {@code model} leaves no choice
     * @param folds         fold names ({@code 0 .. 4}, {@code all}), or empty for every trained
     *                      fold of the cross-validation (0 .. 4; {@code all} if there are none)
     */
    public static TrainedModel load(Path model, String configuration, List<String> folds, Engine engine)
            throws IOException {
        return load(locate(model, configuration, folds), engine);
    }

    /** Loads the networks of a located model. */
    public static TrainedModel load(Location where, Engine engine) throws IOException {
        Path folder = where.folder();
        String config = where.configuration();
        Plans plans = where.plans();
        List<String> chosen = where.folds();
        List<InferenceModel> nets = new ArrayList<>();
        try {
            for (String f : chosen) {
                InferenceModel m = engine.loadInferenceModel(folder.resolve(FOLD_PREFIX + f).resolve(INFERENCE_MODEL));
                nets.add(m);
                if (config == null) {
                    config = configurationOf(folder, plans, m.spec());
                }
                NetworkSpec expected = new PlanNetworkAdapter().spec(plans, config);
                NetworkSpec s = m.spec();
                if (s.dims() != expected.dims() || s.inputChannels() != expected.inputChannels() || s.classes() != expected.classes()) {
                    throw new ModelFolderException("The network of fold " + f + " (" + s.dims() + "D, " + s.inputChannels()
                            + " channel(s), " + s.classes() + " classes) does not fit " + folder.resolve(PLANS) + " ("
                            + expected.dims() + "D, " + expected.inputChannels() + ", " + expected.classes() + ")");
                }
            }
        } catch (IOException | RuntimeException e) {
            nets.forEach(InferenceModel::close);
            throw e;
        }
        TrainedModel previous = null;
        String previousConfig = plans.configuration(config).previousStage();
        if (previousConfig != null) {
            try {
                previous = load(previousStageFolder(folder, previousConfig, chosen), engine);
            } catch (IOException | RuntimeException e) {
                nets.forEach(InferenceModel::close);
                throw e;
            }
        }
        return new TrainedModel(folder, plans, config, chosen, nets, previous);
    }

    /** True if the folder is named as trainers name model folders (WORK/ds/models/CONFIG). */
    private static boolean isConfigurationName(Path folder) {
        return CONFIGURATION_NAMES.contains(folder.getFileName().toString());
    }

    private static final List<String> CONFIGURATION_NAMES = List.of("2d", "3d_fullres", "3d_lowres", "3d_cascade_fullres");

    /**
     * The configuration an installed model (a model folder under a name of its own) was trained
     * in: the one of its plans whose network is the exported one (same layout, features, kernels
     * and strides).
     */
    private static String configurationOf(Path folder, Plans plans, NetworkSpec exported) throws ModelFolderException {
        List<String> matching = new ArrayList<>();
        for (String c : plans.configurations().keySet()) {
            NetworkSpec s = new PlanNetworkAdapter().spec(plans, c);
            if (s.dims() == exported.dims() && s.inputChannels() == exported.inputChannels() && s.classes() == exported.classes()
                    && java.util.Arrays.equals(s.features(), exported.features())
                    && java.util.Arrays.deepEquals(s.kernelSizes(), exported.kernelSizes())
                    && java.util.Arrays.deepEquals(s.poolStrides(), exported.poolStrides())) {
                matching.add(c);
            }
        }
        if (matching.size() != 1) {
            throw new ModelFolderException("Cannot tell which configuration of " + folder.resolve(PLANS) + " ("
                    + plans.configurations().keySet() + ") the networks of " + folder + " were trained in"
                    + (matching.isEmpty() ? " (none matches)" : " (" + matching + " match)")
                    + "; give the configuration");
        }
        return matching.get(0);
    }

    public Path folder() {
        return folder;
    }

    public Plans plans() {
        return plans;
    }

    public String configuration() {
        return configuration;
    }

    /** The folds loaded, in order. */
    public List<String> folds() {
        return folds;
    }

    public List<InferenceModel> networks() {
        return networks;
    }

    /** The cascade's first stage, loaded with this second stage; null for other configurations. */
    public TrainedModel previousStage() {
        return previousStage;
    }

    /** A predictor for single images with these networks, without postprocessing. */
    public CasePredictor predictor(PredictionOptions options) {
        return new CasePredictor(plans, configuration, networks, options, PostprocessingRule.none(),
                previousStagePredictor(options));
    }

    /** The first stage's predictor for a cascade's second stage (probabilities on its own grid only), else null. */
    private CasePredictor previousStagePredictor(PredictionOptions options) {
        return previousStage == null ? null : previousStage.predictor(options.withProbabilities(false));
    }

    /**
     * A predictor for single images with these networks that applies the model's postprocessing
     * ({@link #postprocessingOf}) when {@code postprocess} is set: what predict does for every case
     * file and Segment Image for an image in memory.
     *
     * @throws IOException if the model's postprocessing rule cannot be read or does not fit the model
     */
    public CasePredictor predictor(PredictionOptions options, boolean postprocess) throws IOException {
        PostprocessingRule rule = postprocess ? postprocessingOf(folder, networks.get(0).spec().classes())
                : PostprocessingRule.none().addNote("Turned off.");
        return new CasePredictor(plans, configuration, networks, options, rule, previousStagePredictor(options));
    }

    /**
     * The rule predict applies: the model folder's postprocessing.json, else the paper's from its fingerprint
     * ({@link PostprocessingDecision#ofModel}).
     */
    public static PostprocessingRule postprocessingOf(Path modelFolder, int classes) throws IOException {
        return PostprocessingDecision.ofModel(modelFolder.resolve(POSTPROCESSING), modelFolder.resolve(FINGERPRINT), classes);
    }

    @Override
    public void close() {
        networks.forEach(InferenceModel::close);
        if (previousStage != null) {
            previousStage.close();
        }
    }
}
