package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.inference.ChosenModel;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.inference.models.InstalledModel;
import io.github.nnunetfiji.inference.models.ModelFolders;
import io.github.nnunetfiji.inference.models.ModelInstaller;
import io.github.nnunetfiji.inference.models.ModelManifest;
import io.github.nnunetfiji.inference.models.ModelRefusedException;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.util.Progress;

/**
 * Exporting a models folder to a zip with a manifest, importing it into another models folder,
 * and refusing exports that were changed after they were made (checked on stand-in networks:
 * {@link ExportedModelPredictsTest} predicts with a really trained one).
 */
class ExportModelStageTest {

    @TempDir
    Path tmp;

    /** A data set's models folder: 2d and 3d_fullres (folds 0, 1) with training leftovers, an ensemble chosen. */
    private Path models() throws IOException {
        Path models = tmp.resolve("work/Spleen/models");
        for (String c : List.of("2d", "3d_fullres")) {
            Path f = ModelFolders.create(models.resolve(c), "Spleen", "fold_0", "fold_1");
            Files.writeString(f.resolve("dataset_fingerprint.json"), "{}");
            Files.writeString(f.resolve("splits.json"), "[]");
            for (String fold : List.of("fold_0", "fold_1")) {
                Files.write(f.resolve(fold).resolve("checkpoint_final.ckpt"), new byte[] {9, 9});
                Files.writeString(f.resolve(fold).resolve("training_log.csv"), "epoch\n");
                Files.createDirectories(f.resolve(fold).resolve("validation"));
                Files.writeString(f.resolve(fold).resolve("validation/summary.json"), "{}");
            }
        }
        Path ensemble = Files.createDirectories(ChosenModel.ensembleFolder(models, "2d+3d_fullres"));
        Files.writeString(ensemble.resolve("postprocessing.json"), "{}");
        Files.createDirectories(ensemble.resolve("crossval"));
        Files.writeString(ensemble.resolve("crossval/case.txt"), "not exported");
        new ChosenModel("2d+3d_fullres", List.of("2d", "3d_fullres"), List.of("0", "1"),
                "ensembles/2d+3d_fullres/postprocessing.json", 0.8).write(models);
        Files.writeString(models.resolve("selection.json"), "{}");
        return models;
    }

    private ExportModelStage.Result export(Path model, List<String> configs, List<String> folds, Path zip)
            throws Exception {
        return new ExportModelStage().run(new ExportModelStage.Request(model, configs, folds, zip), Progress.NONE);
    }

    private static List<String> entries(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return z.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void exportHoldsWhatPredictionReadsThenTheManifest() throws Exception {
        Path zip = tmp.resolve("spleen.zip");
        ExportModelStage.Result r = export(models(), List.of(), List.of(), zip);
        List<String> expected = new ArrayList<>();
        for (String c : List.of("2d", "3d_fullres")) {
            for (String f : List.of("dataset.json", "dataset_fingerprint.json", "fold_0/inference_model/graph.pb",
                    "fold_0/inference_model/model.json", "fold_1/inference_model/graph.pb",
                    "fold_1/inference_model/model.json", "plans.json", "splits.json")) {
                expected.add(c + "/" + f);
            }
        }
        expected.addAll(List.of("chosen_model.json", "ensembles/2d+3d_fullres/postprocessing.json", "selection.json"));
        expected.sort(null);
        List<String> withManifest = new ArrayList<>(expected);
        withManifest.add(ModelManifest.FILE);
        assertEquals(withManifest, entries(zip), "inference files only, sorted, the manifest last");
        ModelManifest m = r.manifest();
        assertEquals("Spleen", m.dataset());
        assertEquals(List.of("2d", "3d_fullres"), m.configurations());
        assertEquals(Map.of("2d", List.of("0", "1"), "3d_fullres", List.of("0", "1")), m.folds());
        assertEquals(expected, m.files().stream().map(ModelManifest.FileEntry::path).toList());
        Path plans = tmp.resolve("work/Spleen/models/2d/plans.json");
        ModelManifest.FileEntry e = m.files().stream().filter(f -> f.path().equals("2d/plans.json")).findFirst()
                .orElseThrow();
        assertEquals(Files.size(plans), e.size());
        assertEquals(ModelManifest.sha256(plans), e.sha256());
        assertTrue(r.report().contains("with the selection's choice 2d+3d_fullres"), r.report());
    }

    @Test
    void importInstallsAModelsFolderThatListsAndLocatesItsConfigurations() throws Exception {
        Path zip = tmp.resolve("spleen.zip");
        export(models(), List.of(), List.of(), zip);
        ModelRegistry registry = new ModelRegistry(tmp.resolve("installed"));
        InstalledModel m = ModelInstaller.install(zip, null, registry, false, Progress.NONE);
        assertEquals("spleen", m.name());
        assertEquals(List.of("2d", "3d_fullres"), m.configurations());
        assertEquals(List.of("fold_0", "fold_1"), m.folds());
        assertEquals(List.of("spleen"), registry.names());
        assertTrue(Files.isRegularFile(m.folder().resolve(ChosenModel.FILE)));
        assertFalse(Files.exists(m.folder().resolve("2d/fold_0/checkpoint_final.ckpt")));
        assertEquals(List.of("0", "1"), TrainedModel.locate(m.folder(), "3d_fullres", List.of()).folds());
        assertEquals(List.of("2d", "3d_fullres"), ChosenModel.read(m.folder()).orElseThrow().configurations());
    }

    @Test
    void foldsAndConfigurationsNarrowTheExportAndItsChoice() throws Exception {
        Path models = models();
        Path one = tmp.resolve("one-fold.zip");
        export(models, List.of(), List.of("1"), one);
        assertFalse(entries(one).contains("2d/fold_0/inference_model/graph.pb"));
        Path installed = ModelInstaller.install(one, null, new ModelRegistry(tmp.resolve("a")), false, Progress.NONE)
                .folder();
        assertEquals(List.of("1"), ChosenModel.read(installed).orElseThrow().folds(), "the choice names the folds exported");

        Path config = tmp.resolve("2d.zip");
        export(models.resolve("2d"), List.of(), List.of(), config);
        assertFalse(entries(config).contains(ChosenModel.FILE), "a choice naming what is not exported stays out");
        assertTrue(entries(config).contains("2d/plans.json"));
        PrerequisiteException missing = assertThrows(PrerequisiteException.class,
                () -> export(models, List.of(), List.of("3"), tmp.resolve("x.zip")));
        assertTrue(missing.getMessage().contains("Fold 3"), missing.getMessage());
        assertFalse(Files.exists(tmp.resolve("x.zip")));
        assertThrows(IllegalArgumentException.class, () -> export(models, List.of(), List.of(), tmp.resolve("x.tar")));
    }

    /** The export with its entries changed by {@code change} (name to bytes, in order). */
    private Path tampered(String name, Consumer<Map<String, byte[]>> change) throws Exception {
        Path zip = tmp.resolve("good.zip");
        if (!Files.exists(zip)) {
            export(models(), List.of(), List.of(), zip);
        }
        Map<String, byte[]> content = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : z.stream().toList()) {
                try (InputStream in = z.getInputStream(e)) {
                    content.put(e.getName(), in.readAllBytes());
                }
            }
        }
        change.accept(content);
        Path out = tmp.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Map.Entry<String, byte[]> e : content.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out;
    }

    private void assertRefusedNamingAndNothingWritten(Path zip, String file, String reason) throws Exception {
        Path folder = tmp.resolve("installed");
        ModelRefusedException e = assertThrows(ModelRefusedException.class,
                () -> ModelInstaller.install(zip, "spleen", new ModelRegistry(folder), false, Progress.NONE));
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains(reason), e.getMessage());
        try (Stream<Path> s = Files.list(folder)) {
            assertEquals(List.of(), s.toList(), "nothing left in the models folder");
        }
    }

    @Test
    void aChangedFileIsRefusedByItsChecksum() throws Exception {
        Path zip = tampered("changed.zip", c -> c.put("2d/fold_1/inference_model/graph.pb", new byte[] {1, 2, 4}));
        assertRefusedNamingAndNothingWritten(zip, "2d/fold_1/inference_model/graph.pb", "SHA-256");
    }

    @Test
    void aMissingFileIsRefused() throws Exception {
        Path zip = tampered("missing.zip", c -> c.remove("3d_fullres/dataset.json"));
        assertRefusedNamingAndNothingWritten(zip, "3d_fullres/dataset.json", "does not hold");
    }

    @Test
    void anExtraFileIsRefused() throws Exception {
        Path zip = tampered("extra.zip", c -> c.put("2d/fold_0/inference_model/extra.pb",
                "x".getBytes(StandardCharsets.UTF_8)));
        assertRefusedNamingAndNothingWritten(zip, "2d/fold_0/inference_model/extra.pb", "does not list");
    }

    @Test
    void aManifestOfAnotherFormatIsRefused() throws Exception {
        Path zip = tampered("version.zip", c -> c.put(ModelManifest.FILE, new String(c.get(ModelManifest.FILE),
                StandardCharsets.UTF_8).replace("\"version\": 1", "\"version\": 99").getBytes(StandardCharsets.UTF_8)));
        assertRefusedNamingAndNothingWritten(zip, ModelManifest.FILE, "99");
    }

    @Test
    void existingSafetyChecksStillApplyToExports() throws Exception {
        Path zip = tampered("escape.zip", c -> c.put("../outside.json", "{}".getBytes(StandardCharsets.UTF_8)));
        assertRefusedNamingAndNothingWritten(zip, "../outside.json", "outside");
        assertFalse(Files.exists(tmp.resolve("outside.json")));
    }
}
