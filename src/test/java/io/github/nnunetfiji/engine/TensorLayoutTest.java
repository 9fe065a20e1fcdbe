package io.github.nnunetfiji.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TensorLayoutTest {

    @Test
    void xVariesFastestAfterTheChannels() {
        int[] shape = {4, 3, 2};
        assertEquals(0, TensorLayout.index(shape, 2, 0, new int[] {0, 0, 0}, 0));
        assertEquals(1, TensorLayout.index(shape, 2, 0, new int[] {0, 0, 0}, 1));
        assertEquals(2, TensorLayout.index(shape, 2, 0, new int[] {1, 0, 0}, 0));
        assertEquals(8, TensorLayout.index(shape, 2, 0, new int[] {0, 1, 0}, 0));
        assertEquals(24, TensorLayout.index(shape, 2, 0, new int[] {0, 0, 1}, 0));
        assertEquals(48, TensorLayout.index(shape, 2, 1, new int[] {0, 0, 0}, 0));
    }

    @Test
    void tensorFlowSeesZyx() {
        assertArrayEquals(new long[] {2, 3, 4}, TensorLayout.toTensorOrder(new int[] {4, 3, 2}));
        assertArrayEquals(new long[] {5, 2, 3, 4, 7}, TensorLayout.tensorShape(5, new int[] {4, 3, 2}, 7));
        assertArrayEquals(new long[] {5, 3, 4, 1}, TensorLayout.tensorShape(5, new int[] {4, 3}, 1));
    }

    @Test
    void batchChecksItsArrays() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Batch(2, new int[] {4, 4}, 1, new float[31], null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Batch(2, new int[] {4, 4}, 1, new float[32], new byte[31]));
        assertEquals(16, new Batch(2, new int[] {4, 4}, 1, new float[32], new byte[32]).voxelsPerSample());
    }
}
