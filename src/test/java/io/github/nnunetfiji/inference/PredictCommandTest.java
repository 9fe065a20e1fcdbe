package io.github.nnunetfiji.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.cli.Main;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.ImageIO;
import net.imglib2.img.array.ArrayImgs;

/** predict, evaluate and postprocess on the command line, with a model folder built by the engine. */
class PredictCommandTest {

    @TempDir
    Path dir;

    private String[] run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main().run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void predictsAFolderNamesTheBadCaseAndEvaluates() throws IOException {
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(2))) {
            ModelFolders.write(dir.resolve("models"), TinyPlans.make(1, 2), "3d_fullres", engine, "0", "1");
        }
        Path in = dir.resolve("imagesTs");
        Files.createDirectories(in);
        Geometry g = CasePredictorTest.obliqueFlipped(new double[] {0.8, 1.1, 2.5});
        ImageIO.write((Image) CasePredictorTest.bodyWithBall(new int[] {30, 22, 9}, g.spacing(), g)[0],
                in.resolve("a_0000.nii.gz"));
        ImageIO.write((Image) CasePredictorTest.bodyWithBall(new int[] {17, 25, 11}, g.spacing(), g)[0],
                in.resolve("b_0000.nii.gz"));
        ImageIO.write(Image.of(ArrayImgs.floats(20, 20, 1), g), in.resolve("flat_0000.nii.gz"));
        Path out = dir.resolve("out");
        String[] r = run("predict", "-i", in.toString(), "-o", out.toString(), "-m", dir.resolve("models").toString(),
                "--folds", "0", "1", "--no-tta", "--threads", "2");
        assertEquals("1", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("case flat") && r[2].contains("planned for 3D"), r[2]);
        for (String id : new String[] {"a", "b"}) {
            Image input = ImageIO.read(in.resolve(id + "_0000.nii.gz"));
            Image pred = ImageIO.read(out.resolve(id + ".nii.gz"));
            assertEquals(java.util.Arrays.toString(input.shape()), java.util.Arrays.toString(pred.shape()));
            double[][] a = input.geometry().affine();
            double[][] b = pred.geometry().affine();
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(a[i][j], b[i][j], 1e-6, "affine " + i + "," + j);
                }
            }
        }
        assertFalse(Files.exists(out.resolve("flat.nii.gz")));
        String report = Files.readString(out.resolve(FolderPrediction.REPORT));
        assertTrue(report.contains("\"folds\": [\n    \"0\",\n    \"1\"\n  ]") && report.contains("planned for 3D"), report);
        assertTrue(report.contains("\"test_time_augmentation\": false"), report);

        // Evaluating predictions against themselves: Dice 1 for every class present.
        Path gt = dir.resolve("gt");
        Files.createDirectories(gt);
        Files.copy(out.resolve("a.nii.gz"), gt.resolve("a.nii.gz"));
        Files.copy(out.resolve("b.nii.gz"), gt.resolve("b.nii.gz"));
        r = run("evaluate", out.toString(), gt.toString(), "--labels", "1", "--output", dir.resolve("s.json").toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("foreground"), r[1]);
        assertFalse(Files.readString(dir.resolve("s.json")).contains("NaN"));

        // Postprocessing a folder with an explicit rule.
        new io.github.nnunetfiji.postprocess.PostprocessingRule("paper", false, new int[] {1}).write(dir.resolve("rule.json"));
        r = run("postprocess", "apply", "-i", gt.toString(), "-o", dir.resolve("pp").toString(), "--rule",
                dir.resolve("rule.json").toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(Files.exists(dir.resolve("pp").resolve("a.nii.gz")));

        r = run("predict", "-i", in.toString(), "-o", out.toString());
        assertEquals("2", r[0]);
        // No trained model there: a missing earlier stage, exit code 2 as on every command.
        r = run("predict", "-i", in.toString(), "-o", out.toString(), "-m", dir.toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("holds no plans.json"), r[2]);
    }
}
