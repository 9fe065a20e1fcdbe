package io.github.nnunetfiji.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NetworkFlopsTest {

    @Test
    void countsEveryConvolutionOnce() {
        NetworkSpec s = NetworkSpec.uniform(2, 1, 2, 2, 4, 8);
        int[] shape = {8, 8};
        double v0 = 64;
        double v1 = 16;
        double expected = 2 * (v0 * 9 * 1 * 4 + v0 * 9 * 4 * 4) // encoder stage 0
                + 2 * (v1 * 9 * 4 * 8 + v1 * 9 * 8 * 8) // encoder stage 1
                + 2 * v0 * 8 * 4 // transposed convolution
                + 2 * (v0 * 9 * 8 * 4 + v0 * 9 * 4 * 4) // decoder stage 0
                + 2 * v0 * 4 * 2; // head
        assertEquals(3 * expected, NetworkFlops.forward(s, shape, 3), 1e-6);
        assertEquals(9 * expected, NetworkFlops.trainStep(s, shape, 3), 1e-6);
    }

    @Test
    void countsTheExtraConvolutionsOfDeeperStages() {
        NetworkSpec two = NetworkSpec.uniform(2, 1, 2, 2, 4, 8);
        NetworkSpec three = two.toBuilder().convolutionsPerStage(3).build();
        int[] shape = {8, 8};
        // One more 4->4 conv per stage-0 block (encoder and decoder), one more 8->8 in stage 1.
        double extra = 2 * (64 * 9 * 4 * 4) * 2 + 2 * (16 * 9 * 8 * 8);
        assertEquals(NetworkFlops.forward(two, shape, 1) + extra, NetworkFlops.forward(three, shape, 1), 1e-6);
    }
}
