package io.github.nnunetfiji.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.image.LabelImage;
import io.github.nnunetfiji.inference.CasePredictor;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.inference.TrainedModel;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.pipeline.PlanStage;
import io.github.nnunetfiji.pipeline.TrainStage;
import io.github.nnunetfiji.plan.ExperimentPlanner;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.preprocess.PreprocessedCase;
import io.github.nnunetfiji.preprocess.PreviousStagePredictions;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.testutil.TestStages;
import io.github.nnunetfiji.train.augment.AugmentationOptions;
import io.github.nnunetfiji.train.data.BatchSource;
import io.github.nnunetfiji.train.data.DataOptions;
import io.github.nnunetfiji.train.data.TrainingData;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.util.RequestException;
import net.imglib2.img.array.ArrayImgs;

/**
 * The U-Net cascade end to end on a fabricated 3D set (5 cases of 36^3 voxels, a ball each), planned
 * with a 3D patch small enough (16^3) that the cascade is planned: the first stage writes its
 * segmentations for the second, the second trains on them as one-hot channels, and prediction
 * chains both.
 */
class CascadeTest {

    private static final String LOW = PlanConfiguration.CONFIG_3D_LOWRES;
    private static final String CASCADE = PlanConfiguration.CONFIG_3D_CASCADE_FULLRES;
    private static final int EDGE = 36;
    private static Path prepared;

    /** The paper's planner with a 16^3 voxel budget for the 3D patch, so a 36^3 median case needs the cascade. */
    static final class SmallPatchPlanner extends ExperimentPlanner {
        @Override
        protected long maxPatchVoxels(boolean is2D) {
            return is2D ? super.maxPatchVoxels(true) : 16 * 16 * 16;
        }
    }

    /** Data set, plans and preprocessed data (both stages), made once; tests work on copies. */
    private static synchronized Path prepared() throws Exception {
        if (prepared == null) {
            Path dir = Files.createTempDirectory("nnunet-cascade");
            Path data = fabricate(dir.resolve("Task09_Balls"));
            Dataset ds = DatasetLoader.load(data);
            WorkFolder work = new WorkFolder(dir.resolve("work"));
            Plans plans = new PlanStage().run(new PlanStage.Request(ds.root(), work, new SmallPatchPlanner(),
                    PlanOverrides.parse(List.of("3d_fullres.features=4", "3d_lowres.features=4", "3d_fullres.batch=2",
                            "3d_lowres.batch=2")), 2, false), Progress.NONE).plans();
            TestStages.preprocess(ds, plans, List.of(LOW, CASCADE), work, 2);
            prepared = dir;
        }
        return prepared;
    }

    /** 5 cases: noise around 1, a ball of label 1 and intensity 3 at a case-dependent place. */
    private static Path fabricate(Path root) throws Exception {
        Files.createDirectories(root.resolve("imagesTr"));
        Files.createDirectories(root.resolve("labelsTr"));
        Files.writeString(root.resolve("dataset.json"), "{\"name\": \"Balls\", \"channel_names\": {\"0\": \"MR\"}, "
                + "\"labels\": {\"background\": 0, \"ball\": 1}, \"numTraining\": 5, \"file_ending\": \".nii.gz\"}");
        SplittableRandom rng = new SplittableRandom(9);
        int n = EDGE * EDGE * EDGE;
        for (int c = 0; c < 5; c++) {
            float[] img = new float[n];
            byte[] lab = new byte[n];
            double cx = 12 + 3 * c;
            double cy = 20 - 2 * c;
            double cz = 18;
            double r = 6 + c % 2;
            for (int i = 0; i < n; i++) {
                int x = i % EDGE;
                int y = (i / EDGE) % EDGE;
                int z = i / (EDGE * EDGE);
                boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= r * r;
                lab[i] = (byte) (in ? 1 : 0);
                img[i] = (in ? 3f : 1f) + (float) (0.2 * rng.nextGaussian());
            }
            String id = String.format("BALL_%03d", c);
            Geometry g = Geometry.ofSpacing(1, 1, 1);
            ImageIO.write(Image.of(ArrayImgs.floats(img, EDGE, EDGE, EDGE), g), root.resolve("imagesTr").resolve(
                    id + "_0000.nii.gz"));
            ImageIO.write(new LabelImage(ArrayImgs.unsignedBytes(lab, EDGE, EDGE, EDGE), g).asImage(),
                    root.resolve("labelsTr").resolve(id + ".nii.gz"));
        }
        return root;
    }

    private static WorkFolder work(Path tmp) throws Exception {
        return new WorkFolder(TestData.copy(prepared().resolve("work"), tmp.resolve("work")));
    }

    private static Path data() throws Exception {
        return prepared().resolve("Task09_Balls");
    }

    private static TrainRequest request(WorkFolder work, String config) throws Exception {
        TrainRequest.Builder r = new TrainRequest.Builder();
        r.dataset(data());
        r.work(work);
        r.configuration(config);
        r.fold(Fold.all());
        r.epochs(1);
        r.iterationsPerEpoch(2);
        r.validationIterations(1);
        r.threads(2);
        r.device(io.github.nnunetfiji.engine.Device.CPU);
        r.precision(EngineOptions.Precision.FLOAT32);
        return r.build();
    }

    @Test
    void theFabricatedSetIsPlannedWithACascade() throws Exception {
        Plans plans = Plans.read(prepared().resolve("work").resolve("Task09_Balls").resolve("plans.json"));
        assertEquals(LOW, plans.configuration(CASCADE).previousStage());
        assertEquals(CASCADE, plans.configuration(LOW).nextStage());
        assertTrue(plans.configuration(LOW).spacing()[0] > 1.3, "stage 1 is coarser");
        assertEquals(2, new io.github.nnunetfiji.plan.PlanNetworkAdapter().spec(plans, CASCADE).inputChannels(),
                "1 image channel + 1 foreground class");
    }

    @Test
    void secondStageBatchesCarryTheFirstStagesSegmentationAsOneHotChannels(@TempDir Path tmp) throws Exception {
        WorkFolder work = work(tmp);
        WorkFolder.DatasetWork dw = work.forDataset(DatasetLoader.load(data()));
        Plans plans = Plans.read(dw.plansFile());
        Path dir = dw.preprocessedDir(plans.configuration(CASCADE).dataIdentifier());
        Path stored = PreviousStagePredictions.readBy(dw, plans.configuration(CASCADE));
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            String id = String.format("BALL_%03d", c);
            ids.add(id);
            // A known answer: the "first stage's segmentation" is the case's own label map.
            try (PreprocessedCase pc = PreprocessedCase.open(dir, id)) {
                int[] s = pc.header().shape();
                byte[] labels = new byte[s[0] * s[1] * s[2]];
                pc.readLabelPatch(new int[3], s, labels);
                PreviousStagePredictions.write(stored, new PreviousStagePredictions.Header(id, LOW, "all", 1, s), labels);
            }
        }
        // Validation batches (no augmentation): channel 1 is exactly label == 1.
        try (BatchSource src = TrainingData.open(dir, ids, plans, CASCADE, true, 7, 0)) {
            for (int b = 0; b < 3; b++) {
                Batch batch = src.next();
                assertEquals(2, batch.channels());
                for (int v = 0; v < batch.labels().length; v++) {
                    assertEquals(batch.labels()[v] == 1 ? 1f : 0f, batch.images()[2 * v + 1], "voxel " + v);
                }
            }
        }
        // Training batches, every sample rotated and scaled: the segmentation moves with the labels,
        // and is perturbed in some samples only.
        DataOptions options = DataOptions.defaults().withAugmentation(AugmentationOptions.defaults()
                .withRotationProbability(1).withScalingProbability(1));
        int exact = 0;
        int samples = 0;
        try (BatchSource src = TrainingData.open(dir, ids, plans, CASCADE, false, 7, 0, options)) {
            for (int b = 0; b < 20; b++) {
                Batch batch = src.next();
                int per = (int) batch.voxelsPerSample();
                for (int s = 0; s < batch.size(); s++, samples++) {
                    boolean same = true;
                    for (int v = s * per; v < (s + 1) * per && same; v++) {
                        same = (batch.labels()[v] == 1 ? 1f : 0f) == batch.images()[2 * v + 1];
                    }
                    exact += same ? 1 : 0;
                }
            }
        }
        assertTrue(exact >= samples / 2 && exact < samples, exact + " of " + samples
                + " samples keep the labels exactly (the others are perturbed)");
    }

    @Test
    void cascadeTrainsOnTheFirstStagesPredictionsAndPredictsThroughBothStages(@TempDir Path tmp) throws Exception {
        WorkFolder work = work(tmp);
        WorkFolder.DatasetWork dw = work.forDataset(DatasetLoader.load(data()));
        Plans plans = Plans.read(dw.plansFile());
        // Before the first stage: refused, naming what to run.
        RequestException refused = assertThrows(RequestException.class,
                () -> new TrainStage().run(request(work, CASCADE), Progress.NONE));
        assertTrue(refused.getMessage().contains(LOW) && refused.getMessage().contains("train"), refused.getMessage());
        assertTrue(!Files.exists(dw.root().resolve("models").resolve(CASCADE).resolve("fold_all")), "nothing written");

        new TrainStage().run(request(work, LOW), Progress.NONE);
        Path stored = PreviousStagePredictions.readBy(dw, plans.configuration(CASCADE));
        Path dir = dw.preprocessedDir(plans.configuration(CASCADE).dataIdentifier());
        for (int c = 0; c < 5; c++) {
            String id = String.format("BALL_%03d", c);
            PreviousStagePredictions.Header h = PreviousStagePredictions.read(stored, id);
            assertNotNull(h, id);
            assertEquals("all", h.fold());
            assertArrayEquals(PreprocessedCase.readHeader(dir, id).shape(), h.shape(), "on the second stage's grid");
        }

        TrainResult second = new TrainStage().run(request(work, CASCADE), Progress.NONE).training();
        assertNotNull(second.validation(), "the second stage validates with the stored segmentations");

        Path models = dw.root().resolve("models");
        try (Engine engine = EngineLoader.load(EngineOptions.cpu(2));
                TrainedModel model = TrainedModel.load(models.resolve(CASCADE), null, List.of(), engine)) {
            assertEquals(LOW, model.previousStage().configuration(), "the sibling folder's first stage");
            CasePredictor p = model.predictor(PredictionOptions.defaults().withThreads(2).withMirror(false));
            Image image = ImageIO.read(data().resolve("imagesTr").resolve("BALL_002_0000.nii.gz"));
            CasePredictor.Prediction pred = p.predict(image, Progress.NONE);
            assertArrayEquals(image.shape(), pred.labels().shape());
            int[] labels = FlatArrays.toInts(pred.labels().labels());
            assertEquals(EDGE * EDGE * EDGE, labels.length);
        }
        // Without its first stage the cascade's model folder names the sibling to train.
        deleteTree(models.resolve(LOW));
        Exception e = assertThrows(Exception.class, () -> TrainedModel.locate(models.resolve(CASCADE), null, List.of()));
        assertTrue(e.getMessage().contains(LOW) && e.getMessage().contains(models.resolve(LOW).toString()), e.getMessage());
    }

    private static void deleteTree(Path p) throws Exception {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
