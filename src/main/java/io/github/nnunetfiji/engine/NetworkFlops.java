package io.github.nnunetfiji.engine;

/**
 * Multiply-add work of a U-Net, counted as 2 FLOPs per multiply-add over all convolutions,
 * transposed convolutions and heads (normalization and activations are memory-bound and left out).
 * A training step is counted as 3 forward passes (forward, input gradient, filter gradient), the
 * usual convention, so GFLOP/s figures compare across frameworks.
 */
public final class NetworkFlops {

    private NetworkFlops() {
    }

    /** FLOPs of one forward pass of a batch of {@code batch} patches of {@code shape} (x, y[, z]). */
    public static double forward(NetworkSpec spec, int[] shape, int batch) {
        spec.checkPatchShape(shape);
        double flops = 0;
        long channels = spec.inputChannels();
        double[] voxels = new double[spec.stages()];
        for (int s = 0; s < spec.stages(); s++) {
            int[] stride = spec.cumulativeStride(s);
            double v = 1;
            for (int a = 0; a < spec.dims(); a++) {
                v *= shape[a] / stride[a];
            }
            voxels[s] = v;
            double k = volume(spec.kernelSize(s));
            flops += 2 * v * k * channels * spec.features(s);
            flops += (spec.convolutionsPerStage() - 1) * 2 * v * k * spec.features(s) * spec.features(s);
            channels = spec.features(s);
        }
        for (int s = spec.stages() - 2; s >= 0; s--) {
            // Transposed conv: every input voxel of stage s+1 writes a stride-sized block.
            flops += 2 * voxels[s] * spec.features(s + 1) * spec.features(s);
            double k = volume(spec.kernelSize(s));
            flops += 2 * voxels[s] * k * 2 * spec.features(s) * spec.features(s);
            flops += (spec.convolutionsPerStage() - 1) * 2 * voxels[s] * k * spec.features(s) * spec.features(s);
            boolean head = s == 0 || (spec.deepSupervision() && s <= spec.stages() - 3);
            if (head) {
                flops += 2 * voxels[s] * spec.features(s) * spec.classes();
            }
        }
        return flops * batch;
    }

    public static double trainStep(NetworkSpec spec, int[] shape, int batch) {
        return 3 * forward(spec, shape, batch);
    }

    private static double volume(int[] k) {
        double v = 1;
        for (int x : k) {
            v *= x;
        }
        return v;
    }
}
