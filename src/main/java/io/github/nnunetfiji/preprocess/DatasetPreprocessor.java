package io.github.nnunetfiji.preprocess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Parallel;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.WriteFailedException;

/**
 * Preprocesses every training case of a data set for the requested configurations. Cases run in
 * parallel, one case per worker in memory; each case is written atomically, so an interrupted run
 * resumes where it stopped (finished cases with the same plan signature are reused); a case that
 * fails is reported and the others still finish. Configurations that share a data identifier (the
 * cascade's second stage and {@code 3d_fullres}) are preprocessed once.
 */
public final class DatasetPreprocessor {

    /** Written into each data folder after a run: the cases it holds and the plan signature. */
    public static final String INDEX_FILE = "preprocessing.json";

    private final int threads;

    /** @param threads cases processed at the same time (each holds one case in memory) */
    public DatasetPreprocessor(int threads) {
        this.threads = Math.max(1, threads);
    }

    /** The index written beside the cases. */
    public record Index(String configuration, String dataIdentifier, String planSignature, List<String> cases,
            Map<String, String> failed) {
    }

    /**
     * @param configurations configuration names to preprocess; empty for all in the plans
     * @throws IllegalArgumentException if a name is not in the plans (the message lists those that are)
     */
    public List<PreprocessingResult> run(Dataset ds, Plans plans, List<String> configurations, WorkFolder work,
            Progress progress) throws IOException {
        List<String> names = configurations.isEmpty() ? new ArrayList<>(plans.configurations().keySet()) : configurations;
        List<PreprocessingResult> results = new ArrayList<>();
        List<String> doneData = new ArrayList<>();
        for (String name : names) {
            PlanConfiguration c = plans.configuration(name);
            if (doneData.contains(c.dataIdentifier())) {
                continue;
            }
            doneData.add(c.dataIdentifier());
            results.add(runConfiguration(ds, plans, c, work.forDataset(ds).preprocessedDir(c.dataIdentifier()), progress));
        }
        return results;
    }

    /** What happened to one case. */
    private record Outcome(String id, boolean reused, String failure) {
    }

    private PreprocessingResult runConfiguration(Dataset ds, Plans plans, PlanConfiguration c, Path dir, Progress progress)
            throws IOException {
        List<CaseEntry> cases = ds.cases();
        String signature = new CasePreprocessor(plans, c, 1).planSignature();
        int workers = Math.min(threads, Math.max(1, cases.size()));
        // Left-over threads go to resampling inside each case.
        int innerThreads = Math.max(1, threads / workers);
        progress.status("Preprocessing " + c.name() + " (" + cases.size() + " cases)");
        removeLeftovers(dir);
        List<Outcome> outcomes = Parallel.map(cases, workers, "nnunet-preprocess", progress,
                ce -> c.name() + ": " + ce.id(), ce -> {
                    if (isReusable(dir, ce.id(), signature)) {
                        return new Outcome(ce.id(), true, null);
                    }
                    try {
                        new CasePreprocessor(plans, c, innerThreads).process(ce, dir);
                        return new Outcome(ce.id(), false, null);
                    } catch (CanceledException e) {
                        throw e;
                    } catch (WriteFailedException e) {
                        // The work folder cannot take the output (full disk): every case would fail alike.
                        throw e;
                    } catch (IOException | RuntimeException e) {
                        // One bad case must not stop the others: report it and go on.
                        return new Outcome(ce.id(), false, e.getMessage() != null ? e.getMessage() : e.toString());
                    } catch (OutOfMemoryError e) {
                        return new Outcome(ce.id(), false, "out of memory; give Java more (-Xmx) or use fewer --threads");
                    }
                });
        List<String> processed = new ArrayList<>();
        List<String> reused = new ArrayList<>();
        List<String> ok = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (Outcome o : outcomes) { // in case order
            if (o.failure() != null) {
                failed.put(o.id(), o.failure());
            } else {
                (o.reused() ? reused : processed).add(o.id());
                ok.add(o.id());
            }
        }
        Json.write(dir.resolve(INDEX_FILE), new Index(c.name(), c.dataIdentifier(), signature, ok, failed));
        return new PreprocessingResult(c.name(), c.dataIdentifier(), dir, processed, reused, failed);
    }

    /**
     * Deletes temporary files a killed run left behind ({@link io.github.nnunetfiji.util.AtomicFiles}
     * writes {@code .NAME.*.tmp} beside each file; a killed process cannot delete them). One run
     * at a time writes a data folder, so none of them is still being written.
     */
    private static void removeLeftovers(Path dir) throws IOException {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(dir)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                String n = f.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".tmp") && java.nio.file.Files.isRegularFile(f)) {
                    java.nio.file.Files.deleteIfExists(f);
                }
            }
        }
    }

    private static boolean isReusable(Path dir, String id, String signature) {
        if (!PreprocessedCase.isComplete(dir, id)) {
            return false;
        }
        try {
            return signature.equals(PreprocessedCase.readHeader(dir, id).planSignature());
        } catch (IOException e) {
            return false;
        }
    }
}
