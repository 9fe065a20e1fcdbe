package io.github.nnunetfiji.preprocess;

import java.util.Arrays;

/**
 * The nonzero region of a case: the voxels where any channel is nonzero, with enclosed holes
 * filled (so dark structures inside the body stay inside), and its bounding box. Cropping to the
 * box removes empty background; the mask decides where masked z-scoring applies. Volumes are flat
 * arrays in {@link io.github.nnunetfiji.image.AxisOrder}.
 */
public final class NonzeroRegion {

    private final int[] shape;
    private final boolean[] mask;
    private final int[] min;
    private final int[] maxExclusive;

    private NonzeroRegion(int[] shape, boolean[] mask, int[] min, int[] maxExclusive) {
        this.shape = shape;
        this.mask = mask;
        this.min = min;
        this.maxExclusive = maxExclusive;
    }

    /**
     * Finds the nonzero region of the given channels (all of {@code shape}). An image with no
     * nonzero voxel keeps its whole extent, so nothing is cropped away.
     */
    public static NonzeroRegion of(float[][] channels, int[] shape) {
        int n = shape[0] * shape[1] * shape[2];
        boolean[] mask = new boolean[n];
        for (float[] ch : channels) {
            for (int i = 0; i < n; i++) {
                if (ch[i] != 0) {
                    mask[i] = true;
                }
            }
        }
        fillHoles(mask, shape);
        int[] min = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] max = {-1, -1, -1};
        int i = 0;
        for (int z = 0; z < shape[2]; z++) {
            for (int y = 0; y < shape[1]; y++) {
                for (int x = 0; x < shape[0]; x++, i++) {
                    if (mask[i]) {
                        min[0] = Math.min(min[0], x);
                        max[0] = Math.max(max[0], x);
                        min[1] = Math.min(min[1], y);
                        max[1] = Math.max(max[1], y);
                        min[2] = Math.min(min[2], z);
                        max[2] = Math.max(max[2], z);
                    }
                }
            }
        }
        if (max[0] < 0) {
            return new NonzeroRegion(shape.clone(), mask, new int[3], shape.clone());
        }
        return new NonzeroRegion(shape.clone(), mask, min, new int[] {max[0] + 1, max[1] + 1, max[2] + 1});
    }

    /**
     * Fills enclosed holes: background voxels not connected (6-neighbourhood) to the volume's
     * border become foreground, as {@code scipy.ndimage.binary_fill_holes} does.
     */
    static void fillHoles(boolean[] mask, int[] s) {
        int n = mask.length;
        boolean[] outside = new boolean[n];
        IntQueue queue = new IntQueue();
        int sx = s[0];
        int sxy = s[0] * s[1];
        for (int z = 0; z < s[2]; z++) {
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++) {
                    boolean border = x == 0 || y == 0 || z == 0 || x == s[0] - 1 || y == s[1] - 1 || z == s[2] - 1;
                    int i = x + sx * y + sxy * z;
                    if (border && !mask[i] && !outside[i]) {
                        outside[i] = true;
                        queue.add(i);
                    }
                }
            }
        }
        while (!queue.isEmpty()) {
            int i = queue.poll();
            int x = i % sx;
            int y = (i / sx) % s[1];
            int z = i / sxy;
            if (x > 0) {
                visit(mask, outside, queue, i - 1);
            }
            if (x < s[0] - 1) {
                visit(mask, outside, queue, i + 1);
            }
            if (y > 0) {
                visit(mask, outside, queue, i - sx);
            }
            if (y < s[1] - 1) {
                visit(mask, outside, queue, i + sx);
            }
            if (z > 0) {
                visit(mask, outside, queue, i - sxy);
            }
            if (z < s[2] - 1) {
                visit(mask, outside, queue, i + sxy);
            }
        }
        for (int i = 0; i < n; i++) {
            mask[i] = !outside[i];
        }
    }

    private static void visit(boolean[] mask, boolean[] outside, IntQueue queue, int j) {
        if (!mask[j] && !outside[j]) {
            outside[j] = true;
            queue.add(j);
        }
    }

    /** A growing ring buffer of ints: a flood fill's queue holds its front, far fewer than all voxels. */
    private static final class IntQueue {
        /** Capacity is a power of two, so wrapping is a mask, not a division. */
        private int[] items = new int[1 << 16];
        private int head;
        private int size;

        void add(int v) {
            if (size == items.length) {
                int[] bigger = new int[items.length * 2];
                int mask = items.length - 1;
                for (int k = 0; k < size; k++) {
                    bigger[k] = items[(head + k) & mask];
                }
                items = bigger;
                head = 0;
            }
            items[(head + size) & (items.length - 1)] = v;
            size++;
        }

        int poll() {
            int v = items[head];
            head = (head + 1) & (items.length - 1);
            size--;
            return v;
        }

        boolean isEmpty() {
            return size == 0;
        }
    }

    /** First voxel of the bounding box per axis. */
    public int[] min() {
        return min.clone();
    }

    /** One past the last voxel of the bounding box per axis. */
    public int[] maxExclusive() {
        return maxExclusive.clone();
    }

    /** Size of the bounding box per axis. */
    public int[] croppedShape() {
        return new int[] {maxExclusive[0] - min[0], maxExclusive[1] - min[1], maxExclusive[2] - min[2]};
    }

    /** The mask over the whole (uncropped) volume. */
    public boolean[] mask() {
        return mask;
    }

    /** Copies the bounding box out of a volume of the full shape. */
    public float[] crop(float[] volume) {
        float[] out = new float[boxVoxels()];
        copyBox(volume, out);
        return out;
    }

    /** Copies the bounding box out of a mask of the full shape. */
    public boolean[] crop(boolean[] volume) {
        boolean[] out = new boolean[boxVoxels()];
        copyBox(volume, out);
        return out;
    }

    /** Copies the bounding box out of a label volume of the full shape. */
    public byte[] crop(byte[] volume) {
        byte[] out = new byte[boxVoxels()];
        copyBox(volume, out);
        return out;
    }

    private int boxVoxels() {
        int[] c = croppedShape();
        return c[0] * c[1] * c[2];
    }

    /** Row by row copy of the box; works for any primitive array type. */
    private void copyBox(Object src, Object dst) {
        int[] c = croppedShape();
        for (int z = 0; z < c[2]; z++) {
            for (int y = 0; y < c[1]; y++) {
                System.arraycopy(src, min[0] + shape[0] * ((min[1] + y) + shape[1] * (min[2] + z)), dst,
                        c[0] * (y + c[1] * z), c[0]);
            }
        }
    }

    /**
     * Puts a cropped volume back into the full shape, filling the rest with {@code background}:
     * the inverse of {@link #crop(float[])}, used to return predictions in the original geometry.
     */
    public static float[] uncrop(float[] cropped, int[] min, int[] croppedShape, int[] fullShape, float background) {
        float[] out = new float[fullShape[0] * fullShape[1] * fullShape[2]];
        if (background != 0) {
            Arrays.fill(out, background);
        }
        for (int z = 0; z < croppedShape[2]; z++) {
            for (int y = 0; y < croppedShape[1]; y++) {
                System.arraycopy(cropped, croppedShape[0] * (y + croppedShape[1] * z), out,
                        min[0] + fullShape[0] * ((min[1] + y) + fullShape[1] * (min[2] + z)), croppedShape[0]);
            }
        }
        return out;
    }
}
