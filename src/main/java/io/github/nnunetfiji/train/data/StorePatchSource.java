package io.github.nnunetfiji.train.data;

import io.github.nnunetfiji.preprocess.PreprocessedCase;
import io.github.nnunetfiji.train.augment.PatchSource;

/**
 * One preprocessed case seen in sample space: sample axis d is plan axis {@code planAxis[d]}.
 * Since a 2D sample's axes are the in-plane axes in increasing order followed by the slice axis
 * (extent 1), a plan-space box read from the store is already in sample-space order.
 */
final class StorePatchSource implements PatchSource {

    private final PreprocessedCase store;
    private final int[] planAxis;
    private final int[] shape;
    private final int[] planStart = new int[3];
    private final int[] planSize = new int[3];

    StorePatchSource(PreprocessedCase store, int[] planAxis) {
        this.store = store;
        this.planAxis = planAxis;
        int[] s = store.header().shape();
        shape = new int[3];
        for (int d = 0; d < 3; d++) {
            shape[d] = s[planAxis[d]];
        }
    }

    /** Case shape in sample space. */
    int[] shape() {
        return shape.clone();
    }

    @Override
    public int channels() {
        return store.header().channels();
    }

    private void toPlan(int[] start, int[] size) {
        for (int d = 0; d < 3; d++) {
            planStart[planAxis[d]] = start[d];
            planSize[planAxis[d]] = size[d];
        }
    }

    @Override
    public void readImage(int[] start, int[] size, float[] out) {
        toPlan(start, size);
        store.readImagePatch(planStart, planSize, out);
    }

    @Override
    public void readLabels(int[] start, int[] size, byte[] out) {
        toPlan(start, size);
        store.readLabelPatch(planStart, planSize, out);
        fillOutside(out, start, size, shape, (byte) -1);
    }

    /** Sets every voxel of the box that lies outside {@code [0, shape)} to {@code value}. */
    static void fillOutside(byte[] box, int[] start, int[] size, int[] shape, byte value) {
        int x0 = Math.max(0, -start[0]);
        int x1 = Math.min(size[0], shape[0] - start[0]);
        for (int z = 0; z < size[2]; z++) {
            boolean zOut = start[2] + z < 0 || start[2] + z >= shape[2];
            for (int y = 0; y < size[1]; y++) {
                int row = size[0] * (y + size[1] * z);
                if (zOut || start[1] + y < 0 || start[1] + y >= shape[1] || x1 <= x0) {
                    java.util.Arrays.fill(box, row, row + size[0], value);
                } else {
                    java.util.Arrays.fill(box, row, row + x0, value);
                    java.util.Arrays.fill(box, row + x1, row + size[0], value);
                }
            }
        }
    }
}
