package io.github.nnunetfiji.bioimageio;

import static io.github.nnunetfiji.bioimageio.InputPreprocessing.ordered;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.SavedModelExport;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;

/**
 * The {@code rdf.yaml} (bioimage.io model format {@value #FORMAT_VERSION}) and the documentation of
 * one exported configuration and fold. Spatial axes are listed slowest first, as the format wants
 * ({@link TestTile}); each input axis takes the plan's patch edge or more in steps of the network's
 * size divisor, and each output axis is the input's with a halo of a quarter patch to crop, so
 * that tiles keep their centres, where nnU-Net's Gaussian weighting trusts them most.
 */
final class ModelDescription {

    static final String FORMAT_VERSION = "0.5.7";
    static final String RDF = "rdf.yaml";
    static final String DOCUMENTATION = "README.md";
    static final String COVER = "cover.png";
    static final String TEST_INPUT = "test_input.npy";
    static final String TEST_OUTPUT = "test_output.npy";
    static final String WEIGHTS = "tf_saved_model.zip";
    static final String INPUT_ID = "input";
    static final String OUTPUT_ID = "probabilities";
    static final String NNUNET_CITATION = "Isensee, F., Jaeger, P. F., Kohl, S. A. A., Petersen, J. & Maier-Hein, "
            + "K. H. nnU-Net: a self-configuring method for deep learning-based biomedical image segmentation. "
            + "Nature Methods 18, 203-211 (2021).";
    static final String NNUNET_DOI = "10.1038/s41592-020-01008-z";

    /** What is lost against nnU-Net's own prediction; the same list goes into README.md and docs. */
    static final List<String> NOT_EXPRESSED = List.of(
            "resampling to the plan's voxel spacing: give images at the spacing stated as each axis's scale",
            "cropping to the nonzero region before normalization",
            "test-time mirroring (nnU-Net averages the prediction over mirrored copies)",
            "the ensemble of cross-validation folds: one fold's network is exported",
            "Gaussian weighting of overlapping tiles (the output's halo crops tile borders instead)",
            "postprocessing (keeping the largest connected component of some classes)",
            "the cascade (a second stage that takes a first stage's segmentation)");

    /** Who and under what terms, from the request. */
    record Terms(List<String> authors, String license, String timestamp, String version) {
    }

    private final Plans plans;
    private final PlanConfiguration configuration;
    private final String fold;
    private final NetworkSpec spec;
    private final TestTile tile;
    private final InputPreprocessing preprocessing;
    private final SavedModelExport weights;

    ModelDescription(Plans plans, String configuration, String fold, TestTile tile, InputPreprocessing preprocessing,
            SavedModelExport weights) {
        this.plans = plans;
        this.configuration = plans.configuration(configuration);
        this.fold = fold;
        this.spec = new PlanNetworkAdapter().spec(plans, configuration);
        this.tile = tile;
        this.preprocessing = preprocessing;
        this.weights = weights;
    }

    String name() {
        return "nnU-Net " + plans.datasetName() + " " + configuration.name() + " fold " + fold;
    }

    List<String> classNames() {
        List<String> names = new ArrayList<>();
        for (Map.Entry<Integer, String> e : plans.labels().entrySet()) {
            if (e.getKey() < spec.classes()) {
                names.add(identifier(e.getValue(), "class" + e.getKey()));
            }
        }
        return names;
    }

    /** @param sha256 the SHA-256 of each file by its name in the package */
    Map<String, Object> rdf(Terms terms, Map<String, String> sha256) {
        Map<String, Object> rdf = ordered("format_version", FORMAT_VERSION, "type", "model", "name", name());
        rdf.put("description", "nnU-Net segmentation (" + configuration.name() + ", fold " + fold + ") of data set "
                + plans.datasetName() + ", exported by nnU-Net for Fiji " + terms.version() + ": softmax "
                + "probabilities per class");
        List<Object> authors = new ArrayList<>();
        for (String a : terms.authors()) {
            authors.add(ordered("name", a));
        }
        rdf.put("authors", authors);
        rdf.put("cite", List.of(ordered("text", NNUNET_CITATION, "doi", NNUNET_DOI)));
        rdf.put("license", terms.license());
        rdf.put("documentation", DOCUMENTATION);
        rdf.put("covers", List.of(COVER));
        rdf.put("tags", List.of("nnu-net", "segmentation", tile.spatialAxes().size() == 2 ? "2d" : "3d",
                "tensorflow", "nnunet-fiji"));
        rdf.put("timestamp", terms.timestamp());
        rdf.put("inputs", List.of(input(sha256)));
        rdf.put("outputs", List.of(output(sha256)));
        rdf.put("weights", ordered("tensorflow_saved_model_bundle", ordered("source", WEIGHTS, "sha256",
                sha256.get(WEIGHTS), "tensorflow_version", weights.tensorflowVersion())));
        rdf.put("config", ordered("nnunet_fiji", ordered("dataset", plans.datasetName(), "configuration",
                configuration.name(), "fold", fold, "planner", plans.planner(), "patch_size", patch(),
                "spacing", spacing(), "normalization", preprocessing.scheme(), "signature", weights.signature(),
                "tag", weights.tag())));
        return rdf;
    }

    private Map<String, Object> input(Map<String, String> sha256) {
        List<Object> axes = new ArrayList<>();
        axes.add(ordered("type", "batch"));
        List<String> channels = new ArrayList<>();
        for (int c = 0; c < spec.inputChannels(); c++) {
            String name = c < plans.channelNames().size() ? plans.channelNames().get(c) : null;
            channels.add(identifier(name, "channel" + c));
        }
        axes.add(ordered("type", "channel", "channel_names", channels));
        int[] divisor = spec.sizeDivisor();
        List<Long> patch = patch();
        for (int i = 0; i < tile.spatialAxes().size(); i++) {
            int networkAxis = tile.networkAxes().length - 1 - i;
            axes.add(ordered("type", "space", "id", tile.spatialAxes().get(i),
                    "size", ordered("min", patch.get(i), "step", (long) divisor[networkAxis]),
                    "scale", configuration.spacing()[tile.networkAxes()[networkAxis]]));
        }
        Map<String, Object> t = ordered("id", INPUT_ID, "description", "raw intensities, channels as in training",
                "axes", axes, "test_tensor", ordered("source", TEST_INPUT, "sha256", sha256.get(TEST_INPUT)));
        t.put("data", ordered("type", "float32"));
        t.put("preprocessing", preprocessing.steps(tile.spatialAxes()));
        return t;
    }

    private Map<String, Object> output(Map<String, String> sha256) {
        List<Object> axes = new ArrayList<>();
        axes.add(ordered("type", "batch"));
        axes.add(ordered("type", "channel", "channel_names", classNames()));
        List<Long> patch = patch();
        for (int i = 0; i < tile.spatialAxes().size(); i++) {
            String id = tile.spatialAxes().get(i);
            axes.add(ordered("type", "space", "id", id, "size", ordered("tensor_id", INPUT_ID, "axis_id", id),
                    "halo", Math.max(1, patch.get(i) / 4),
                    "scale", configuration.spacing()[tile.networkAxes()[tile.networkAxes().length - 1 - i]]));
        }
        Map<String, Object> t = ordered("id", OUTPUT_ID, "description", "softmax probability of each class",
                "axes", axes, "test_tensor", ordered("source", TEST_OUTPUT, "sha256", sha256.get(TEST_OUTPUT)));
        t.put("data", ordered("type", "float32", "range", List.of(0.0, 1.0)));
        return t;
    }

    /** The plan's patch, spatial axes slowest first. */
    private List<Long> patch() {
        List<Long> p = new ArrayList<>();
        for (int i = 2; i < tile.shape().length; i++) {
            p.add(tile.shape()[i]);
        }
        return p;
    }

    /** The plan's spacing along the spatial axes, slowest first. */
    private List<Double> spacing() {
        List<Double> s = new ArrayList<>();
        int[] axes = tile.networkAxes();
        for (int i = axes.length - 1; i >= 0; i--) {
            s.add(configuration.spacing()[axes[i]]);
        }
        return s;
    }

    String documentation(Terms terms) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(name()).append("\n\n");
        sb.append("A U-Net trained by nnU-Net for Fiji ").append(terms.version()).append(" on data set ")
                .append(plans.datasetName()).append(" (configuration ").append(configuration.name())
                .append(", cross-validation fold ").append(fold).append(", planner ").append(plans.planner())
                .append("), in the bioimage.io model format ").append(FORMAT_VERSION).append(".\n\n");
        sb.append("## Input\n\n");
        sb.append("`").append(INPUT_ID).append("`: axes b, c, ").append(String.join(", ", tile.spatialAxes()))
                .append(" (slowest first); channels ").append(String.join(", ", channelNames())).append(". Tiles of ")
                .append(joinX(patch())).append(" voxels (the plan's patch) or larger in steps of the network's "
                        + "size divisor. nnU-Net for Fiji itself orders axes x, y, z with x fastest; the export "
                        + "lists them the other way round, as the format does, and moves the channels first.\n\n");
        sb.append("The network was trained on images resampled to a voxel spacing of ").append(joinX(spacing()))
                .append(" (the axes' `scale`, in the training images' units): give images at that spacing.\n\n");
        sb.append("Normalization: ").append(preprocessing.difference()).append(".\n\n");
        sb.append("## Output\n\n");
        sb.append("`").append(OUTPUT_ID).append("`: the softmax probability of each class (")
                .append(String.join(", ", classNames())).append("), on the input's grid; the label image is the "
                        + "most probable class per voxel. Crop the halo (a quarter of the patch on each side) of "
                        + "overlapping tiles.\n\n");
        sb.append("## What this format leaves out\n\n");
        sb.append("nnU-Net for Fiji's own prediction (its predict stage) does more than this file "
                + "can say, so its results are better:\n\n");
        for (String s : NOT_EXPRESSED) {
            sb.append("- ").append(s).append('\n');
        }
        sb.append("\n## Validation\n\n");
        sb.append("Compare the label images (the most probable class per voxel) with reference segmentations of "
                + "images not used in training, per class by the Dice coefficient; nnU-Net for Fiji's evaluate "
                + "command computes it for a folder of predictions.\n\n");
        sb.append("## Citation\n\n").append(NNUNET_CITATION).append(" https://doi.org/").append(NNUNET_DOI)
                .append('\n');
        return sb.toString();
    }

    private List<String> channelNames() {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < spec.inputChannels(); c++) {
            names.add(c < plans.channelNames().size() ? plans.channelNames().get(c) : "channel" + c);
        }
        return names;
    }

    private static String joinX(List<? extends Number> v) {
        List<String> s = new ArrayList<>();
        for (Number n : v) {
            s.add(n instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : n.toString());
        }
        return String.join(" x ", s);
    }

    /** A name as the format's identifiers take it: letters, digits and underscores. */
    static String identifier(String name, String fallback) {
        if (name == null || name.isBlank()) {
            return fallback;
        }
        String s = name.trim().replaceAll("[^A-Za-z0-9_]+", "_");
        return s.isEmpty() || s.equals("_") ? fallback : s;
    }
}
