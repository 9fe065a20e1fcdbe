package io.github.nnunetfiji.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;

/**
 * Both shared real data sets fingerprint and plan without error with every planner (skipped where
 * {@code nnunet.shared.data} does not hold them, failed instead under {@code CI=true}). The plan
 * tables are printed. Agreement with the reference's own plans is {@link ReferencePlansTest}'s.
 */
class SharedDataPlanningTest {

    private DatasetFingerprint fingerprint(String name) throws Exception {
        return SharedFingerprints.of(name);
    }

    @Test
    void brainTumourSubset() throws Exception {
        DatasetFingerprint fp = fingerprint("Task01_BrainTumour_DeepMedicSubset");
        System.out.print(io.github.nnunetfiji.pipeline.FingerprintStage.describe(fp));
        assertEquals(6, fp.numberOfCases());
        assertArrayEquals(new double[] {240, 240, 155}, fp.medianShape(), 0);
        // Skull-stripped: cropping to the brain leaves about a third of each case.
        assertTrue(fp.meanSizeRatioAfterCrop() < 0.5, "" + fp.meanSizeRatioAfterCrop());
        for (String name : Planners.builtInNames()) {
            Plans plans = Planners.create(name).plan(fp);
            System.out.print(PlansSummary.format(plans));
            assertEquals(List.of("2d", "3d_fullres"), List.copyOf(plans.configurations().keySet()));
            PlanConfiguration c = plans.configuration("3d_fullres");
            assertTrue(c.patchVoxels() <= 128L * 128 * 128, name);
            assertEquals(2, c.batchSize(), name);
            assertFalse(c.batchDice(), name);
            for (ChannelNormalization n : c.normalization()) {
                assertEquals(ChannelNormalization.ZSCORE, n.scheme());
                assertTrue(n.useNonzeroMask(), name);
            }
        }
        // The network the engine builds from the paper plan: 2 channels, 5 labels, per-sample Dice,
        // three poolings per axis, the planned patch divisible by 8.
        Plans paper = Planners.create("paper").plan(fp);
        PlanConfiguration c = paper.configuration("3d_fullres");
        NetworkSpec net = new PlanNetworkAdapter().spec(paper, "3d_fullres");
        assertEquals(2, net.inputChannels());
        assertEquals(5, net.classes());
        assertFalse(net.loss().batchDice());
        assertArrayEquals(new int[] {30, 60, 120, 240}, net.features());
        assertArrayEquals(new int[] {8, 8, 8}, net.sizeDivisor());
        assertArrayEquals(new int[] {120, 144, 120}, PlanNetworkAdapter.networkPatch(c));
        net.checkPatchShape(PlanNetworkAdapter.networkPatch(c));
    }

    @Test
    void isbiEm() throws Exception {
        DatasetFingerprint fp = fingerprint("Task100_ISBI2012EM");
        System.out.print(io.github.nnunetfiji.pipeline.FingerprintStage.describe(fp));
        assertTrue(fp.isTwoDimensional());
        assertEquals(30, fp.numberOfCases());
        for (String name : Planners.builtInNames()) {
            Plans plans = Planners.create(name).plan(fp);
            System.out.print(PlansSummary.format(plans));
            assertEquals(List.of("2d"), List.copyOf(plans.configurations().keySet()));
            PlanConfiguration c = plans.configuration("2d");
            assertArrayEquals(new long[] {512, 512, 1}, c.patchSize(), name);
            // 5% of 30 x 512^2 voxels holds 1.5 patches: the batch floor of 2 bites.
            assertEquals(2, c.batchSize(), name);
            assertFalse(c.normalization().get(0).useNonzeroMask());
        }
    }
}
