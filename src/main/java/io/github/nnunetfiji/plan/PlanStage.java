package io.github.nnunetfiji.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.fingerprint.CaseFingerprint;
import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.fingerprint.FingerprintExtractor;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.util.Progress;

/**
 * The fingerprint and plan stages as the command line and Fiji run them: read or compute the
 * fingerprint, plan, write {@code plans.json} into the data set's work folder.
 */
public final class PlanStage {

    private PlanStage() {
    }

    /**
     * Computes the fingerprint and writes {@code dataset_fingerprint.json}.
     *
     * @param dataset  the loaded data set
     * @param work     the work folder
     * @param threads  cases processed at the same time
     * @param progress progress and cancellation
     * @return the fingerprint
     * @throws IOException if a case cannot be read or the file cannot be written
     */
    public static DatasetFingerprint fingerprint(Dataset dataset, WorkFolder work, int threads, Progress progress)
            throws IOException {
        DatasetFingerprint fp = new FingerprintExtractor(threads).extract(dataset, progress);
        fp.write(work.forDataset(dataset).fingerprintFile());
        return fp;
    }

    /**
     * The data set's fingerprint from its work folder, computed first if it is missing or was made
     * from other cases than the data set now holds.
     *
     * @param dataset  the loaded data set
     * @param work     the work folder
     * @param threads  cases processed at the same time, if the fingerprint must be computed
     * @param progress progress and cancellation
     * @param log      receives one line saying whether the fingerprint was read or computed, and why
     * @return the fingerprint
     * @throws IOException if the fingerprint cannot be read or computed
     */
    public static DatasetFingerprint fingerprintOrExtract(Dataset dataset, WorkFolder work, int threads,
            Progress progress, Consumer<String> log) throws IOException {
        Path file = work.forDataset(dataset).fingerprintFile();
        if (Files.isRegularFile(file)) {
            DatasetFingerprint fp = DatasetFingerprint.readIfCurrent(file);
            if (fp == null) {
                log.accept("The fingerprint in " + file + " was made by an older version; computing it again.");
                return fingerprint(dataset, work, threads, progress);
            }
            List<String> have = fp.cases().stream().map(CaseFingerprint::id).toList();
            List<String> want = dataset.cases().stream().map(CaseEntry::id).toList();
            if (have.equals(want)) {
                log.accept("Using the fingerprint in " + file);
                return fp;
            }
            log.accept("The fingerprint in " + file + " was made from other cases (" + have.size() + " vs "
                    + want.size() + " now); computing it again.");
        } else {
            log.accept("No fingerprint yet; computing " + file);
        }
        return fingerprint(dataset, work, threads, progress);
    }

    /**
     * Plans a data set (computing its fingerprint if needed) and writes {@code plans.json}.
     *
     * @param dataset   the loaded data set
     * @param work      the work folder
     * @param planner   the planner
     * @param overrides the user's per-configuration overrides
     * @param threads   cases processed at the same time, if the fingerprint must be computed
     * @param progress  progress and cancellation
     * @param log       receives a line about the fingerprint
     * @return the plans as written
     * @throws IOException if the fingerprint or the plans cannot be read or written
     * @throws IllegalArgumentException if an override is invalid for the planned configurations
     */
    public static Plans plan(Dataset dataset, WorkFolder work, ExperimentPlanner planner, PlanOverrides overrides,
            int threads, Progress progress, Consumer<String> log) throws IOException {
        DatasetFingerprint fp = fingerprintOrExtract(dataset, work, threads, progress, log);
        progress.status("planning with the " + planner.name() + " planner");
        Plans plans = planner.plan(fp, overrides);
        plans.write(work.forDataset(dataset).plansFile());
        return plans;
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
