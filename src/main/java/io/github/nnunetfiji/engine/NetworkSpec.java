package io.github.nnunetfiji.engine;

import java.util.Arrays;

/**
 * Everything an engine needs to build, train and run one U-Net, in engine-neutral terms. A plan
 * configuration is turned into this by an adapter; engines never see the plan itself.
 *
 * <p>Per-axis vectors ({@link #kernelSizes}, {@link #poolStrides}) are in the project's axis order
 * (x, y[, z]; see {@link io.github.nnunetfiji.image.AxisOrder}) and have {@link #dims} entries.
 * Stage 0 is the full-resolution stage; stage {@code s > 0} is entered by downsampling with
 * {@code poolStrides[s - 1]}. Serialized with Gson next to checkpoints and exported models.
 */
public final class NetworkSpec {

    /** How the encoder moves to the next (coarser) stage. */
    public enum Downsampling {
        /** The first convolution of the stage has the pooling stride (reference default). */
        STRIDED_CONV,
        /** Max pooling before the stage (original U-Net, the paper). */
        MAX_POOL
    }

    public int dims;
    public int inputChannels;
    public int classes;
    /** Feature maps per stage, stage 0 first. Its length is the number of stages. */
    public int[] features;
    /** Convolution kernel size per stage, per axis (x, y[, z]). */
    public int[][] kernelSizes;
    /** Downsampling stride into stage s+1, per axis (x, y[, z]); one entry fewer than stages. */
    public int[][] poolStrides;
    public Downsampling downsampling = Downsampling.STRIDED_CONV;
    /** Convolution blocks (conv, instance norm, leaky ReLU) per stage in encoder and decoder. */
    public int convolutionsPerStage = 2;
    /** Extra loss terms on the decoder's lower resolutions (reference default: on). */
    public boolean deepSupervision;
    public LossSpec loss = new LossSpec();
    public OptimizerSpec optimizer = OptimizerSpec.sgdNesterov(1000);
    /** Seed of the weight initialization; the same seed gives the same initial network. */
    public long seed = 1234;

    /**
     * A plain U-Net: 3 (x3) kernels everywhere, stride 2 on every axis, features doubling from
     * {@code baseFeatures} up to {@code maxFeatures}.
     */
    public static NetworkSpec uniform(int dims, int inputChannels, int classes, int stages, int baseFeatures,
            int maxFeatures) {
        NetworkSpec s = new NetworkSpec();
        s.dims = dims;
        s.inputChannels = inputChannels;
        s.classes = classes;
        s.features = new int[stages];
        s.kernelSizes = new int[stages][];
        s.poolStrides = new int[stages - 1][];
        for (int i = 0; i < stages; i++) {
            s.features[i] = Math.min(maxFeatures, baseFeatures << i);
            s.kernelSizes[i] = filled(dims, 3);
            if (i > 0) {
                s.poolStrides[i - 1] = filled(dims, 2);
            }
        }
        return s;
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    public int stages() {
        return features.length;
    }

    /** Per axis, the factor every input edge must be a multiple of (product of the strides). */
    public int[] sizeDivisor() {
        int[] d = filled(dims, 1);
        for (int[] s : poolStrides) {
            for (int a = 0; a < dims; a++) {
                d[a] *= s[a];
            }
        }
        return d;
    }

    /** Cumulative stride of stage {@code stage} relative to the input, per axis. */
    public int[] cumulativeStride(int stage) {
        int[] d = filled(dims, 1);
        for (int i = 0; i < stage; i++) {
            for (int a = 0; a < dims; a++) {
                d[a] *= poolStrides[i][a];
            }
        }
        return d;
    }

    /** Throws {@link IllegalArgumentException} naming the first inconsistency. */
    public NetworkSpec validate() {
        require(dims == 2 || dims == 3, "dims must be 2 or 3, was " + dims);
        require(inputChannels >= 1, "inputChannels must be >= 1");
        require(classes >= 2 && classes <= 256, "classes must be 2 .. 256 (labels are one unsigned byte)");
        require(features != null && features.length >= 1, "features must name at least one stage");
        require(convolutionsPerStage >= 1 && convolutionsPerStage <= 8, "convolutionsPerStage must be 1 .. 8");
        require(kernelSizes != null && kernelSizes.length == features.length,
                "kernelSizes needs one entry per stage (" + features.length + ")");
        require(poolStrides != null && poolStrides.length == features.length - 1,
                "poolStrides needs one entry per stage but the first (" + (features.length - 1) + ")");
        for (int f : features) {
            require(f >= 1, "features must be >= 1");
        }
        for (int[] k : kernelSizes) {
            require(k != null && k.length == dims, "every kernel size needs " + dims + " axes");
            for (int v : k) {
                require(v >= 1 && v % 2 == 1, "kernel sizes must be odd and >= 1, got " + Arrays.toString(k));
            }
        }
        for (int[] s : poolStrides) {
            require(s != null && s.length == dims, "every pooling stride needs " + dims + " axes");
            for (int v : s) {
                require(v >= 1, "pooling strides must be >= 1, got " + Arrays.toString(s));
            }
        }
        require(loss != null && optimizer != null, "loss and optimizer settings are required");
        require(loss.ignoreLabel == -1 || (loss.ignoreLabel == classes && classes <= 255),
                "the ignore label must be -1 (none) or the class count " + classes + " (one above the last class)");
        optimizer.validate();
        return this;
    }

    /** Checks that a patch shape (x, y[, z]) fits the network: right rank, divisible edges. */
    public void checkPatchShape(int[] shape) {
        require(shape.length == dims, "shape needs " + dims + " axes, got " + Arrays.toString(shape));
        int[] div = sizeDivisor();
        for (int a = 0; a < dims; a++) {
            require(shape[a] >= 1 && shape[a] % div[a] == 0, "edge " + shape[a] + " along axis " + a
                    + " is not a multiple of " + div[a] + " (product of the pooling strides)");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid network: " + message);
        }
    }

    /** Deep copy through JSON; the spec is a plain value. */
    public NetworkSpec copy() {
        return io.github.nnunetfiji.util.Json.gson().fromJson(io.github.nnunetfiji.util.Json.toJson(this),
                NetworkSpec.class);
    }

    @Override
    public String toString() {
        return dims + "D U-Net " + inputChannels + "->" + classes + " features " + Arrays.toString(features)
                + " kernels " + Arrays.deepToString(kernelSizes) + " strides " + Arrays.deepToString(poolStrides)
                + (deepSupervision ? " deep supervision" : "");
    }
}
