package io.github.nnunetfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.inference.models.ModelFolders;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.io.torch.TorchCheckpoint;
import io.github.nnunetfiji.io.torch.TorchTensor;

/** {@code export_model} and {@code import_model}: exit codes and messages. */
class ExportImportCliTest {

    @TempDir
    Path tmp;

    private String out;
    private String err;

    private int run(String... argv) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = new Main().run(List.of(argv), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void exportThenImportAndTheirRefusals() throws Exception {
        Path models = tmp.resolve("Spleen/models");
        ModelFolders.create(models.resolve("2d"), "Spleen", "fold_0");
        ModelFolders.create(models.resolve("3d_fullres"), "Spleen", "fold_0");
        String zip = tmp.resolve("spleen.zip").toString();
        String installed = tmp.resolve("installed").toString();

        assertEquals(0, run("export_model", "-m", models.toString(), "-o", zip), err);
        assertTrue(out.contains("Exported Spleen: 2d (folds 0), 3d_fullres (folds 0)"), out);
        assertEquals(0, run("import_model", zip, "--models", installed), err);
        assertTrue(out.contains("Installed spleen (Spleen, 2d 3d_fullres, folds fold_0)"), out);
        assertEquals(2, run("import_model", zip, "--models", installed), "installed already, no --replace");
        assertTrue(err.contains("already installed"), err);
        assertEquals(0, run("import_model", zip, "--models", installed, "--replace"), err);

        assertEquals(2, run("export_model", "-m", models.toString()), "no -o");
        assertEquals(2, run("export_model", "-m", models.toString(), "--folds", "3", "-o", zip), "an untrained fold");
        assertTrue(err.contains("Fold 3"), err);
        assertEquals(2, run("export_model", "-m", models.toString(), "-o", tmp.resolve("x.tgz").toString()));

        Path bad = tmp.resolve("bad.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bad))) {
            z.putNextEntry(new ZipEntry("notes.txt"));
            z.write(1);
            z.closeEntry();
        }
        assertEquals(1, run("import_model", bad.toString(), "--models", installed), "not a model");
        assertTrue(err.contains(bad.toString()) && err.contains("Nothing was installed"), err);
        assertEquals(1, run("import_model", tmp.resolve("absent.zip").toString(), "--models", installed));
        assertFalse(Files.exists(Path.of(installed, "bad")));

        assertEquals(0, run("help", "export_model"));
        assertTrue(out.contains("Usage: nnunet export_model -m MODEL"), out);
        assertEquals(0, run("help", "import_model"));
        assertTrue(out.contains("--replace"), out);
    }

    /** {@code import_model --from-reference}: a reference trainer folder installs; a broken one exits 1, named. */
    @Test
    void aModelOfTheReferenceImplementationImports() throws Exception {
        Path folder = Path.of("src/test/resources/io/github/nnunetfiji/inference/reference/models/Dataset998_Tiny/"
                + "nnUNetTrainer__nnUNetPlans__2d");
        String installed = tmp.resolve("installed").toString();
        assertEquals(0, run("import_model", "--from-reference", folder.toString(), "--models", installed), err);
        assertTrue(out.contains("Installed Dataset998_Tiny_2d (Dataset998_Tiny, 2d, folds fold_0)"), out);
        assertTrue(Files.isDirectory(Path.of(installed, "Dataset998_Tiny_2d", "fold_0", "inference_model")));
        // predict runs it: the labels are the argmax of PyTorch's probabilities for the fixture's image.
        TorchCheckpoint fixture = TorchCheckpoint.read(
                folder.getParent().getParent().getParent().resolve("models_io.pth"));
        float[] pixels = ((TorchTensor) fixture.get("2d_image")).values();
        Path in = Files.createDirectories(tmp.resolve("in"));
        ImageIO.write(Image.of(
                FlatArrays.floatView(pixels, new int[] {12, 16, 1}),
                Geometry.ofSpacing(0.5, 0.5, 1.0)), in.resolve("case_0000.nii.gz"));
        Path pred = tmp.resolve("pred");
        assertEquals(0, run("predict", "-i", in.toString(), "-o", pred.toString(), "-m",
                Path.of(installed, "Dataset998_Tiny_2d").toString(), "--no-tta", "--no-postprocessing"), err);
        int[] labels = FlatArrays.toInts(LabelImage.fromImage(
                ImageIO.read(pred.resolve("case.nii.gz"))).labels());
        float[] p = ((TorchTensor) fixture.get("2d_probabilities")).values();
        int n = pixels.length;
        for (int i = 0; i < n; i++) {
            int best = p[n + i] > p[i] ? 1 : 0;
            best = p[2 * n + i] > p[best * n + i] ? 2 : best;
            assertEquals(best, labels[i], "pixel " + i);
        }
        assertEquals(2, run("import_model", "--from-reference", folder.toString(), "--models", installed),
                "installed already, no --replace");

        Path broken = tmp.resolve("nnUNetTrainer__nnUNetPlans__2d");
        Files.createDirectories(broken.resolve("fold_0"));
        Files.copy(folder.resolve("plans.json"), broken.resolve("plans.json"));
        Files.copy(folder.resolve("dataset.json"), broken.resolve("dataset.json"));
        assertEquals(1, run("import_model", "--from-reference", broken.toString(), "--models", installed, "--name",
                "broken"));
        assertTrue(err.contains("fold_0") && err.contains("checkpoint_final.pth") && err.contains("Nothing was installed"),
                err);
        assertFalse(Files.exists(Path.of(installed, "broken")));
        assertEquals(0, run("help", "import_model"));
        assertTrue(out.contains("--from-reference ZIP_OR_FOLDER"), out);
    }
}
