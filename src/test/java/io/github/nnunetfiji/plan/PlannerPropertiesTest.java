package io.github.nnunetfiji.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.fingerprint.DatasetFingerprint;

/** Both planners on many random data sets, from tiny to huge and from isotropic to very anisotropic. */
class PlannerPropertiesTest {

    @Test
    void everyPlanKeepsTheRulesInvariants() {
        Random r = new Random(11);
        for (int trial = 0; trial < 150; trial++) {
            boolean flat = r.nextInt(5) == 0;
            SyntheticFingerprints b = new SyntheticFingerprints("Random" + trial,
                    r.nextBoolean() ? List.of("CT") : List.of("T1", "T2"), 2 + r.nextInt(4));
            int groups = 1 + r.nextInt(3);
            for (int g = 0; g < groups; g++) {
                long[] shape = {4 + r.nextInt(600), 4 + r.nextInt(600), flat ? 1 : 1 + r.nextInt(400)};
                double[] spacing = {0.2 + 2 * r.nextDouble(), 0.2 + 2 * r.nextDouble(),
                        flat ? 1 : 0.2 + 8 * r.nextDouble()};
                b.cases(1 + r.nextInt(40), shape, spacing);
            }
            DatasetFingerprint fp = b.build();
            for (ExperimentPlanner p : List.of(new ExperimentPlanner(), new ExperimentPlannerV2())) {
                Plans plans = p.plan(fp);
                String where = "trial " + trial + " " + p.name();
                assertTrue(plans.has("2d"), where);
                assertEquals(!fp.isTwoDimensional(), plans.has("3d_fullres"), where);
                assertEquals(plans.has("3d_lowres"), plans.has("3d_cascade_fullres"), where);
                for (PlanConfiguration c : plans.configurations().values()) {
                    String w = where + " " + c.name() + " patch " + java.util.Arrays.toString(c.patchSize());
                    assertTrue(c.topology().divides(c.patchSize()), w);
                    assertTrue(c.batchSize() >= 2, w);
                    int[] pools = c.poolingsPerAxis();
                    for (int d = 0; d < 3; d++) {
                        assertTrue(pools[d] <= p.maxPoolingsPerAxis(), w);
                        // Never pooled below the smallest feature map edge.
                        assertTrue(c.patchSize()[d] >> pools[d] >= Math.min(c.patchSize()[d], p.minFeatureMapEdge())
                                || pools[d] == 0, w);
                    }
                    if (c.is2D()) {
                        assertEquals(1, c.patchSize()[c.sliceAxis()], w);
                    } else if (p.getClass() == ExperimentPlanner.class) {
                        assertTrue(c.patchVoxels() <= 128L * 128 * 128, w);
                    }
                }
            }
        }
    }
}
