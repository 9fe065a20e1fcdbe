package io.github.nnunetfiji.plan;

/**
 * The patch, network depth, features and batch a planner chose for one configuration.
 *
 * @param patch    patch edge per axis ({@code x, y, z}); 1 along the slice axis of a 2D network
 * @param topology poolings, strides and kernels for that patch
 * @param features feature maps per stage
 * @param batch    patches per optimizer step
 * @param uncappedBatch the batch before the cap on voxels per step (equal to {@code batch} if it did not bite)
 */
public record PatchPlan(long[] patch, NetworkTopology topology, int[] features, int batch, int uncappedBatch) {

    public PatchPlan {
        patch = patch.clone();
        features = features.clone();
    }

    @Override
    public long[] patch() {
        return patch.clone();
    }

    @Override
    public int[] features() {
        return features.clone();
    }

    /** Voxels of one patch. */
    public long patchVoxels() {
        return patch[0] * patch[1] * patch[2];
    }
}
