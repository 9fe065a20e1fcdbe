package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.github.nnunetfiji.engine.Device;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Processor;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.util.HeapWatch;
import io.github.nnunetfiji.util.MemoryBudget;
import io.github.nnunetfiji.util.Progress;

/**
 * The engines and trained models loaded in one session, kept between runs: the second segmentation
 * with a model answers in the time of the prediction itself, without starting the engine and
 * loading the networks again. Fiji keeps one per session ({@code fiji.NnunetSessionService}); the
 * stages that predict take one ({@link SegmentStage#SegmentStage(LoadedModels)},
 * {@link PredictStage#PredictStage(LoadedModels)}).
 *
 * <ul>
 *   <li><b>What is the same model</b>: the model folder's real path, configuration and folds, and the
 *       engine settings (device, precision, threads); an engine is shared by the models loaded
 *       with the same settings.</li>
 *   <li><b>Changed files</b>: each use compares the model's files ({@code plans.json} and every file
 *       of the folds' {@code inference_model/}: size, modification time, file identity) with those it
 *       was loaded from; a model whose files changed (trained again, installed again) is loaded
 *       again.</li>
 *   <li><b>How many</b>: at most {@code kept} models; loading another frees the least recently used.</li>
 *   <li><b>In use</b>: a run holds a {@link Lease}; a model is closed only when no lease holds it,
 *       so freeing (on demand, for room, or when memory is short) never closes a model a running
 *       command predicts with: that one is closed when its run ends.</li>
 *   <li><b>Memory</b>: before loading a model, if the heap is short ({@link HeapWatch}), the models
 *       not in use are freed first; {@link #watchMemory} also frees them whenever a
 *       collection leaves the heap short.</li>
 *   <li><b>Progress</b>: the first run says what it loads and how long that took ("Loading engine
 *       (first use in this session)...", "Loading model ..."); later runs say they reuse it.</li>
 * </ul>
 * Thread-safe: lookups are short; loads run one at a time.
 */
public final class LoadedModels implements AutoCloseable {

    /** Models kept by default. */
    public static final int DEFAULT_KEPT = 2;

    /** Starts engines; {@link EngineLoader#load} unless a test says otherwise. */
    @FunctionalInterface
    public interface EngineSource {
        Engine load(EngineOptions options) throws IOException;
    }

    /** Whether memory is short now, and the figures for a note. */
    public interface MemoryCheck {

        boolean isShort();

        String describe();

        /** Memory is never short. */
        static MemoryCheck never() {
            return new MemoryCheck() {
                @Override
                public boolean isShort() {
                    return false;
                }

                @Override
                public String describe() {
                    return "not checked";
                }
            };
        }

        /** The heap's tenured pool. */
        static MemoryCheck of(HeapWatch watch) {
            return new MemoryCheck() {
                @Override
                public boolean isShort() {
                    return watch.isShort();
                }

                @Override
                public String describe() {
                    return watch.describe();
                }
            };
        }
    }

    /** The engine settings that make an engine. */
    record EngineKey(Device device, EngineOptions.Precision precision, int intraOpThreads, int interOpThreads,
            boolean allowEmulatedBfloat16, Processor processor) {

        static EngineKey of(EngineOptions o) {
            return new EngineKey(o.device(), o.precision(), o.resolvedIntraOpThreads(), Math.max(1, o.interOpThreads()),
                    o.allowEmulatedBfloat16(), o.processor());
        }
    }

    /** What decides a loaded model, apart from its files. */
    record ModelKey(Path folder, String configuration, List<String> folds, EngineKey engine) {
    }

    private static final class EngineEntry {
        final EngineKey key;
        final Engine engine;
        /** Model entries loaded in it and not yet closed (kept or still in use). */
        int models;
        boolean retired;
        long lastUsed;

        EngineEntry(EngineKey key, Engine engine) {
            this.key = key;
            this.engine = engine;
        }
    }

    private static final class ModelEntry {
        final ModelKey key;
        final List<String> files;
        final long networkBytes;
        final String name;
        final TrainedModel model;
        final EngineEntry engine;
        final LocalTime loadedAt = LocalTime.now();
        int leases;
        boolean retired;
        long lastUsed;

        ModelEntry(ModelKey key, List<String> files, long networkBytes, String name, TrainedModel model,
                EngineEntry engine) {
            this.key = key;
            this.files = files;
            this.networkBytes = networkBytes;
            this.name = name;
            this.model = model;
            this.engine = engine;
        }
    }

    /**
     * A loaded model held for one run; closing it lets the cache free the model again. The model
     * and engine must not be closed by the holder.
     */
    public final class Lease implements AutoCloseable {

        private final ModelEntry entry;
        private final boolean reused;
        private boolean released;

        private Lease(ModelEntry entry, boolean reused) {
            this.entry = entry;
            this.reused = reused;
        }

        public TrainedModel model() {
            return entry.model;
        }

        public Engine engine() {
            return entry.engine.engine;
        }

        /** True if the model was loaded by an earlier run and reused. */
        public boolean reused() {
            return reused;
        }

        @Override
        public void close() {
            synchronized (LoadedModels.this) {
                if (!released) {
                    released = true;
                    release(entry);
                }
            }
        }
    }

    /**
     * What {@link #free} freed.
     *
     * @param models       the models closed now
     * @param engines      the engines closed now
     * @param inUse        models still predicting, closed when their runs end
     * @param networkBytes the size of the freed models' network files (their weights)
     */
    public record Freed(List<String> models, int engines, List<String> inUse, long networkBytes) {

        public Freed {
            models = List.copyOf(models);
            inUse = List.copyOf(inUse);
        }

        public boolean nothing() {
            return models.isEmpty() && engines == 0 && inUse.isEmpty();
        }

        /** One line for people. */
        public String describe() {
            if (nothing()) {
                return "Nothing to free: no engine or model is loaded";
            }
            StringBuilder sb = new StringBuilder("Freed ");
            sb.append(models.size()).append(models.size() == 1 ? " model" : " models");
            if (!models.isEmpty()) {
                sb.append(" (").append(String.join("; ", models)).append(", ")
                        .append(MemoryBudget.format(networkBytes)).append(" of weights)");
            }
            sb.append(" and ").append(engines).append(engines == 1 ? " engine" : " engines");
            if (!inUse.isEmpty()) {
                sb.append("; in use by a running command, freed when it ends: ").append(String.join("; ", inUse));
            }
            return sb.toString();
        }
    }

    /**
     * Counts since this cache was made, for reports and tests.
     *
     * @param engineLoads engines started
     * @param modelLoads  models loaded
     * @param reuses      runs that found their model loaded
     * @param reloads     loads because the model's files had changed
     * @param models      models loaded now, least recently used first
     * @param engines     engines started now
     */
    public record Counts(int engineLoads, int modelLoads, int reuses, int reloads, List<String> models, int engines) {

        public Counts {
            models = List.copyOf(models);
        }
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private final int kept;
    private final MemoryCheck memory;
    private final EngineSource engineSource;
    private final Map<ModelKey, ModelEntry> models = new LinkedHashMap<>();
    private final Map<EngineKey, EngineEntry> engines = new LinkedHashMap<>();
    /** Loads run one at a time (two at once would hold two models' memory while neither is needed yet). */
    private final ReentrantLock loading = new ReentrantLock();
    private long clock;
    private int engineLoads;
    private int modelLoads;
    private int reuses;
    private int reloads;
    private boolean closed;
    private AutoCloseable memoryWatch;

    /** {@link #DEFAULT_KEPT} models, the heap's tenured pool watched, engines from {@link EngineLoader#load}. */
    public LoadedModels() {
        this(DEFAULT_KEPT, MemoryCheck.of(HeapWatch.tenured(HeapWatch.DEFAULT_FRACTION)), EngineLoader::load);
    }

    /**
     * @param kept         the most models kept (at least 1)
     * @param memory       asked before each load; short frees the models not in use
     * @param engineSource starts engines
     */
    public LoadedModels(int kept, MemoryCheck memory, EngineSource engineSource) {
        if (kept < 1) {
            throw new IllegalArgumentException("kept must be at least 1: " + kept);
        }
        this.kept = kept;
        this.memory = Objects.requireNonNull(memory);
        this.engineSource = Objects.requireNonNull(engineSource);
    }

    /**
     * Frees the models not in use whenever a collection leaves the heap short (until {@link #close}),
     * and tells {@code report} what it freed (on the JVM's notification thread). Once per cache.
     */
    public synchronized void watchMemory(HeapWatch watch, Consumer<Freed> report) {
        if (memoryWatch == null && !closed) {
            memoryWatch = watch.onShort(() -> {
                Freed f = memoryShort();
                if (!f.nothing()) {
                    report.accept(f);
                }
            });
        }
    }

    /** The memory is short: frees every model no run holds, and the engines left without one. */
    public Freed memoryShort() {
        return freeIdle();
    }

    /**
     * The model of {@code where} on an engine with {@code options}: the one kept from an earlier run
     * if its files are unchanged, else loaded (and the engine started if need be). Close the lease
     * when the run ends.
     *
     * @throws IOException           if the model cannot be loaded ({@link io.github.nnunetfiji.inference.ModelFolderException}
     *                               for one that does not fit its plans)
     * @throws IllegalStateException after {@link #close()}
     */
    public Lease acquire(TrainedModel.Location where, EngineOptions options, Progress progress) throws IOException {
        ModelKey key = new ModelKey(where.folder().toRealPath(), where.configuration(), where.folds(),
                EngineKey.of(options));
        List<String> files = files(where);
        Lease hit = reuse(key, files, progress);
        if (hit != null) {
            return hit;
        }
        loading.lock();
        try {
            hit = reuse(key, files, progress); // loaded by another run meanwhile
            if (hit != null) {
                return hit;
            }
            progress.checkCanceled();
            if (memory.isShort()) {
                Freed f = freeIdle();
                if (!f.models().isEmpty() || f.engines() > 0) {
                    progress.note("Memory is short (" + memory.describe() + "): " + f.describe());
                }
            }
            EngineEntry engine = engine(key.engine(), options, progress); // held: not closed while loading
            progress.status("Loading model " + name(where, where.configuration()) + "...");
            long start = System.nanoTime();
            TrainedModel model;
            try {
                model = TrainedModel.load(where, engine.engine);
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    engine.models--;
                    closeEngineIfUnused(engine);
                }
                throw e;
            }
            long bytes = networkBytes(where);
            String name = name(where, model.configuration());
            synchronized (this) {
                ModelEntry entry = new ModelEntry(key, files, bytes, name, model, engine);
                entry.leases = 1;
                entry.lastUsed = ++clock;
                modelLoads++;
                if (closed || engine.retired) {
                    entry.retired = true; // freed meanwhile: this run finishes, then it is closed
                } else {
                    models.put(key, entry);
                    for (String freed : keepAtMost(kept, entry)) {
                        progress.note("Freed the model " + freed + " (at most " + kept + " kept)");
                    }
                }
                progress.note(String.format(Locale.ROOT, "Loaded model %s in %.1f s (%s of weights); kept for this session",
                        name, (System.nanoTime() - start) / 1e9, MemoryBudget.format(bytes)));
                return new Lease(entry, false);
            }
        } finally {
            loading.unlock();
        }
    }

    /** The kept model if its files are unchanged (a lease on it), else null; a stale one is retired. */
    private synchronized Lease reuse(ModelKey key, List<String> files, Progress progress) {
        if (closed) {
            throw new IllegalStateException("The loaded models were closed with their session");
        }
        ModelEntry e = models.get(key);
        if (e == null) {
            return null;
        }
        if (!e.files.equals(files)) {
            models.remove(key);
            retire(e);
            reloads++;
            progress.note("The model " + e.name + " changed since it was loaded at " + CLOCK.format(e.loadedAt)
                    + " (" + firstDifference(e.files, files) + "): loading it again");
            return null;
        }
        e.leases++;
        e.lastUsed = ++clock;
        e.engine.lastUsed = clock;
        reuses++;
        progress.status("Using the engine and model loaded earlier in this session: " + e.name);
        progress.note("Reusing the engine and the model " + e.name + " loaded at " + CLOCK.format(e.loadedAt)
                + " (kept for this session)");
        return new Lease(e, true);
    }

    /**
     * The engine for {@code key}, started if need be (under the loading lock), held for one model
     * ({@link EngineEntry#models} counted): the caller loads one or gives it back.
     */
    private EngineEntry engine(EngineKey key, EngineOptions options, Progress progress) throws IOException {
        synchronized (this) {
            EngineEntry e = engines.get(key);
            if (e != null) {
                e.lastUsed = ++clock;
                e.models++;
                return e;
            }
        }
        progress.status(engineLoads == 0 ? "Loading engine (first use in this session)..."
                : "Loading engine (" + key.intraOpThreads() + " threads)...");
        long start = System.nanoTime();
        Engine engine = engineSource.load(options);
        synchronized (this) {
            engineLoads++;
            EngineEntry e = new EngineEntry(key, engine);
            e.lastUsed = ++clock;
            e.models = 1;
            if (closed) {
                e.retired = true;
            } else {
                engines.put(key, e);
                closeIdleEngines(kept, e);
            }
            progress.note(String.format(Locale.ROOT, "Engine: %s (started in %.1f s; kept for this session)",
                    engine.description(), (System.nanoTime() - start) / 1e9));
            return e;
        }
    }

    /** Retires the least recently used models beyond {@code n} (never {@code keep}); their names. */
    private List<String> keepAtMost(int n, ModelEntry keep) {
        List<String> freed = new ArrayList<>();
        while (models.size() > n) {
            ModelEntry lru = models.values().stream().filter(e -> e != keep)
                    .min(Comparator.comparingLong(e -> e.lastUsed)).orElseThrow();
            models.remove(lru.key);
            retire(lru);
            freed.add(lru.name);
        }
        return freed;
    }

    /** Closes engines without models beyond {@code n} started ones, least recently used first (never {@code keep}). */
    private void closeIdleEngines(int n, EngineEntry keep) {
        while (engines.size() > n) {
            EngineEntry idle = engines.values().stream().filter(e -> e != keep && e.models == 0)
                    .min(Comparator.comparingLong(e -> e.lastUsed)).orElse(null);
            if (idle == null) {
                return;
            }
            engines.remove(idle.key);
            idle.retired = true;
            idle.engine.close();
        }
    }

    /** Out of the cache; closed now if no run holds it, else when the last lease is closed. */
    private void retire(ModelEntry e) {
        e.retired = true;
        if (e.leases == 0) {
            closeModel(e);
        }
    }

    private void release(ModelEntry e) {
        e.leases--;
        if (e.retired && e.leases == 0) {
            closeModel(e);
        }
    }

    private void closeModel(ModelEntry e) {
        e.model.close();
        e.engine.models--;
        closeEngineIfUnused(e.engine);
    }

    private void closeEngineIfUnused(EngineEntry engine) {
        if (engine.retired && engine.models == 0) {
            engine.engine.close();
        }
    }

    /** Frees every model no run holds, and engines without models. */
    private synchronized Freed freeIdle() {
        List<String> names = new ArrayList<>();
        long bytes = 0;
        for (ModelEntry e : new ArrayList<>(models.values())) {
            if (e.leases == 0) {
                models.remove(e.key);
                retire(e);
                names.add(e.name);
                bytes += e.networkBytes;
            }
        }
        int closedEngines = 0;
        for (EngineEntry e : new ArrayList<>(engines.values())) {
            if (e.models == 0) {
                engines.remove(e.key);
                e.retired = true;
                e.engine.close();
                closedEngines++;
            }
        }
        return new Freed(names, closedEngines, List.of(), bytes);
    }

    /**
     * Frees every engine and model: those not in use at once, those a running command holds when
     * it ends. Later runs load again.
     */
    public synchronized Freed free() {
        List<String> names = new ArrayList<>();
        List<String> inUse = new ArrayList<>();
        long bytes = 0;
        for (ModelEntry e : new ArrayList<>(models.values())) {
            models.remove(e.key);
            retire(e);
            (e.leases == 0 ? names : inUse).add(e.name);
            bytes += e.leases == 0 ? e.networkBytes : 0;
        }
        int closedEngines = 0;
        for (EngineEntry e : new ArrayList<>(engines.values())) {
            engines.remove(e.key);
            e.retired = true;
            if (e.models == 0) {
                e.engine.close();
                closedEngines++;
            }
        }
        return new Freed(names, closedEngines, inUse, bytes);
    }

    /** What is loaded now and what happened so far. */
    public synchronized Counts counts() {
        return new Counts(engineLoads, modelLoads, reuses, reloads, models.values().stream()
                .sorted(Comparator.comparingLong(e -> e.lastUsed)).map(e -> e.name).toList(), engines.size());
    }

    /** Frees everything ({@link #free()}) and refuses further runs; a running command finishes first. */
    @Override
    public void close() {
        AutoCloseable watch;
        synchronized (this) {
            closed = true;
            free();
            watch = memoryWatch;
            memoryWatch = null;
        }
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                // the listener is gone with the JVM's notification support
            }
        }
    }

    /**
     * "ISBI2012EM_mini 2d folds 0 (/work/.../models/2d)"; the configuration left out while unknown (an
     * installed model named freely, before its networks are read).
     */
    private static String name(TrainedModel.Location where, String configuration) {
        return where.plans().datasetName() + (configuration != null ? " " + configuration : "") + " folds "
                + String.join(",", where.folds()) + " (" + where.folder() + ")";
    }

    /**
     * The identity of the files a model is loaded from: {@code plans.json} and every file of the
     * chosen folds' {@code inference_model/}, each as relative path, size, modification time and
     * file key (inode; a file replaced by a copy gets a new one).
     */
    static List<String> files(TrainedModel.Location where) throws IOException {
        Path folder = where.folder();
        List<Path> paths = new ArrayList<>();
        paths.add(folder.resolve(TrainedModel.PLANS));
        for (String f : where.folds()) {
            Path dir = folder.resolve(TrainedModel.FOLD_PREFIX + f).resolve(TrainedModel.INFERENCE_MODEL);
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(Files::isRegularFile).sorted().forEach(paths::add);
            }
        }
        List<String> ids = new ArrayList<>();
        for (Path p : paths) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            ids.add(folder.relativize(p) + " " + a.size() + " " + a.lastModifiedTime().toMillis() + " " + a.fileKey());
        }
        return ids;
    }

    private static long networkBytes(TrainedModel.Location where) throws IOException {
        long n = 0;
        for (String f : where.folds()) {
            Path dir = where.folder().resolve(TrainedModel.FOLD_PREFIX + f).resolve(TrainedModel.INFERENCE_MODEL);
            try (Stream<Path> s = Files.walk(dir)) {
                n += s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
        }
        return n;
    }

    private static String firstDifference(List<String> was, List<String> now) {
        for (String s : now) {
            if (!was.contains(s)) {
                return s.substring(0, s.indexOf(' ')) + " changed";
            }
        }
        for (String s : was) {
            if (!now.contains(s)) {
                return s.substring(0, s.indexOf(' ')) + " removed";
            }
        }
        return "files changed";
    }
}
