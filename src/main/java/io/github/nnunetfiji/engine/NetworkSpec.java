package io.github.nnunetfiji.engine;

import static io.github.nnunetfiji.util.ArrayRecords.copy;

import java.util.Arrays;

import com.google.gson.annotations.JsonAdapter;

import io.github.nnunetfiji.util.ArrayRecords;
import io.github.nnunetfiji.util.DefaultsFirst;

/**
 * Everything an engine needs to build, train and run one U-Net, in engine-neutral terms. A plan
 * configuration is turned into this by an adapter; engines never see the plan itself.
 *
 * <p>Per-axis vectors ({@link #kernelSizes}, {@link #poolStrides}) are in the project's axis order
 * (x, y[, z]; see {@link io.github.nnunetfiji.image.AxisOrder}) and have {@link #dims} entries.
 * Stage 0 is the full-resolution stage; stage {@code s > 0} is entered by downsampling with
 * {@code poolStrides[s - 1]}. Serialized with Gson next to checkpoints and exported models
 * (component names and order are the JSON's); a file without a field reads its default.
 *
 * <p>Immutable: {@link #builder()}, {@link #uniformBuilder} or {@link #toBuilder()} make a changed
 * copy, and every array goes in and comes out as a copy, so an engine, trainer or predictor that
 * reads the spec cannot change what the next one sees; equal specs have equal arrays.
 * {@link #validate()} checks a built or read spec.
 *
 * @param dims                 2 or 3
 * @param inputChannels        image channels the network reads
 * @param classes              classes it predicts, background included
 * @param features             feature maps per stage, stage 0 first; its length is the number of
 *                             stages
 * @param kernelSizes          convolution kernel size per stage, per axis (x, y[, z])
 * @param poolStrides          downsampling stride into stage s+1, per axis (x, y[, z]); one entry
 *                             fewer than stages
 * @param downsampling         how the encoder moves to the next (coarser) stage
 * @param convolutionsPerStage convolution blocks (conv, instance norm, leaky ReLU) per stage in
 *                             encoder and decoder
 * @param deepSupervision      extra loss terms on the decoder's lower resolutions (reference
 *                             default: on)
 * @param loss                 the loss
 * @param optimizer            the optimizer and its schedule
 * @param seed                 seed of the weight initialization; the same seed gives the same
 *                             initial network
 * @param referenceLayers      layers exactly as the reference's PyTorch U-Net computes them, for its
 *                             imported weights: strided convolutions pad (k-1)/2 on both sides
 *                             (TensorFlow's "SAME" pads the extra voxel at the end only, which
 *                             shifts the sampling grid by one voxel) and transposed convolutions
 *                             add a bias; true or null (off, the default), so that it is written
 *                             only when on and the files of other networks stay as they were; see
 *                             {@link #usesReferenceLayers()}
 */
@JsonAdapter(DefaultsFirst.class)
public record NetworkSpec(int dims, int inputChannels, int classes, int[] features, int[][] kernelSizes,
        int[][] poolStrides, Downsampling downsampling, int convolutionsPerStage, boolean deepSupervision,
        LossSpec loss, OptimizerSpec optimizer, long seed, Boolean referenceLayers) {

    /** How the encoder moves to the next (coarser) stage. */
    public enum Downsampling {
        /** The first convolution of the stage has the pooling stride (reference default). */
        STRIDED_CONV,
        /** Max pooling before the stage (original U-Net, the paper). */
        MAX_POOL
    }

    public NetworkSpec {
        features = copy(features);
        kernelSizes = copy(kernelSizes);
        poolStrides = copy(poolStrides);
        referenceLayers = Boolean.TRUE.equals(referenceLayers) ? Boolean.TRUE : null;
    }

    /** Whether the layers compute as the reference's PyTorch U-Net does (see {@code referenceLayers}). */
    public boolean usesReferenceLayers() {
        return referenceLayers != null;
    }

    /**
     * The defaults: strided-convolution downsampling, 2 convolutions per stage, no deep supervision,
     * the paper's loss, SGD Nesterov decaying over 1000 steps, seed 1234. Dimensions, channels,
     * classes, features, kernels and strides have none (0 and null).
     */
    public static NetworkSpec defaults() {
        return new NetworkSpec(0, 0, 0, null, null, null, Downsampling.STRIDED_CONV, 2, false, LossSpec.defaults(),
                OptimizerSpec.sgdNesterov(1000), 1234, false);
    }

    /** A builder holding the {@link #defaults()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** A builder that starts from this spec (which stays as it is). */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * A plain U-Net: 3 (x3) kernels everywhere, stride 2 on every axis, features doubling from
     * {@code baseFeatures} up to {@code maxFeatures}.
     */
    public static NetworkSpec uniform(int dims, int inputChannels, int classes, int stages, int baseFeatures,
            int maxFeatures) {
        return uniformBuilder(dims, inputChannels, classes, stages, baseFeatures, maxFeatures).build();
    }

    /** A builder holding {@link #uniform}'s network, to change before building. */
    public static Builder uniformBuilder(int dims, int inputChannels, int classes, int stages, int baseFeatures,
            int maxFeatures) {
        int[] features = new int[stages];
        int[][] kernelSizes = new int[stages][];
        int[][] poolStrides = new int[stages - 1][];
        for (int i = 0; i < stages; i++) {
            features[i] = Math.min(maxFeatures, baseFeatures << i);
            kernelSizes[i] = filled(dims, 3);
            if (i > 0) {
                poolStrides[i - 1] = filled(dims, 2);
            }
        }
        return builder().dims(dims).inputChannels(inputChannels).classes(classes).features(features)
                .kernelSizes(kernelSizes).poolStrides(poolStrides);
    }

    /** Feature maps per stage (a copy). */
    @Override
    public int[] features() {
        return copy(features);
    }

    /** Feature maps of stage {@code stage}. */
    public int features(int stage) {
        return features[stage];
    }

    /** Convolution kernel sizes (a copy). */
    @Override
    public int[][] kernelSizes() {
        return copy(kernelSizes);
    }

    /** Convolution kernel size of stage {@code stage}, per axis (a copy). */
    public int[] kernelSize(int stage) {
        return kernelSizes[stage].clone();
    }

    /** Downsampling strides (a copy). */
    @Override
    public int[][] poolStrides() {
        return copy(poolStrides);
    }

    /** Downsampling stride into stage {@code i + 1}, per axis (a copy). */
    public int[] poolStride(int i) {
        return poolStrides[i].clone();
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
        require(downsampling != null, "downsampling must be STRIDED_CONV or MAX_POOL");
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
        require(loss.ignoreLabel() == -1 || (loss.ignoreLabel() == classes && classes <= 255),
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

    @Override
    public String toString() {
        return dims + "D U-Net " + inputChannels + "->" + classes + " features " + Arrays.toString(features)
                + " kernels " + Arrays.deepToString(kernelSizes) + " strides " + Arrays.deepToString(poolStrides)
                + (deepSupervision ? " deep supervision" : "") + (usesReferenceLayers() ? " reference layers" : "");
    }

    /** By content: equal specs have equal arrays. */
    @Override
    public boolean equals(Object o) {
        return ArrayRecords.equal(this, o);
    }

    @Override
    public int hashCode() {
        return ArrayRecords.hash(this);
    }

    /**
     * Fills a spec; {@link #build()} hands out an immutable copy (not yet validated: call
     * {@link NetworkSpec#validate()}). Each setter sets the value of the same name, copying arrays,
     * and returns this builder.
     */
    public static final class Builder {
        private int dims;
        private int inputChannels;
        private int classes;
        private int[] features;
        private int[][] kernelSizes;
        private int[][] poolStrides;
        private Downsampling downsampling;
        private int convolutionsPerStage;
        private boolean deepSupervision;
        private LossSpec loss;
        private OptimizerSpec optimizer;
        private long seed;
        private boolean referenceLayers;

        private Builder(NetworkSpec s) {
            dims = s.dims;
            inputChannels = s.inputChannels;
            classes = s.classes;
            features = s.features();
            kernelSizes = s.kernelSizes();
            poolStrides = s.poolStrides();
            downsampling = s.downsampling;
            convolutionsPerStage = s.convolutionsPerStage;
            deepSupervision = s.deepSupervision;
            loss = s.loss;
            optimizer = s.optimizer;
            seed = s.seed;
            referenceLayers = s.usesReferenceLayers();
        }

        /** The spec as built so far (later setters do not change it). */
        public NetworkSpec build() {
            return new NetworkSpec(dims, inputChannels, classes, features, kernelSizes, poolStrides, downsampling,
                    convolutionsPerStage, deepSupervision, loss, optimizer, seed, referenceLayers);
        }

        public Builder dims(int v) {
            dims = v;
            return this;
        }

        public Builder inputChannels(int v) {
            inputChannels = v;
            return this;
        }

        public Builder classes(int v) {
            classes = v;
            return this;
        }

        /** Sets the features, and with them the number of stages. */
        public Builder features(int[] v) {
            features = v.clone();
            return this;
        }

        public Builder kernelSizes(int[][] v) {
            kernelSizes = copy(v);
            return this;
        }

        /** Sets the kernel size of one stage (0: full resolution). */
        public Builder kernelSize(int stage, int[] v) {
            kernelSizes[stage] = v.clone();
            return this;
        }

        public Builder poolStrides(int[][] v) {
            poolStrides = copy(v);
            return this;
        }

        /** Sets the downsampling stride into stage {@code i + 1}. */
        public Builder poolStride(int i, int[] v) {
            poolStrides[i] = v.clone();
            return this;
        }

        public Builder downsampling(Downsampling v) {
            downsampling = v;
            return this;
        }

        public Builder convolutionsPerStage(int v) {
            convolutionsPerStage = v;
            return this;
        }

        public Builder deepSupervision(boolean v) {
            deepSupervision = v;
            return this;
        }

        public Builder loss(LossSpec v) {
            loss = v;
            return this;
        }

        public Builder optimizer(OptimizerSpec v) {
            optimizer = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder referenceLayers(boolean v) {
            referenceLayers = v;
            return this;
        }
    }
}
