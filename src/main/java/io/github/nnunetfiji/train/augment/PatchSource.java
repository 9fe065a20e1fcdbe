package io.github.nnunetfiji.train.augment;

/**
 * Boxes of one case, read on demand (from the memory-mapped store), in the sample's three axes,
 * the first fastest. Boxes may reach outside the case: images read 0 there, labels -1.
 */
public interface PatchSource {

    /** Image channels. */
    int channels();

    /**
     * @param start first voxel per axis (may be negative)
     * @param size  voxels per axis
     * @param out   at least {@code channels * size[0] * size[1] * size[2]} values, channel after channel
     */
    void readImage(int[] start, int[] size, float[] out);

    /** Labels of the box, -1 outside the case; {@code out} holds at least the box's voxels. */
    void readLabels(int[] start, int[] size, byte[] out);
}
