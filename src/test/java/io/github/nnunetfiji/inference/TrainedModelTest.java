package io.github.nnunetfiji.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.cli.CliWording;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.util.Progress;

/** Model folders load with the chosen folds, and bad ones are refused with the fix. */
class TrainedModelTest {

    static Engine engine;

    @TempDir
    static Path models;

    @BeforeAll
    static void start() throws IOException {
        engine = EngineLoader.fromClassPath(EngineOptions.cpu(2));
        Plans plans = TinyPlans.make(1, 2);
        ModelFolders.write(models, plans, "3d_fullres", engine, "0", "1", "2");
        ModelFolders.write(models, plans, "2d", engine, "all");
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void foldsAndConfigurationsAreChosen() throws IOException {
        try (TrainedModel m = TrainedModel.load(models, "3d_fullres", List.of(), engine)) {
            assertEquals(List.of("0", "1", "2"), m.folds());
            assertEquals(3, m.networks().size());
            assertEquals("3d_fullres", m.configuration());
        }
        try (TrainedModel m = TrainedModel.load(models.resolve("2d"), null, List.of(), engine)) {
            assertEquals(List.of("all"), m.folds());
        }
        // The ensemble's prediction is the mean of the folds' (checked on the sliding window's output).
        Image image = Image.of(net.imglib2.img.array.ArrayImgs.floats(randomVolume(20, 18, 6), 20, 18, 6),
                Geometry.ofSpacing(1, 1, 2));
        PredictionOptions o = PredictionOptions.defaults().withMirror(false).withProbabilities(true).withThreads(1);
        float[][] p = new float[3][];
        for (int f = 0; f < 2; f++) {
            try (TrainedModel m = TrainedModel.load(models.resolve("3d_fullres"), "3d_fullres", List.of("" + f), engine)) {
                p[f] = FlatArrays.toFloats(m.predictor(o).predict(image, Progress.NONE).probabilities().channel(1));
            }
        }
        try (TrainedModel m = TrainedModel.load(models.resolve("3d_fullres"), null, List.of("0", "1"), engine)) {
            p[2] = FlatArrays.toFloats(m.predictor(o).predict(image, Progress.NONE).probabilities().channel(1));
        }
        for (int i = 0; i < p[2].length; i++) {
            assertEquals((p[0][i] + p[1][i]) / 2, p[2][i], 1e-5);
        }
        assertTrue(maxDifference(p[0], p[1]) > 1e-4, "folds differ");
    }

    private static float[] randomVolume(int x, int y, int z) {
        java.util.Random r = new java.util.Random(4);
        float[] v = new float[x * y * z];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1 + (float) r.nextGaussian();
        }
        return v;
    }

    private static double maxDifference(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void badFoldersAreRefusedWithTheFix() {
        ModelFolderException e = assertThrows(ModelFolderException.class,
                () -> TrainedModel.load(models, null, List.of(), engine));
        assertTrue(e.getMessage().contains("choose one with 'configuration'"), e.getMessage());
        assertTrue(CliWording.of("predict").describe(e).contains("choose one with -c CONFIG"),
                CliWording.of("predict").describe(e));
        e = assertThrows(ModelFolderException.class, () -> TrainedModel.load(models, "3d_lowres", List.of(), engine));
        assertTrue(e.getMessage().contains("[2d, 3d_fullres]"), e.getMessage());
        e = assertThrows(ModelFolderException.class, () -> TrainedModel.load(models, "3d_fullres", List.of("4"), engine));
        assertTrue(e.getMessage().contains("trained folds: [0, 1, 2]"), e.getMessage());
        e = assertThrows(ModelFolderException.class, () -> TrainedModel.load(models.resolve("nothing"), null, List.of(),
                engine));
        assertTrue(e.getMessage().contains("Model folder not found"), e.getMessage());
    }
}
