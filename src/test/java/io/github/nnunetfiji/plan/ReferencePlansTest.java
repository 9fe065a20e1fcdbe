package io.github.nnunetfiji.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.nnunetfiji.fingerprint.CaseFingerprint;
import io.github.nnunetfiji.fingerprint.DatasetFingerprint;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.testutil.TestData;

/**
 * Known answers: the reference implementation's own plans of the shared data sets
 * ({@code shared/data/reference-plans/}), against this project's fingerprint and plans computed end
 * to end from the same files. The {@code v2} planner implements the reference's current rules and
 * must agree on every printed field; the {@code paper} planner differs by design in its network
 * rules (30 features, 8-voxel feature maps, patch and batch from voxel budgets, nearest-neighbour
 * labels) and must agree on what comes from the data: configurations, spacing, median shape, slice
 * axis, normalization, Dice mode, image resampling, and ISBI's whole-plane patch and batch floor.
 */
class ReferencePlansTest {

    private static final String BRATS = "Task01_BrainTumour_DeepMedicSubset";
    private static final String ISBI = "Task100_ISBI2012EM";

    private static ReferencePlanFile reference(String dataset) throws Exception {
        return ReferencePlanFile.read(TestData.shared("reference-plans/" + dataset + ".txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {BRATS, ISBI})
    void fingerprintAgreesWithTheReference(String dataset) throws Exception {
        ReferencePlanFile ref = reference(dataset);
        DatasetFingerprint fp = SharedFingerprints.of(dataset);
        assertArrayEquals(ref.medianSpacing(), fp.medianSpacing(), 1e-6, "median spacing");
        // The reference prints its median shape after crop rounded to whole voxels (numpy: half to even).
        double[] median = fp.medianShapeAfterCrop();
        double[] rounded = new double[3];
        for (int d = 0; d < 3; d++) {
            rounded[d] = Math.rint(median[d]);
        }
        assertArrayEquals(ref.medianShapeAfterCrop(), rounded, 0, "median shape after crop " + AxisOrder.format(median));
        assertEquals(ref.medianRelativeSizeAfterCrop(), fp.medianRelativeSizeAfterCrop(), 5e-5,
                "median relative size after crop");
        List<long[]> refShapes = ref.shapesAfterCrop();
        if (!refShapes.isEmpty()) {
            List<String> ours = new ArrayList<>();
            for (CaseFingerprint c : fp.cases()) {
                ours.add(AxisOrder.format(c.shapeAfterCrop()));
            }
            // Case order is each implementation's own (file listing vs dataset.json); the shapes must match as a set.
            assertEquals(refShapes.stream().map(AxisOrder::format).sorted().toList(), ours.stream().sorted().toList(),
                    "every case's shape after crop");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {BRATS, ISBI})
    void v2PlansEqualTheReferencePlans(String dataset) throws Exception {
        ReferencePlanFile ref = reference(dataset);
        Plans plans = new ExperimentPlannerV2().plan(SharedFingerprints.of(dataset));
        assertConfigurations(ref, plans);
        for (String name : ref.configurationNames()) {
            ReferencePlanFile.Configuration r = ref.configuration(name);
            PlanConfiguration c = plans.configuration(name);
            int n = r.spacing().length; // 2 for 2D (x, y), 3 for 3D
            assertDataChoices(r, c, n);
            assertEquals(r.stages, c.stages(), name + " stages");
            assertArrayEquals(r.patch(), Arrays.copyOf(c.patchSize(), n), name + " patch");
            assertEquals(r.batch(), c.batchSize(), name + " batch");
            assertArrayEquals(r.poolings(), Arrays.copyOf(c.poolingsPerAxis(), n), name + " poolings");
            assertStages(r.strides(), c.strides(), n, name + " strides");
            assertStages(r.kernels(), c.kernelSizes(), n, name + " kernels");
            assertArrayEquals(r.features(), c.featuresPerStage(), name + " features");
            for (int convs : r.convolutionsPerStage()) {
                assertEquals(convs, c.convolutionsPerStage(), name + " convolutions per stage");
            }
            assertEquals(r.segOrder(), c.labelResamplingOrder(), name + " label resampling order");
            if (n == 2) {
                assertEquals(1, c.patchSize()[AxisOrder.Z], name + " patch along the slice axis");
                assertEquals(0, c.poolingsPerAxis()[AxisOrder.Z], name + " no pooling along the slice axis");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {BRATS, ISBI})
    void paperPlansAgreeWithTheReferenceOnWhatComesFromTheData(String dataset) throws Exception {
        ReferencePlanFile ref = reference(dataset);
        Plans plans = new ExperimentPlanner().plan(SharedFingerprints.of(dataset));
        assertConfigurations(ref, plans);
        for (String name : ref.configurationNames()) {
            ReferencePlanFile.Configuration r = ref.configuration(name);
            assertDataChoices(r, plans.configuration(name), r.spacing().length);
        }
        if (dataset.equals(ISBI)) {
            // The whole 512 x 512 plane fits either budget, and 5% of 30 planes holds fewer than 2.
            PlanConfiguration c = plans.configuration("2d");
            ReferencePlanFile.Configuration r = ref.configuration("2d");
            assertArrayEquals(r.patch(), Arrays.copyOf(c.patchSize(), 2));
            assertEquals(r.batch(), c.batchSize());
        }
    }

    private static void assertConfigurations(ReferencePlanFile ref, Plans plans) {
        List<String> ours = new ArrayList<>(plans.configurations().keySet());
        assertEquals(ref.configurationNames(), ours, "configurations");
        assertEquals(ref.cascade(), plans.has(PlanConfiguration.CONFIG_3D_LOWRES), "cascade");
    }

    /** What both planners take from the data alone. */
    private static void assertDataChoices(ReferencePlanFile.Configuration r, PlanConfiguration c, int n) {
        String name = r.name;
        assertEquals(n, c.dimensions(), name + " dimensions");
        if (n == 2) {
            // The reference slices its first (z) axis.
            assertEquals(AxisOrder.Z, c.sliceAxis(), name + " slice axis");
        }
        assertArrayEquals(r.spacing(), Arrays.copyOf(c.spacing(), n), 1e-6, name + " spacing");
        double[] median = r.medianShape();
        long[] roundedMedian = new long[n];
        for (int d = 0; d < n; d++) {
            roundedMedian[d] = Math.round(median[d]);
        }
        assertArrayEquals(roundedMedian, Arrays.copyOf(c.medianShape(), n), name + " median shape");
        assertEquals(r.batchDice(), c.batchDice(), name + " batch Dice");
        List<String> schemes = new ArrayList<>();
        List<Boolean> masks = new ArrayList<>();
        for (ChannelNormalization cn : c.normalization()) {
            schemes.add(cn.scheme().equals(ChannelNormalization.CT) ? "CTNormalization" : "ZScoreNormalization");
            masks.add(cn.useNonzeroMask());
        }
        assertEquals(r.normalizationSchemes(), schemes, name + " normalization");
        assertEquals(r.useMaskForNorm(), masks, name + " normalization inside the nonzero mask");
        assertEquals(r.dataOrder(), c.imageResamplingOrder(), name + " image resampling order");
        assertEquals(r.dataOrderZ(), c.outOfPlaneResamplingOrder(), name + " out-of-plane resampling order");
        assertFalse(c.previousStage() != null || c.nextStage() != null, name + " is not a cascade stage");
    }

    /** Per-stage arrays: the reference's (already x, y[, z]) against the first {@code n} axes of ours. */
    private static void assertStages(int[][] ref, int[][] ours, int n, String what) {
        assertEquals(ref.length, ours.length, what + ": stages");
        for (int s = 0; s < ref.length; s++) {
            assertArrayEquals(ref[s], Arrays.copyOf(ours[s], n), what + " at stage " + s);
            for (int d = n; d < 3; d++) {
                assertEquals(1, ours[s][d], what + " at stage " + s + " along the slice axis");
            }
        }
    }
}
