package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.cli.CliWording;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.inference.TinyPlans;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.img.array.ArrayImgs;

/**
 * The stages after training refuse what earlier stages have not made, naming it and how to make
 * it, before loading a network or writing anything.
 */
class ModelStagesTest {

    @TempDir
    Path dir;

    private Path untrainedModel() throws Exception {
        Path folder = dir.resolve("models").resolve("3d_fullres");
        Files.createDirectories(folder);
        TinyPlans.make(1, 2).write(folder.resolve(TrainedModel.PLANS));
        return folder;
    }

    private Path images() throws Exception {
        Path in = dir.resolve("imagesTs");
        Files.createDirectories(in);
        ImageIO.write(Image.of(ArrayImgs.floats(8, 8, 4), Geometry.ofSpacing(1, 1, 1)), in.resolve("a_0000.nii.gz"));
        return in;
    }

    private PredictStage.Request predict(Path model, List<String> folds) throws Exception {
        return new PredictStage.Request(List.of(images()), dir.resolve("out"), model, null, folds,
                PredictionOptions.defaults().withMirror(false).withThreads(1), true);
    }

    @Test
    void predictNeedsATrainedModel() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        PrerequisiteException e = assertThrows(PrerequisiteException.class,
                () -> new PredictStage().run(predict(dir.resolve("empty"), List.of()), Progress.NONE));
        assertTrue(e.getMessage().contains("holds no plans.json"), e.getMessage());

        Path model = untrainedModel();
        e = assertThrows(PrerequisiteException.class,
                () -> new PredictStage().run(predict(model, List.of()), Progress.NONE));
        assertTrue(e.getMessage().contains("No trained fold") && e.getMessage().contains("train the model first"),
                e.getMessage());
        e = assertThrows(PrerequisiteException.class,
                () -> new PredictStage().run(predict(model, List.of("3")), Progress.NONE));
        assertTrue(e.getMessage().contains("Fold 3 has no exported network"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void evaluateNeedsPredictions() throws Exception {
        Path gt = images();
        PrerequisiteException e = assertThrows(PrerequisiteException.class, () -> new EvaluateStage().run(
                new EvaluateStage.Request(dir.resolve("pred"), gt, List.of(), null, 1), Progress.NONE));
        String cli = CliWording.of("evaluate").describe(e);
        assertTrue(e.getMessage().contains("predict the cases first (the predict stage (output=")
                && cli.contains("'nnunet predict -i IN -o " + dir.resolve("pred") + " -m MODEL'"), cli);
        assertFalse(Files.exists(dir.resolve("pred")));
    }

    @Test
    void postprocessingChecksMethodModelAndFingerprint() throws Exception {
        Path model = untrainedModel();
        DeterminePostprocessingStage determine = new DeterminePostprocessingStage();
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> determine.run(
                new DeterminePostprocessingStage.Request(model, null, "median", null, 1), Progress.NONE));
        assertTrue(bad.getMessage().contains("'paper' or 'cross-validation'"), bad.getMessage());
        PrerequisiteException e = assertThrows(PrerequisiteException.class, () -> determine.run(
                new DeterminePostprocessingStage.Request(model, null, PostprocessingRule.PAPER, null, 1), Progress.NONE));
        assertTrue(e.getMessage().contains(TrainedModel.FINGERPRINT + " not found"), e.getMessage());
        assertFalse(Files.exists(model.resolve(TrainedModel.POSTPROCESSING)));
        e = assertThrows(PrerequisiteException.class, () -> determine.run(
                new DeterminePostprocessingStage.Request(dir.resolve("models"), "2d", PostprocessingRule.PAPER, null, 1),
                Progress.NONE));
        assertTrue(e.getMessage().contains("No trained configuration 2d"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new ApplyPostprocessingStage().run(
                new ApplyPostprocessingStage.Request(images(), dir.resolve("pp"), null, null, null), Progress.NONE));
        assertFalse(Files.exists(dir.resolve("pp")));
    }
}
