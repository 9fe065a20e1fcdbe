package io.github.nnunetfiji.plan;

import static io.github.nnunetfiji.plan.SyntheticFingerprints.shape;
import static io.github.nnunetfiji.plan.SyntheticFingerprints.spacing;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.TensorLayout;
import io.github.nnunetfiji.image.AxisOrder;

/**
 * The plan-to-network adapter on planner output: prostate-like anisotropic data (3x3x1 kernels,
 * x/y pooled more than z), 2D configurations cut across z and across x, the cascade's extra
 * channels, the ignore label, and a network built from the plan that runs.
 */
class PlanNetworkAdapterTest {

    private final PlanNetworkAdapter adapter = new PlanNetworkAdapter();

    /** Prostate-like (x, y, z): 319x320x20 at 0.62 x 0.62 x 3.6 mm, two channels, three labels. */
    private static Plans prostate() {
        return new ExperimentPlanner().plan(new SyntheticFingerprints("Prostate", List.of("T2", "ADC"), 3)
                .cases(2, shape(319, 320, 24), spacing(0.62, 0.62, 3.0))
                .cases(9, shape(319, 320, 20), spacing(0.62, 0.62, 3.6)).build());
    }

    @Test
    void fullResolution3dTakesEveryPerAxisRuleFromThePlan() {
        Plans plans = prostate();
        PlanConfiguration c = plans.configuration(PlanConfiguration.CONFIG_3D_FULLRES);
        NetworkSpec s = adapter.spec(plans, PlanConfiguration.CONFIG_3D_FULLRES);
        assertEquals(3, s.dims());
        assertEquals(2, s.inputChannels());
        assertEquals(3, s.classes());
        assertEquals(-1, s.loss().ignoreLabel());
        assertArrayEquals(c.featuresPerStage(), s.features());
        assertEquals(c.stages(), s.stages());
        assertArrayEquals(new int[] {3, 3, 1}, s.kernelSize(0));
        assertArrayEquals(new int[] {3, 3, 3}, s.kernelSize(s.stages() - 1));
        for (int stage = 1; stage < c.stages(); stage++) {
            assertArrayEquals(c.strides()[stage], s.poolStride(stage - 1));
        }
        // Poolings 5, 5, 1: the patch 288x288x22 must be divisible by 32, 32, 2.
        assertArrayEquals(new int[] {32, 32, 2}, s.sizeDivisor());
        assertArrayEquals(new int[] {288, 288, 22}, PlanNetworkAdapter.networkPatch(c));
        s.checkPatchShape(PlanNetworkAdapter.networkPatch(c));
        assertEquals(c.batchDice(), s.loss().batchDice());
        assertFalse(s.loss().diceIncludesBackground(), "the reference's Dice leaves out the background");
        assertEquals(c.convolutionsPerStage(), s.convolutionsPerStage());
        assertTrue(s.deepSupervision());
        // Reference schedule: 0.01 * (1 - epoch / epochs)^0.9, constant within an epoch.
        long perEpoch = c.iterationsPerEpoch();
        assertEquals((long) c.numEpochs() * perEpoch, s.optimizer().decaySteps());
        assertEquals(0.01, s.optimizer().learningRateAt(perEpoch - 1), 1e-15);
        double epoch1 = 0.01 * Math.pow(1 - 1.0 / c.numEpochs(), 0.9);
        assertEquals(epoch1, s.optimizer().learningRateAt(perEpoch), 1e-15);
        assertEquals(epoch1, s.optimizer().learningRateAt(2 * perEpoch - 1), 1e-15);
    }

    @Test
    void twoDimensionalNetworkUsesTheInPlaneAxes() {
        Plans plans = prostate();
        PlanConfiguration c = plans.configuration(PlanConfiguration.CONFIG_2D);
        assertEquals(AxisOrder.Z, c.sliceAxis());
        NetworkSpec s = adapter.spec(plans, PlanConfiguration.CONFIG_2D);
        assertEquals(2, s.dims());
        assertArrayEquals(new int[] {0, 1}, PlanNetworkAdapter.networkAxes(c));
        assertArrayEquals(new int[] {320, 320}, PlanNetworkAdapter.networkPatch(c));
        for (int[] k : s.kernelSizes()) {
            assertArrayEquals(new int[] {3, 3}, k);
        }
        for (int[] stride : s.poolStrides()) {
            assertArrayEquals(new int[] {2, 2}, stride);
        }
        s.checkPatchShape(PlanNetworkAdapter.networkPatch(c));
    }

    @Test
    void slicesAcrossXGiveYzNetworks() {
        // The coarse axis is x here, so 2D slices are y-z planes and the 3D kernels are 1x3x3.
        Plans plans = new ExperimentPlanner().plan(new SyntheticFingerprints("ProstateX", List.of("T2"), 2)
                .cases(9, shape(20, 319, 320), spacing(3.6, 0.62, 0.62)).build());
        PlanConfiguration c2d = plans.configuration(PlanConfiguration.CONFIG_2D);
        assertEquals(AxisOrder.X, c2d.sliceAxis());
        assertArrayEquals(new int[] {1, 2}, PlanNetworkAdapter.networkAxes(c2d));
        long[] planned = c2d.patchSize();
        assertArrayEquals(new int[] {(int) planned[1], (int) planned[2]}, PlanNetworkAdapter.networkPatch(c2d));
        NetworkSpec s3d = adapter.spec(plans, PlanConfiguration.CONFIG_3D_FULLRES);
        assertArrayEquals(new int[] {1, 3, 3}, s3d.kernelSize(0));
    }

    @Test
    void cascadeSecondStageSeesOneHotForegroundOfStageOne() {
        Plans plans = prostate();
        plans = plans.withConfiguration(plans.configuration(PlanConfiguration.CONFIG_3D_FULLRES)
                .toBuilder(PlanConfiguration.CONFIG_3D_CASCADE_FULLRES)
                .previousStage(PlanConfiguration.CONFIG_3D_LOWRES).build());
        // 2 image channels + 2 foreground classes.
        assertEquals(4, adapter.spec(plans, PlanConfiguration.CONFIG_3D_CASCADE_FULLRES).inputChannels());
    }

    @Test
    void labelNamedIgnoreBecomesTheLossIgnoreLabel() {
        Plans plans = relabelled(prostate(), "background", "gland", "ignore");
        NetworkSpec s = adapter.spec(plans, PlanConfiguration.CONFIG_3D_FULLRES);
        assertEquals(2, s.classes());
        assertEquals(2, s.loss().ignoreLabel());
    }

    @Test
    void badLabelsAreRefusedWithTheFix() {
        Plans ignoreNotLast = relabelled(prostate(), "background", "ignore", "gland");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adapter.spec(ignoreNotLast, PlanConfiguration.CONFIG_3D_FULLRES));
        assertTrue(e.getMessage().contains("highest value"), e.getMessage());

        TreeMap<Integer, String> gap = new TreeMap<>();
        gap.put(0, "background");
        gap.put(2, "tumour");
        Plans withGap = withLabels(prostate(), gap);
        e = assertThrows(IllegalArgumentException.class,
                () -> adapter.spec(withGap, PlanConfiguration.CONFIG_3D_FULLRES));
        assertTrue(e.getMessage().contains("1 is missing") && e.getMessage().contains("renumber"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> adapter.spec(prostate(), "3d_lowres"));
        assertTrue(e.getMessage().contains("3d_lowres"), e.getMessage());
    }

    /** The adapter's spec must build and run: class probabilities at the plan's divisor shape. */
    @Test
    void networkBuiltFromThePlanPredictsProbabilities() {
        Plans plans = prostate();
        NetworkSpec s = adapter.spec(plans, PlanConfiguration.CONFIG_3D_FULLRES);
        // The plan's features (32 .. 320) at a small patch keep this quick; the topology is the plan's.
        int[] patch = s.sizeDivisor();
        float[] images = new float[(int) (TensorLayout.voxels(patch) * s.inputChannels())];
        Random r = new Random(3);
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) r.nextGaussian();
        }
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(2)); Network net = engine.create(s)) {
            float[] p = net.predict(Batch.images(1, patch, s.inputChannels(), images));
            assertEquals(TensorLayout.voxels(patch) * s.classes(), p.length);
            for (int v = 0; v < TensorLayout.voxels(patch); v++) {
                double sum = 0;
                for (int k = 0; k < s.classes(); k++) {
                    sum += p[v * s.classes() + k];
                }
                assertEquals(1, sum, 1e-4);
            }
        }
    }

    private static Plans relabelled(Plans plans, String... names) {
        TreeMap<Integer, String> labels = new TreeMap<>();
        for (int v = 0; v < names.length; v++) {
            labels.put(v, names[v]);
        }
        return withLabels(plans, labels);
    }

    private static Plans withLabels(Plans plans, TreeMap<Integer, String> labels) {
        Plans p = new Plans(plans.datasetName(), plans.planner(), plans.channelNames(), labels,
                plans.originalMedianSpacing(), plans.originalMedianShapeAfterCrop(), plans.foregroundIntensity());
        for (PlanConfiguration c : plans.configurations().values()) {
            p = p.withConfiguration(c);
        }
        return p;
    }
}
