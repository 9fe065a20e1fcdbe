package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.Device;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.inference.ModelFolders;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.inference.TinyPlans;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.util.Progress;

/**
 * The session's loaded models: a second run reuses the engine and model (the same objects, and
 * the same labels as a run that loads its own), changed files load the model again, at most
 * {@code kept} models stay (least recently used freed), freeing or a short memory never closes a
 * model a run still holds, concurrent runs share one load, and closing frees everything. The
 * engine is the real one from the class path, wrapped to count what is open.
 */
class LoadedModelsTest {

    @TempDir
    static Path models;

    private static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(1))) {
            model = ModelFolders.write(models, TinyPlans.make(2, 3), "3d_fullres", engine, "0", "1", "2");
        }
    }

    /** Engines and networks started and still open. */
    static final class Counting implements LoadedModels.EngineSource {
        final AtomicInteger engines = new AtomicInteger();
        final AtomicInteger openEngines = new AtomicInteger();
        final AtomicInteger openNetworks = new AtomicInteger();

        @Override
        public Engine load(EngineOptions options) {
            engines.incrementAndGet();
            openEngines.incrementAndGet();
            Engine real = EngineLoader.fromClassPath(options);
            return new Engine() {
                private final AtomicBoolean closed = new AtomicBoolean();

                @Override
                public String description() {
                    return real.description();
                }

                @Override
                public Device device() {
                    return real.device();
                }

                @Override
                public String cpuKernels() {
                    return real.cpuKernels();
                }

                @Override
                public boolean mixedPrecision() {
                    return real.mixedPrecision();
                }

                @Override
                public Network create(NetworkSpec spec) {
                    return real.create(spec);
                }

                @Override
                public Network loadCheckpoint(Path file) throws IOException {
                    return real.loadCheckpoint(file);
                }

                @Override
                public io.github.nnunetfiji.engine.SavedModelExport exportSavedModel(Path inferenceModel,
                        Path target) throws IOException {
                    return real.exportSavedModel(inferenceModel, target);
                }

                @Override
                public io.github.nnunetfiji.engine.ChannelsFirstModel loadSavedModel(Path folder) throws IOException {
                    return real.loadSavedModel(folder);
                }

                @Override
                public InferenceModel loadInferenceModel(Path folder) throws IOException {
                    if (closed.get()) {
                        throw new IllegalStateException("engine closed");
                    }
                    InferenceModel m = real.loadInferenceModel(folder);
                    openNetworks.incrementAndGet();
                    return new InferenceModel() {
                        private final AtomicBoolean netClosed = new AtomicBoolean();

                        @Override
                        public NetworkSpec spec() {
                            return m.spec();
                        }

                        @Override
                        public float[] predict(Batch images) {
                            return m.predict(images);
                        }

                        @Override
                        public void close() {
                            if (netClosed.compareAndSet(false, true)) {
                                openNetworks.decrementAndGet();
                                m.close();
                            }
                        }
                    };
                }

                @Override
                public void close() {
                    if (closed.compareAndSet(false, true)) {
                        openEngines.decrementAndGet();
                        real.close();
                    }
                }
            };
        }
    }

    /** Records the status lines and notes. */
    static final class Recording implements Progress {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void status(String message) {
            lines.add(message);
        }

        @Override
        public void note(String text) {
            lines.add(text);
        }

        @Override
        public void progress(long done, long total) {
        }

        @Override
        public boolean isCanceled() {
            return false;
        }

        boolean has(String part) {
            return lines.stream().anyMatch(l -> l.contains(part));
        }
    }

    private static TrainedModel.Location at(Path folder, String... folds) throws IOException {
        return TrainedModel.locate(folder, null, List.of(folds));
    }

    private static EngineOptions threads(int n) {
        return EngineOptions.defaults().withIntraOpThreads(n);
    }

    @Test
    void aSecondRunReusesEngineAndModelAndSaysSo() throws Exception {
        Counting engines = new Counting();
        try (LoadedModels kept = new LoadedModels(2, LoadedModels.MemoryCheck.never(), engines)) {
            Recording first = new Recording();
            TrainedModel m1;
            try (LoadedModels.Lease a = kept.acquire(at(model, "0"), threads(1), first)) {
                assertFalse(a.reused());
                m1 = a.model();
            }
            assertTrue(first.has("Loading engine (first use in this session)..."), first.lines.toString());
            assertTrue(first.has("Loading model Tiny 3d_fullres folds 0"), first.lines.toString());
            assertTrue(first.has("kept for this session"), first.lines.toString());

            Recording second = new Recording();
            try (LoadedModels.Lease b = kept.acquire(at(model, "0"), threads(1), second)) {
                assertTrue(b.reused());
                assertSame(m1, b.model());
            }
            assertTrue(second.has("Using the engine and model loaded earlier in this session"), second.lines.toString());
            assertFalse(second.has("Loading"), second.lines.toString());
            LoadedModels.Counts c = kept.counts();
            assertEquals(1, c.engineLoads());
            assertEquals(1, c.modelLoads());
            assertEquals(1, c.reuses());
            assertEquals(1, engines.engines.get());
            assertEquals(1, engines.openNetworks.get(), "the model stays loaded between runs");

            // Other threads: another engine; the same engine settings share one.
            try (LoadedModels.Lease other = kept.acquire(at(model, "0"), threads(2), Progress.NONE)) {
                assertNotSame(m1, other.model());
            }
            try (LoadedModels.Lease fold1 = kept.acquire(at(model, "1"), threads(2), new Recording())) {
                assertEquals(List.of("1"), fold1.model().folds());
            }
            assertEquals(2, engines.engines.get());
            assertEquals(2, kept.counts().engines());
        }
        assertEquals(0, engines.openNetworks.get(), "closed with the cache");
        assertEquals(0, engines.openEngines.get());
    }

    @Test
    void aWarmRunGivesTheLabelsOfARunThatLoadsItsOwn() throws Exception {
        Image image = SegmentStageTest.twoChannelVolume(new int[] {27, 21, 9}, Geometry.ofSpacing(0.9, 1.2, 2.3));
        SegmentStage.Request request = new SegmentStage.Request(image, true, model, null, List.of("0", "1"),
                PredictionOptions.defaults().withMirror(true).withThreads(2), true);
        int[] cold = FlatArrays.toInts(new SegmentStage().run(request, Progress.NONE).labels().labels());
        try (LoadedModels kept = new LoadedModels(2, LoadedModels.MemoryCheck.never(), new Counting())) {
            int[] first = FlatArrays.toInts(new SegmentStage(kept).run(request, Progress.NONE).labels().labels());
            int[] warm = FlatArrays.toInts(new SegmentStage(kept).run(request, Progress.NONE).labels().labels());
            assertEquals(1, kept.counts().reuses());
            assertArrayEquals(cold, first);
            assertArrayEquals(cold, warm);
        }
    }

    @Test
    void changedFilesLoadTheModelAgain() throws Exception {
        Path copy = copyOf(model, models.resolve("copy"));
        Counting engines = new Counting();
        try (LoadedModels kept = new LoadedModels(2, LoadedModels.MemoryCheck.never(), engines)) {
            TrainedModel first;
            try (LoadedModels.Lease a = kept.acquire(at(copy, "0"), threads(1), Progress.NONE)) {
                first = a.model();
            }
            // Trained again: the network file is rewritten (a later modification time).
            Path net = Files.list(copy.resolve("fold_0/inference_model")).filter(Files::isRegularFile).findFirst()
                    .orElseThrow();
            Files.setLastModifiedTime(net, FileTime.fromMillis(Files.getLastModifiedTime(net).toMillis() + 5000));
            Recording r = new Recording();
            try (LoadedModels.Lease b = kept.acquire(at(copy, "0"), threads(1), r)) {
                assertFalse(b.reused());
                assertNotSame(first, b.model());
            }
            assertTrue(r.has("changed since it was loaded"), r.lines.toString());
            assertTrue(r.has(copy.relativize(net).toString()), r.lines.toString());
            assertEquals(2, kept.counts().modelLoads());
            assertEquals(1, kept.counts().reloads());
            assertEquals(1, engines.openNetworks.get(), "the stale model was closed");
            assertEquals(1, engines.engines.get(), "the engine is kept");

            // Installed again (the same folder holds new files, maybe with the same times): loaded again too.
            Path moved = models.resolve("copy-again");
            copyOf(copy, moved);
            deleteTree(copy);
            Files.move(moved, copy);
            try (LoadedModels.Lease c = kept.acquire(at(copy, "0"), threads(1), Progress.NONE)) {
                assertFalse(c.reused());
            }
            assertEquals(2, kept.counts().reloads());
        }
    }

    @Test
    void atMostKeptModelsTheLeastRecentlyUsedFreed() throws Exception {
        Counting engines = new Counting();
        try (LoadedModels kept = new LoadedModels(2, LoadedModels.MemoryCheck.never(), engines)) {
            kept.acquire(at(model, "0"), threads(1), Progress.NONE).close();
            kept.acquire(at(model, "1"), threads(1), Progress.NONE).close();
            kept.acquire(at(model, "0"), threads(1), Progress.NONE).close(); // fold 1 is now the least recent
            Recording r = new Recording();
            kept.acquire(at(model, "2"), threads(1), r).close();
            assertTrue(r.has("Freed the model Tiny 3d_fullres folds 1"), r.lines.toString());
            List<String> loaded = kept.counts().models();
            assertEquals(2, loaded.size());
            assertTrue(loaded.get(0).contains("folds 0") && loaded.get(1).contains("folds 2"), loaded.toString());
            assertEquals(2, engines.openNetworks.get());
        }
    }

    @Test
    void freeingNeverClosesAModelInUse() throws Exception {
        Counting engines = new Counting();
        try (LoadedModels kept = new LoadedModels(2, LoadedModels.MemoryCheck.never(), engines)) {
            kept.acquire(at(model, "1"), threads(1), Progress.NONE).close();
            LoadedModels.Lease running = kept.acquire(at(model, "0"), threads(1), Progress.NONE);
            LoadedModels.Freed freed = kept.free();
            assertEquals(1, freed.models().size());
            assertTrue(freed.models().get(0).contains("folds 1"), freed.toString());
            assertEquals(1, freed.inUse().size());
            assertEquals(0, freed.engines(), "the engine of the running model stays until it ends");
            assertTrue(freed.describe().startsWith("Freed 1 model (Tiny 3d_fullres folds 1"), freed.describe());
            assertTrue(freed.describe().contains("in use by a running command"), freed.describe());
            assertEquals(1, engines.openNetworks.get());
            assertEquals(List.of(), kept.counts().models());
            // The running command goes on predicting, then its model and engine are closed.
            Image image = SegmentStageTest.twoChannelVolume(new int[] {12, 10, 5}, Geometry.ofSpacing(1, 1, 2));
            running.model().predictor(PredictionOptions.defaults().withMirror(false).withThreads(1)).predict(image,
                    Progress.NONE);
            running.close();
            running.close(); // twice is once
            assertEquals(0, engines.openNetworks.get());
            assertEquals(0, engines.openEngines.get());
            assertTrue(kept.free().nothing());
            assertEquals("Nothing to free: no engine or model is loaded", kept.free().describe());
            // The next run loads again.
            try (LoadedModels.Lease again = kept.acquire(at(model, "0"), threads(1), Progress.NONE)) {
                assertFalse(again.reused());
            }
            assertEquals(2, kept.counts().engineLoads());
        }
    }

    @Test
    void shortMemoryFreesTheModelsNotInUse() throws Exception {
        Counting engines = new Counting();
        AtomicBoolean shortOfMemory = new AtomicBoolean();
        LoadedModels.MemoryCheck check = new LoadedModels.MemoryCheck() {
            @Override
            public boolean isShort() {
                return shortOfMemory.get();
            }

            @Override
            public String describe() {
                return "heap nearly full";
            }
        };
        try (LoadedModels kept = new LoadedModels(3, check, engines)) {
            kept.acquire(at(model, "0"), threads(1), Progress.NONE).close();
            LoadedModels.Lease held = kept.acquire(at(model, "1"), threads(1), Progress.NONE);
            shortOfMemory.set(true);
            Recording r = new Recording();
            kept.acquire(at(model, "2"), threads(1), r).close();
            assertTrue(r.has("Memory is short (heap nearly full): Freed 1 model (Tiny 3d_fullres folds 0"),
                    r.lines.toString());
            assertEquals(2, engines.openNetworks.get(), "fold 1 is in use, fold 2 just loaded");
            // The heap watch's call frees what no run holds.
            LoadedModels.Freed f = kept.memoryShort();
            assertEquals(1, f.models().size());
            assertEquals(1, engines.openNetworks.get());
            held.close();
            assertEquals(1, kept.counts().models().size());
        }
    }

    @Test
    void concurrentRunsShareOneLoad() throws Exception {
        Counting engines = new Counting();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (LoadedModels kept = new LoadedModels(2, LoadedModels.MemoryCheck.never(), engines)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TrainedModel>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> {
                    go.await();
                    try (LoadedModels.Lease l = kept.acquire(at(model, "0", "1"), threads(1), Progress.NONE)) {
                        return l.model();
                    }
                }));
            }
            go.countDown();
            TrainedModel first = runs.get(0).get(2, TimeUnit.MINUTES);
            for (Future<TrainedModel> f : runs) {
                assertSame(first, f.get(2, TimeUnit.MINUTES));
            }
            assertEquals(1, kept.counts().modelLoads());
            assertEquals(3, kept.counts().reuses());
            assertEquals(2, engines.openNetworks.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closingFreesEverythingAndRefusesLaterRuns() throws Exception {
        Counting engines = new Counting();
        LoadedModels kept = new LoadedModels(2, LoadedModels.MemoryCheck.never(), engines);
        LoadedModels.Lease running = kept.acquire(at(model, "0"), threads(1), Progress.NONE);
        kept.acquire(at(model, "1"), threads(1), Progress.NONE).close();
        kept.close();
        assertEquals(1, engines.openNetworks.get(), "the running model is closed when its run ends");
        running.close();
        assertEquals(0, engines.openNetworks.get());
        assertEquals(0, engines.openEngines.get());
        assertThrows(IllegalStateException.class, () -> kept.acquire(at(model, "0"), threads(1), Progress.NONE));
    }

    @Test
    void aModelThatDoesNotFitItsPlansLeavesNothingOpen() throws Exception {
        Path bad = copyOf(model, models.resolve("bad"));
        // Plans of another channel count than the networks.
        TinyPlans.make(1, 3).write(bad.resolve(TrainedModel.PLANS));
        Counting engines = new Counting();
        try (LoadedModels kept = new LoadedModels(2, LoadedModels.MemoryCheck.never(), engines)) {
            assertThrows(IOException.class, () -> kept.acquire(at(bad, "0"), threads(1), Progress.NONE));
            assertEquals(0, engines.openNetworks.get());
            assertEquals(List.of(), kept.counts().models());
            // Through the stage: the prerequisite message.
            Image image = SegmentStageTest.twoChannelVolume(new int[] {12, 10, 5}, Geometry.ofSpacing(1, 1, 2));
            assertThrows(PrerequisiteException.class, () -> new SegmentStage(kept).run(new SegmentStage.Request(image,
                    true, bad, null, List.of("0"), PredictionOptions.defaults().withThreads(1), false), Progress.NONE));
        }
        assertEquals(0, engines.openEngines.get());
    }

    private static Path copyOf(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
