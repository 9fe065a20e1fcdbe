package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.fingerprint.CaseFingerprint;
import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.normalization.NormalizationSchemes;
import io.github.nnunetfiji.plan.ChannelNormalization;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.preprocess.CaseHeader;
import io.github.nnunetfiji.preprocess.CasePreprocessor;
import io.github.nnunetfiji.preprocess.PreprocessedCase;
import io.github.nnunetfiji.preprocess.PreprocessingResult;
import io.github.nnunetfiji.preprocess.ResamplingRule;
import io.github.nnunetfiji.util.AtomicFiles;
import io.github.nnunetfiji.util.CanceledException;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.MemoryBudget;
import io.github.nnunetfiji.util.NotEnoughMemoryException;
import io.github.nnunetfiji.util.Message;
import io.github.nnunetfiji.util.Parallel;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.RequestField;
import io.github.nnunetfiji.util.StageName;
import io.github.nnunetfiji.util.WorkLock;
import io.github.nnunetfiji.util.WriteFailedException;

/**
 * Preprocesses every training case of a data set for the requested configurations, as
 * {@code plans.json} says. Cases run in parallel, one case per worker in memory; each case is
 * written atomically, so an interrupted run resumes where it stopped. A stored case is reused only
 * when its {@link Provenance} matches: the same source files (size, time, content), the same plan
 * signature and the same data set statistics where its normalization uses them; anything else is
 * preprocessed again. A case that fails is reported and the others still finish. Configurations
 * that share a data identifier (the cascade's second stage and {@code 3d_fullres}) are
 * preprocessed once.
 */
public final class PreprocessStage implements Stage<PreprocessStage.Request, PreprocessStage.Result> {

    /** Written into each data folder after a run: the cases it holds and the plan signature. */
    public static final String INDEX_FILE = "preprocessing.json";

    /**
     * @param dataset        the data set folder
     * @param work           the work folder
     * @param plans          the plans, or null to read {@code plans.json} from the work folder
     * @param configurations configuration names; empty for every planned one
     * @param threads        cases processed at the same time (each holds one case in memory)
     * @param force          preprocess every case again, even current ones
     */
    public record Request(Path dataset, WorkFolder work, Plans plans, List<String> configurations, int threads,
            boolean force) {

        public Request {
            configurations = List.copyOf(configurations);
        }
    }

    /** @param configurations what happened, one entry per preprocessed data identifier */
    public record Result(List<PreprocessingResult> configurations) implements StageResult {

        @Override
        public boolean ok() {
            return configurations.stream().allMatch(PreprocessingResult::ok);
        }

        @Override
        public String report() {
            StringBuilder sb = new StringBuilder();
            configurations.forEach(r -> sb.append(r.toText()));
            return sb.toString();
        }

        /** The index file written for one configuration's data. */
        public static Path indexFile(PreprocessingResult r) {
            return r.folder().resolve(INDEX_FILE);
        }
    }

    /** The index written beside the cases. */
    public record Index(String configuration, String dataIdentifier, String planSignature, List<String> cases,
            Map<String, String> failed) {
    }

    @Override
    public String name() {
        return "preprocess";
    }

    /**
     * @throws DatasetException if the data set folder is not a usable data set (nothing written)
     * @throws PrerequisiteException if no plans were given and the work folder holds none
     * @throws IllegalArgumentException if a configuration is not planned (the message lists those that are)
     */
    @Override
    public Result run(Request request, Progress progress) throws PrerequisiteException, DatasetException, IOException {
        return run(LoadedDataset.load(request.dataset()), request, progress);
    }

    /** Runs on a data set already loaded (its folder in the request is not read again). */
    Result run(LoadedDataset data, Request request, Progress progress) throws PrerequisiteException, IOException {
        Dataset ds = data.dataset();
        Plans plans = request.plans() != null ? request.plans() : readPlans(request.work(), ds);
        checkConfigurations(plans, request.configurations());
        List<String> names = request.configurations().isEmpty() ? new ArrayList<>(plans.configurations().keySet())
                : request.configurations();
        List<PreprocessingResult> results = new ArrayList<>();
        List<String> doneData = new ArrayList<>();
        for (String name : names) {
            PlanConfiguration c = plans.configuration(name);
            if (doneData.contains(c.dataIdentifier())) {
                continue;
            }
            doneData.add(c.dataIdentifier());
            Path lockFile = request.work().forDataset(ds).lockFile("preprocess_" + c.dataIdentifier());
            try (WorkLock lock = WorkLock.acquire(lockFile, "preprocessing of " + c.dataIdentifier(), progress::note)) {
                results.add(runConfiguration(data, request, plans, c, progress));
            }
        }
        return new Result(results);
    }

    /** Reads the plans of a data set, or explains how to make them. */
    static Plans readPlans(WorkFolder work, Dataset ds) throws PrerequisiteException, IOException {
        Path file = work.forDataset(ds).plansFile();
        if (!Files.isRegularFile(file)) {
            throw new PrerequisiteException(Message.of(file, " not found: plan the data set first (",
                    StageName.PLAN.with(RequestField.DATASET, ds.root()).with(RequestField.WORK_FOLDER, work.root()),
                    "), or give as ", RequestField.WORK_FOLDER, " the work folder it was planned in"));
        }
        return Plans.read(file);
    }

    /** Unknown configuration names are an error that lists the planned ones. */
    static void checkConfigurations(Plans plans, List<String> configs) {
        for (String c : configs) {
            if (!plans.has(c)) {
                throw new IllegalArgumentException("configuration '" + c + "' is not planned; planned: "
                        + String.join(", ", plans.configurations().keySet()));
            }
        }
    }

    /**
     * Refuses a run whose cases at once cannot fit: each case holds its image (every channel as
     * float) and its resampled crop; {@code workers} cases run together, in the worst case the
     * largest ones.
     *
     * @throws NotEnoughMemoryException naming the figures and the thread count that fits
     */
    static void checkMemory(DatasetFingerprint fp, PlanConfiguration c, int workers, long available) {
        int channels = fp.channelCount();
        List<Long> perCase = new ArrayList<>();
        for (CaseFingerprint cf : fp.cases()) {
            long in = MemoryBudget.times(MemoryBudget.times(cf.shape()[0], cf.shape()[1]), cf.shape()[2]);
            long out = ResamplingRule.newVoxelCount(c, cf.shapeAfterCrop(), cf.spacing());
            long bytes = MemoryBudget.plus(MemoryBudget.times(MemoryBudget.FLOAT * channels, MemoryBudget.plus(in, out)),
                    out);
            perCase.add(bytes);
        }
        perCase.sort(java.util.Comparator.reverseOrder());
        long together = 0;
        int fitting = 0;
        for (int w = 0; w < Math.min(workers, perCase.size()); w++) {
            together = MemoryBudget.plus(together, perCase.get(w));
            if (together <= available) {
                fitting = w + 1;
            }
        }
        MemoryBudget.require("Preprocessing " + c.name() + " with " + workers + " case(s) at once (the largest case "
                + "alone: " + MemoryBudget.format(perCase.get(0)) + ")", together, available, fitting);
    }

    /** What happened to one case. */
    private record Outcome(String id, boolean reused, String failure) {
    }

    private static PreprocessingResult runConfiguration(LoadedDataset data, Request request, Plans plans,
            PlanConfiguration c, Progress progress) throws IOException {
        Dataset ds = data.dataset();
        SourceFiles sources = data.sources();
        WorkFolder.DatasetWork dw = request.work().forDataset(ds);
        Path dir = dw.preprocessedDir(c.dataIdentifier());
        List<CaseEntry> cases = ds.cases();
        String signature = new CasePreprocessor(plans, c, 1).planSignature();
        Map<String, String> inputs = caseInputs(plans, c, signature);
        int workers = Math.min(request.threads(), Math.max(1, cases.size()));
        // Left-over threads go to resampling inside each case.
        int innerThreads = Math.max(1, request.threads() / workers);
        if (Files.isRegularFile(dw.fingerprintFile())) {
            checkMemory(DatasetFingerprint.read(dw.fingerprintFile()), c, workers, MemoryBudget.available());
        }
        progress.status("Preprocessing " + c.name() + " (" + cases.size() + " cases)");
        AtomicFiles.removeLeftovers(dir);
        AtomicFiles.removeLeftovers(Provenance.preprocessedCaseRecord(dw, c.dataIdentifier(), "x").getParent());
        List<Outcome> outcomes = Parallel.map(cases, workers, "nnunet-preprocess", progress,
                ce -> c.name() + ": " + ce.id(), ce -> {
                    Path record = Provenance.preprocessedCaseRecord(dw, c.dataIdentifier(), ce.id());
                    try {
                        Provenance made = Provenance.of("preprocessed case " + ce.id(), sources.describe(ce), inputs);
                        boolean complete = PreprocessedCase.isComplete(dir, ce.id());
                        if (complete && !request.force() && signature.equals(storedSignature(dir, ce.id()))
                                && made.matches(record)) {
                            return new Outcome(ce.id(), true, null);
                        }
                        if (complete && !request.force()) {
                            String why = signature.equals(storedSignature(dir, ce.id())) ? made.differenceFrom(record)
                                    : "the plan changed";
                            progress.note("  " + c.name() + ": preprocessing " + ce.id() + " again: " + why);
                        }
                        // The old case stops counting as done before anything of the new one is written, and
                        // the record comes first: a run killed at any point never reuses a mixed case.
                        Files.deleteIfExists(PreprocessedCase.headerFile(dir, ce.id()));
                        made.write(record);
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
                        return new Outcome(ce.id(), false, "out of memory; give Java more memory (-Xmx) or use fewer threads");
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
     * What a preprocessed case depends on besides its files: the plan signature, the stored format,
     * and the data set statistics that its channels' normalization uses (CT uses the foreground
     * statistics of the fingerprint, so a changed label elsewhere changes CT cases too).
     */
    private static Map<String, String> caseInputs(Plans plans, PlanConfiguration c, String signature) {
        Map<String, String> inputs = new TreeMap<>();
        inputs.put("plan signature", signature);
        inputs.put("case format", CaseHeader.FORMAT + " " + CaseHeader.VERSION);
        List<ChannelIntensityStatistics> stats = plans.foregroundIntensity();
        for (ChannelNormalization n : c.normalization()) {
            String used = n.channel() < stats.size()
                    ? NormalizationSchemes.byName(n.scheme()).statisticsUsed(stats.get(n.channel())) : "";
            if (!used.isEmpty()) {
                inputs.put("data set statistics of channel " + n.channel(), used);
            }
        }
        return inputs;
    }

    /**
     * Deletes temporary files a killed run left behind ({@link io.github.nnunetfiji.util.AtomicFiles}
     * writes {@code .NAME.*.tmp} beside each file; a killed process cannot delete them). One run
     * at a time writes a data folder, so none of them is still being written.
     */
    private static String storedSignature(Path dir, String id) {
        try {
            return PreprocessedCase.readHeader(dir, id).planSignature();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
