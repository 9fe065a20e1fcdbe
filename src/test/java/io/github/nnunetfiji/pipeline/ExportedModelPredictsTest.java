package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.inference.ChosenModel;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.inference.models.InstalledModel;
import io.github.nnunetfiji.inference.models.ModelInstaller;
import io.github.nnunetfiji.inference.models.ModelRegistry;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.testutil.TrainedTestModel;
import io.github.nnunetfiji.util.Progress;

/** A really trained model, exported and imported into a fresh models folder, predicts as the original. */
class ExportedModelPredictsTest {

    @TempDir
    Path tmp;

    @Test
    void importedExportPredictsTheOriginalsLabelsByteForByte() throws Exception {
        // The trained model's models folder, with the selection's choice of its one configuration.
        Path models = TestData.copy(TrainedTestModel.folder().getParent(), tmp.resolve("work/models"));
        new ChosenModel("2d", List.of("2d"), List.of("0"), "2d/postprocessing.json", 0.5).write(models);
        Path zip = tmp.resolve("isbi.zip");
        new ExportModelStage().run(new ExportModelStage.Request(models, List.of(), List.of(), zip), Progress.NONE);
        InstalledModel installed = ModelInstaller.install(zip, null, new ModelRegistry(tmp.resolve("fresh")), false,
                Progress.NONE);

        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(TestData.isbiMini().resolve("imagesTr/isbi_000.nii.gz"), in.resolve("isbi_000.nii.gz"));
        PredictionOptions options = PredictionOptions.defaults().withMirror(false).withThreads(2);
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(2))) {
            PredictStage.Result original = new PredictStage(engine).run(new PredictStage.Request(List.of(in),
                    tmp.resolve("original"), trainedModelFolder(), null, List.of(), options, true), Progress.NONE);
            PredictStage.Result imported = new PredictStage(engine).run(new PredictStage.Request(List.of(in),
                    tmp.resolve("imported"), installed.folder(), null, List.of(), options, true), Progress.NONE);
            assertTrue(original.ok() && imported.ok(), imported.report());
            assertArrayEquals(Files.readAllBytes(tmp.resolve("original/isbi_000.nii.gz")),
                    Files.readAllBytes(tmp.resolve("imported/isbi_000.nii.gz")), "same label file, byte for byte");

            // Segment Image's path: the installed models folder runs its chosen configuration.
            SegmentStage.Result segmented = new SegmentStage(engine).run(new SegmentStage.Request(
                    ImageIO.read(in.resolve("isbi_000.nii.gz")), true, installed.folder(), null, List.of(), options,
                    true), Progress.NONE);
            assertEquals("2d", segmented.configuration());
            assertArrayEquals(FlatArrays.toInts(io.github.nnunetfiji.image.LabelImage.fromImage(
                    ImageIO.read(tmp.resolve("original/isbi_000.nii.gz"))).labels()),
                    FlatArrays.toInts(segmented.labels().labels()));
        }
    }

    private static Path trainedModelFolder() throws Exception {
        return TrainedTestModel.folder();
    }
}
