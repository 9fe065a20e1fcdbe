package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.inference.FolderPrediction;
import io.github.nnunetfiji.inference.ModelFolders;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.inference.TinyPlans;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.postprocess.PostprocessingRule;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The in-memory stage Segment Image runs and the folder predictor share one path: an image in
 * memory gives, voxel for voxel, the labels (and probabilities) predict writes for its files, with
 * the same postprocessing; an image without a pixel size and a folder without a model are refused
 * before any network is loaded.
 */
public class SegmentStageTest {

    @TempDir
    Path tmp;

    /** Two channels of a body with zero margins (so the case is cropped) and a brighter ball. */
    public static Image twoChannelVolume(int[] s, Geometry g) {
        float[][] v = new float[2][s[0] * s[1] * s[2]];
        Random r = new Random(7);
        for (int z = 0; z < s[2]; z++) {
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++) {
                    int i = x + s[0] * (y + s[1] * z);
                    if (x < 3 || x >= s[0] - 4 || y < 2 || y >= s[1] - 3 || z < 1 || z >= s[2] - 1) {
                        continue;
                    }
                    double dx = x - s[0] * 0.55;
                    double dy = y - s[1] * 0.4;
                    double dz = (z - s[2] * 0.5) * 2;
                    boolean ball = dx * dx + dy * dy + dz * dz < 36;
                    v[0][i] = (ball ? 3 : 1) + 0.2f * (float) r.nextGaussian();
                    v[1][i] = (ball ? 0.5f : 2) + 0.2f * (float) r.nextGaussian();
                }
            }
        }
        return new Image(List.of(FlatArrays.floatView(v[0], s), FlatArrays.floatView(v[1], s)), g);
    }

    @Test
    void anImageInMemoryGetsTheLabelsPredictWritesForItsFiles() throws Exception {
        Plans plans = TinyPlans.make(2, 3);
        Geometry g = Geometry.ofSpacing(0.9, 1.2, 2.3).withOrigin(new double[] {4, -2, 10});
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(2))) {
            Path model = ModelFolders.write(tmp.resolve("models"), plans, "3d_fullres", engine, "0", "1");
            // A rule that changes these untrained networks' labels: postprocessing must be on both paths.
            new PostprocessingRule("paper", true, new int[] {1, 2}).write(model.resolve(TrainedModel.POSTPROCESSING));
            Path in = Files.createDirectories(tmp.resolve("in"));
            List<Image> images = new ArrayList<>();
            int k = 0;
            for (int[] s : new int[][] {{27, 21, 9}, {18, 24, 11}}) {
                Image image = twoChannelVolume(s, g);
                images.add(image);
                ImageIO.write(Image.of(image.channel(0), g), in.resolve("case" + k + "_0000.nii.gz"));
                ImageIO.write(Image.of(image.channel(1), g), in.resolve("case" + k + "_0001.nii.gz"));
                k++;
            }
            PredictionOptions options = PredictionOptions.defaults().withMirror(true).withProbabilities(true).withThreads(2);
            Path out = tmp.resolve("out");
            PredictStage.Result predicted = new PredictStage(engine).run(new PredictStage.Request(List.of(in), out, model,
                    null, List.of(), options, true), Progress.NONE);
            assertTrue(predicted.ok(), predicted.report());

            long removedSomewhere = 0;
            for (k = 0; k < images.size(); k++) {
                // As a script holds it: cell images, not the arrays the files were written from.
                Image image = images.get(k);
                List<RandomAccessibleInterval<FloatType>> cells = new ArrayList<>();
                for (RandomAccessibleInterval<? extends RealType<?>> ch : image.channels()) {
                    cells.add(cellCopy(ch));
                }
                Image held = new Image(cells, g);
                SegmentStage.Result r = new SegmentStage(engine).run(new SegmentStage.Request(held, true, model, null,
                        List.of(), PredictionOptions.defaults().withMirror(true).withProbabilities(true).withThreads(2),
                        true), Progress.NONE);
                int[] file = FlatArrays.toInts(LabelImage.fromImage(ImageIO.read(out.resolve("case" + k + ".nii.gz"))).labels());
                assertArrayEquals(file, FlatArrays.toInts(r.labels().labels()), "case " + k + ": labels voxel for voxel");
                assertArrayEquals(image.shape(), r.labels().shape());
                assertSame(g, r.labels().geometry());
                Image probs = ImageIO.read(out.resolve("case" + k + "_probabilities.nii.gz"));
                assertEquals(3, r.probabilities().channelCount());
                for (int c = 0; c < 3; c++) {
                    assertArrayEquals(FlatArrays.toFloats(probs.channel(c)), FlatArrays.toFloats(r.probabilities().channel(c)),
                            "case " + k + ": probabilities of class " + c);
                }
                FolderPrediction.CaseOutcome outcome = predicted.prediction().cases().get(k);
                assertEquals(outcome.postprocessedVoxels(), r.postprocessedVoxels(), "case " + k + ": voxels postprocessed");
                assertEquals(Json.toJson(TrainedModel.postprocessingOf(model, 3)), Json.toJson(r.postprocessing()));
                assertEquals("3d_fullres", r.configuration());
                assertEquals(List.of("0", "1"), r.folds());
                assertEquals("Tiny", r.plans().datasetName());
                assertTrue(r.report().contains("postprocessing largest component"), r.report());
                removedSomewhere += r.postprocessedVoxels();
            }
            assertTrue(removedSomewhere > 0, "the postprocessing changed some labels, so both paths applied it");

            // Without postprocessing and probabilities: no voxel changed, none returned.
            SegmentStage.Result plain = new SegmentStage(engine).run(new SegmentStage.Request(images.get(0), true, model,
                    null, List.of("0"), PredictionOptions.defaults().withMirror(false).withThreads(2), false),
                    Progress.NONE);
            assertEquals(0, plain.postprocessedVoxels());
            assertNull(plain.probabilities());
            assertEquals(List.of("0"), plain.folds());
        }
    }

    @Test
    void anImageWithoutPixelSizeOrAFolderWithoutModelIsRefusedBeforeLoading() throws Exception {
        Plans plans = TinyPlans.make(2, 3);
        Path model;
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(1))) {
            model = ModelFolders.write(tmp.resolve("models"), plans, "3d_fullres", engine, "0");
        }
        Image image = twoChannelVolume(new int[] {12, 10, 5}, Geometry.ofSpacing(1, 1, 1));
        // No engine given and none loaded: the refusals come from the model folder alone.
        SegmentStage stage = new SegmentStage();
        SegmentStage.UncalibratedImageException e = assertThrows(SegmentStage.UncalibratedImageException.class,
                () -> stage.run(new SegmentStage.Request(image, false, model, null, List.of(), PredictionOptions.defaults(),
                        true), Progress.NONE));
        assertArrayEquals(new double[] {1, 1, 2}, e.trainedSpacing());
        assertTrue(e.getMessage().contains("trained at 1.000 1.000 2.000"), e.getMessage());
        PrerequisiteException missing = assertThrows(PrerequisiteException.class, () -> stage.run(
                new SegmentStage.Request(image, true, tmp, null, List.of(), PredictionOptions.defaults(), true),
                Progress.NONE));
        assertTrue(missing.getMessage().contains("holds no plans.json"), missing.getMessage());
        missing = assertThrows(PrerequisiteException.class, () -> stage.run(new SegmentStage.Request(image, true, model,
                null, List.of("3"), PredictionOptions.defaults(), true), Progress.NONE));
        assertTrue(missing.getMessage().contains("Fold 3 has no exported network"), missing.getMessage());
    }

    private static RandomAccessibleInterval<FloatType> cellCopy(RandomAccessibleInterval<? extends RealType<?>> src) {
        var img = new CellImgFactory<>(new FloatType(), 8).create(src);
        LoopBuilder.setImages(src, img).forEachPixel((a, b) -> b.setReal(a.getRealDouble()));
        return img;
    }
}
