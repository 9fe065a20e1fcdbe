package io.github.nnunetfiji.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import io.github.nnunetfiji.image.AxisOrder;

/**
 * What the user sets by hand per configuration: patch size, batch size, top-stage features and
 * number of epochs. The planner plans as usual, then applies these; it validates every value (a
 * patch must be divisible by {@code 2^poolings} per axis and not extend beyond the data), adjusts
 * what it must, and explains every change and every risk in the plans' notes.
 *
 * <p>Written on the command line as {@code CONFIG.KEY=VALUE}: {@code 3d_fullres.patch=128x128x64},
 * {@code 2d.batch=12}, {@code 3d_lowres.features=24}, {@code all.epochs=100}. Patch edges are
 * in {@link AxisOrder} ({@code x, y, z}); a 2D configuration also takes two edges (its in-plane
 * axes, in axis order). An override of {@code 3d_fullres} also applies to
 * {@code 3d_cascade_fullres} unless that one has its own.
 */
public final class PlanOverrides {

    /** Configuration name that applies an override to every configuration. */
    public static final String ALL = "all";

    private static final String EXAMPLE = "e.g. 3d_fullres.patch=128x128x64, 2d.batch=12, 3d_fullres.features=24, "
            + "all.epochs=100";

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** What is overridden for one configuration; null fields are not overridden. */
    private static final class Entry {
        long[] patch;
        Integer batch;
        Integer features;
        Integer epochs;

        boolean isEmpty() {
            return patch == null && batch == null && features == null && epochs == null;
        }

        /** This entry with unset fields taken from {@code fallback}. */
        Entry orElse(Entry fallback) {
            Entry e = new Entry();
            e.patch = patch != null ? patch : fallback.patch;
            e.batch = batch != null ? batch : fallback.batch;
            e.features = features != null ? features : fallback.features;
            e.epochs = epochs != null ? epochs : fallback.epochs;
            return e;
        }
    }

    /** No overrides. */
    public static PlanOverrides none() {
        return new PlanOverrides();
    }

    /**
     * Parses overrides written as {@code CONFIG.KEY=VALUE}.
     *
     * @param specs one override per entry; KEY is {@code patch}, {@code batch}, {@code features} or {@code epochs}
     * @return the overrides
     * @throws IllegalArgumentException naming the malformed entry and showing the expected form
     */
    public static PlanOverrides parse(List<String> specs) {
        PlanOverrides o = new PlanOverrides();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            int dot = eq < 0 ? -1 : spec.lastIndexOf('.', eq);
            if (eq < 0 || dot <= 0 || dot > eq) {
                throw new IllegalArgumentException("Override '" + spec + "' is not CONFIG.KEY=VALUE (" + EXAMPLE + ")");
            }
            String config = spec.substring(0, dot).trim();
            String key = spec.substring(dot + 1, eq).trim().toLowerCase(Locale.ROOT);
            String value = spec.substring(eq + 1).trim();
            switch (key) {
                case "patch" -> o.patch(config, parsePatch(spec, value));
                case "batch" -> o.batch(config, parsePositive(spec, value));
                case "features" -> o.features(config, parsePositive(spec, value));
                case "epochs" -> o.epochs(config, parsePositive(spec, value));
                default -> throw new IllegalArgumentException("Override '" + spec + "': unknown key '" + key
                        + "'; use patch, batch, features or epochs (" + EXAMPLE + ")");
            }
        }
        return o;
    }

    private static long[] parsePatch(String spec, String value) {
        String[] parts = value.split("[xX]");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("Override '" + spec + "': a patch is 2 or 3 edges such as 128x128x64");
        }
        long[] p = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            p[i] = parsePositive(spec, parts[i].trim());
        }
        return p;
    }

    private static int parsePositive(String spec, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Override '" + spec + "': '" + value + "' is not a whole number of at least 1");
    }

    private Entry entry(String config) {
        if (config == null || config.isBlank()) {
            throw new IllegalArgumentException("An override needs a configuration name (" + EXAMPLE + ")");
        }
        return entries.computeIfAbsent(config, k -> new Entry());
    }

    /**
     * Sets the patch of a configuration.
     *
     * @param config configuration name, or {@link #ALL}
     * @param patch  3 edges ({@code x, y, z}), or 2 for a 2D configuration's in-plane axes
     * @return this
     */
    public PlanOverrides patch(String config, long... patch) {
        if (patch.length < 2 || patch.length > 3) {
            throw new IllegalArgumentException("A patch has 2 or 3 edges, got " + patch.length);
        }
        entry(config).patch = patch.clone();
        return this;
    }

    /**
     * Sets the batch size of a configuration.
     *
     * @param config configuration name, or {@link #ALL}
     * @param batch  patches per step, at least 1
     * @return this
     */
    public PlanOverrides batch(String config, int batch) {
        entry(config).batch = batch;
        return this;
    }

    /**
     * Sets the top-stage feature maps of a configuration (they still double per stage).
     *
     * @param config   configuration name, or {@link #ALL}
     * @param features feature maps of the top stage, at least 1
     * @return this
     */
    public PlanOverrides features(String config, int features) {
        entry(config).features = features;
        return this;
    }

    /**
     * Sets the number of epochs of a configuration.
     *
     * @param config configuration name, or {@link #ALL}
     * @param epochs epochs, at least 1
     * @return this
     */
    public PlanOverrides epochs(String config, int epochs) {
        entry(config).epochs = epochs;
        return this;
    }

    /**
     * Whether the user set the patch or the batch of a configuration (directly, through
     * {@link #ALL}, or for {@code 3d_cascade_fullres} through {@code 3d_fullres}); a time budget
     * leaves those as set.
     *
     * @param config configuration name
     * @return true if its patch or batch is overridden
     */
    public boolean setsPatchOrBatch(String config) {
        Entry none = new Entry();
        Entry own = entries.getOrDefault(config, none);
        if (config.equals(PlanConfiguration.CONFIG_3D_CASCADE_FULLRES)) {
            own = own.orElse(entries.getOrDefault(PlanConfiguration.CONFIG_3D_FULLRES, none));
        }
        Entry e = own.orElse(entries.getOrDefault(ALL, none));
        return e.patch != null || e.batch != null;
    }

    /** True if nothing is overridden. */
    public boolean isEmpty() {
        return entries.values().stream().allMatch(Entry::isEmpty);
    }

    /**
     * Applies the overrides to planned configurations, with the planner's rules for topology,
     * features and batch. Every change is explained in the plans' notes.
     *
     * @param plans   the planned configurations; a changed configuration replaces the planned one
     * @param planner the planner that made them
     * @throws IllegalArgumentException if an override names a configuration that was not planned or
     *         has an impossible value
     */
    void applyTo(Plans plans, ExperimentPlanner planner) {
        for (String name : entries.keySet()) {
            if (!name.equals(ALL) && !plans.has(name)) {
                throw new IllegalArgumentException("Override for configuration '" + name + "', but the plans of "
                        + plans.datasetName() + " hold only " + String.join(", ", plans.configurations().keySet())
                        + " (or use '" + ALL + "')");
            }
        }
        Entry none = new Entry();
        Entry all = entries.getOrDefault(ALL, none);
        Entry full = entries.getOrDefault(PlanConfiguration.CONFIG_3D_FULLRES, none);
        int classes = plans.labels().size();
        List<PlanConfiguration> changed = new ArrayList<>();
        for (PlanConfiguration c : plans.configurations().values()) {
            Entry own = entries.getOrDefault(c.name(), none);
            if (c.name().equals(PlanConfiguration.CONFIG_3D_CASCADE_FULLRES)) {
                own = own.orElse(full);
            }
            Entry e = own.orElse(all);
            if (!e.isEmpty()) {
                changed.add(apply(c, e, planner, classes, plans));
            }
        }
        changed.forEach(plans::put);
    }

    /** The configuration with the overrides applied; {@code planned} stays as it is. */
    private static PlanConfiguration apply(PlanConfiguration planned, Entry e, ExperimentPlanner planner, int classes,
            Plans plans) {
        PlanConfiguration.Builder b = planned.toBuilder();
        String n = planned.name() + ": ";
        boolean patchChanged = false;
        long[] patch = planned.patchSize();
        NetworkTopology topology = planned.topology();
        if (e.patch != null) {
            long[] requested = expandPatch(planned, e.patch, plans);
            patch = fitToData(planned, requested, planner, n, plans);
            if (!Arrays.equals(patch, planned.patchSize())) {
                patchChanged = true;
            }
            topology = planner.poolingTopology(patch, planned.spacing());
            b.patchSize(patch).topology(topology);
            int[] p = topology.poolingsPerAxis();
            plans.addNote(n + "patch set to " + AxisOrder.format(patch) + " by the user; the network pools "
                    + p[0] + "x" + p[1] + "x" + p[2] + " times (" + topology.stages() + " stages).");
            if (!planned.is2D()) {
                boolean slicewise = planner.augmentationIs2D(patch, planned.spacing());
                b.augmentation(slicewise, slicewise ? planner.augmentationSliceAxis(patch, planned.spacing()) : null);
            }
        }
        int base = planned.baseFeatures();
        int max = planned.maxFeatures();
        if (e.features != null) {
            base = e.features;
            if (base > max) {
                plans.addNote(n + "top-stage features " + base + " exceed the cap of " + max
                        + "; the cap is raised to " + base + " so every stage has at least that many.");
                max = base;
            } else {
                plans.addNote(n + "top-stage features set to " + base + " by the user (doubling per stage, at most "
                        + max + ").");
            }
        }
        int[] features = ExperimentPlanner.featuresPerStage(topology.stages(), base, max);
        b.features(base, max, features);

        int batch = planned.batchSize();
        if (e.batch != null) {
            batch = e.batch;
            plans.addNote(n + "batch set to " + e.batch + " by the user.");
            if (e.batch < planner.minBatchSize()) {
                plans.addNote(n + "batch " + e.batch + " is below the planner's minimum of " + planner.minBatchSize()
                        + "; kept as asked.");
            }
            double share = (double) PatchShapes.voxels(patch) * e.batch / planned.datasetVoxels();
            if (share > planner.maxDatasetFraction()) {
                plans.addNote(String.format(Locale.ROOT, "%spatch x batch covers %.1f%% of the data set's voxels "
                        + "per step (the planner caps this at %.0f%% against overfitting); kept as asked.", n,
                        100 * share, 100 * planner.maxDatasetFraction()));
            }
        } else if (patchChanged || e.features != null) {
            int old = planned.batchSize();
            batch = planner.batchFor(b.build(), patch, topology, features, classes);
            if (batch != old) {
                plans.addNote(n + "batch recomputed for the new network: " + old + " -> " + batch + ".");
            }
        }
        b.batchSize(batch);
        PlanConfiguration c = b.build();
        String risk = planner.exceedsHardwareBudget(c, patch, topology, features, batch, classes);
        if (risk != null) {
            plans.addNote(n + risk + ".");
        }
        if (e.epochs != null) {
            b.numEpochs(e.epochs);
            plans.addNote(n + "epochs set to " + e.epochs + " by the user.");
        }
        return b.build();
    }

    /** Turns 2 edges of a 2D configuration into 3 (edge 1 along the slice axis); checks the slice axis. */
    private static long[] expandPatch(PlanConfiguration c, long[] given, Plans plans) {
        String n = c.name() + ": ";
        if (!c.is2D()) {
            if (given.length != 3) {
                throw new IllegalArgumentException(n + "a 3D patch has 3 edges (x, y, z), got "
                        + given.length + "; e.g. " + c.name() + ".patch=128x128x64");
            }
            return given.clone();
        }
        int slice = c.sliceAxis();
        long[] p = new long[3];
        if (given.length == 2) {
            for (int d = 0, i = 0; d < 3; d++) {
                p[d] = d == slice ? 1 : given[i++];
            }
            return p;
        }
        p = given.clone();
        if (p[slice] != 1) {
            plans.addNote(n + "a 2D patch is one voxel along its slice axis " + AxisOrder.name(slice) + "; edge "
                    + p[slice] + " replaced by 1.");
            p[slice] = 1;
        }
        return p;
    }

    /**
     * Makes a requested patch valid: edges not beyond the median case (padded to the divisor) and
     * divisible by {@code 2^poolings} of the patch's own topology.
     */
    private static long[] fitToData(PlanConfiguration c, long[] requested, ExperimentPlanner planner, String n,
            Plans plans) {
        double[] spacing = c.spacing();
        long[] median = c.medianShape();
        long[] p = requested.clone();
        List<String> clipped = new ArrayList<>();
        for (int round = 0; round < 16; round++) {
            long[] before = p.clone();
            long[] divisor = planner.poolingTopology(p, spacing).divisor();
            for (int d = 0; d < 3; d++) {
                long limit = ExperimentPlanner.ceilToMultiple(median[d], divisor[d]);
                if (p[d] > 1 && p[d] > limit) {
                    clipped.add(AxisOrder.name(d));
                    p[d] = limit;
                }
            }
            p = planner.padToTopology(p, spacing);
            if (Arrays.equals(p, before)) {
                break;
            }
        }
        if (!clipped.isEmpty()) {
            plans.addNote(n + "patch " + AxisOrder.format(requested) + " extends beyond the median case "
                    + AxisOrder.format(median) + " (at this spacing) along " + String.join(", ", new TreeSet<>(clipped))
                    + "; reduced to " + AxisOrder.format(p) + ".");
        } else if (!Arrays.equals(p, requested)) {
            long[] divisor = planner.poolingTopology(p, spacing).divisor();
            plans.addNote(n + "patch " + AxisOrder.format(requested) + " is not divisible by 2^poolings per axis ("
                    + AxisOrder.format(divisor) + ") of its network; padded to " + AxisOrder.format(p) + ".");
        }
        return p;
    }
}
