package io.github.nnunetfiji.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.cli.Main;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.testutil.TestData;

/** Augmented batches from the bundled data sets, planned and preprocessed by the real pipeline. */
class BundledDataBatchesTest {

    @TempDir
    Path tmp;

    private Plans prepare(Path dataset, String configuration) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new Main().run(List.of("plan_and_preprocess", dataset.toString(), "--work", tmp.toString(), "-c",
                configuration), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        Dataset ds = DatasetLoader.load(dataset);
        return Plans.read(new WorkFolder(tmp).forDataset(ds).plansFile());
    }

    private Path store(Path dataset, Plans plans, String configuration) throws Exception {
        Dataset ds = DatasetLoader.load(dataset);
        return new WorkFolder(tmp).forDataset(ds).preprocessedDir(plans.configuration(configuration).dataIdentifier());
    }

    @Test
    void brainTumourBatchesHoldForegroundInAtLeastAThirdOfEverySample() throws Exception {
        Path data = TestData.bratsMini();
        Plans plans = prepare(data, PlanConfiguration.CONFIG_3D_FULLRES);
        PlanConfiguration c = plans.configuration(PlanConfiguration.CONFIG_3D_FULLRES);
        int b = c.batchSize();
        int forced = SamplingPlan.forcedSlots(b, 0.33);
        int[] shape = PlanNetworkAdapter.networkPatch(c);
        int withForeground = 0;
        int samples = 0;
        try (BatchSource s = TrainingData.open(store(data, plans, "3d_fullres"),
                List.of("BRATS_0001", "BRATS_0002", "BRATS_0003"), plans, "3d_fullres", false, 42, 2)) {
            for (int i = 0; i < 8; i++) {
                Batch batch = s.next();
                assertArrayEquals(shape, batch.shape());
                assertEquals(2, batch.channels());
                int n = (int) batch.voxelsPerSample();
                for (int slot = 0; slot < b; slot++) {
                    boolean fg = false;
                    for (int v = slot * n; v < (slot + 1) * n && !fg; v++) {
                        fg = batch.labels()[v] != 0;
                    }
                    assertTrue(fg || slot < b - forced, "batch " + i + ": forced slot " + slot + " has no tumour");
                    withForeground += fg ? 1 : 0;
                    samples++;
                }
                for (byte l : batch.labels()) {
                    assertTrue(l >= 0 && l <= 4, "label " + l);
                }
                for (float v : batch.images()) {
                    assertTrue(Float.isFinite(v));
                }
            }
        }
        assertTrue(withForeground * 3 >= samples, withForeground + " of " + samples);
    }

    @Test
    void electronMicroscopySlicesAreTwoDimensional() throws Exception {
        Path data = TestData.isbiMini();
        Plans plans = prepare(data, PlanConfiguration.CONFIG_2D);
        PlanConfiguration c = plans.configuration(PlanConfiguration.CONFIG_2D);
        try (BatchSource s = TrainingData.open(store(data, plans, "2d"),
                List.of("isbi_000", "isbi_001", "isbi_002", "isbi_003", "isbi_004"), plans, "2d", false, 1, 1)) {
            Batch batch = s.next();
            assertArrayEquals(PlanNetworkAdapter.networkPatch(c), batch.shape());
            assertEquals(c.batchSize(), batch.size());
            int membrane = 0;
            for (byte l : batch.labels()) {
                membrane += l;
            }
            assertTrue(membrane > 0);
        }
    }
}
