package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.fingerprint.FingerprintExtractor;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.util.Progress;

/**
 * Measures a data set and writes {@code dataset_fingerprint.json}. With {@link Request#reuse()},
 * an existing fingerprint is taken when it was made from exactly the files the data set holds now
 * ({@link Provenance}: every image and label file, and {@code dataset.json}); otherwise it is made
 * again, and a note says why.
 */
public final class FingerprintStage implements Stage<FingerprintStage.Request, FingerprintStage.Result> {

    /**
     * @param dataset the data set folder
     * @param work    the work folder
     * @param threads cases read at the same time
     * @param reuse   take an existing fingerprint made from the same files; false: always measure
     */
    public record Request(Path dataset, WorkFolder work, int threads, boolean reuse) {
    }

    /**
     * @param fingerprint the fingerprint
     * @param file        where it is stored
     * @param reused      true if it was read, not measured
     * @param seconds     time taken
     */
    public record Result(DatasetFingerprint fingerprint, Path file, boolean reused, double seconds)
            implements StageResult {

        @Override
        public boolean ok() {
            return true;
        }

        @Override
        public String report() {
            return describe(fingerprint) + String.format(Locale.ROOT, "Wrote %s (%.1f s)%n", file, seconds);
        }
    }

    @Override
    public String name() {
        return "fingerprint";
    }

    /** @throws DatasetException if the data set folder is not a usable data set (nothing written) */
    @Override
    public Result run(Request request, Progress progress) throws DatasetException, IOException {
        return run(LoadedDataset.load(request.dataset()), request, progress);
    }

    /** Runs on a data set already loaded (its folder in the request is not read again). */
    Result run(LoadedDataset data, Request request, Progress progress) throws IOException {
        long start = System.nanoTime();
        Dataset ds = data.dataset();
        WorkFolder.DatasetWork dw = request.work().forDataset(ds);
        Path file = dw.fingerprintFile();
        Path record = Provenance.fingerprintRecord(dw);
        Provenance made = provenance(ds, data.sources());
        if (request.reuse()) {
            if (!Files.isRegularFile(file)) {
                progress.note("No fingerprint yet; computing " + file);
            } else {
                String why = made.differenceFrom(record);
                DatasetFingerprint current = why == null ? DatasetFingerprint.readIfCurrent(file) : null;
                if (current != null) {
                    progress.note("Using the fingerprint in " + file);
                    return new Result(current, file, true, seconds(start));
                }
                progress.note(why == null ? "The fingerprint in " + file + " was made by an older version; computing it again."
                        : "The fingerprint in " + file + " is out of date (" + why + "); computing it again.");
            }
        }
        Provenance.delete(record);
        DatasetFingerprint fp = new FingerprintExtractor(request.threads()).extract(ds, progress);
        fp.write(file);
        made.write(record);
        return new Result(fp, file, false, seconds(start));
    }

    /** What a fingerprint of the data set is made from: every case file, dataset.json and the format. */
    private static Provenance provenance(Dataset ds, SourceFiles sources) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        Path json = ds.root().resolve("dataset.json");
        if (Files.isRegularFile(json)) {
            files.add(sources.describe(json));
        }
        for (CaseEntry c : ds.cases()) {
            files.addAll(sources.describe(c));
        }
        return Provenance.of("dataset fingerprint", files,
                Map.of("fingerprint format", Integer.toString(DatasetFingerprint.FORMAT)));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * A short human-readable description of a fingerprint.
     *
     * @param fp the fingerprint
     * @return lines ending in a newline
     */
    public static String describe(DatasetFingerprint fp) {
        StringBuilder sb = new StringBuilder();
        sb.append("Fingerprint of ").append(fp.datasetName()).append(": ").append(fp.numberOfCases())
                .append(" cases").append(fp.isTwoDimensional() ? " (2D)" : "").append('\n');
        sb.append("  median shape ").append(AxisOrder.format(fp.medianShape())).append(", after crop ")
                .append(AxisOrder.format(fp.medianShapeAfterCrop())).append(" (x, y, z)\n");
        sb.append("  median spacing ").append(AxisOrder.format(fp.medianSpacing())).append('\n');
        sb.append(String.format(Locale.ROOT, "  size after crop: median %.3f of the original, mean case size %.3f%n",
                fp.medianRelativeSizeAfterCrop(), fp.meanSizeRatioAfterCrop()));
        for (ChannelIntensityStatistics s : fp.foregroundIntensity()) {
            sb.append(String.format(Locale.ROOT,
                    "  channel %d %s foreground (%d cases weighted equally): mean %.4g, std %.4g, median %.4g, "
                            + "range [%.4g, %.4g], 0.5-99.5%% [%.4g, %.4g]; all %d voxels pooled: mean %.4g, std %.4g%n",
                    s.channel(), s.name(), s.casesWithForeground(), s.mean(), s.std(), s.median(), s.min(), s.max(),
                    s.percentile00_5(), s.percentile99_5(), s.foregroundVoxels(), s.pooledMean(), s.pooledStd()));
        }
        return sb.toString();
    }
}
