package io.github.nnunetfiji.inference.reference;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;
import io.github.nnunetfiji.normalization.NormalizationSchemes;
import io.github.nnunetfiji.plan.ChannelNormalization;
import io.github.nnunetfiji.plan.NetworkTopology;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;

/**
 * One configuration of the reference's plans.json (with its dataset.json) as this project's
 * {@link Plans}: the preprocessing {@code predict} repeats (normalization per channel, with the
 * reference's foreground intensity properties for CT; target spacing; resampling orders and the
 * anisotropy rule), the network's topology, patch and the mirroring the trainer allowed.
 *
 * <p>Axes: the reference reads images as (z, y, x), this project's x, y, z reversed
 * ({@link io.github.nnunetfiji.image.AxisOrder}), then transposes them by {@code transpose_forward};
 * its configuration's per-axis lists are in that transposed order. Transposed axis j is the
 * reference's axis {@code transpose_forward[j]}, this project's axis {@code 2 - transpose_forward[j]}.
 * A 2D network sees the last two transposed axes and cuts slices across the first; this project's
 * 2D network sees the two other axes in increasing order, which the reference's planner always
 * gives (it moves the coarsest axis first and keeps the others' order). A 3D network is taken as it
 * is, so its transpose must be the identity; anything else is refused rather than run on swapped axes.
 */
public final class ReferencePlans {

    /** The reference's anisotropy threshold for resampling an axis separately (ANISO_THRESHOLD). */
    public static final double ANISOTROPY_THRESHOLD = 3.0;
    /** The reference's one resampling function, whose orders this project's resampling follows. */
    static final String RESAMPLING_FUNCTION = "resample_data_or_seg_to_shape";

    /** The reference's normalization classes and this project's scheme of the same arithmetic. */
    private static final Map<String, String> SCHEMES = Map.of("ZScoreNormalization", "ZScore", "CTNormalization", "CT",
            "NoNormalization", "NoNorm", "RescaleTo01Normalization", "RescaleTo01");

    private ReferencePlans() {
    }

    /**
     * The configuration {@code name} of the reference's {@code plans}, with what it inherits
     * ({@code inherits_from}) filled in; refused if there is no such configuration.
     */
    public static JsonObject configuration(JsonObject plans, String name, String where) {
        JsonObject all = plans.has("configurations") && plans.get("configurations").isJsonObject()
                ? plans.getAsJsonObject("configurations") : null;
        if (all == null) {
            throw refuse(where, "it has no 'configurations': it is no plans.json of the reference implementation "
                    + "(nnU-Net v2)");
        }
        return resolve(all, name, where, new HashSet<>());
    }

    private static JsonObject resolve(JsonObject all, String name, String where, Set<String> seen) {
        if (!all.has(name) || !all.get(name).isJsonObject()) {
            throw refuse(where, "it has no configuration '" + name + "' (it has " + all.keySet() + "); give the "
                    + "trainer folder the plans belong to");
        }
        if (!seen.add(name)) {
            throw refuse(where, "its configurations inherit from each other in a circle (" + seen + ")");
        }
        JsonObject own = all.getAsJsonObject(name);
        JsonObject r = new JsonObject();
        if (own.has("inherits_from") && !own.get("inherits_from").isJsonNull()) {
            JsonObject parent = resolve(all, own.get("inherits_from").getAsString(), where, seen);
            parent.entrySet().forEach(e -> r.add(e.getKey(), e.getValue()));
        }
        own.entrySet().forEach(e -> r.add(e.getKey(), e.getValue()));
        r.remove("inherits_from");
        return r;
    }

    /**
     * This project's plans for configuration {@code name}.
     *
     * @param plans       the reference's plans.json
     * @param dataset     the reference's dataset.json
     * @param mirrorAxes  the checkpoint's {@code inference_allowed_mirroring_axes} (network axes), null for none
     * @param where       the plans file, for messages
     * @param datasetFile the dataset.json file, for messages
     */
    public static Plans translate(JsonObject plans, String name, JsonObject dataset, List<Integer> mirrorAxes,
            String where, String datasetFile) {
        JsonObject c = configuration(plans, name, where);
        if (c.has("previous_stage") && !c.get("previous_stage").isJsonNull()) {
            throw refuse(where, "'" + name + "' is the second stage of a cascade (previous_stage "
                    + c.get("previous_stage").getAsString() + "): this project hands the first stage's segmentation "
                    + "over on another grid than the reference, so the network would see other inputs than in its "
                    + "training. Import the reference's 3d_fullres or 3d_lowres model instead");
        }
        ReferenceArchitecture.Layers layers = ReferenceArchitecture.layers(c, where);
        int dims = layers.dims();
        int[] tf = transpose(plans, where);
        int[] toPlanAxis = new int[dims]; // network axis -> this project's axis
        Integer sliceAxis = null;
        if (dims == 3) {
            if (tf[0] != 0 || tf[1] != 1 || tf[2] != 2) {
                throw refuse(where, "its 3D configuration '" + name + "' transposes the axes (transpose_forward "
                        + java.util.Arrays.toString(tf) + "); only 3D models without a transpose are imported. Use its 2D "
                        + "configuration, or a model planned for data whose coarsest axis is the first");
            }
            toPlanAxis = new int[] {2, 1, 0};
        } else {
            toPlanAxis = new int[] {2 - tf[1], 2 - tf[2]};
            sliceAxis = 2 - tf[0];
            if (toPlanAxis[1] > toPlanAxis[0]) {
                throw refuse(where, "its transpose_forward " + java.util.Arrays.toString(tf) + " orders the 2D "
                        + "network's axes unlike this project's 2D networks (the two in-plane axes in increasing "
                        + "order); no planner of the reference writes this");
            }
        }
        List<String> channels = channelNames(dataset, datasetFile);
        SortedMap<Integer, String> labels = labels(dataset, datasetFile);
        List<ChannelNormalization> normalization = normalization(c, channels, where);
        List<ChannelIntensityStatistics> stats = intensities(plans, channels, normalization, where);
        checkResampling(c, "resampling_fn_data", "resampling_fn_data_kwargs", null, where);
        checkResampling(c, "resampling_fn_probabilities", "resampling_fn_probabilities_kwargs", new int[] {1, 0},
                where);
        JsonObject dataKwargs = c.getAsJsonObject("resampling_fn_data_kwargs");
        JsonObject segKwargs = c.has("resampling_fn_seg_kwargs") && c.get("resampling_fn_seg_kwargs").isJsonObject()
                ? c.getAsJsonObject("resampling_fn_seg_kwargs") : new JsonObject();

        double[] originalSpacing = toPlan3(numbers(plans, "original_median_spacing_after_transp", where), tf);
        double[] originalShape = toPlan3(numbers(plans, "original_median_shape_after_transp", where), tf);
        double[] spacing = originalSpacing.clone();
        double[] configSpacing = numbers(c, "spacing", where);
        double[] patch = numbers(c, "patch_size", where);
        double[] median = c.has("median_image_size_in_voxels") ? numbers(c, "median_image_size_in_voxels", where)
                : patch;
        long[] patchSize = {1, 1, 1};
        long[] medianShape = {1, 1, 1};
        if (configSpacing.length != dims || patch.length != dims || median.length != dims) {
            throw refuse(where, "its spacing, patch_size or median_image_size_in_voxels has not " + dims + " entries");
        }
        for (int i = 0; i < dims; i++) {
            spacing[toPlanAxis[i]] = configSpacing[i];
            patchSize[toPlanAxis[i]] = Math.round(patch[i]);
            medianShape[toPlanAxis[i]] = Math.round(median[i]);
        }
        int stages = layers.features().length;
        int[][] kernels = new int[stages][];
        int[][] strides = new int[stages][];
        int[] poolings = new int[3];
        for (int s = 0; s < stages; s++) {
            kernels[s] = new int[] {1, 1, 1};
            strides[s] = new int[] {1, 1, 1};
            for (int i = 0; i < dims; i++) {
                kernels[s][toPlanAxis[i]] = layers.kernels()[s][i];
                strides[s][toPlanAxis[i]] = layers.strides()[s][i];
                poolings[toPlanAxis[i]] += layers.strides()[s][i] > 1 ? 1 : 0;
            }
        }
        int[] mirror = new int[mirrorAxes == null ? 0 : mirrorAxes.size()];
        for (int i = 0; i < mirror.length; i++) {
            int a = mirrorAxes.get(i);
            if (a < 0 || a >= dims) {
                throw refuse(where, "its checkpoint allows mirroring along the axis " + a + " of a " + dims
                        + "D network");
            }
            mirror[i] = toPlanAxis[a];
        }
        int[] features = layers.features();
        PlanConfiguration config = PlanConfiguration.builder(name)
                .dataIdentifier(c.has("data_identifier") ? c.get("data_identifier").getAsString() : name)
                .dimensions(dims).sliceAxis(sliceAxis).spacing(spacing).medianShape(medianShape)
                .datasetVoxels(0).patchSize(patchSize)
                .batchSize(c.has("batch_size") ? c.get("batch_size").getAsInt() : 2)
                .topology(new NetworkTopology(poolings, strides, kernels))
                .features(features[0], java.util.Arrays.stream(features).max().orElse(features[0]), features)
                .convolutionsPerStage(layers.convsPerStage())
                .normalization(normalization)
                .resampling(dataKwargs.get("order").getAsInt(),
                        segKwargs.has("order") ? segKwargs.get("order").getAsInt() : 1,
                        dataKwargs.get("order_z").getAsInt(), ANISOTROPY_THRESHOLD)
                .augmentation(dims == 2, sliceAxis)
                .batchDice(c.has("batch_dice") && c.get("batch_dice").getAsBoolean())
                .numEpochs(1000).iterationsPerEpoch(250).mirrorAxes(mirror).build();
        String datasetName = plans.has("dataset_name") ? plans.get("dataset_name").getAsString() : "reference";
        Plans p = new Plans(datasetName, "reference", channels, labels, originalSpacing, originalShape, stats);
        return p.withConfiguration(config);
    }

    private static int[] transpose(JsonObject plans, String where) {
        if (!plans.has("transpose_forward")) {
            return new int[] {0, 1, 2};
        }
        double[] t = numbers(plans, "transpose_forward", where);
        int[] r = new int[t.length];
        boolean[] seen = new boolean[3];
        for (int i = 0; i < t.length; i++) {
            r[i] = (int) t[i];
            if (t.length != 3 || r[i] < 0 || r[i] > 2 || seen[r[i]]) {
                throw refuse(where, "its transpose_forward " + plans.get("transpose_forward")
                        + " is no order of the three axes");
            }
            seen[r[i]] = true;
        }
        return r;
    }

    /** A per-axis list in the reference's transposed order as this project's x, y, z. */
    private static double[] toPlan3(double[] transposed, int[] tf) {
        double[] r = {1, 1, 1};
        for (int j = 0; j < Math.min(3, transposed.length); j++) {
            r[2 - tf[j]] = transposed[j];
        }
        return r;
    }

    static List<String> channelNames(JsonObject dataset, String where) {
        JsonObject names = dataset.has("channel_names") ? dataset.getAsJsonObject("channel_names")
                : dataset.has("modality") ? dataset.getAsJsonObject("modality") : null;
        if (names == null || names.size() == 0) {
            throw refuse(where, "it names no channels (channel_names)");
        }
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : names.entrySet()) {
            byIndex.put(Integer.parseInt(e.getKey().trim()), e.getValue().getAsString());
        }
        if (byIndex.firstKey() != 0 || byIndex.lastKey() != byIndex.size() - 1) {
            throw refuse(where, "its channel_names are not numbered 0 .. " + (byIndex.size() - 1));
        }
        return List.copyOf(byIndex.values());
    }

    static SortedMap<Integer, String> labels(JsonObject dataset, String where) {
        if (dataset.has("regions_class_order")) {
            throw refuse(where, "it trains on regions (regions_class_order), which this project does not predict; "
                    + "use a model trained on plain labels");
        }
        JsonObject labels = dataset.has("labels") && dataset.get("labels").isJsonObject()
                ? dataset.getAsJsonObject("labels") : null;
        if (labels == null) {
            throw refuse(where, "it has no labels");
        }
        SortedMap<Integer, String> r = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : labels.entrySet()) {
            if (!e.getValue().isJsonPrimitive()) {
                throw refuse(where, "its label '" + e.getKey() + "' is the region " + e.getValue()
                        + "; this project predicts plain labels only, not regions");
            }
            if (r.put(e.getValue().getAsInt(), e.getKey()) != null) {
                throw refuse(where, "its label value " + e.getValue() + " has two names");
            }
        }
        return r;
    }

    private static List<ChannelNormalization> normalization(JsonObject c, List<String> channels, String where) {
        JsonArray schemes = c.has("normalization_schemes") ? c.getAsJsonArray("normalization_schemes") : null;
        JsonArray masks = c.has("use_mask_for_norm") ? c.getAsJsonArray("use_mask_for_norm") : null;
        if (schemes == null || schemes.size() != channels.size() || masks != null && masks.size() != channels.size()) {
            throw refuse(where, "its normalization_schemes and use_mask_for_norm do not give one entry for each of "
                    + "the " + channels.size() + " channels of dataset.json");
        }
        List<ChannelNormalization> r = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            String reference = schemes.get(i).getAsString();
            String scheme = SCHEMES.get(reference);
            if (scheme == null) {
                throw refuse(where, "channel " + i + " (" + channels.get(i) + ") is normalized with " + reference
                        + ", which this project does not have (it has " + String.join(", ", SCHEMES.keySet())
                        + "); train the model with one of those, or add the scheme to this project "
                        + "(docs/architecture.md, \"Extension points\")");
            }
            boolean mask = masks != null && masks.get(i).getAsBoolean()
                    && NormalizationSchemes.byName(scheme).supportsNonzeroMask();
            r.add(new ChannelNormalization(i, channels.get(i), scheme, mask));
        }
        return r;
    }

    private static List<ChannelIntensityStatistics> intensities(JsonObject plans, List<String> channels,
            List<ChannelNormalization> normalization, String where) {
        JsonObject all = plans.has("foreground_intensity_properties_per_channel")
                ? plans.getAsJsonObject("foreground_intensity_properties_per_channel") : new JsonObject();
        List<ChannelIntensityStatistics> r = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            JsonObject p = all.has(String.valueOf(i)) ? all.getAsJsonObject(String.valueOf(i)) : null;
            if (p == null) {
                if (normalization.get(i).scheme().equals(ChannelNormalization.CT)) {
                    throw refuse(where, "channel " + i + " is CT-normalized but foreground_intensity_properties_per_"
                            + "channel holds no statistics for it; give the plans.json the model was trained with");
                }
                continue;
            }
            if (normalization.get(i).scheme().equals(ChannelNormalization.CT)) {
                for (String key : List.of("mean", "std", "percentile_00_5", "percentile_99_5")) {
                    if (!p.has(key) || p.get(key).isJsonNull()) {
                        throw refuse(where, "channel " + i + " is CT-normalized but its foreground intensity "
                                + "properties lack " + key + "; give the plans.json the model was trained with");
                    }
                }
            }
            r.add(ChannelIntensityStatistics.of(i, channels.get(i), num(p, "mean"), num(p, "median"), num(p, "std"),
                    num(p, "min"), num(p, "max"), num(p, "percentile_00_5"), num(p, "percentile_99_5")));
        }
        return r;
    }

    private static double num(JsonObject o, String key) {
        // Missing figures read 0 (plans files are strict JSON, without NaN); CT's four are checked above.
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsDouble() : 0;
    }

    /**
     * The resampling function must be the reference's default, resampling separately only by its
     * anisotropy rule (force_separate_z null); {@code orders}, if given, are the orders this project
     * uses (probabilities: linear, nearest along the separate axis).
     */
    private static void checkResampling(JsonObject c, String fn, String kwargs, int[] orders, String where) {
        String name = c.has(fn) && !c.get(fn).isJsonNull() ? c.get(fn).getAsString() : "none";
        if (!name.equals(RESAMPLING_FUNCTION)) {
            throw refuse(where, "its " + fn + " is " + name + "; this project resamples as the reference's "
                    + RESAMPLING_FUNCTION + " only");
        }
        JsonObject k = c.has(kwargs) && c.get(kwargs).isJsonObject() ? c.getAsJsonObject(kwargs) : null;
        if (k == null || !k.has("order") || !k.has("order_z")) {
            throw refuse(where, "its " + kwargs + " give no order and order_z");
        }
        if (k.has("force_separate_z") && !k.get("force_separate_z").isJsonNull()) {
            throw refuse(where, "its " + kwargs + " force_separate_z is " + k.get("force_separate_z")
                    + "; this project decides separate resampling by the reference's anisotropy rule only (null)");
        }
        if (orders != null && (k.get("order").getAsInt() != orders[0] || k.get("order_z").getAsInt() != orders[1])) {
            throw refuse(where, "its " + kwargs + " resample with order " + k.get("order") + " and order_z "
                    + k.get("order_z") + "; this project resamples probabilities with " + orders[0] + " and "
                    + orders[1] + ", the reference's defaults");
        }
    }

    private static double[] numbers(JsonObject o, String key, String where) {
        if (!o.has(key) || !o.get(key).isJsonArray()) {
            throw refuse(where, "it has no list " + key);
        }
        JsonArray a = o.getAsJsonArray(key);
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).getAsDouble();
        }
        return r;
    }

    private static ReferenceModelException refuse(String where, String why) {
        return new ReferenceModelException("The reference model " + where + " cannot be imported: " + why + ".");
    }
}
