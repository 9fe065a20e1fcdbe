package io.github.nnunetfiji.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
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

/**
 * A case that fails in a prediction into a folder that already holds its output from an earlier
 * run: the old output (and its probabilities) is removed, so that the folder holds no file that
 * passes for this run's result; predictions.json names the failure.
 */
class FailedCaseLeavesNoOutputTest {

    @TempDir
    Path dir;

    @Test
    void theOutputOfAnEarlierRunIsRemovedWhenTheCaseNowFails() throws Exception {
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(2))) {
            ModelFolders.write(dir.resolve("models"), TinyPlans.make(1, 2), "3d_fullres", engine, "0");
        }
        Path in = Files.createDirectories(dir.resolve("imagesTs"));
        Geometry g = CasePredictorTest.obliqueFlipped(new double[] {0.8, 1.1, 2.5});
        ImageIO.write((Image) CasePredictorTest.bodyWithBall(new int[] {20, 18, 7}, g.spacing(), g)[0],
                in.resolve("a_0000.nii.gz"));
        ImageIO.write((Image) CasePredictorTest.bodyWithBall(new int[] {17, 15, 6}, g.spacing(), g)[0],
                in.resolve("b_0000.nii.gz"));
        Path out = dir.resolve("out");
        assertEquals(0, predict(in, out));
        assertTrue(Files.isRegularFile(out.resolve("b.nii.gz")) && Files.isRegularFile(out.resolve("b_probabilities.nii.gz")));

        // b is now an image this 3D model cannot segment.
        ImageIO.write(Image.of(ArrayImgs.floats(20, 20, 1), g), in.resolve("b_0000.nii.gz"));
        assertEquals(1, predict(in, out));
        assertTrue(Files.isRegularFile(out.resolve("a.nii.gz")));
        assertFalse(Files.exists(out.resolve("b.nii.gz")), "no stale output beside the failed case");
        assertFalse(Files.exists(out.resolve("b_probabilities.nii.gz")));
        String report = Files.readString(out.resolve(FolderPrediction.REPORT));
        assertTrue(report.contains("case b: ") && report.contains("planned for 3D"), report);
    }

    private int predict(Path in, Path out) {
        return new Main().run(List.of("predict", "-i", in.toString(), "-o", out.toString(), "-m",
                dir.resolve("models").toString(), "--no-tta", "--save-probabilities", "--threads", "2"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }
}
