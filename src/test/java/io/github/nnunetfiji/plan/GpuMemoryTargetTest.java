package io.github.nnunetfiji.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.testutil.TestStages;

/**
 * A smaller memory target plans a smaller 3D patch, and where the median case then holds more than
 * four patches, the cascade: on the bundled brain tumour cases (47x58x47 voxels after cropping),
 * which the default target covers with one patch.
 */
class GpuMemoryTargetTest {

    @TempDir
    Path tmp;

    @Test
    void aSmallTargetPlansTheCascade() throws Exception {
        Dataset ds = DatasetLoader.load(TestData.bratsMini());
        DatasetFingerprint fp = TestStages.fingerprint(ds, new WorkFolder(tmp), 2);
        Plans plain = new ExperimentPlanner().plan(fp);
        assertFalse(plain.has(PlanConfiguration.CONFIG_3D_CASCADE_FULLRES));
        Plans small = new ExperimentPlanner().withGpuMemory(0.05).plan(fp);
        assertTrue(small.has(PlanConfiguration.CONFIG_3D_LOWRES), String.join("\n", small.notes()));
        assertTrue(small.has(PlanConfiguration.CONFIG_3D_CASCADE_FULLRES));
        long plainVoxels = plain.configuration(PlanConfiguration.CONFIG_3D_FULLRES).patchVoxels();
        long smallVoxels = small.configuration(PlanConfiguration.CONFIG_3D_FULLRES).patchVoxels();
        assertTrue(smallVoxels * 4 < plainVoxels, smallVoxels + " vs " + plainVoxels);
        assertTrue(small.notes().stream().anyMatch(n -> n.startsWith("Memory target 0.05 GB")), small.notes().toString());
        assertEquals(plain.notes().stream().noneMatch(n -> n.startsWith("Memory target")), true);
        assertThrows(IllegalArgumentException.class, () -> new ExperimentPlanner().withGpuMemory(0));
    }
}
