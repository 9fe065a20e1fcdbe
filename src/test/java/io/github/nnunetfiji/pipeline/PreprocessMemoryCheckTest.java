package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.PlanOverrides;
import io.github.nnunetfiji.plan.Planners;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.util.NotEnoughMemoryException;
import io.github.nnunetfiji.util.Progress;

/**
 * Preprocessing checks, before any case, that its cases at once fit what Java may use (each: every
 * channel of the image as float and of its resampled crop, and the crop's labels), and names the
 * thread count that fits.
 */
class PreprocessMemoryCheckTest {

    @TempDir
    Path tmp;

    @Test
    void aRunThatCannotFitIsRefusedWithTheThreadsThatFit() throws Exception {
        Dataset ds = DatasetLoader.load(TestData.isbiMini());
        WorkFolder work = new WorkFolder(tmp);
        Plans plans = new PlanStage().run(new PlanStage.Request(ds.root(), work, Planners.create("paper"),
                PlanOverrides.parse(List.of()), 1, false), Progress.NONE).plans();
        DatasetFingerprint fp = DatasetFingerprint.read(work.forDataset(ds).fingerprintFile());
        PlanConfiguration c = plans.configuration("2d");
        // A 512 x 512 section at its own spacing, cropped to itself: image and crop as float, labels.
        long perCase = 4L * (2 * 512 * 512) + 512 * 512;
        PreprocessStage.checkMemory(fp, c, 2, 2 * perCase);
        NotEnoughMemoryException two = assertThrows(NotEnoughMemoryException.class,
                () -> PreprocessStage.checkMemory(fp, c, 2, 2 * perCase - 1));
        assertEquals(2 * perCase, two.neededBytes());
        assertEquals(1, two.fittingThreads());
        assertTrue(two.getMessage().contains("use at most 1 thread(s)"), two.getMessage());
        NotEnoughMemoryException one = assertThrows(NotEnoughMemoryException.class,
                () -> PreprocessStage.checkMemory(fp, c, 1, perCase - 1));
        assertEquals(0, one.fittingThreads());
    }
}
