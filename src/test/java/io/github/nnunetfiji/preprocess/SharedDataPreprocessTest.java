package io.github.nnunetfiji.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.testutil.TestStages;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.testutil.TestData;

/** Both shared data sets preprocess for every configuration their plans have (skipped without them). */
class SharedDataPreprocessTest {

    @TempDir
    Path tmp;

    private List<PreprocessingResult> planAndPreprocess(String name) throws Exception {
        Dataset ds = DatasetLoader.load(TestData.shared(name));
        WorkFolder work = new WorkFolder(tmp);
        Plans plans = TestStages.plan(ds, work, "paper");
        List<PreprocessingResult> results = TestStages.preprocess(ds, plans, List.of(), work, 2);
        for (PreprocessingResult r : results) {
            assertTrue(r.ok(), r.toText());
            assertEquals(ds.cases().size(), r.processed().size(), r.toText());
        }
        return results;
    }

    @Test
    void brainTumourSubsetEveryConfiguration() throws Exception {
        List<PreprocessingResult> r = planAndPreprocess("Task01_BrainTumour_DeepMedicSubset");
        assertEquals(List.of("2d", "3d_fullres"), r.stream().map(PreprocessingResult::configuration).toList());
        CaseHeader h = PreprocessedCase.readHeader(r.get(1).folder(), "BRATS_0001");
        // 1 mm data planned at 1 mm: cropped to the brain, not resampled.
        assertArrayEquals(new double[] {1, 1, 1}, h.spacing(), 1e-9);
        for (int d = 0; d < 3; d++) {
            assertEquals(h.cropMaxExclusive()[d] - h.cropMin()[d], h.shape()[d]);
        }
        assertEquals(java.util.Set.of(1, 2, 3, 4), h.classesPresent());
    }

    @Test
    void isbiEveryConfiguration() throws Exception {
        List<PreprocessingResult> r = planAndPreprocess("Task100_ISBI2012EM");
        assertEquals(List.of("2d"), r.stream().map(PreprocessingResult::configuration).toList());
        CaseHeader h = PreprocessedCase.readHeader(r.get(0).folder(), "isbi_007");
        assertArrayEquals(new int[] {512, 512, 1}, h.shape());
        assertEquals(java.util.Set.of(1), h.classesPresent());
    }
}
