package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.LossSpec;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.SphereData;

/**
 * The graph's loss against METHOD.md's formula computed here in plain Java from the network's own
 * probabilities: cross-entropy plus -(1/|K|) sum_k (2 sum u v + s) / (sum u + sum v + s), per
 * sample or over the batch, with or without background, with or without an ignored label.
 */
class LossReferenceTest {

    static TfEngine engine;

    @BeforeAll
    static void start() {
        engine = new TfEngine(EngineOptions.cpu(2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static double referenceLoss(float[] p, byte[] labels, int n, int classes, LossSpec ls) {
        int voxels = labels.length / n;
        double ceSum = 0;
        long counted = 0;
        int firstClass = ls.diceIncludesBackground() ? 0 : 1;
        double diceSum = 0;
        int diceTerms = 0;
        int groups = ls.batchDice() ? 1 : n;
        for (int g = 0; g < groups; g++) {
            double[] inter = new double[classes];
            double[] sumU = new double[classes];
            double[] sumV = new double[classes];
            int from = ls.batchDice() ? 0 : g;
            int to = ls.batchDice() ? n : g + 1;
            for (int s = from; s < to; s++) {
                for (int v = 0; v < voxels; v++) {
                    int i = s * voxels + v;
                    int label = labels[i] & 0xFF;
                    if (label == ls.ignoreLabel()) {
                        continue;
                    }
                    for (int k = 0; k < classes; k++) {
                        double u = p[i * classes + k];
                        sumU[k] += u;
                        if (k == label) {
                            inter[k] += u;
                            sumV[k] += 1;
                        }
                    }
                }
            }
            for (int k = firstClass; k < classes; k++) {
                diceSum += (2 * inter[k] + ls.diceSmooth()) / (sumU[k] + sumV[k] + ls.diceSmooth());
                diceTerms++;
            }
        }
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xFF;
            if (label != ls.ignoreLabel()) {
                ceSum -= Math.log(p[i * classes + label]);
                counted++;
            }
        }
        return ceSum / counted - diceSum / diceTerms;
    }

    private static void check(boolean batchDice, boolean background, boolean ignore) {
        int[] shape = {16, 8, 8};
        NetworkSpec.Builder specBuilder = NetworkSpec.uniformBuilder(3, 1, 3, 2, 4, 8);
        specBuilder.loss(LossSpec.defaults().withBatchDice(batchDice).withDiceIncludesBackground(background)
                .withIgnoreLabel(ignore ? 3 : -1));
        NetworkSpec spec = specBuilder.build();
        Batch b = new SphereData(shape, 3, 0.5).batch(2);
        Random r = new Random(5);
        byte[] labels = b.labels();
        for (int i = 0; i < labels.length; i++) {
            if (r.nextInt(10) == 0) {
                labels[i] = 2;
            } else if (ignore && r.nextInt(8) == 0) {
                labels[i] = 3;
            }
        }
        try (Network net = engine.create(spec)) {
            float[] p = net.predict(Batch.images(2, shape, 1, b.images()));
            double expected = referenceLoss(p, labels, 2, 3, spec.loss());
            assertEquals(expected, net.loss(b), 2e-5 * (1 + Math.abs(expected)),
                    "batchDice " + batchDice + " background " + background + " ignore " + ignore);
        }
    }

    @Test
    void lossFollowsTheFormula() {
        for (boolean batchDice : new boolean[] {true, false}) {
            for (boolean background : new boolean[] {true, false}) {
                for (boolean ignore : new boolean[] {false, true}) {
                    check(batchDice, background, ignore);
                }
            }
        }
    }
}
