package io.github.nnunetfiji.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;
import io.github.nnunetfiji.plan.ChannelNormalization;
import io.github.nnunetfiji.plan.NetworkTopology;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.Plans;

/** Small hand-made plans (a 3D and a 2D configuration) for prediction tests. */
public final class TinyPlans {

    private TinyPlans() {
    }

    /**
     * @param channels channels, each z-scored inside the nonzero mask
     * @param classes  classes, background included
     */
    public static Plans make(int channels, int classes) {
        List<String> names = new ArrayList<>();
        List<ChannelIntensityStatistics> stats = new ArrayList<>();
        List<ChannelNormalization> norm = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            names.add("ch" + c);
            stats.add(ChannelIntensityStatistics.ofSample(c, "ch" + c, new float[] {1, 2, 3}, 3));
            norm.add(new ChannelNormalization(c, "ch" + c, ChannelNormalization.ZSCORE, true));
        }
        TreeMap<Integer, String> labels = new TreeMap<>();
        for (int k = 0; k < classes; k++) {
            labels.put(k, k == 0 ? "background" : "class" + k);
        }
        Plans p = new Plans("Tiny", "paper", names, labels, new double[] {1, 1, 2}, new double[] {40, 40, 20}, stats);
        PlanConfiguration.Builder c3 = PlanConfiguration.builder(PlanConfiguration.CONFIG_3D_FULLRES);
        c3.dataIdentifier("tiny_3d");
        c3.dimensions(3);
        c3.spacing(new double[] {1, 1, 2});
        c3.medianShape(new long[] {40, 40, 20});
        c3.patchSize(new long[] {16, 16, 8});
        c3.batchSize(2);
        c3.topology(new NetworkTopology(new int[] {2, 2, 1},
                new int[][] {{1, 1, 1}, {2, 2, 1}, {2, 2, 2}}, new int[][] {{3, 3, 1}, {3, 3, 3}, {3, 3, 3}}));
        c3.features(4, 16, new int[] {4, 8, 16});
        c3.convolutionsPerStage(2);
        c3.normalization(norm);
        c3.resampling(3, 1, 0, 3);
        c3.numEpochs(1);
        c3.iterationsPerEpoch(2);
        p = p.withConfiguration(c3.build());
        PlanConfiguration.Builder c2 = PlanConfiguration.builder(PlanConfiguration.CONFIG_2D);
        c2.dataIdentifier("tiny_2d");
        c2.dimensions(2);
        c2.sliceAxis(2);
        c2.spacing(new double[] {1, 1, 2});
        c2.medianShape(new long[] {40, 40, 20});
        c2.patchSize(new long[] {32, 16, 1});
        c2.batchSize(4);
        c2.topology(new NetworkTopology(new int[] {2, 2, 0},
                new int[][] {{1, 1, 1}, {2, 2, 1}, {2, 2, 1}}, new int[][] {{3, 3, 1}, {3, 3, 1}, {3, 3, 1}}));
        c2.features(4, 16, new int[] {4, 8, 16});
        c2.convolutionsPerStage(2);
        c2.normalization(norm);
        c2.resampling(3, 1, 0, 3);
        c2.augmentation(true, 2);
        c2.numEpochs(1);
        c2.iterationsPerEpoch(2);
        p = p.withConfiguration(c2.build());
        return p;
    }
}
