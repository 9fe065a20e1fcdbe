package io.github.nnunetfiji.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.engine.CheckpointFile;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.fuzz.FuzzTarget.Seed;
import io.github.nnunetfiji.fuzz.FuzzTarget.Strategy;
import io.github.nnunetfiji.inference.models.ModelFolders;
import io.github.nnunetfiji.inference.models.ModelInstaller;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.plan.SyntheticFingerprints;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.train.Splits;
import io.github.nnunetfiji.train.TrainerStateAccess;
import io.github.nnunetfiji.util.Progress;

/**
 * Mutated real files (issue 20): NIfTI ({@code .nii}, {@code .nii.gz}), TIFF, engine checkpoints,
 * the JSON files the pipeline reads, and model zips, each made from real seed files by a seeded
 * mutation loop and given to the project's entry point for its kind. Every input must end in a
 * result or a clear error ({@link InputRunner}); a crash fails the test, listed with the seed and
 * the mutations that reproduce it ({@code -Dnnunet.fuzz.replay=KIND:SEED} runs that input alone).
 *
 * <p>The default run makes a few hundred inputs; {@code mvn -Pslow test} ten times as many
 * ({@code -Dnnunet.fuzz.scale=N} any multiple, {@code -Dnnunet.fuzz.seed=S} another series).
 */
class MutatedInputsTest {

    /** Inputs per kind in the default run. */
    private static final Map<String, Integer> INPUTS = new LinkedHashMap<>();

    static {
        INPUTS.put("nifti", 60);
        INPUTS.put("nifti-gz", 60);
        INPUTS.put("tiff", 60);
        INPUTS.put("checkpoint", 40);
        INPUTS.put("plans", 25);
        INPUTS.put("dataset", 25);
        INPUTS.put("trainer-state", 20);
        INPUTS.put("postprocessing", 20);
        INPUTS.put("splits", 20);
        INPUTS.put("fingerprint", 20);
        INPUTS.put("model-zip", 40);
    }

    private static final int SLOW_SCALE = 10;
    /** The default series; a run is reproducible from it. */
    private static final long RUN_SEED = 20;

    @TempDir
    static Path tmp;

    static Engine engine;

    @BeforeAll
    static void startEngine() {
        engine = EngineLoader.fromClassPath(EngineOptions.cpu(1));
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @Test
    void everyMutatedInputEndsInAResultOrAClearError() throws Exception {
        boolean slow = Boolean.getBoolean("nnunet.slow");
        int scale = Integer.getInteger("nnunet.fuzz.scale", slow ? SLOW_SCALE : 1);
        long runSeed = Long.getLong("nnunet.fuzz.seed", RUN_SEED);
        String replay = System.getProperty("nnunet.fuzz.replay", "");
        boolean verbose = Boolean.getBoolean("nnunet.fuzz.verbose");
        Map<String, FuzzTarget> targets = targets();
        FuzzReport report = new FuzzReport();
        long start = System.nanoTime();
        if (!replay.isBlank()) {
            String[] kv = replay.split(":");
            FuzzTarget t = targets.get(kv[0]);
            if (t == null || kv.length != 2) {
                fail("-Dnnunet.fuzz.replay=" + replay + ": give KIND:SEED with a kind of " + targets.keySet());
            }
            FuzzTarget.Input in = t.input(Long.parseLong(kv[1]));
            InputRunner.Outcome o = InputRunner.run(t, in);
            System.out.println(in.describe() + "\n  -> " + o.kind() + ": " + o.detail());
            if (o.error() != null) {
                o.error().printStackTrace(System.out);
            }
            report.add(in, o);
        } else {
            for (Map.Entry<String, Integer> e : INPUTS.entrySet()) {
                FuzzTarget t = targets.get(e.getKey());
                int n = e.getValue() * scale;
                for (int i = 0; i < n; i++) {
                    FuzzTarget.Input in = t.input(runSeed * 1_000_000L + i);
                    InputRunner.Outcome o = InputRunner.run(t, in);
                    if (verbose) {
                        System.out.println(in.describe() + "\n  -> " + o.kind() + ": " + o.detail());
                    }
                    report.add(in, o);
                    Files.deleteIfExists(in.from().place().file(in.seed()));
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.print(report.table(String.format(java.util.Locale.ROOT,
                "Mutated inputs (%s run, series %d, scale %d, %.1f s, %s):", slow ? "slow" : "default", runSeed, scale,
                seconds, processor())));
        if (!report.crashes().isEmpty()) {
            fail(report.crashes().size() + " input(s) crashed their reader:\n" + String.join("\n", report.crashes()));
        }
    }

    // ------------------------------------------------------------------ the targets

    private static Map<String, FuzzTarget> targets() throws Exception {
        Path inputs = Files.createDirectories(tmp.resolve("inputs"));
        Map<String, FuzzTarget> m = new LinkedHashMap<>();
        List<Path> niftiSeeds = List.of(TestData.bratsMini().resolve("labelsTr/BRATS_0002.nii.gz"),
                TestData.bratsMini().resolve("imagesTr/BRATS_0001_0000.nii.gz"),
                TestData.isbiMini().resolve("labelsTr/isbi_000.nii.gz"),
                TestData.isbiMini().resolve("imagesTr/isbi_001.nii.gz"));
        List<Seed> nii = new ArrayList<>();
        List<Seed> gz = new ArrayList<>();
        for (Path p : niftiSeeds) {
            byte[] b = Files.readAllBytes(p);
            String name = p.getFileName().toString();
            nii.add(new Seed(name.replace(".gz", ""), FileLayouts.gunzip(b), FileLayouts.niftiHot(), in(inputs, ".nii")));
            gz.add(new Seed(name, b, FileLayouts.gzipHot(b.length), in(inputs, ".nii.gz")));
        }
        m.put("nifti", new FuzzTarget("nifti", nii, List.of(FuzzTarget.bytes(), FuzzTarget.fields()), ImageIO::read,
                16));
        m.put("nifti-gz", new FuzzTarget("nifti-gz", gz, List.of(FuzzTarget.bytes(),
                FuzzTarget.gzipInner(FileLayouts.niftiHot())), ImageIO::read, 8 * 1100));
        m.put("tiff", new FuzzTarget("tiff", tiffSeeds(inputs), List.of(FuzzTarget.bytes(), FuzzTarget.fields()),
                ImageIO::read, 16));
        m.put("checkpoint", new FuzzTarget("checkpoint", List.of(checkpointSeed(inputs)), List.of(FuzzTarget.bytes(),
                resealed(), checkpointHeader()), MutatedInputsTest::loadCheckpoint, 16));

        Path json = Files.createDirectories(tmp.resolve("json"));
        Path model = ModelFolders.create(tmp.resolve("model"), "BrainTumour_mini", "fold_0", "fold_all");
        m.put("plans", jsonTarget("plans", List.of(model.resolve("plans.json")), inputs, Plans::read));
        m.put("dataset", datasetTarget());
        Path state = json.resolve("checkpoint_latest.json");
        TrainerStateAccess.writeSample(state);
        m.put("trainer-state", jsonTarget("trainer-state", List.of(state), inputs, TrainerStateAccess::read));
        Path rule = json.resolve("postprocessing.json");
        new PostprocessingRule(PostprocessingRule.CROSS_VALIDATION, true, new int[] {1, 2})
                .addNote("largest component of class 1 raises its Dice from 0.81 to 0.84").write(rule);
        m.put("postprocessing", jsonTarget("postprocessing", List.of(rule), inputs, PostprocessingRule::read));
        Set<String> cases = Set.of("c0", "c1", "c2", "c3", "c4", "c5", "c6");
        Path splits = json.resolve("splits_final.json");
        Splits.generate(cases, 12345).write(splits);
        m.put("splits", jsonTarget("splits", List.of(splits), inputs, f -> {
            Splits s = Splits.read(f);
            s.check(cases, f);
            return s;
        }));
        Path fingerprint = json.resolve("dataset_fingerprint.json");
        new SyntheticFingerprints("BrainTumour_mini", List.of("FLAIR", "T1c"), 5)
                .cases(3, SyntheticFingerprints.shape(50, 60, 45), SyntheticFingerprints.spacing(3, 3, 3)).build()
                .write(fingerprint);
        m.put("fingerprint", jsonTarget("fingerprint", List.of(fingerprint), inputs, DatasetFingerprint::read));
        m.put("model-zip", zipTarget(model, inputs));
        for (FuzzTarget t : m.values()) {
            for (Seed s : t.seeds()) {
                checkSeedReads(t, s);
            }
        }
        return m;
    }

    /** An input goes to {@code m<seed><ending>} in {@code dir}. */
    private static FuzzTarget.Placement in(Path dir, String ending) {
        return seed -> dir.resolve("m" + seed + ending);
    }

    /** Each seed must read as a result, else the mutations test nothing. */
    private static void checkSeedReads(FuzzTarget t, Seed s) throws Exception {
        FuzzTarget.Input in = new FuzzTarget.Input(t.kind(), -1, s.name(), "none", List.of(), s.bytes(), s);
        InputRunner.Outcome o = InputRunner.run(t, in);
        assertEquals(InputRunner.Kind.RESULT, o.kind(), "seed " + s.name() + " of " + t.kind() + ": " + o.detail());
        Files.deleteIfExists(s.place().file(-1));
    }

    private static List<Seed> tiffSeeds(Path inputs) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("tiff"));
        Path label3d = dir.resolve("BRATS_0002_label.tif");
        ImageIO.write(ImageIO.read(TestData.bratsMini().resolve("labelsTr/BRATS_0002.nii.gz")), label3d);
        Path twoChannels = dir.resolve("BRATS_0003_2ch.tif");
        ImageIO.write(ImageIO.readChannels(List.of(TestData.bratsMini().resolve("imagesTr/BRATS_0003_0000.nii.gz"),
                TestData.bratsMini().resolve("imagesTr/BRATS_0003_0001.nii.gz"))), twoChannels);
        Path slice = dir.resolve("isbi_002.tif");
        ImageIO.write(ImageIO.read(TestData.isbiMini().resolve("labelsTr/isbi_002.nii.gz")), slice);
        List<Seed> seeds = new ArrayList<>();
        for (Path p : List.of(label3d, twoChannels, slice)) {
            byte[] b = Files.readAllBytes(p);
            seeds.add(new Seed(p.getFileName().toString(), b, FileLayouts.tiffHot(b), in(inputs, ".tif")));
        }
        return seeds;
    }

    /** A checkpoint the engine writes for a tiny 2D network: its spec, weights and SGD momentum slots. */
    private static Seed checkpointSeed(Path inputs) throws IOException {
        Path file = tmp.resolve("tiny.ckpt");
        try (Network net = engine.create(NetworkSpec.uniform(2, 1, 2, 2, 2, 4))) {
            net.saveCheckpoint(file);
        }
        byte[] b = Files.readAllBytes(file);
        return new Seed("tiny.ckpt", b, FileLayouts.checkpointHot(b.length), in(inputs, ".ckpt"));
    }

    /** The checkpoint as the engine loads it: read ({@link CheckpointFile#read}), then the network built. */
    private static Object loadCheckpoint(Path file) throws IOException {
        try (Network n = engine.loadCheckpoint(file)) {
            return n.step();
        }
    }

    /** Byte mutations of a checkpoint, then a correct checksum: they reach the parser behind it. */
    private static Strategy resealed() {
        return new Strategy("bytes, checksum fixed", (s, r, steps) -> FileLayouts.resealed(
                ByteMutator.mutate(s.bytes().clone(), s.hot(), r, steps), true));
    }

    /** JSON mutations of a checkpoint's header, length and checksum fixed. */
    private static Strategy checkpointHeader() {
        return new Strategy("header json", (s, r, steps) -> FileLayouts.checkpointWithHeader(s.bytes(),
                JsonMutator.mutate(FileLayouts.checkpointHeader(s.bytes()), r, steps)));
    }

    private static FuzzTarget jsonTarget(String kind, List<Path> files, Path inputs, FuzzTarget.EntryPoint entry)
            throws IOException {
        List<Seed> seeds = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            seeds.add(new Seed(name, Files.readAllBytes(f), new int[0], seed -> inputs.resolve("m" + seed + "_" + name)));
        }
        return new FuzzTarget(kind, seeds, List.of(FuzzTarget.json(), FuzzTarget.json(), FuzzTarget.bytes()), entry, 64);
    }

    /**
     * dataset.json in a copy of each bundled data set, read by {@link DatasetLoader#scan}: problems are
     * the clear errors (each names its file), an exception is a crash.
     */
    private static FuzzTarget datasetTarget() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        for (Path ds : List.of(TestData.bratsMini(), TestData.isbiMini())) {
            Path copy = TestData.copy(ds, tmp.resolve("datasets").resolve(ds.getFileName()));
            seeds.add(new Seed(ds.getFileName() + "/dataset.json", Files.readAllBytes(copy.resolve("dataset.json")),
                    new int[0], seed -> copy.resolve("dataset.json")));
        }
        return new FuzzTarget("dataset", seeds, List.of(FuzzTarget.json(), FuzzTarget.json(), FuzzTarget.bytes()),
                file -> {
                    DatasetLoader.Scan scan = DatasetLoader.scan(file.getParent());
                    if (!scan.problems().isEmpty()) {
                        throw new IOException(scan.problems().toString());
                    }
                    return scan.dataset();
                }, 64);
    }

    /**
     * A zip of a model folder, installed into an empty models folder: byte mutations of the zip,
     * and rebuilt zips with one member mutated, dropped or repeated under another name.
     */
    private static FuzzTarget zipTarget(Path model, Path inputs) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(model)) {
            for (Path p : s.sorted().toList()) {
                String name = "BrainTumour_mini_2d/" + model.relativize(p).toString().replace('\\', '/');
                if (Files.isDirectory(p)) {
                    members.put(name.endsWith("/") ? name : name + "/", null);
                } else {
                    members.put(name, Files.readAllBytes(p));
                }
            }
        }
        byte[] zip = FileLayouts.zip(members);
        Seed seed = new Seed("BrainTumour_mini_2d.zip", zip, FileLayouts.zipHot(zip), in(inputs, ".zip"));
        Strategy member = new Strategy("member", (s, r, steps) -> {
            Map<String, byte[]> m = FileLayouts.unzip(s.bytes());
            List<String> files = m.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList();
            String f = files.get(r.nextInt(files.size()));
            switch (r.nextInt(4)) {
                case 0:
                    m.remove(f);
                    steps.add("drop " + f);
                    break;
                case 1:
                    String other = files.get(r.nextInt(files.size()));
                    m.put(other.toUpperCase(java.util.Locale.ROOT), m.get(f));
                    steps.add("add " + other.toUpperCase(java.util.Locale.ROOT) + " with the bytes of " + f);
                    break;
                default:
                    List<String> inner = new ArrayList<>();
                    m.put(f, f.endsWith(".json") ? JsonMutator.mutate(m.get(f), r, inner)
                            : ByteMutator.mutate(m.get(f).clone(), new int[0], r, inner));
                    steps.add(f + ": " + String.join("; ", inner));
            }
            return FileLayouts.zip(m);
        });
        FuzzTarget.EntryPoint install = file -> {
            Path models = file.resolveSibling(file.getFileName() + ".models");
            try {
                return ModelInstaller.install(file, "m", new ModelRegistry(models), false, Progress.NONE);
            } finally {
                deleteTree(models);
            }
        };
        return new FuzzTarget("model-zip", List.of(seed), List.of(FuzzTarget.bytes(), FuzzTarget.fields(), member),
                install, 64);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The processor's model name, for the figures. */
    private static String processor() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim() + ", "
                            + Runtime.getRuntime().availableProcessors() + " cores";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
