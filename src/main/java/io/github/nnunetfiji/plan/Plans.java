package io.github.nnunetfiji.plan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.util.ExplainedIOException;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.StageName;
import io.github.nnunetfiji.util.VersionedJson;

/**
 * The plan of a data set: every configuration to train ({@code 2d}, {@code 3d_fullres}, and where
 * the cascade is triggered {@code 3d_lowres} and {@code 3d_cascade_fullres}) plus what
 * preprocessing needs from the fingerprint. Written as {@code plans.json}; it drives everything
 * downstream. Per-axis arrays follow {@link AxisOrder}.
 *
 * <p>Read-only once planned: configurations are immutable and the maps and lists handed out
 * cannot be changed; {@link #withConfiguration} makes a changed copy.
 */
public final class Plans {

    /** Version of the file layout; readers reject other versions. */
    public static final int FORMAT = 1;
    private static final VersionedJson.Layout LAYOUT = VersionedJson.Layout.numbered("plans", FORMAT,
            Message.of("run ", StageName.PLAN, " again to rewrite it"));

    private final int format;
    private final String datasetName;
    private final String planner;
    private final List<String> channelNames;
    private final SortedMap<Integer, String> labels;
    private final double[] originalMedianSpacing;
    private final double[] originalMedianShapeAfterCrop;
    private final List<ChannelIntensityStatistics> foregroundIntensity;
    private final LinkedHashMap<String, PlanConfiguration> configurations;
    private final List<String> notes;

    /**
     * @param datasetName                  data set name
     * @param planner                      name of the planner that made the plan ({@code paper}, {@code v2})
     * @param channelNames                 channel names in channel order
     * @param labels                       label value to name, background included
     * @param originalMedianSpacing        median spacing of the cases before resampling
     * @param originalMedianShapeAfterCrop median shape of the cropped cases before resampling
     * @param foregroundIntensity          per-channel foreground statistics (CT normalization uses them)
     */
    public Plans(String datasetName, String planner, List<String> channelNames, SortedMap<Integer, String> labels,
            double[] originalMedianSpacing, double[] originalMedianShapeAfterCrop,
            List<ChannelIntensityStatistics> foregroundIntensity) {
        this.format = FORMAT;
        this.datasetName = datasetName;
        this.planner = planner;
        this.channelNames = List.copyOf(channelNames);
        this.labels = new TreeMap<>(labels);
        this.originalMedianSpacing = originalMedianSpacing.clone();
        this.originalMedianShapeAfterCrop = originalMedianShapeAfterCrop.clone();
        this.foregroundIntensity = List.copyOf(foregroundIntensity);
        this.configurations = new LinkedHashMap<>();
        this.notes = new ArrayList<>();
    }

    /** A copy whose configuration map and notes can be changed without changing {@code o}. */
    private Plans(Plans o) {
        this.format = o.format;
        this.datasetName = o.datasetName;
        this.planner = o.planner;
        this.channelNames = o.channelNames;
        this.labels = o.labels;
        this.originalMedianSpacing = o.originalMedianSpacing;
        this.originalMedianShapeAfterCrop = o.originalMedianShapeAfterCrop;
        this.foregroundIntensity = o.foregroundIntensity;
        this.configurations = new LinkedHashMap<>(o.configurations);
        this.notes = new ArrayList<>(o.notes);
    }

    /**
     * Reads a plans file.
     *
     * @param file a {@code plans.json}
     * @return the plans
     * @throws IOException if the file cannot be read, is not valid JSON, or has another format version
     */
    public static Plans read(Path file) throws IOException {
        Plans p = VersionedJson.read(file, Plans.class, LAYOUT);
        if (p.configurations == null || p.configurations.isEmpty()) {
            throw new ExplainedIOException(Message.of(file, " holds no configurations; run ", StageName.PLAN, " again"));
        }
        return p;
    }

    /**
     * Writes the plans as JSON, atomically.
     *
     * @param file target file, usually {@code WORK/DATASET/plans.json}
     * @throws IOException if writing fails
     */
    public void write(Path file) throws IOException {
        Json.write(file, this);
    }

    /** Version of the file layout. */
    public int format() {
        return format;
    }

    /** Name of the data set, from {@code dataset.json}. */
    public String datasetName() {
        return datasetName;
    }

    /** Name of the planner that made the plan. */
    public String planner() {
        return planner;
    }

    /** Channel names in channel order. */
    public List<String> channelNames() {
        return Collections.unmodifiableList(channelNames);
    }

    /** Label value to name, background included. */
    public SortedMap<Integer, String> labels() {
        return new TreeMap<>(labels);
    }

    /** Median spacing of the cases before resampling. */
    public double[] originalMedianSpacing() {
        return originalMedianSpacing.clone();
    }

    /** Median shape of the cropped cases before resampling. */
    public double[] originalMedianShapeAfterCrop() {
        return originalMedianShapeAfterCrop.clone();
    }

    /** Foreground intensity statistics per channel. */
    public List<ChannelIntensityStatistics> foregroundIntensity() {
        return Collections.unmodifiableList(foregroundIntensity);
    }

    /** The configurations by name, in planning order (read-only). */
    public Map<String, PlanConfiguration> configurations() {
        return Collections.unmodifiableMap(configurations);
    }

    /**
     * Whether a configuration was planned.
     *
     * @param name configuration name
     * @return true if the plans hold it
     */
    public boolean has(String name) {
        return configurations.containsKey(name);
    }

    /**
     * A configuration by name.
     *
     * @param name e.g. {@code 3d_fullres}
     * @return the configuration
     * @throws IllegalArgumentException naming the planned configurations if there is none of that name
     */
    public PlanConfiguration configuration(String name) {
        PlanConfiguration c = configurations.get(name);
        if (c == null) {
            throw new IllegalArgumentException("No configuration '" + name + "' in the plans of " + datasetName
                    + "; planned: " + String.join(", ", configurations.keySet()));
        }
        return c;
    }

    /**
     * Adds or replaces a configuration; only while a planner builds the plans.
     *
     * @param c the configuration; its name is the key
     */
    void put(PlanConfiguration c) {
        configurations.put(c.name(), c);
    }

    /**
     * These plans with one configuration added, or replaced where one of its name exists (in its
     * place). These plans stay as they are.
     *
     * @param c the configuration; its name is the key
     * @return the new plans
     */
    public Plans withConfiguration(PlanConfiguration c) {
        Plans p = new Plans(this);
        p.put(c);
        return p;
    }

    /** A copy whose configurations and notes can be changed without changing these plans. */
    Plans copy() {
        return new Plans(this);
    }

    /** Why the planner decided what it did, and what it changed of the user's overrides (read-only). */
    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }

    /**
     * Adds a note; only while a planner builds the plans.
     *
     * @param note one sentence
     */
    void addNote(String note) {
        notes.add(note);
    }
}
