package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.inference.models.InstalledModel;
import io.github.nnunetfiji.inference.models.ModelRefusedException;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.io.torch.TorchCheckpoint;
import io.github.nnunetfiji.io.torch.TorchTensor;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.util.Progress;

/**
 * Trained-model folders in the reference implementation's layout and formats, with networks and
 * predictions from PyTorch 1.13 (src/test/resources/.../inference/reference/make_reference_models.py):
 * imported as a folder and as the reference's export zip, they predict PyTorch's probabilities on a
 * known image through Segment Image's stage (normalization with the reference's statistics, the
 * checkpoint's mirroring axes, the reference's postprocessing decision); what this project cannot
 * run as the reference would is refused, with the file named and nothing installed.
 */
class ReferenceModelImportTest {

    static final Path FIXTURES = Path.of("src/test/resources/io/github/nnunetfiji/inference/reference");
    static final Path DATASET = FIXTURES.resolve("models/Dataset998_Tiny");
    static final String TWO_D = "nnUNetTrainer__nnUNetPlans__2d";
    static final String THREE_D = "nnUNetTrainer__nnUNetPlans__3d_fullres";

    static Engine engine;
    static TorchCheckpoint io;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        engine = EngineLoader.fromClassPath(EngineOptions.cpu(2));
        io = TorchCheckpoint.read(FIXTURES.resolve("models_io.pth"));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private ModelRegistry registry() {
        return new ModelRegistry(tmp.resolve("installed"));
    }

    /** The reference's image {@code [C, (Z,) Y, X]} as an image of this project (x, y, z; x fastest in both). */
    private static Image image(String name, double... spacing) throws IOException {
        TorchTensor t = (TorchTensor) io.get(name + "_image");
        long[] s = t.shape();
        int channels = (int) s[0];
        int[] shape = {(int) s[s.length - 1], (int) s[s.length - 2], s.length == 4 ? (int) s[1] : 1};
        float[] v = t.values();
        int n = v.length / channels;
        List<net.imglib2.RandomAccessibleInterval<net.imglib2.type.numeric.real.FloatType>> list = new java.util.ArrayList<>();
        for (int c = 0; c < channels; c++) {
            list.add(FlatArrays.floatView(java.util.Arrays.copyOfRange(v, c * n, (c + 1) * n), shape));
        }
        return new Image(list, Geometry.ofSpacing(spacing));
    }

    private static SegmentStage.Result segment(Path model, String configuration, Image image, boolean mirror,
            boolean postprocess) throws Exception {
        return new SegmentStage(engine).run(new SegmentStage.Request(image, true, model, configuration, List.of(),
                PredictionOptions.defaults().withMirror(mirror).withProbabilities(true).withThreads(2), postprocess),
                Progress.NONE);
    }

    /** Probabilities within 1e-4 of PyTorch's, and the labels their argmax. */
    private static void assertPyTorchProbabilities(String key, SegmentStage.Result r) throws IOException {
        float[] want = ((TorchTensor) io.get(key)).values();
        int classes = r.probabilities().channelCount();
        int n = want.length / classes;
        int[] labels = FlatArrays.toInts(r.labels().labels());
        double worst = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 0; c < classes; c++) {
                worst = Math.max(worst, Math.abs(want[c * n + i] - FlatArrays.toFloats(r.probabilities().channel(c))[i]));
                best = want[c * n + i] > want[best * n + i] ? c : best;
            }
            assertEquals(best, labels[i], key + ": label of voxel " + i);
        }
        assertTrue(worst < 1e-4, key + ": largest difference " + worst);
    }

    @Test
    void twoDimensionalModelFolderPredictsAsPyTorch() throws Exception {
        InstalledModel m = ReferenceModelImport.install(DATASET.resolve(TWO_D), null, registry(), false, Progress.NONE);
        assertEquals("Dataset998_Tiny_2d", m.name());
        assertEquals(List.of("fold_0"), m.folds());
        Plans plans = Plans.read(m.folder().resolve("plans.json"));
        PlanConfiguration c = plans.configuration("2d");
        assertEquals(2, c.sliceAxis()); // the reference's 2D slices cut across z
        assertArrayEquals(new long[] {12, 16, 1}, c.patchSize());
        assertArrayEquals(new int[] {0}, c.mirrorAxes()); // the checkpoint's network axis 1 (x)
        assertEquals("ZScore", c.normalization().get(0).scheme());

        Image image = image("2d", 0.5, 0.5, 1.0);
        assertPyTorchProbabilities("2d_probabilities", segment(m.folder(), null, image, false, false));
        // Mirrored along x only, as the checkpoint allows; mean of the two passes' probabilities.
        assertPyTorchProbabilities("2d_probabilities_mirrored", segment(m.folder(), null, image, true, false));

        // The reference's decision on folds 0: largest foreground component, then of label 2.
        PostprocessingRule rule = PostprocessingRule.read(m.folder().resolve("postprocessing.json"));
        assertTrue(rule.largestForegroundComponent());
        assertArrayEquals(new int[] {2}, rule.largestComponentClasses());
        assertTrue(Files.isRegularFile(m.folder().resolve("reference/plans.json")));
        assertTrue(Files.isRegularFile(m.folder().resolve("reference/dataset_fingerprint.json")));
    }

    @Test
    void threeDimensionalModelWithCtStatisticsPredictsAsPyTorch() throws Exception {
        InstalledModel m = ReferenceModelImport.install(DATASET.resolve(THREE_D), "tiny3d", registry(), false,
                Progress.NONE);
        Plans plans = Plans.read(m.folder().resolve("plans.json"));
        PlanConfiguration c = plans.configuration("3d_fullres");
        assertArrayEquals(new double[] {1, 1, 3}, c.spacing(), 1e-12); // the reference's z, y, x reversed
        assertEquals("CT", c.normalization().get(0).scheme());
        assertEquals(120.0, plans.foregroundIntensity().get(0).mean(), 1e-12);
        assertEquals(PostprocessingRule.NONE, PostprocessingRule.read(m.folder().resolve("postprocessing.json")).method());
        assertPyTorchProbabilities("3d_fullres_probabilities",
                segment(m.folder(), null, image("3d_fullres", 1, 1, 3), false, false));
    }

    @Test
    void theReferenceExportZipInstallsEveryConfiguration() throws Exception {
        Path zip = tmp.resolve("Dataset998_Tiny.zip");
        zipOf(FIXTURES.resolve("models"), zip, null);
        assertTrue(ReferenceModelImport.isReferenceModel(zip));
        InstalledModel m = ReferenceModelImport.install(zip, null, registry(), false, Progress.NONE);
        assertEquals("Dataset998_Tiny", m.name());
        assertEquals(List.of("2d", "3d_fullres"), m.configurations());
        assertPyTorchProbabilities("2d_probabilities", segment(m.folder(), "2d", image("2d", 0.5, 0.5, 1.0), false,
                false));
        assertPyTorchProbabilities("3d_fullres_probabilities", segment(m.folder(), "3d_fullres",
                image("3d_fullres", 1, 1, 3), false, false));
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> ReferenceModelImport.install(zip, null, registry(), false, Progress.NONE));
        assertTrue(again.getMessage().contains("already installed"), again.getMessage());
    }

    @Test
    void aResidualEncoderNetworkIsRefusedNamingThePlans() throws Exception {
        Path model = copyOf2d();
        editPlans(model, c -> c.getAsJsonObject("architecture").addProperty("network_class_name",
                "dynamic_network_architectures.architectures.unet.ResidualEncoderUNet"));
        assertRefused(model, "plans.json", "ResidualEncoderUNet");
    }

    @Test
    void anUnknownNormalizationIsRefusedNamingThePlans() throws Exception {
        Path model = copyOf2d();
        editPlans(model, c -> {
            com.google.gson.JsonArray a = new com.google.gson.JsonArray();
            a.add("RGBTo01Normalization");
            c.add("normalization_schemes", a);
        });
        assertRefused(model, "plans.json", "RGBTo01Normalization");
    }

    @Test
    void aFoldWithoutCheckpointIsRefusedNamed() throws Exception {
        Path model = copyOf2d();
        Files.createDirectories(model.resolve("fold_1"));
        assertRefused(model, "fold_1", "checkpoint_final.pth");
    }

    @Test
    void anUnsafeZipIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path zip = tmp.resolve("evil.zip");
        zipOf(FIXTURES.resolve("models"), zip, "../outside.txt");
        ModelRefusedException e = assertThrows(ModelRefusedException.class,
                () -> ReferenceModelImport.install(zip, "evil", registry(), false, Progress.NONE));
        assertTrue(e.getMessage().contains("../outside.txt"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("outside.txt")));
        assertNothingInstalled();
    }

    private void assertRefused(Path model, String... named) throws IOException {
        ModelRefusedException e = assertThrows(ModelRefusedException.class,
                () -> ReferenceModelImport.install(model, "refused", registry(), false, Progress.NONE));
        for (String n : named) {
            assertTrue(e.getMessage().contains(n), "'" + n + "' not in: " + e.getMessage());
        }
        assertNothingInstalled();
    }

    private void assertNothingInstalled() throws IOException {
        Path folder = registry().folder();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> s = Files.list(folder)) {
                assertEquals(List.of(), s.map(p -> p.getFileName().toString()).toList());
            }
        }
    }

    private Path copyOf2d() throws IOException {
        Path from = DATASET.resolve(TWO_D);
        Path to = tmp.resolve("copy").resolve(TWO_D);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return to;
    }

    private static void editPlans(Path model, java.util.function.Consumer<JsonObject> change) throws IOException {
        Path file = model.resolve("plans.json");
        JsonObject plans = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        change.accept(plans.getAsJsonObject("configurations").getAsJsonObject("2d"));
        Files.writeString(file, plans.toString());
    }

    /** A zip as nnUNetv2_export_model_to_zip writes it: paths below the results folder; plus an extra entry. */
    private static void zipOf(Path root, Path zip, String extra) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out);
                Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                z.putNextEntry(new ZipEntry(root.relativize(p).toString().replace('\\', '/')));
                z.write(Files.readAllBytes(p));
                z.closeEntry();
            }
            if (extra != null) {
                z.putNextEntry(new ZipEntry(extra));
                z.write(new byte[] {1});
                z.closeEntry();
            }
        }
    }
}
