package io.github.nnunetfiji.fingerprint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Parallel;
import io.github.nnunetfiji.util.Progress;

/**
 * Computes a data set's {@link DatasetFingerprint}. Cases are processed in parallel by a fixed
 * number of threads, each holding one case in memory at a time, so memory stays bounded whatever
 * the size of the data set. The result is the same for any number of threads: each case samples
 * its foreground with its own seed, and results are merged in case order.
 *
 * <p>Foreground intensity statistics describe all foreground voxels of the data set pooled: each
 * case keeps at most {@code budget / cases} (at least {@value #MIN_SAMPLES_PER_CASE}) of its
 * foreground voxels, and the merged sample gives every case a share proportional to its
 * foreground. When everything fits the budget the statistics are exact. (The reference
 * implementation instead draws the same number of voxels from every case, weighting cases equally.)
 */
public final class FingerprintExtractor {

    /** Seed of the foreground intensity sampling. */
    public static final long DEFAULT_SEED = 1234;
    /** Most foreground intensities in the merged sample of one channel (each case keeps at most its share). */
    public static final int DEFAULT_SAMPLE_BUDGET = 10_000_000;
    /** Fewest foreground intensities sampled per case and channel, however many cases there are. */
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
    private record CaseResult(CaseFingerprint fingerprint, float[][] samples) {
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
        int samplesPerCase = Math.max(MIN_SAMPLES_PER_CASE, sampleBudget / cases.size());
        List<CaseResult> results = processAll(cases, channels, samplesPerCase, progress);

        List<CaseFingerprint> fingerprints = new ArrayList<>(results.size());
        for (CaseResult r : results) {
            fingerprints.add(r.fingerprint());
        }
        List<String> names = dataset.description().channelNames();
        float[][] merged = proportionalSample(results, channels);
        List<ChannelIntensityStatistics> stats = new ArrayList<>(channels);
        for (int c = 0; c < channels; c++) {
            stats.add(ChannelIntensityStatistics.ofSample(c, names.get(c), merged[c], merged[c].length));
        }
        progress.status("fingerprint of " + cases.size() + " cases done");
        return new DatasetFingerprint(dataset.description().name(), names, dataset.description().labels(),
                fingerprints, stats, seed, samplesPerCase);
    }

    /**
     * Merges the cases' samples into one sample of the data set's foreground in which every case
     * holds a share proportional to its foreground voxels, so the statistics are those of all
     * foreground voxels pooled, not of cases weighted equally.
     */
    private float[][] proportionalSample(List<CaseResult> results, int channels) {
        long[] foreground = new long[results.size()];
        int[] sampled = new int[results.size()];
        for (int i = 0; i < foreground.length; i++) {
            foreground[i] = results.get(i).fingerprint().foregroundVoxels();
            sampled[i] = channels == 0 ? 0 : results.get(i).samples()[0].length;
        }
        int[][] keep = proportionalShares(foreground, sampled, sampleBudget, seed);
        int size = Arrays.stream(keep).mapToInt(k -> k.length).sum();
        float[][] merged = new float[channels][size];
        for (int c = 0; c < channels; c++) {
            int at = 0;
            for (int i = 0; i < keep.length; i++) {
                float[] s = results.get(i).samples()[c];
                for (int k : keep[i]) {
                    merged[c][at++] = s[k];
                }
            }
        }
        return merged;
    }

    /**
     * Which of each case's sampled voxels to keep so that every case's share of the merged sample
     * is proportional to its foreground voxels. The merged sample is as large as the cases' samples
     * allow, at most {@code budget}; when every foreground voxel was sampled and fits the budget,
     * all are kept.
     *
     * @param foreground foreground voxels of each case
     * @param sampled    size of each case's sample (at most its foreground voxels)
     * @param budget     most voxels in the merged sample
     * @param seed       the sampling seed; case {@code i} draws from a stream of {@code seed + i}
     * @return per case, ascending positions in its sample to keep
     */
    static int[][] proportionalShares(long[] foreground, int[] sampled, double budget, long seed) {
        double total = 0;
        for (long f : foreground) {
            total += f;
        }
        double target = Math.min(total, budget);
        for (int i = 0; i < foreground.length; i++) {
            if (foreground[i] > 0) {
                target = Math.min(target, sampled[i] * total / foreground[i]);
            }
        }
        int[][] keep = new int[foreground.length][];
        for (int i = 0; i < foreground.length; i++) {
            int share = total == 0 ? 0 : (int) Math.min(sampled[i], Math.round(target * foreground[i] / total));
            int[] positions = new int[sampled[i]];
            for (int k = 0; k < positions.length; k++) {
                positions[k] = k;
            }
            // An independent stream split from the case's seed picks which of its samples stay.
            keep[i] = sample(positions, share, new SplittableRandom(seed + i).split());
        }
        return keep;
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
            throw new IOException("Case " + entry.id() + " (" + imageFile + ") has " + image.channelCount()
                    + " channel(s) but dataset.json declares " + channels + "; run 'nnunet validate' for the fix");
        }
        long[] shape = image.shape();
        if (!Arrays.equals(shape, label.shape())) {
            throw new IOException("Case " + entry.id() + ": image " + imageFile.getFileName() + " has shape "
                    + AxisOrder.format(shape) + " but label " + entry.labelFile().getFileName() + " has "
                    + AxisOrder.format(label.shape()) + "; run 'nnunet validate' for the fix");
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
        int[] chosen = sample(foreground, samplesPerCase, new SplittableRandom(seed + index));
        float[][] samples = new float[channels][chosen.length];
        for (int c = 0; c < channels; c++) {
            float[] v = voxels[c];
            float[] s = samples[c];
            for (int i = 0; i < chosen.length; i++) {
                s[i] = v[chosen[i]];
            }
        }
        CaseFingerprint fp = new CaseFingerprint(entry.id(), shape, image.geometry().spacing(), box[0], box[1],
                present, components, foreground.length);
        return new CaseResult(fp, samples);
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
