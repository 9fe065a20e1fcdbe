package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class LossWeightsTest {

    /** The reference: 1/2^i over all decoder outputs, the lowest one 0, normalized (5 stages: 4 outputs). */
    @Test
    void deepSupervisionWeightsMatchTheReference() {
        double[] reference = {1, 0.5, 0.25, 0};
        double sum = 1.75;
        double[] expected = {reference[0] / sum, reference[1] / sum, reference[2] / sum};
        assertArrayEquals(expected, LossBuilder.levelWeights(3), 1e-12);
        assertArrayEquals(new double[] {1}, LossBuilder.levelWeights(1), 0);
    }
}
