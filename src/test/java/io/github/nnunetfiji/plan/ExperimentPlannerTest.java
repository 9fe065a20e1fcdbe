package io.github.nnunetfiji.plan;

import static io.github.nnunetfiji.plan.SyntheticFingerprints.shape;
import static io.github.nnunetfiji.plan.SyntheticFingerprints.spacing;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.image.AxisOrder;

/**
 * The paper's planner on imagined data sets, with answers worked out by hand from the rules.
 * Shapes are x, y, z here; the papers write z, y, x.
 */
class ExperimentPlannerTest {

    private final ExperimentPlanner planner = new ExperimentPlanner();

    /**
     * Hippocampus-like: median shape 36x50x35 (z, y, x) = 35x50x36 (x, y, z), 1 mm, 260 cases.
     */
    static DatasetFingerprint hippocampus() {
        return new SyntheticFingerprints("Hippocampus", List.of("MRI"), 3)
                .cases(260, shape(35, 50, 36), spacing(1, 1, 1)).build();
    }

    @Test
    void hippocampusGetsWholeVolumeAsPatchAndTheFivePercentCapBites() {
        Plans plans = planner.plan(hippocampus());
        PlanConfiguration c = plans.configuration("3d_fullres");
        // 35*50*36 = 63,000 voxels < 128^3, so the patch is the median shape itself.
        // Pooling while the edge is >= 16: 35 -> 18 -> 9, 50 -> 25 -> 13, 36 -> 18 -> 9: 2 poolings
        // per axis, so edges are padded to multiples of 4: 36 x 52 x 36 = 67,392 voxels.
        assertArrayEquals(new long[] {36, 52, 36}, c.patchSize());
        assertArrayEquals(new int[] {2, 2, 2}, c.poolingsPerAxis());
        assertEquals(3, c.stages());
        assertArrayEquals(new int[] {30, 60, 120}, c.featuresPerStage());
        // Batch to keep 2 x 128^3 voxels per step: floor(4,194,304 / 67,392) = 62.
        // 5% cap: 260 cases x 63,000 voxels = 16,380,000; 5% = 819,000; floor(819,000 / 67,392) = 12.
        assertEquals(62, planner.batchSize(c.patchVoxels(), false));
        assertEquals(12, c.batchSize());
        assertTrue(plans.notes().contains("3d_fullres: batch 62 capped at 12 (5% of the data set's 1.64e+07 voxels "
                + "holds 12 patches of 67392 voxels)."), plans.notes().toString());
        // Larger than the start batch of 2; the whole patient in one patch: per-sample Dice.
        assertFalse(c.batchDice());
        assertFalse(c.augmentation2D());
        // 63,000 is not above 4 x 67,392: no cascade.
        assertFalse(plans.has("3d_lowres"));
        assertFalse(plans.has("3d_cascade_fullres"));
        assertEquals(List.of("2d", "3d_fullres"), List.copyOf(plans.configurations().keySet()));
    }

    @Test
    void hippocampus2dTakesTheMedianPlane() {
        PlanConfiguration c = planner.plan(hippocampus()).configuration("2d");
        // Isotropic spacing: slices across z (ties go to z). Median plane 35 x 50, 2 poolings per
        // axis (35 -> 18 -> 9, 50 -> 25 -> 13), padded to multiples of 4: 36 x 52.
        assertEquals(AxisOrder.Z, c.sliceAxis());
        assertArrayEquals(new long[] {36, 52, 1}, c.patchSize());
        assertArrayEquals(new int[] {2, 2, 0}, c.poolingsPerAxis());
        // Kernels never extend along the slice axis.
        for (int[] k : c.kernelSizes()) {
            assertArrayEquals(new int[] {3, 3, 1}, k);
        }
        // floor(256^2 x 42 / 1,872) = floor(2,752,512 / 1,872) = 1,470; cap floor(819,000 / 1,872) = 437.
        assertEquals(437, c.batchSize());
        assertTrue(c.batchDice());
    }

    /**
     * Liver-like CT: median 482x512x512 (z, y, x) at 1 x 0.77 x 0.77 mm = 512x512x482 at
     * 0.77, 0.77, 1 (x, y, z), 130 cases.
     */
    static DatasetFingerprint liver() {
        return new SyntheticFingerprints("Liver", List.of("CT"), 3)
                .cases(130, shape(512, 512, 482), spacing(0.77, 0.77, 1)).build();
    }

    @Test
    void liverGetsAPatchShapedLikeTheDataAndTheCascade() {
        Plans plans = planner.plan(liver());
        PlanConfiguration c = plans.configuration("3d_fullres");
        // 512*512*482 = 126,353,408 voxels; scale to 128^3: (2,097,152 / 126,353,408)^(1/3) = 0.2551,
        // giving 130.6 x 130.6 x 123.0. All spacings within 2x, so all axes pool together while
        // >= 16: 131 -> 66 -> 33 -> 17 -> 9 and 123 -> 62 -> 31 -> 16 -> 8: 4 poolings, divisor 16.
        // Nearest multiples of 16: 128 (8.16 x 16) and 128 (7.68 x 16): 128^3 exactly, the limit.
        assertArrayEquals(new long[] {128, 128, 128}, c.patchSize());
        assertTrue(c.patchVoxels() <= 128L * 128 * 128);
        double scale = Math.cbrt(128.0 * 128 * 128 / (512.0 * 512 * 482));
        long[] median = c.medianShape();
        for (int d = 0; d < 3; d++) {
            // Shaped like the data: each edge within one pooling step (16) of the scaled median.
            assertTrue(Math.abs(c.patchSize()[d] - median[d] * scale) <= 16, "axis " + d);
        }
        assertArrayEquals(new int[] {4, 4, 4}, c.poolingsPerAxis());
        assertArrayEquals(new int[] {30, 60, 120, 240, 320}, c.featuresPerStage());
        // floor(2 x 128^3 / 128^3) = 2; the 5% cap (130 x 126 M voxels) does not bite.
        assertEquals(2, c.batchSize());
        // CT normalization, never with the nonzero mask.
        assertEquals(ChannelNormalization.CT, c.normalization().get(0).scheme());
        assertFalse(c.normalization().get(0).useNonzeroMask());

        // Cascade: 126,353,408 > 4 x 2,097,152 = 8,388,608.
        assertTrue(planner.cascadeTriggered(512.0 * 512 * 482, c.patchVoxels()));
        assertEquals(List.of("2d", "3d_fullres", "3d_lowres", "3d_cascade_fullres"),
                List.copyOf(plans.configurations().keySet()));
        PlanConfiguration low = plans.configuration("3d_lowres");
        PlanConfiguration second = plans.configuration("3d_cascade_fullres");
        assertEquals("3d_cascade_fullres", low.nextStage());
        assertEquals("3d_lowres", second.previousStage());
        assertEquals(c.dataIdentifier(), second.dataIdentifier());
        assertArrayEquals(c.patchSize(), second.patchSize());
        // Low resolution: x and y first grow from 0.77 to 1.0 in 1% steps (27 steps: 0.77 x 1.01^27
        // > 1), then all three grow together until the median case holds at most 4x the patch:
        // 394.24 x 394.24 x 482 = 74.9 M voxels at 1 mm needs 1.01^(3k) >= 74.9 M / 8.39 M, k = 74,
        // spacing 1.01^74 = 2.09 mm, isotropic.
        double[] s = low.spacing();
        assertEquals(s[0], s[2], 1e-9);
        assertEquals(s[1], s[2], 1e-9);
        assertEquals(Math.pow(1.01, 74), s[2], 0.03);
        double lowMedianVoxels = (double) low.medianShape()[0] * low.medianShape()[1] * low.medianShape()[2];
        assertTrue(lowMedianVoxels <= 4.0 * low.patchVoxels() * 1.01);
        assertTrue(low.patchVoxels() <= 128L * 128 * 128);
        // Dice: stage 1 sees almost the whole patient (per sample); the full-resolution networks batch.
        assertFalse(low.batchDice());
        assertTrue(c.batchDice());
        assertTrue(second.batchDice());
    }

    @Test
    void liver2dTakesWholeSlicesWithTheirOwnBatch() {
        PlanConfiguration c = planner.plan(liver()).configuration("2d");
        // Coarsest axis z: slices are x-y planes of 512 x 512; 5 poolings (the most) -> divisor 32.
        assertEquals(AxisOrder.Z, c.sliceAxis());
        assertArrayEquals(new long[] {512, 512, 1}, c.patchSize());
        assertArrayEquals(new int[] {5, 5, 0}, c.poolingsPerAxis());
        // floor(256^2 x 42 / 512^2) = floor(10.5) = 10.
        assertEquals(10, c.batchSize());
        assertArrayEquals(new int[] {30, 60, 120, 240, 480, 512}, c.featuresPerStage());
    }

    /**
     * Prostate-like, anisotropic: spacing 3.6 x 0.62 x 0.62 (z, y, x), median 20x320x319 (z, y, x).
     * Here x, y, z: 9 cases of 319x320x20 at 0.62, 0.62, 3.6 and 2 cases of 319x320x24 at
     * 0.62, 0.62, 3.0 (the same 72 mm), 11 cases in all.
     */
    static DatasetFingerprint prostate() {
        return new SyntheticFingerprints("Prostate", List.of("T2", "ADC"), 3)
                .cases(2, shape(319, 320, 24), spacing(0.62, 0.62, 3.0))
                .cases(9, shape(319, 320, 20), spacing(0.62, 0.62, 3.6)).build();
    }

    @Test
    void prostateGetsTheAnisotropyRuleAndSliceWiseAugmentation() {
        Plans plans = planner.plan(prostate());
        PlanConfiguration c = plans.configuration("3d_fullres");
        // Median z spacing 3.6 > 3 x 0.62 and median z size 20 x 3 = 60 < 319: z gets the 10th
        // percentile of its spacings. 11 sorted values 3.0, 3.0, 3.6, ...: position 0.1 x 10 = 1,
        // the second value, 3.0.
        assertArrayEquals(new double[] {0.62, 0.62, 3.0}, c.spacing(), 1e-12);
        assertTrue(plans.notes().stream().anyMatch(n -> n.startsWith("Anisotropy rule: z")));
        // 3.0 / 0.62 = 4.8 > 3: z is resampled separately, with nearest neighbour.
        assertEquals(AxisOrder.Z, c.anisotropicAxis());
        assertEquals(0, c.outOfPlaneResamplingOrder());
        // All cases resample to 24 slices: median 319 x 320 x 24 = 2,449,920 voxels > 128^3.
        assertArrayEquals(new long[] {319, 320, 24}, c.medianShape());
        // Scale (2,097,152 / 2,449,920)^(1/3) = 0.9495: 302.9 x 303.8 x 22.8. x and y pool twice
        // alone (z is > 2x coarser: 3.0/0.62, then 3.0/1.24), then all three once (3.0/2.48 < 2),
        // then z (12 < 16) stops and x, y pool to their limit of 5: poolings 5, 5, 1, divisor
        // 32, 32, 2. Nearest multiples: 288 (9.47 x 32), 288 (9.50 x 32), 22 (11.4 x 2).
        assertArrayEquals(new long[] {288, 288, 22}, c.patchSize());
        assertArrayEquals(new int[] {5, 5, 1}, c.poolingsPerAxis());
        // Kernels 3x3x1 while z is more than 2x coarser (stages 0 and 1), then 3x3x3.
        int[][] k = c.kernelSizes();
        assertEquals(6, k.length);
        assertArrayEquals(new int[] {3, 3, 1}, k[0]);
        assertArrayEquals(new int[] {3, 3, 1}, k[1]);
        for (int s = 2; s < 6; s++) {
            assertArrayEquals(new int[] {3, 3, 3}, k[s]);
        }
        // 288 / 22 = 13 > 2: augmentation slice by slice, across z.
        assertTrue(c.augmentation2D());
        assertEquals(AxisOrder.Z, c.augmentationSliceAxis());
        // Batch: floor(4,194,304 / 1,824,768) = 2; the 5% cap, 11 x 2,449,920 x 0.05 = 1,347,456,
        // is below one patch (cap 0), but the batch never goes below 2.
        assertEquals(0, (long) Math.floor(0.05 * c.datasetVoxels() / c.patchVoxels()));
        assertEquals(2, c.batchSize());

        // Two z-scored channels; nothing was cropped, so no nonzero mask.
        assertEquals(2, c.normalization().size());
        assertEquals(ChannelNormalization.ZSCORE, c.normalization().get(1).scheme());
        assertFalse(c.normalization().get(1).useNonzeroMask());
        assertFalse(plans.has("3d_lowres"));
    }

    @Test
    void prostate2dSlicesAcrossTheCoarseAxis() {
        PlanConfiguration c = planner.plan(prostate()).configuration("2d");
        // Plane 319 x 320 pools 5 times per axis: 320 x 320. floor(2,752,512 / 102,400) = 26;
        // cap floor(1,347,456 / 102,400) = 13.
        assertEquals(AxisOrder.Z, c.sliceAxis());
        assertArrayEquals(new long[] {320, 320, 1}, c.patchSize());
        assertEquals(13, c.batchSize());
    }

    @Test
    void nonzeroMaskWhenCroppingShrankCasesByAQuarterOrMore() {
        // 240x240x155 cases whose brain box is 140x170x130: 3,094,000 / 8,928,000 = 0.35 <= 3/4.
        DatasetFingerprint brain = new SyntheticFingerprints("Brain", List.of("FLAIR", "T1c"), 5)
                .croppedCases(6, shape(240, 240, 155), shape(140, 170, 130), spacing(1, 1, 1)).build();
        for (ChannelNormalization n : planner.plan(brain).configuration("3d_fullres").normalization()) {
            assertEquals(ChannelNormalization.ZSCORE, n.scheme());
            assertTrue(n.useNonzeroMask());
        }
        // Exactly a quarter smaller (mean size ratio 0.75) still counts: 100x100x100 -> 75x100x100.
        DatasetFingerprint quarter = new SyntheticFingerprints("Quarter", List.of("MR"), 2)
                .croppedCases(3, shape(100, 100, 100), shape(75, 100, 100), spacing(1, 1, 1)).build();
        assertTrue(planner.plan(quarter).configuration("3d_fullres").normalization().get(0).useNonzeroMask());
        // The reference rule is strict (median relative size below 3/4).
        assertFalse(new ExperimentPlannerV2().plan(quarter).configuration("3d_fullres").normalization().get(0)
                .useNonzeroMask());
    }

    @Test
    void twoDimensionalDataSetPlansOnlyThe2dNetworkAndTheBatchFloorBites() {
        // 30 images of 512 x 512 x 1, like the ISBI EM set.
        DatasetFingerprint em = new SyntheticFingerprints("EM", List.of("EM"), 2)
                .cases(30, shape(512, 512, 1), spacing(1, 1, 1)).build();
        Plans plans = planner.plan(em);
        assertEquals(List.of("2d"), List.copyOf(plans.configurations().keySet()));
        PlanConfiguration c = plans.configuration("2d");
        assertEquals(AxisOrder.Z, c.sliceAxis());
        assertArrayEquals(new long[] {512, 512, 1}, c.patchSize());
        assertNull(c.anisotropicAxis());
        // floor(2,752,512 / 262,144) = 10; cap floor(0.05 x 30 x 262,144 / 262,144) = floor(1.5) = 1,
        // raised to the floor of 2.
        assertEquals(10, planner.batchSize(c.patchVoxels(), true));
        assertEquals(2, c.batchSize());
        assertTrue(plans.notes().contains("2d: batch 2, the minimum, instead of 10: 5% of the data set's 7.86e+06 "
                + "voxels holds 1 patch of 262144 voxels."), plans.notes().toString());
    }

    @Test
    void aCapBelowOnePatchIsSaidAsTheMinimumBatchNotAsCappedAtZero() {
        // One 512 x 512 image: 5% of it holds no whole patch; the batch is the minimum, 2.
        DatasetFingerprint one = new SyntheticFingerprints("One", List.of("EM"), 2)
                .cases(1, shape(512, 512, 1), spacing(1, 1, 1)).build();
        Plans plans = planner.plan(one);
        assertEquals(2, plans.configuration("2d").batchSize());
        assertTrue(plans.notes().contains("2d: batch 2, the minimum, instead of 10: 5% of the data set's 2.62e+05 "
                + "voxels holds no whole patch of 262144 voxels."), plans.notes().toString());
        assertTrue(plans.notes().stream().noneMatch(n -> n.contains("capped at 0")), plans.notes().toString());
    }

    @Test
    void capAndFloorRulesInIsolation() {
        // cap = floor(0.05 x 1,000,000 / 10,000) = 5
        assertEquals(5, planner.capBatchForDatasetSize(40, 10_000, 1_000_000));
        assertEquals(3, planner.capBatchForDatasetSize(3, 10_000, 1_000_000));
        // cap = floor(0.05 x 100,000 / 10,000) = 0 -> the floor of 2
        assertEquals(2, planner.capBatchForDatasetSize(40, 10_000, 100_000));
    }

    @Test
    void everyConfigurationKeepsItsTopologyInvariant() {
        for (DatasetFingerprint fp : List.of(hippocampus(), liver(), prostate())) {
            for (ExperimentPlanner p : List.of(new ExperimentPlanner(), new ExperimentPlannerV2())) {
                for (PlanConfiguration c : p.plan(fp).configurations().values()) {
                    String where = p.name() + " " + fp.datasetName() + " " + c.name();
                    assertTrue(c.topology().divides(c.patchSize()), where);
                    assertEquals(c.stages(), c.featuresPerStage().length, where);
                    assertTrue(c.batchSize() >= 2, where);
                }
            }
        }
    }

    @Test
    void aVariantPlannerChangesOneRule() {
        ExperimentPlanner wider = new ExperimentPlanner() {
            @Override
            protected int baseFeatures() {
                return 16;
            }
        };
        PlanConfiguration c = wider.plan(hippocampus()).configuration("3d_fullres");
        assertArrayEquals(new int[] {16, 32, 64}, c.featuresPerStage());
        assertArrayEquals(new long[] {36, 52, 36}, c.patchSize());
    }
}
