package io.github.nnunetfiji.bioimageio;

import java.util.ArrayList;
import java.util.List;

import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.FlatArrays;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;

/**
 * One patch of an image as the exported model takes it: the plan's patch from the image's centre
 * (for 2D the middle slice across the slice axis), raw intensities, channels first:
 * {@code [1, C, (Z,) Y, X]} with the network's axes slowest first. This project keeps axis x
 * fastest and names it first ({@link AxisOrder}); the bioimage.io format lists axes slowest first,
 * so the network axis {@code i} of {@code d} is the format's spatial axis {@code d - 1 - i}.
 *
 * @param shape        {@code [1, C, spatial edges slowest first]}
 * @param values       row-major values
 * @param spatialAxes  the spatial axes' names slowest first ({@code z, y, x}; 2D the two in-plane ones)
 * @param networkAxes  the image axes the network sees, in network order (fastest first)
 */
record TestTile(long[] shape, float[] values, List<String> spatialAxes, int[] networkAxes) {

    static TestTile cut(Image image, PlanConfiguration c) {
        int[] axes = PlanNetworkAdapter.networkAxes(c);
        int[] patch = PlanNetworkAdapter.networkPatch(c);
        long[] size = image.shape();
        long[] start = new long[AxisOrder.SPATIAL_DIMS];
        for (int d = 0; d < AxisOrder.SPATIAL_DIMS; d++) {
            start[d] = size[d] / 2; // the middle slice across an axis the network does not see
        }
        for (int i = 0; i < axes.length; i++) {
            if (size[axes[i]] < patch[i]) {
                throw new IllegalArgumentException("The test image is " + AxisOrder.format(size) + " voxels, smaller "
                        + "than the plan's patch (" + patch[i] + " along " + AxisOrder.name(axes[i])
                        + "); give an image at least as large as the patch");
            }
            start[axes[i]] = (size[axes[i]] - patch[i]) / 2;
        }
        int channels = image.channelCount();
        long voxels = 1;
        for (int p : patch) {
            voxels *= p;
        }
        float[] out = new float[Math.toIntExact(channels * voxels)];
        int[] pos = new int[axes.length];
        for (int ch = 0; ch < channels; ch++) {
            float[] data = FlatArrays.toFloats(image.channel(ch));
            for (long v = 0; v < voxels; v++) {
                long rest = v;
                for (int i = 0; i < axes.length; i++) {
                    pos[i] = (int) (rest % patch[i]);
                    rest /= patch[i];
                }
                long[] at = start.clone();
                for (int i = 0; i < axes.length; i++) {
                    at[axes[i]] += pos[i];
                }
                // the image's flat index (x fastest); v is already row-major with network axis 0 fastest
                long index = at[0] + size[0] * (at[1] + size[1] * at[2]);
                out[Math.toIntExact(ch * voxels + v)] = data[Math.toIntExact(index)];
            }
        }
        long[] shape = new long[axes.length + 2];
        shape[0] = 1;
        shape[1] = channels;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < axes.length; i++) {
            shape[2 + i] = patch[axes.length - 1 - i];
            names.add(AxisOrder.name(axes[axes.length - 1 - i]));
        }
        return new TestTile(shape, out, List.copyOf(names), axes);
    }

    int channels() {
        return (int) shape[1];
    }

    /** Voxels per channel. */
    int voxels() {
        return values.length / channels();
    }
}
