package io.github.nnunetfiji.fingerprint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.ExplainedIOException;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.Parallel;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.StageName;

/**
 * Computes a data set's {@link DatasetFingerprint}. Cases are processed in parallel by a fixed
 * number of threads, each holding one case in memory at a time, so memory stays bounded whatever
 * the size of the data set. The result is the same for any number of threads: each case samples
 * its foreground with its own seed, and results are merged in case order.
 *
 * <p>Foreground intensity statistics weight every case with foreground equally, as the reference
 * implementation does ({@link ChannelIntensityStatistics}). Mean, standard deviation, min and max
 * are exact; the percentiles come from each case's sample of at most {@code budget / cases} (at
 * least {@value #MIN_SAMPLES_PER_CASE}) of its foreground voxels, all of them when they fit, so
 * they are exact whenever the data set's foreground fits the budget.
 */
public final class FingerprintExtractor {

    /** Seed of the foreground intensity sampling. */
    public static final long DEFAULT_SEED = 1234;
    /** Most foreground intensities sampled per channel over the data set (each case keeps at most its share). */
    public static final int DEFAULT_SAMPLE_BUDGET = 10_000_000;
    /** Fewest foreground intensities sampled per case and channel, however many cases there are (unless the budget is smaller). */
    public static final int MIN_SAMPLES_PER_CASE = 10_000;

    private final int threads;
    private final long seed;
    private final int sampleBudget;

    /**
     * An extractor with the default seed and sample budget.
     *
     * @param threads cases processed at the same time (each holds one case in memory)
     */
    public FingerprintExtractor(int threads) {
        this(threads, DEFAULT_SEED, DEFAULT_SAMPLE_BUDGET);
    }

    /**
     * @param threads      cases processed at the same time (each holds one case in memory)
     * @param seed         seed of the foreground sampling
     * @param sampleBudget foreground intensities sampled per channel over the data set
     */
    public FingerprintExtractor(int threads, long seed, int sampleBudget) {
        this.threads = Math.max(1, threads);
        this.seed = seed;
        this.sampleBudget = Math.max(1, sampleBudget);
    }

    /** What one case contributes: its fingerprint and its sampled foreground intensities per channel. */
    private record CaseResult(CaseFingerprint fingerprint, CaseIntensities[] intensities) {
    }

    /**
     * Fingerprints a data set and writes {@code dataset_fingerprint.json} into its work folder.
     *
     * @param dataset  the loaded data set
     * @param work     the work folder
     * @param progress progress and cancellation
     * @return the file written
     * @throws IOException if a case cannot be read or the file cannot be written
     */
    public Path extractAndWrite(Dataset dataset, WorkFolder work, Progress progress) throws IOException {
        DatasetFingerprint fp = extract(dataset, progress);
        Path file = work.forDataset(dataset).fingerprintFile();
        fp.write(file);
        return file;
    }

    /**
     * Fingerprints a data set.
     *
     * @param dataset  the loaded data set
     * @param progress progress and cancellation
     * @return the fingerprint
     * @throws IOException naming the case and file if a case cannot be read or does not match its label map
     * @throws CanceledException if canceled
     */
    public DatasetFingerprint extract(Dataset dataset, Progress progress) throws IOException {
        List<CaseEntry> cases = dataset.cases();
        if (cases.isEmpty()) {
            throw new IOException("Data set " + dataset.root() + " has no training cases; add cases to imagesTr/ "
                    + "and labelsTr/ and list them in dataset.json");
        }
        int channels = dataset.description().channelCount();
        // Every case gets its share of the budget, but never fewer than the floor (or the budget, if smaller).
        int samplesPerCase = Math.max(Math.min(MIN_SAMPLES_PER_CASE, sampleBudget), sampleBudget / cases.size());
        List<CaseResult> results = processAll(cases, channels, samplesPerCase, progress);

        List<CaseFingerprint> fingerprints = new ArrayList<>(results.size());
        for (CaseResult r : results) {
            fingerprints.add(r.fingerprint());
        }
        long foreground = fingerprints.stream().mapToLong(CaseFingerprint::foregroundVoxels).sum();
        if (foreground == 0) {
            throw new NoForegroundException(dataset);
        }
        List<String> names = dataset.description().channelNames();
        List<ChannelIntensityStatistics> stats = new ArrayList<>(channels);
        for (int c = 0; c < channels; c++) {
            List<CaseIntensities> perCase = new ArrayList<>(results.size());
            for (CaseResult r : results) {
                perCase.add(r.intensities()[c]);
            }
            stats.add(ChannelIntensityStatistics.ofCases(c, names.get(c), perCase));
        }
        progress.status("fingerprint of " + cases.size() + " cases done");
        return new DatasetFingerprint(dataset.description().name(), names, dataset.description().labels(),
                fingerprints, stats, seed, samplesPerCase);
    }

    private List<CaseResult> processAll(List<CaseEntry> cases, int channels, int samplesPerCase, Progress progress)
            throws IOException {
        return Parallel.map(java.util.stream.IntStream.range(0, cases.size()).boxed().toList(), threads,
                "nnunet-fingerprint", progress, i -> "fingerprinted case " + cases.get(i).id(),
                i -> processCase(cases.get(i), i, channels, samplesPerCase));
    }

    /**
     * Reads one case and computes what it contributes.
     *
     * @param entry          the case
     * @param index          its position in the data set (selects its sampling seed)
     * @param channels       declared channel count
     * @param samplesPerCase most foreground intensities to keep per channel
     */
    private CaseResult processCase(CaseEntry entry, int index, int channels, int samplesPerCase) throws IOException {
        Image image = entry.readImage();
        LabelImage label = entry.readLabel();
        Path imageFile = entry.imageFiles().get(0);
        if (image.channelCount() != channels) {
            throw new ExplainedIOException(Message.of("Case ", entry.id(), " (", imageFile, ") has ",
                    image.channelCount(), " channel(s) but dataset.json declares ", channels, "; run ",
                    StageName.VALIDATE, " for the fix"));
        }
        long[] shape = image.shape();
        if (!Arrays.equals(shape, label.shape())) {
            throw new ExplainedIOException(Message.of("Case ", entry.id(), ": image ", imageFile.getFileName(),
                    " has shape ", AxisOrder.format(shape), " but label ", entry.labelFile().getFileName(), " has ",
                    AxisOrder.format(label.shape()), "; run ", StageName.VALIDATE, " for the fix"));
        }
        float[][] voxels = new float[channels][];
        for (int c = 0; c < channels; c++) {
            voxels[c] = FlatArrays.toFloats(image.channel(c));
        }
        int[] labels = FlatArrays.toInts(label.labels());
        long[][] box = nonzeroBox(voxels, shape);
        int[] foreground = foregroundIndices(labels);
        int[] present = labelsPresent(labels);
        List<ClassComponents> components = ConnectedComponents.of(labels, shape);
        int[] chosen = sample(foreground.clone(), samplesPerCase, new SplittableRandom(seed + index));
        CaseIntensities[] intensities = new CaseIntensities[channels];
        for (int c = 0; c < channels; c++) {
            intensities[c] = CaseIntensities.of(voxels[c], foreground, chosen);
        }
        CaseFingerprint fp = new CaseFingerprint(entry.id(), shape, image.geometry().spacing(), box[0], box[1],
                present, components, foreground.length);
        return new CaseResult(fp, intensities);
    }

    /**
     * The bounding box of the voxels where any channel is nonzero; the whole image if there is none.
     * This is also the box of preprocessing's hole-filled nonzero region: filling enclosed holes
     * never extends a box.
     *
     * @return {min, maxExclusive} per axis
     */
    static long[][] nonzeroBox(float[][] channels, long[] shape) {
        int nx = (int) shape[0];
        int ny = (int) shape[1];
        int nz = (int) shape[2];
        int minX = nx;
        int maxX = -1;
        int minY = ny;
        int maxY = -1;
        int minZ = nz;
        int maxZ = -1;
        int i = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                int rowMin = -1;
                int rowMax = -1;
                for (int x = 0; x < nx; x++, i++) {
                    for (float[] ch : channels) {
                        if (ch[i] != 0) {
                            if (rowMin < 0) {
                                rowMin = x;
                            }
                            rowMax = x;
                            break;
                        }
                    }
                }
                if (rowMin >= 0) {
                    minX = Math.min(minX, rowMin);
                    maxX = Math.max(maxX, rowMax);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                    minZ = Math.min(minZ, z);
                    maxZ = Math.max(maxZ, z);
                }
            }
        }
        if (maxX < 0) {
            return new long[][] {new long[3], shape.clone()};
        }
        return new long[][] {{minX, minY, minZ}, {maxX + 1, maxY + 1, maxZ + 1}};
    }

    /** Indices of the voxels labelled above 0, ascending. */
    static int[] foregroundIndices(int[] labels) {
        int n = 0;
        for (int v : labels) {
            if (v > 0) {
                n++;
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] > 0) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** The distinct label values, ascending. */
    static int[] labelsPresent(int[] labels) {
        boolean[] small = new boolean[256];
        TreeSet<Integer> present = new TreeSet<>();
        for (int v : labels) {
            if (v >= 0 && v < small.length) {
                small[v] = true;
            } else {
                present.add(v);
            }
        }
        for (int v = 0; v < small.length; v++) {
            if (small[v]) {
                present.add(v);
            }
        }
        return present.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * At most {@code count} of the given indices, without repetition: all of them if there are
     * that few, else a uniform random subset (partial Fisher-Yates shuffle), returned in ascending
     * order so that reads go through memory forward.
     *
     * @param indices candidates; shuffled in place
     * @param count   most to keep
     * @param random  the case's own random source
     * @return the chosen indices
     */
    static int[] sample(int[] indices, int count, SplittableRandom random) {
        if (indices.length <= count) {
            return indices;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(indices.length - i);
            int t = indices[i];
            indices[i] = indices[j];
            indices[j] = t;
        }
        int[] chosen = Arrays.copyOf(indices, count);
        Arrays.sort(chosen);
        return chosen;
    }
}
