package io.github.nnunetfiji.fingerprint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.util.ExplainedIOException;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.Percentiles;
import io.github.nnunetfiji.util.StageName;
import io.github.nnunetfiji.util.VersionedJson;

/**
 * What a data set looks like: every case's {@link CaseFingerprint}, the foreground intensity
 * statistics of every channel, and data-set medians. Written as {@code dataset_fingerprint.json};
 * the planner needs nothing else. Per-axis arrays follow {@link AxisOrder} ({@code x, y, z}).
 */
public final class DatasetFingerprint {

    /**
     * Version of the file layout; readers reject other versions. 2: foreground intensity
     * statistics weight cases equally (1 pooled all voxels).
     */
    public static final int FORMAT = 2;
    private static final VersionedJson.Layout LAYOUT = VersionedJson.Layout.numbered("a fingerprint", FORMAT,
            Message.of("run ", StageName.FINGERPRINT, " again to rewrite it"));

    private final int format;
    private final String datasetName;
    private final List<String> channelNames;
    private final SortedMap<Integer, String> labels;
    private final int componentConnectivity;
    private final long samplingSeed;
    private final int samplesPerCase;
    private final int numberOfCases;
    private final boolean twoDimensional;
    private final double[] medianShape;
    private final double[] medianShapeAfterCrop;
    private final double[] medianSpacing;
    private final double medianRelativeSizeAfterCrop;
    private final double meanSizeRatioAfterCrop;
    private final List<ChannelIntensityStatistics> foregroundIntensity;
    private final List<CaseFingerprint> cases;

    /**
     * Builds a fingerprint and computes its data-set medians.
     *
     * @param datasetName         name from {@code dataset.json}
     * @param channelNames        channel names in channel order (they select the normalization)
     * @param labels              label value to name, background (0) included
     * @param cases               the cases in data set order; at least one
     * @param foregroundIntensity statistics per channel, in channel order
     * @param samplingSeed        seed of the foreground sampling
     * @param samplesPerCase      most foreground voxels sampled per case and channel
     * @throws IllegalArgumentException if there are no cases or the channel counts disagree
     */
    public DatasetFingerprint(String datasetName, List<String> channelNames, SortedMap<Integer, String> labels,
            List<CaseFingerprint> cases, List<ChannelIntensityStatistics> foregroundIntensity, long samplingSeed,
            int samplesPerCase) {
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("A fingerprint needs at least one case");
        }
        if (foregroundIntensity.size() != channelNames.size()) {
            throw new IllegalArgumentException("Intensity statistics for " + foregroundIntensity.size()
                    + " channels, but " + channelNames.size() + " channel names");
        }
        this.format = FORMAT;
        this.datasetName = datasetName;
        this.channelNames = List.copyOf(channelNames);
        this.labels = new TreeMap<>(labels);
        this.componentConnectivity = ConnectedComponents.CONNECTIVITY;
        this.samplingSeed = samplingSeed;
        this.samplesPerCase = samplesPerCase;
        this.numberOfCases = cases.size();
        this.cases = List.copyOf(cases);
        this.foregroundIntensity = List.copyOf(foregroundIntensity);

        int n = cases.size();
        double[][] shapes = new double[n][];
        double[][] cropped = new double[n][];
        double[][] spacings = new double[n][];
        double[] relative = new double[n];
        double before = 0;
        double after = 0;
        boolean flat = true;
        for (int i = 0; i < n; i++) {
            CaseFingerprint c = cases.get(i);
            shapes[i] = toDouble(c.shape());
            cropped[i] = toDouble(c.shapeAfterCrop());
            spacings[i] = c.spacing();
            relative[i] = c.relativeSizeAfterCrop();
            before += product(c.shape());
            after += product(c.shapeAfterCrop());
            flat &= c.shape()[AxisOrder.Z] == 1;
        }
        this.twoDimensional = flat;
        this.medianShape = Percentiles.medianPerAxis(shapes);
        this.medianShapeAfterCrop = Percentiles.medianPerAxis(cropped);
        this.medianSpacing = Percentiles.medianPerAxis(spacings);
        this.medianRelativeSizeAfterCrop = Percentiles.median(relative);
        this.meanSizeRatioAfterCrop = after / before;
    }

    private static double[] toDouble(long[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static double product(long[] v) {
        double p = 1;
        for (long x : v) {
            p *= x;
        }
        return p;
    }

    /**
     * Reads a fingerprint file.
     *
     * @param file a {@code dataset_fingerprint.json}
     * @return the fingerprint
     * @throws IOException if the file cannot be read, is not valid JSON, or has another format version
     */
    public static DatasetFingerprint read(Path file) throws IOException {
        DatasetFingerprint fp = VersionedJson.read(file, DatasetFingerprint.class, LAYOUT);
        if (fp.cases == null || fp.cases.isEmpty() || fp.channelNames == null) {
            throw new ExplainedIOException(Message.of(file, " holds no cases or no channel names; run ",
                    StageName.FINGERPRINT, " again"));
        }
        return fp;
    }

    /**
     * Reads a fingerprint file if it has this version's format.
     *
     * @return the fingerprint, or null if the file was written in another format (compute it again)
     * @throws IOException if the file cannot be read or is not a valid fingerprint
     */
    public static DatasetFingerprint readIfCurrent(Path file) throws IOException {
        return VersionedJson.isCurrent(file, LAYOUT) ? read(file) : null;
    }

    /**
     * Writes the fingerprint as JSON, atomically.
     *
     * @param file target file, usually {@code WORK/DATASET/dataset_fingerprint.json}
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

    /** Channel names in channel order. */
    public List<String> channelNames() {
        return channelNames;
    }

    /** Number of image channels. */
    public int channelCount() {
        return channelNames.size();
    }

    /** Label value to name, background included. */
    public SortedMap<Integer, String> labels() {
        return new TreeMap<>(labels);
    }

    /** Number of classes the network predicts: the declared labels, background included. */
    public int classCount() {
        return labels.size();
    }

    /** Neighbourhood of the connected component analysis: 6 (voxels sharing a face). */
    public int componentConnectivity() {
        return componentConnectivity;
    }

    /** Seed of the foreground intensity sampling. */
    public long samplingSeed() {
        return samplingSeed;
    }

    /** Most foreground voxels sampled per case and channel. */
    public int samplesPerCase() {
        return samplesPerCase;
    }

    /** Number of training cases. */
    public int numberOfCases() {
        return numberOfCases;
    }

    /** True if every case has one slice along z: a 2D data set. */
    public boolean isTwoDimensional() {
        return twoDimensional;
    }

    /** Per-axis median shape before cropping. */
    public double[] medianShape() {
        return medianShape.clone();
    }

    /** Per-axis median shape after cropping. */
    public double[] medianShapeAfterCrop() {
        return medianShapeAfterCrop.clone();
    }

    /** Per-axis median spacing. */
    public double[] medianSpacing() {
        return medianSpacing.clone();
    }

    /** Median over cases of (voxels after crop / voxels before). */
    public double medianRelativeSizeAfterCrop() {
        return medianRelativeSizeAfterCrop;
    }

    /** Mean case size after cropping divided by mean case size before (in voxels). */
    public double meanSizeRatioAfterCrop() {
        return meanSizeRatioAfterCrop;
    }

    /** Foreground intensity statistics per channel, in channel order. */
    public List<ChannelIntensityStatistics> foregroundIntensity() {
        return foregroundIntensity;
    }

    /** The cases in data set order. */
    public List<CaseFingerprint> cases() {
        return cases;
    }

    /** Spacing of every case, in case order. */
    public double[][] spacings() {
        double[][] s = new double[cases.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = cases.get(i).spacing();
        }
        return s;
    }

    /** Shape after cropping of every case, in case order. */
    public List<long[]> shapesAfterCrop() {
        List<long[]> s = new ArrayList<>(cases.size());
        for (CaseFingerprint c : cases) {
            s.add(c.shapeAfterCrop());
        }
        return s;
    }
}
