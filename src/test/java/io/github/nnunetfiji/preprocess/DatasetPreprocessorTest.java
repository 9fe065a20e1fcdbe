package io.github.nnunetfiji.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.nnunetfiji.testutil.TestStages;
import io.github.nnunetfiji.dataset.CaseEntry;
import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.dataset.WorkFolder;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.plan.ChannelNormalization;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.testutil.TestData;

/** Preprocessing the bundled BraTS cases with hand-made plans whose outcome is known. */
class DatasetPreprocessorTest {

    @TempDir
    Path tmp;

    static Plans plans(double spacing, int labelOrder) {
        Plans p = new Plans("BrainTumour_mini", "paper", List.of("FLAIR", "T1c"), new TreeMap<>(), new double[] {3, 3, 3},
                new double[] {40, 50, 40}, List.of());
        return p.withConfiguration(config(PlanConfiguration.CONFIG_3D_FULLRES, "test_3d_fullres", spacing, labelOrder));
    }

    /** Just what preprocessing reads from a configuration. */
    private static PlanConfiguration config(String name, String dataIdentifier, double spacing, int labelOrder) {
        PlanConfiguration.Builder c = PlanConfiguration.builder(name);
        c.dataIdentifier(dataIdentifier);
        c.dimensions(3);
        c.spacing(new double[] {spacing, spacing, spacing});
        c.normalization(List.of(new ChannelNormalization(0, "FLAIR", ChannelNormalization.ZSCORE, true),
                new ChannelNormalization(1, "T1c", ChannelNormalization.ZSCORE, true)));
        c.resampling(3, labelOrder, 0, 3.0);
        return c.build();
    }

    @Test
    void atTheOriginalSpacingCasesAreCroppedAndMaskedZScored() throws Exception {
        Dataset ds = DatasetLoader.load(TestData.bratsMini());
        WorkFolder work = new WorkFolder(tmp);
        List<PreprocessingResult> r = TestStages.preprocess(ds, plans(3.0, 0), List.of(), work, 2);
        assertEquals(1, r.size());
        assertEquals(List.of("BRATS_0001", "BRATS_0002", "BRATS_0003"), r.get(0).processed());
        Path dir = work.forDataset(ds).preprocessedDir("test_3d_fullres");
        CaseEntry ce = ds.cases().get(0);
        byte[] original = FlatArrays.toLabelBytes(ce.readLabel().labels(), 127);
        int[] fullShape = FlatArrays.shape(ce.readLabel().labels());
        try (PreprocessedCase pc = PreprocessedCase.open(dir, "BRATS_0001")) {
            CaseHeader h = pc.header();
            // The test data keeps a 6-voxel margin of zeros around the brain (3 mm), except where the
            // source volume ended; so the crop removes up to 2 voxels per side.
            int[] s = h.shape();
            for (int d = 0; d < 3; d++) {
                assertEquals(s[d], h.cropMaxExclusive()[d] - h.cropMin()[d]);
                assertTrue(s[d] < fullShape[d], "cropping removed the empty margin along axis " + d);
            }
            // Labels are the original labels inside the crop box, except background outside the
            // nonzero mask, marked -1 because the plan normalizes inside the mask.
            assertTrue(h.outsideMarked());
            byte[] seg = new byte[s[0] * s[1] * s[2]];
            pc.readLabelPatch(new int[3], s, seg);
            int[] m = {(int) h.cropMin()[0], (int) h.cropMin()[1], (int) h.cropMin()[2]};
            float[] flair = FlatArrays.toFloats(ce.readImage().channel(0));
            float[] t1c = FlatArrays.toFloats(ce.readImage().channel(1));
            int outside = 0;
            for (int z = 0; z < s[2]; z++) {
                for (int y = 0; y < s[1]; y++) {
                    for (int x = 0; x < s[0]; x++) {
                        int o = (m[0] + x) + fullShape[0] * ((m[1] + y) + fullShape[1] * (m[2] + z));
                        byte v = seg[x + s[0] * (y + s[1] * z)];
                        if (v == PreprocessedCase.OUTSIDE) {
                            assertEquals(0, original[o]);
                            assertTrue(flair[o] == 0 && t1c[o] == 0, "only zero voxels lie outside the mask");
                            outside++;
                        } else {
                            assertEquals(original[o], v);
                        }
                    }
                }
            }
            assertTrue(outside > 1000, "the corners of the box are outside the brain: " + outside);
            // Masked z-score: inside the nonzero region mean 0 and std 1; outside exactly 0.
            float[] img = new float[2 * seg.length];
            pc.readImagePatch(new int[3], s, img);
            float[] ch0 = Arrays.copyOf(img, seg.length);
            double sum = 0;
            double ss = 0;
            int n = 0;
            for (float v : ch0) {
                if (v != 0) {
                    sum += v;
                    ss += v * (double) v;
                    n++;
                }
            }
            double mean = sum / n;
            assertEquals(0, mean, 0.02);
            assertEquals(1, Math.sqrt(ss / n - mean * mean), 0.02);
            assertEquals(h.classesPresent(), java.util.Set.of(1, 2, 3, 4));
            for (int loc : h.classLocations(2)) {
                assertEquals(2, seg[loc]);
            }
        }
    }

    @Test
    void resamplingChangesTheShapeByTheSpacingRatio() throws Exception {
        Dataset ds = DatasetLoader.load(TestData.bratsMini());
        WorkFolder work = new WorkFolder(tmp);
        TestStages.preprocess(ds, plans(4.5, 1), List.of(), work, 2);
        CaseHeader h = PreprocessedCase.readHeader(work.forDataset(ds).preprocessedDir("test_3d_fullres"), "BRATS_0002");
        int[] cropped = new int[3];
        for (int d = 0; d < 3; d++) {
            cropped[d] = (int) (h.cropMaxExclusive()[d] - h.cropMin()[d]);
            assertEquals(Math.round(cropped[d] * 3 / 4.5), h.shape()[d]);
        }
        assertArrayEquals(new double[] {4.5, 4.5, 4.5}, h.spacing());
        assertArrayEquals(new double[] {3, 3, 3}, h.originalSpacing(), 1e-6);
    }

    @Test
    void aRerunReusesFinishedCasesAndRedoesBrokenOnes() throws Exception {
        Dataset ds = DatasetLoader.load(TestData.bratsMini());
        WorkFolder work = new WorkFolder(tmp);
        Plans p = plans(3.0, 0);
        TestStages.preprocess(ds, p, List.of(), work, 2);
        Path dir = work.forDataset(ds).preprocessedDir("test_3d_fullres");
        Files.write(PreprocessedCase.imageFile(dir, "BRATS_0003"), new byte[10]); // as if killed mid-write
        Path leftover = dir.resolve(".BRATS_0003.img.123456.tmp"); // what a killed write leaves
        Files.write(leftover, new byte[100]);
        PreprocessingResult r = TestStages.preprocess(ds, p, List.of(), work, 2).get(0);
        assertTrue(!Files.exists(leftover), "a rerun removes a killed run's temporary files");
        assertEquals(List.of("BRATS_0001", "BRATS_0002"), r.reused());
        assertEquals(List.of("BRATS_0003"), r.processed());
        // A changed plan is never mixed with old data.
        r = TestStages.preprocess(ds, plans(3.0, 1), List.of(), work, 2).get(0);
        assertEquals(3, r.processed().size());
    }

    @Test
    void aFailingCaseIsNamedAndTheOthersFinish() throws Exception {
        Path copy = TestData.copy(TestData.bratsMini(), tmp.resolve("Task01_BrainTumour_mini"));
        Path broken = copy.resolve("imagesTr/BRATS_0002_0001.nii.gz");
        byte[] bytes = Files.readAllBytes(broken);
        Files.write(broken, Arrays.copyOf(bytes, bytes.length / 2));
        Dataset ds = DatasetLoader.load(copy);
        WorkFolder work = new WorkFolder(tmp.resolve("work"));
        PreprocessingResult r = TestStages.preprocess(ds, plans(3.0, 0), List.of(), work, 2).get(0);
        assertEquals(List.of("BRATS_0001", "BRATS_0003"), r.processed());
        assertTrue(r.failed().get("BRATS_0002").contains("BRATS_0002_0001.nii.gz"), r.failed().toString());
        assertTrue(r.toText().contains("FAILED BRATS_0002"));
    }

    @Test
    void cascadePlansGetLowResolutionDataAndShareTheFullResolutionData() throws Exception {
        Plans p = plans(3.0, 0);
        p = p.withConfiguration(config(PlanConfiguration.CONFIG_3D_LOWRES, "test_3d_lowres", 6.0, 0));
        // The cascade's second stage trains on the full-resolution data: same data identifier.
        p = p.withConfiguration(config(PlanConfiguration.CONFIG_3D_CASCADE_FULLRES, "test_3d_fullres", 3.0, 0));
        Dataset ds = DatasetLoader.load(TestData.bratsMini());
        WorkFolder work = new WorkFolder(tmp);
        List<PreprocessingResult> r = TestStages.preprocess(ds, p, List.of(), work, 2);
        assertEquals(List.of("3d_fullres", "3d_lowres"), r.stream().map(PreprocessingResult::configuration).toList());
        CaseHeader lowCase = PreprocessedCase.readHeader(r.get(1).folder(), "BRATS_0001");
        CaseHeader fullCase = PreprocessedCase.readHeader(r.get(0).folder(), "BRATS_0001");
        assertArrayEquals(new double[] {6, 6, 6}, lowCase.spacing());
        for (int d = 0; d < 3; d++) {
            // Halves round to even, as in the reference.
            assertEquals((long) Math.rint(fullCase.shape()[d] / 2.0), lowCase.shape()[d]);
        }
    }

    @Test
    void newShapeRoundsHalvesToEvenAsTheReference() {
        // 3 / 2.4 * 58 = 72.5 and 3 / 2.4 * 54 = 67.5: Python's round gives 72 and 68.
        assertArrayEquals(new int[] {72, 68, 1}, ResamplingRule.newShape(new int[] {58, 54, 1},
                new double[] {3, 3, 3}, new double[] {2.4, 2.4, 7.5}));
    }

    @Test
    void anisotropicSpacingTakesTheSeparateAxisPath() {
        double[] prostate = {0.62, 0.62, 3.6};
        assertEquals(2, ResamplingRule.separateAxis(prostate, prostate, 3.0));
        assertArrayEquals(new int[] {3, 3, 0}, ResamplingRule.imageOrders(plans(1, 0).configuration("3d_fullres"), 2));
        assertEquals(-1, ResamplingRule.separateAxis(new double[] {1, 1, 1.2}, new double[] {1, 1, 1}, 3.0));
        // Source isotropic, target anisotropic: the target decides.
        assertEquals(0, ResamplingRule.separateAxis(new double[] {1, 1, 1}, new double[] {4, 1, 1}, 3.0));
        // Two equally coarse axes: no single out-of-plane axis.
        assertEquals(-1, ResamplingRule.separateAxis(new double[] {4, 4, 1}, new double[] {4, 4, 1}, 3.0));
    }
}
