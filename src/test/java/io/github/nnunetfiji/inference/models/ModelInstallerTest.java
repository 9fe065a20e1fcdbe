package io.github.nnunetfiji.inference.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.util.Progress;

/** Installing models (folders and zips) into a models folder, and listing them. */
class ModelInstallerTest {

    @TempDir
    Path tmp;

    private ModelRegistry registry() {
        return new ModelRegistry(tmp.resolve("models"));
    }

    private static void zip(Path zip, Path folder, String prefix, Map<String, String> extra) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip));
                Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                z.putNextEntry(new ZipEntry(prefix + folder.relativize(p).toString().replace('\\', '/')));
                z.write(Files.readAllBytes(p));
                z.closeEntry();
            }
            for (Map.Entry<String, String> e : extra.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(tmp.resolve("models"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    @Test
    void trainedModelFolderInstallsUnderDatasetAndConfiguration() throws Exception {
        Path src = ModelFolders.create(tmp.resolve("work/Task04_Hippocampus/models/3d_fullres"), "Hippocampus",
                "fold_0", "fold_1");
        InstalledModel m = ModelInstaller.install(src, null, registry(), false, Progress.NONE);
        assertEquals("Task04_Hippocampus_3d_fullres", m.name());
        assertEquals(tmp.resolve("models/Task04_Hippocampus_3d_fullres"), m.folder());
        assertEquals(List.of("fold_0", "fold_1"), m.folds());
        assertEquals("Hippocampus", m.datasetName());
        assertEquals(List.of("Task04_Hippocampus_3d_fullres"), registry().names());
        assertTrue(Files.isRegularFile(src.resolve("plans.json")), "the source stays");
        assertEquals(List.of(), leftovers());
    }

    @Test
    void zipWithTopFolderInstallsUnderItsName() throws Exception {
        Path src = ModelFolders.create(tmp.resolve("m"), "Spleen", "fold_all");
        Path zip = tmp.resolve("spleen-model.zip");
        zip(zip, src, "3d_fullres/", Map.of("__MACOSX/._x", "junk"));
        InstalledModel m = ModelInstaller.install(zip, "", registry(), false, Progress.NONE);
        assertEquals("spleen-model", m.name());
        assertEquals(List.of("fold_all"), m.folds());
        assertTrue(registry().find("spleen-model").isPresent());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void zipEntryEscapingTheFolderIsRefusedAndNothingIsWritten() throws Exception {
        Path src = ModelFolders.create(tmp.resolve("m"), "Spleen", "fold_0");
        Path zip = tmp.resolve("evil.zip");
        zip(zip, src, "", Map.of("../../escaped.txt", "gotcha"));
        IOException e = assertThrows(IOException.class,
                () -> ModelInstaller.install(zip, "evil", registry(), false, Progress.NONE));
        assertTrue(e.getMessage().contains("'../../escaped.txt'") && e.getMessage().contains("outside"),
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("escaped.txt")));
        assertFalse(Files.exists(tmp.resolve("models/escaped.txt")));
        assertEquals(List.of(), registry().names());
        assertEquals(List.of(), leftovers());

        Path abs = tmp.resolve("abs.zip");
        zip(abs, src, "", Map.of("/tmp/abs-escaped.txt", "x"));
        assertThrows(IOException.class, () -> ModelInstaller.install(abs, "abs", registry(), false, Progress.NONE));
    }

    @Test
    void incompleteModelIsRefusedWithWhatIsMissing() throws Exception {
        Path src = ModelFolders.create(tmp.resolve("m"), "Spleen"); // no fold
        Files.delete(src.resolve("dataset.json"));
        IOException e = assertThrows(IOException.class,
                () -> ModelInstaller.install(src, "x", registry(), false, Progress.NONE));
        assertTrue(e.getMessage().contains("dataset.json is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("no fold_K/inference_model/"), e.getMessage());
        assertEquals(List.of(), registry().names());
        assertEquals(List.of(), leftovers());
        Path notZip = Files.writeString(tmp.resolve("model.zip"), "not a zip");
        IOException z = assertThrows(IOException.class,
                () -> ModelInstaller.install(notZip, "y", registry(), false, Progress.NONE));
        assertTrue(z.getMessage().contains("not a readable zip"), z.getMessage());
    }

    @Test
    void existingModelIsKeptUnlessReplaceIsAsked() throws Exception {
        Path a = ModelFolders.create(tmp.resolve("a"), "First", "fold_0");
        Path b = ModelFolders.create(tmp.resolve("b"), "Second", "fold_0", "fold_1");
        ModelInstaller.install(a, "model", registry(), false, Progress.NONE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelInstaller.install(b, "model", registry(), false, Progress.NONE));
        assertTrue(e.getMessage().contains("already installed"), e.getMessage());
        assertEquals("First", registry().find("model").get().datasetName());
        ModelInstaller.install(b, "model", registry(), true, Progress.NONE);
        assertEquals("Second", registry().find("model").get().datasetName());
        assertEquals(List.of(), leftovers());
        assertThrows(IllegalArgumentException.class,
                () -> ModelInstaller.install(b, "../outside", registry(), false, Progress.NONE));
    }

    @Test
    void registryListsCompleteModelsAndNamesBrokenOnes() throws Exception {
        ModelFolders.create(tmp.resolve("models/b_model"), "B", "fold_0");
        ModelFolders.create(tmp.resolve("models/a_model"), "A", "fold_2");
        ModelFolders.create(tmp.resolve("models/broken"), "C");
        Files.createDirectories(tmp.resolve("models/.install-x-123"));
        assertEquals(List.of("a_model", "b_model"), registry().names());
        assertEquals(1, registry().problems().size());
        assertTrue(registry().problems().get(0).startsWith("broken: no fold_K"), registry().problems().toString());
        assertTrue(registry().find("broken").isEmpty());
        assertEquals(List.of(), new ModelRegistry(tmp.resolve("none")).names());
    }

    @Test
    void modelsFolderPropertyThenEnvironmentThenFijiThenHome() throws IOException {
        Properties p = new Properties();
        p.setProperty("user.home", "/home/u");
        assertEquals(Path.of("/home/u/.nnunet/models"), ModelRegistry.modelsFolder(p, Map.of()));
        Path fiji = Files.createDirectories(tmp.resolve("Fiji.app"));
        p.setProperty("imagej.dir", fiji.toString());
        assertEquals(fiji.resolve("models/nnunet"), ModelRegistry.modelsFolder(p, Map.of()));
        assertEquals(Path.of("/env/m"), ModelRegistry.modelsFolder(p, Map.of(ModelRegistry.MODELS_DIR_ENV, "/env/m")));
        p.setProperty(ModelRegistry.MODELS_DIR_PROPERTY, "/prop/m");
        assertEquals(Path.of("/prop/m"), ModelRegistry.modelsFolder(p, Map.of(ModelRegistry.MODELS_DIR_ENV, "/env/m")));
    }
}
