package io.github.nnunetfiji.engine;

import java.util.Arrays;
import java.util.Objects;

/**
 * Everything an engine needs to build, train and run one U-Net, in engine-neutral terms. A plan
 * configuration is turned into this by an adapter; engines never see the plan itself.
 *
 * <p>Per-axis vectors ({@link #kernelSizes}, {@link #poolStrides}) are in the project's axis order
 * (x, y[, z]; see {@link io.github.nnunetfiji.image.AxisOrder}) and have {@link #dims} entries.
 * Stage 0 is the full-resolution stage; stage {@code s > 0} is entered by downsampling with
 * {@code poolStrides[s - 1]}. Serialized with Gson next to checkpoints and exported models (field
 * names and order are the JSON's).
 *
 * <p>Immutable: {@link #builder()}, {@link #uniformBuilder} or {@link #toBuilder()} make a changed
 * copy, and every array goes in and comes out as a copy, so an engine, trainer or predictor that
 * reads the spec cannot change what the next one sees. {@link #validate()} checks a built or read
 * spec.
 */
public final class NetworkSpec {

    /** How the encoder moves to the next (coarser) stage. */
    public enum Downsampling {
        /** The first convolution of the stage has the pooling stride (reference default). */
        STRIDED_CONV,
        /** Max pooling before the stage (original U-Net, the paper). */
        MAX_POOL
    }

    private final int dims;
    private final int inputChannels;
    private final int classes;
    private final int[] features;
    private final int[][] kernelSizes;
    private final int[][] poolStrides;
    private final Downsampling downsampling;
    private final int convolutionsPerStage;
    private final boolean deepSupervision;
    private final LossSpec loss;
    private final OptimizerSpec optimizer;
    private final long seed;

    /** The defaults; Gson starts from them, so a file without a field reads its default. */
    private NetworkSpec() {
        this(new Builder());
    }

    private NetworkSpec(Builder b) {
        this.dims = b.dims;
        this.inputChannels = b.inputChannels;
        this.classes = b.classes;
        this.features = b.features == null ? null : b.features.clone();
        this.kernelSizes = deepCopy(b.kernelSizes);
        this.poolStrides = deepCopy(b.poolStrides);
        this.downsampling = b.downsampling;
        this.convolutionsPerStage = b.convolutionsPerStage;
        this.deepSupervision = b.deepSupervision;
        this.loss = b.loss;
        this.optimizer = b.optimizer.build();
        this.seed = b.seed;
    }

    /**
     * A builder holding the defaults: strided-convolution downsampling, 2 convolutions per stage, no
     * deep supervision, the paper's loss, SGD Nesterov decaying over 1000 steps, seed 1234. Dimensions,
     * channels, classes, features, kernels and strides have no default.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this spec (which stays as it is). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.dims = dims;
        b.inputChannels = inputChannels;
        b.classes = classes;
        b.features = features == null ? null : features.clone();
        b.kernelSizes = deepCopy(kernelSizes);
        b.poolStrides = deepCopy(poolStrides);
        b.downsampling = downsampling;
        b.convolutionsPerStage = convolutionsPerStage;
        b.deepSupervision = deepSupervision;
        b.setLoss(loss);
        b.setOptimizer(optimizer);
        b.seed = seed;
        return b;
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
        return new Builder().setDims(dims).setInputChannels(inputChannels).setClasses(classes).setFeatures(features)
                .setKernelSizes(kernelSizes).setPoolStrides(poolStrides);
    }

    /** 2 or 3. */
    public int dims() {
        return dims;
    }

    /** Image channels the network reads. */
    public int inputChannels() {
        return inputChannels;
    }

    /** Classes it predicts, background included. */
    public int classes() {
        return classes;
    }

    /** Feature maps per stage, stage 0 first (a copy). Its length is the number of stages. */
    public int[] features() {
        return features.clone();
    }

    /** Feature maps of stage {@code stage}. */
    public int features(int stage) {
        return features[stage];
    }

    /** Convolution kernel size per stage, per axis (x, y[, z]) (a copy). */
    public int[][] kernelSizes() {
        return deepCopy(kernelSizes);
    }

    /** Convolution kernel size of stage {@code stage}, per axis (a copy). */
    public int[] kernelSize(int stage) {
        return kernelSizes[stage].clone();
    }

    /**
     * Downsampling stride into stage s+1, per axis (x, y[, z]); one entry fewer than stages (a
     * copy).
     */
    public int[][] poolStrides() {
        return deepCopy(poolStrides);
    }

    /** Downsampling stride into stage {@code i + 1}, per axis (a copy). */
    public int[] poolStride(int i) {
        return poolStrides[i].clone();
    }

    /** How the encoder moves to the next (coarser) stage. */
    public Downsampling downsampling() {
        return downsampling;
    }

    /** Convolution blocks (conv, instance norm, leaky ReLU) per stage in encoder and decoder. */
    public int convolutionsPerStage() {
        return convolutionsPerStage;
    }

    /** Extra loss terms on the decoder's lower resolutions (reference default: on). */
    public boolean deepSupervision() {
        return deepSupervision;
    }

    /** The loss. */
    public LossSpec loss() {
        return loss;
    }

    /** The optimizer and its schedule. */
    public OptimizerSpec optimizer() {
        return optimizer;
    }

    /** Seed of the weight initialization; the same seed gives the same initial network. */
    public long seed() {
        return seed;
    }

    private static int[][] deepCopy(int[][] a) {
        if (a == null) {
            return null;
        }
        int[][] c = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] == null ? null : a[i].clone();
        }
        return c;
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
                + (deepSupervision ? " deep supervision" : "");
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NetworkSpec)) {
            return false;
        }
        NetworkSpec s = (NetworkSpec) o;
        return dims == s.dims && inputChannels == s.inputChannels && classes == s.classes
                && Arrays.equals(features, s.features) && Arrays.deepEquals(kernelSizes, s.kernelSizes)
                && Arrays.deepEquals(poolStrides, s.poolStrides) && downsampling == s.downsampling
                && convolutionsPerStage == s.convolutionsPerStage && deepSupervision == s.deepSupervision
                && Objects.equals(loss, s.loss) && Objects.equals(optimizer, s.optimizer) && seed == s.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dims, inputChannels, classes, Arrays.hashCode(features), Arrays.deepHashCode(kernelSizes),
                Arrays.deepHashCode(poolStrides), downsampling, convolutionsPerStage, deepSupervision, loss,
                optimizer, seed);
    }

    /**
     * Fills a spec; {@link #build()} hands out an immutable copy (not yet validated: call
     * {@link NetworkSpec#validate()}). Setters copy the arrays they are given. The loss is replaced
     * ({@code b.setLoss(b.loss().withBatchDice(false))}); the optimizer is edited in place through
     * {@link #optimizer()}, or replaced.
     */
    public static final class Builder {
        private int dims;
        private int inputChannels;
        private int classes;
        private int[] features;
        private int[][] kernelSizes;
        private int[][] poolStrides;
        private Downsampling downsampling = Downsampling.STRIDED_CONV;
        private int convolutionsPerStage = 2;
        private boolean deepSupervision;
        private LossSpec loss = LossSpec.defaults();
        private OptimizerSpec.Builder optimizer = OptimizerSpec.sgdNesterov(1000).toBuilder();
        private long seed = 1234;

        private Builder() {
        }

        /** The spec as built so far (later setters do not change it). */
        public NetworkSpec build() {
            return new NetworkSpec(this);
        }

        /**
         * Sets {@link NetworkSpec#dims()}.
         *
         * @param dims 2 or 3
         * @return this builder
         */
        public Builder setDims(int dims) {
            this.dims = dims;
            return this;
        }

        /**
         * Sets {@link NetworkSpec#inputChannels()}.
         *
         * @param inputChannels the new value
         * @return this builder
         */
        public Builder setInputChannels(int inputChannels) {
            this.inputChannels = inputChannels;
            return this;
        }

        /**
         * Sets {@link NetworkSpec#classes()}.
         *
         * @param classes the new value, background included
         * @return this builder
         */
        public Builder setClasses(int classes) {
            this.classes = classes;
            return this;
        }

        /**
         * Sets {@link NetworkSpec#features()}, and with it the number of stages.
         *
         * @param features feature maps per stage
         * @return this builder
         */
        public Builder setFeatures(int[] features) {
            this.features = features.clone();
            return this;
        }

        /**
         * Sets {@link NetworkSpec#kernelSizes()}.
         *
         * @param kernelSizes kernel size per stage and axis
         * @return this builder
         */
        public Builder setKernelSizes(int[][] kernelSizes) {
            this.kernelSizes = deepCopy(kernelSizes);
            return this;
        }

        /**
         * Sets the kernel size of one stage.
         *
         * @param stage      the stage (0: full resolution)
         * @param kernelSize kernel size per axis
         * @return this builder
         */
        public Builder setKernelSize(int stage, int[] kernelSize) {
            this.kernelSizes[stage] = kernelSize.clone();
            return this;
        }

        /**
         * Sets {@link NetworkSpec#poolStrides()}.
         *
         * @param poolStrides stride into stage s+1 per axis, one entry fewer than stages
         * @return this builder
         */
        public Builder setPoolStrides(int[][] poolStrides) {
            this.poolStrides = deepCopy(poolStrides);
            return this;
        }

        /**
         * Sets the downsampling stride into stage {@code i + 1}.
         *
         * @param i      the stride's index
         * @param stride stride per axis
         * @return this builder
         */
        public Builder setPoolStride(int i, int[] stride) {
            this.poolStrides[i] = stride.clone();
            return this;
        }

        /**
         * Sets {@link NetworkSpec#downsampling()}.
         *
         * @param downsampling the new value
         * @return this builder
         */
        public Builder setDownsampling(Downsampling downsampling) {
            this.downsampling = downsampling;
            return this;
        }

        /**
         * Sets {@link NetworkSpec#convolutionsPerStage()}.
         *
         * @param convolutionsPerStage the new value
         * @return this builder
         */
        public Builder setConvolutionsPerStage(int convolutionsPerStage) {
            this.convolutionsPerStage = convolutionsPerStage;
            return this;
        }

        /**
         * Sets {@link NetworkSpec#deepSupervision()}.
         *
         * @param deepSupervision the new value
         * @return this builder
         */
        public Builder setDeepSupervision(boolean deepSupervision) {
            this.deepSupervision = deepSupervision;
            return this;
        }

        /**
         * Replaces the loss.
         *
         * @param loss the new loss
         * @return this builder
         */
        public Builder setLoss(LossSpec loss) {
            this.loss = loss;
            return this;
        }

        /** The loss set so far. */
        public LossSpec loss() {
            return loss;
        }

        /**
         * Replaces the optimizer.
         *
         * @param optimizer the new optimizer
         * @return this builder
         */
        public Builder setOptimizer(OptimizerSpec optimizer) {
            this.optimizer = optimizer.toBuilder();
            return this;
        }

        /** The optimizer being built, to change in place. */
        public OptimizerSpec.Builder optimizer() {
            return optimizer;
        }

        /**
         * Sets {@link NetworkSpec#seed()}.
         *
         * @param seed the new value
         * @return this builder
         */
        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The seed set so far. */
        public long seed() {
            return seed;
        }
    }
}
