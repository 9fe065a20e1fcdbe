package io.github.nnunetfiji.preprocess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Progress;

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

    private PreprocessingResult runConfiguration(Dataset ds, Plans plans, PlanConfiguration c, Path dir, Progress progress)
            throws IOException {
        List<CaseEntry> cases = ds.cases();
        String signature = new CasePreprocessor(plans, c, 1).planSignature();
        List<String> reused = Collections.synchronizedList(new ArrayList<>());
        List<String> processed = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> failed = Collections.synchronizedMap(new LinkedHashMap<>());
        int workers = Math.min(threads, Math.max(1, cases.size()));
        // Left-over threads go to resampling inside each case.
        int innerThreads = Math.max(1, threads / workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "nnunet-preprocess");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        progress.status("Preprocessing " + c.name() + " (" + cases.size() + " cases)");
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (CaseEntry ce : cases) {
                futures.add(pool.submit(() -> {
                    progress.checkCanceled();
                    if (isReusable(dir, ce.id(), signature)) {
                        reused.add(ce.id());
                    } else {
                        try {
                            new CasePreprocessor(plans, c, innerThreads).process(ce, dir);
                            processed.add(ce.id());
                        } catch (IOException | RuntimeException e) {
                            if (e instanceof CanceledException ce2) {
                                throw ce2;
                            }
                            failed.put(ce.id(), e.getMessage() != null ? e.getMessage() : e.toString());
                        } catch (OutOfMemoryError e) {
                            failed.put(ce.id(), "out of memory; give Java more (-Xmx) or use fewer --threads");
                        }
                    }
                    progress.status(c.name() + ": " + ce.id());
                    progress.progress(done.incrementAndGet(), cases.size());
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CanceledException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CanceledException ce) {
                throw ce;
            }
            throw new IOException("Preprocessing failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<String> ok = new ArrayList<>();
        for (CaseEntry ce : cases) {
            if (!failed.containsKey(ce.id())) {
                ok.add(ce.id());
            }
        }
        Json.write(dir.resolve(INDEX_FILE), new Index(c.name(), c.dataIdentifier(), signature, ok, new LinkedHashMap<>(failed)));
        return new PreprocessingResult(c.name(), c.dataIdentifier(), dir, sorted(processed, cases), sorted(reused, cases),
                new LinkedHashMap<>(failed));
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

    /** Case ids in data set order (workers finish in any order). */
    private static List<String> sorted(List<String> ids, List<CaseEntry> cases) {
        List<String> out = new ArrayList<>();
        for (CaseEntry ce : cases) {
            if (ids.contains(ce.id())) {
                out.add(ce.id());
            }
        }
        return out;
    }
}
