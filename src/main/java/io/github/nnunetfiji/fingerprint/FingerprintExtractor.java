package io.github.nnunetfiji.fingerprint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Progress;

/**
 * Computes a data set's {@link DatasetFingerprint}. Cases are processed in parallel by a fixed
 * number of threads, each holding one case in memory at a time, so memory stays bounded whatever
 * the size of the data set. The result is the same for any number of threads: each case samples
 * its foreground with its own seed, and results are merged in case order.
 */
public final class FingerprintExtractor {

    /** Seed of the foreground intensity sampling. */
    public static final long DEFAULT_SEED = 1234;
    /** Foreground intensities sampled per channel over the whole data set (split evenly over the cases). */
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
        List<ChannelIntensityStatistics> stats = new ArrayList<>(channels);
        List<String> names = dataset.description().channelNames();
        for (int c = 0; c < channels; c++) {
            int total = 0;
            for (CaseResult r : results) {
                total += r.samples()[c].length;
            }
            float[] merged = new float[total];
            int at = 0;
            for (CaseResult r : results) {
                float[] s = r.samples()[c];
                System.arraycopy(s, 0, merged, at, s.length);
                at += s.length;
            }
            stats.add(ChannelIntensityStatistics.ofSample(c, names.get(c), merged, total));
        }
        progress.status("fingerprint of " + cases.size() + " cases done");
        return new DatasetFingerprint(dataset.description().name(), names, dataset.description().labels(),
                fingerprints, stats, seed, samplesPerCase);
    }

    private List<CaseResult> processAll(List<CaseEntry> cases, int channels, int samplesPerCase, Progress progress)
            throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "nnunet-fingerprint");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CaseResult>> futures = new ArrayList<>(cases.size());
            for (int i = 0; i < cases.size(); i++) {
                final int index = i;
                futures.add(pool.submit(() -> {
                    progress.checkCanceled();
                    return processCase(cases.get(index), index, channels, samplesPerCase);
                }));
            }
            List<CaseResult> out = new ArrayList<>(cases.size());
            for (int i = 0; i < futures.size(); i++) {
                out.add(futures.get(i).get());
                progress.status("fingerprinted case " + cases.get(i).id());
                progress.progress(i + 1, cases.size());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CanceledException();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CanceledException ce) {
                throw ce;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("Fingerprint failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
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
            voxels[c] = VoxelArrays.floats(image.channel(c));
        }
        int[] labels = VoxelArrays.ints(label.labels());
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
