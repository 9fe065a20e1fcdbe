package io.github.nnunetfiji.engine.tf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.nn.LeakyRelu;
import io.github.nnunetfiji.engine.TensorLayout;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

import io.github.nnunetfiji.engine.NetworkSpec;

/**
 * The U-Net graph of a {@link NetworkSpec}: per stage two (convolution, instance normalization with
 * learnable affine, leaky ReLU 0.01) blocks; downsampling by strided convolution or max pooling;
 * upsampling by transposed convolution with kernel = stride; skip concatenation; 1x1 heads.
 * Convolutions before a normalization carry no bias, which the normalization would cancel.
 *
 * <p>Activations are float32, or bfloat16 in mixed precision: parameters stay float32 (and are
 * cast on read), normalization and the logits are float32, so convolutions, transposes and
 * concatenations run in bfloat16. Its float32 exponent range makes loss scaling unnecessary. Normalization and activation
 * compute in float32 too.
 */
final class UNetBuilder {

    static final float NORM_EPSILON = 1e-5f;

    private final Ops tf;
    private final NetworkSpec spec;
    private final ParameterSource params;
    private final TfLayout layout;
    private final boolean bfloat16;
    private final ConvWeightGradient.Mode weightGradients;
    private final List<ConvSite> convSites = new ArrayList<>();
    private boolean singleSample;

    /**
     * A convolution whose weight gradient the training graph builds itself ({@link ConvWeightGradient})
     * from the convolution's input and the gradient at its output.
     */
    record ConvSite(Operand<TFloat32> weight, Operand<TFloat32> input, Operand<TFloat32> output, long[] filterShape) {
    }

    UNetBuilder(Ops tf, NetworkSpec spec, ParameterSource params, boolean bfloat16) {
        this(tf, spec, params, bfloat16, ConvWeightGradient.Mode.OP);
    }

    UNetBuilder(Ops tf, NetworkSpec spec, ParameterSource params, boolean bfloat16,
            ConvWeightGradient.Mode weightGradients) {
        this.tf = tf;
        this.spec = spec;
        this.params = params;
        this.layout = new TfLayout(spec.dims());
        this.bfloat16 = bfloat16;
        this.weightGradients = weightGradients;
    }

    /**
     * Builds for inputs of exactly one sample: instance normalization is then a batch normalization
     * of the tensor as it is, without the transposes that gather the statistics of several samples
     * (an inference model runs a larger batch one sample at a time, see {@link TfInferenceModel}).
     */
    UNetBuilder singleSample(boolean on) {
        this.singleSample = on;
        return this;
    }

    /** The convolutions built so far whose weight gradients are products per tap (float32 only). */
    List<ConvSite> convSites() {
        return List.copyOf(convSites);
    }

    /**
     * Float32 logits per output level, level 0 (full resolution) first; levels 1.. only with deep
     * supervision: decoder stage i gives level i, down to stage {@code stages - 3} (the reference
     * gives the lowest decoder output weight 0, so it is not built).
     */
    List<Operand<TFloat32>> build(Operand<TFloat32> images) {
        return bfloat16 ? new Typed<>(TBfloat16.class).build(images) : new Typed<>(TFloat32.class).build(images);
    }

    /** The network with activations of type {@code T}. */
    private final class Typed<T extends TFloating> {

        private final Class<T> type;

        Typed(Class<T> type) {
            this.type = type;
        }

        private Operand<T> cast(Operand<TFloat32> x) {
            return type == TFloat32.class ? uncheckedCast(x) : tf.dtypes.cast(x, type);
        }

        private Operand<TFloat32> toFloat(Operand<T> x) {
            return type == TFloat32.class ? uncheckedCast(x) : tf.dtypes.cast(x, TFloat32.class);
        }

        @SuppressWarnings("unchecked")
        private <A extends TFloating, B extends TFloating> Operand<B> uncheckedCast(Operand<A> x) {
            return (Operand<B>) (Operand<?>) x;
        }

        /** Variable name suffix of a stage's convolution block: .a, .b, .c ... */
        private static String block(int index) {
            return "." + (char) ('a' + index);
        }

        List<Operand<TFloat32>> build(Operand<TFloat32> images) {
            int stages = spec.stages();
            int[] ones = new int[spec.dims()];
            Arrays.fill(ones, 1);
            List<Operand<T>> skips = new ArrayList<>();
            Operand<T> h = cast(images);
            long channels = spec.inputChannels();
            for (int s = 0; s < stages; s++) {
                int[] stride = s == 0 ? ones : spec.poolStride(s - 1);
                if (s > 0 && spec.downsampling() == NetworkSpec.Downsampling.MAX_POOL) {
                    h = maxPool(h, stride);
                    stride = ones;
                }
                h = convNormAct(h, channels, spec.features(s), spec.kernelSize(s), stride, "enc" + s + block(0));
                for (int b = 1; b < spec.convolutionsPerStage(); b++) {
                    h = convNormAct(h, spec.features(s), spec.features(s), spec.kernelSize(s), ones, "enc" + s + block(b));
                }
                channels = spec.features(s);
                skips.add(h);
            }
            List<Operand<TFloat32>> outputs = new ArrayList<>();
            if (stages == 1) {
                outputs.add(head(h, channels, "head0"));
                return outputs;
            }
            List<Operand<TFloat32>> byLevel = new ArrayList<>();
            for (int s = stages - 2; s >= 0; s--) {
                Operand<T> skip = skips.get(s);
                Operand<T> up = transposedConv(h, skip, channels, spec.features(s), spec.poolStride(s), "up" + s);
                h = tf.concat(List.of(up, skip), tf.constant(spec.dims() + 1));
                h = convNormAct(h, 2L * spec.features(s), spec.features(s), spec.kernelSize(s), ones,
                        "dec" + s + block(0));
                for (int b = 1; b < spec.convolutionsPerStage(); b++) {
                    h = convNormAct(h, spec.features(s), spec.features(s), spec.kernelSize(s), ones, "dec" + s + block(b));
                }
                channels = spec.features(s);
                if (s == 0 || (spec.deepSupervision() && s <= stages - 3)) {
                    byLevel.add(0, head(h, channels, "head" + s));
                }
            }
            outputs.addAll(byLevel);
            return outputs;
        }

        private Operand<T> weight(String name, long[] shape, ParameterInit init) {
            return cast(params.get(tf, name, shape, init));
        }

        private Operand<T> convNormAct(Operand<T> x, long in, long out, int[] kernel, int[] stride, String name) {
            long[] filterShape = layout.filterShape(kernel, in, out);
            Operand<T> w = weight(name + ".conv.w", filterShape, ParameterInit.he(in * TfLayout.volume(kernel)));
            Operand<T> y = conv(x, w, in, kernel, stride);
            if (type == TFloat32.class && weightGradients == ConvWeightGradient.Mode.MATMUL
                    && ConvWeightGradient.eligible(kernel, stride, in)) {
                convSites.add(new ConvSite(toFloat(w), toFloat(x), toFloat(y), filterShape));
            }
            return normalizeAndActivate(y, out, name + ".norm");
        }

        private Operand<T> conv(Operand<T> x, Operand<T> w, long in, int[] kernel, int[] stride) {
            if (spec.usesReferenceLayers() && Arrays.stream(stride).anyMatch(s -> s != 1)) {
                return referenceStridedConv(x, w, kernel, stride);
            }
            if (spec.dims() == 3) {
                return type == TFloat32.class ? tf.nn.conv3d(x, w, layout.strides(stride), "SAME")
                        : bfloat16Conv3d(x, w, in, kernel, stride);
            }
            return tf.nn.conv2d(x, w, layout.strides(stride), "SAME");
        }

        /**
         * A strided convolution as PyTorch's with padding (k-1)/2 on both sides: output voxel i is
         * centred on input voxel s*i. TensorFlow's "SAME" puts the padding at the end, centring it on
         * s*i + (k-1)/2 when the stride divides the size. Runs in float32, as strided 3D convolutions in
         * mixed precision do (see {@link #bfloat16Conv3d}).
         */
        private Operand<T> referenceStridedConv(Operand<T> x, Operand<T> w, int[] kernel, int[] stride) {
            long[] k = TensorLayout.toTensorOrder(kernel);
            int[][] pads = new int[spec.dims() + 2][2];
            for (int a = 0; a < spec.dims(); a++) {
                pads[a + 1][0] = (int) (k[a] - 1) / 2;
                pads[a + 1][1] = (int) (k[a] - 1) / 2;
            }
            Operand<TFloat32> padded = tf.pad(toFloat(x), tf.constant(pads), tf.constant(0f));
            Operand<TFloat32> y = spec.dims() == 3 ? tf.nn.conv3d(padded, toFloat(w), layout.strides(stride), "VALID")
                    : tf.nn.conv2d(padded, toFloat(w), layout.strides(stride), "VALID");
            return cast(y);
        }

        /**
         * A 3D convolution in mixed precision. TensorFlow's oneDNN bfloat16 3D convolution is wrong
         * for an odd number of input channels (garbage forward, NaN gradients) and inexact at padded
         * borders with "SAME" padding (errors of several percent of the output's range, far beyond
         * bfloat16 rounding; see MixedPrecisionTest): the 2D kernels are right. So convolutions with
         * an odd input channel count (a 1- or 3-channel input) or a stride, whose "SAME" padding
         * depends on the input size, run in float32; the others pad explicitly and run "VALID".
         */
        private Operand<T> bfloat16Conv3d(Operand<T> x, Operand<T> w, long in, int[] kernel, int[] stride) {
            boolean strided = Arrays.stream(stride).anyMatch(s -> s != 1);
            if (in % 2 != 0 || strided) {
                return cast(tf.nn.conv3d(toFloat(x), toFloat(w), layout.strides(stride), "SAME"));
            }
            long[] k = TensorLayout.toTensorOrder(kernel);
            int[][] pads = new int[5][2];
            for (int a = 0; a < 3; a++) {
                pads[a + 1][0] = (int) (k[a] - 1) / 2; // "SAME" at stride 1: the extra voxel of an even kernel at the end
                pads[a + 1][1] = (int) (k[a] - 1) - pads[a + 1][0];
            }
            Operand<T> padded = tf.pad(x, tf.constant(pads), tf.zeros(tf.constant(new int[0]), type));
            return tf.nn.conv3d(padded, w, layout.strides(stride), "VALID");
        }

        /**
         * Instance normalization (per sample and channel, over the spatial axes; then scale and
         * shift per channel) and leaky ReLU. Runs as one fused batch normalization (a single pass,
         * with a native gradient) over a view in which every (sample, channel) pair is a channel:
         * samples are moved next to the channels, {@code [N, S..., C] -> [(1,) S..., N*C]}. With one
         * sample the transposes are free. Normalization and activation run in float32 also in mixed
         * precision: more exact, and faster than their bfloat16 kernels.
         */
        private Operand<T> normalizeAndActivate(Operand<T> x, long channels, String name) {
            Operand<TFloat32> gamma = params.get(tf, name + ".gamma", new long[] {channels}, ParameterInit.ones());
            Operand<TFloat32> beta = params.get(tf, name + ".beta", new long[] {channels}, ParameterInit.zeros());
            if (singleSample) {
                return normalizeAndActivateOneSample(x, gamma, beta);
            }
            int d = spec.dims();
            int[] toSamplesLast = new int[d + 2];
            int[] back = new int[d + 2];
            for (int i = 0; i < d; i++) {
                toSamplesLast[i] = i + 1;
                back[i + 1] = i;
            }
            toSamplesLast[d] = 0;
            toSamplesLast[d + 1] = d + 1;
            back[0] = d;
            back[d + 1] = d + 1;
            Operand<T> moved = tf.linalg.transpose(x, tf.constant(toSamplesLast));
            Operand<TInt32> movedShape = tf.shape(moved);
            Operand<TInt32> samples = tf.stridedSlice(tf.shape(x), tf.constant(new int[] {0}),
                    tf.constant(new int[] {1}), tf.constant(new int[] {1}));
            // [S..., N, C] -> [(1,) S..., N*C]: a 4D NHWC tensor whose channels are (sample, channel).
            Operand<TInt32> spatial = tf.stridedSlice(movedShape, tf.constant(new int[] {0}),
                    tf.constant(new int[] {d}), tf.constant(new int[] {1}));
            Operand<TInt32> flatShape = d == 3 ? tf.concat(List.of(spatial, tf.constant(new int[] {-1})), tf.constant(0))
                    : tf.concat(List.of(tf.constant(new int[] {1}), spatial, tf.constant(new int[] {-1})),
                            tf.constant(0));
            Operand<T> flat = tf.reshape(moved, flatShape);
            Operand<TFloat32> empty = tf.constant(Shape.of(0), DataBuffers.of(new float[0], true, false));
            Operand<TFloat32> normalized = tf.nn.fusedBatchNorm(toFloat(flat), tf.tile(gamma, samples),
                    tf.tile(beta, samples), empty, empty, FusedBatchNorm.epsilon(NORM_EPSILON),
                    FusedBatchNorm.isTraining(true), FusedBatchNorm.dataFormat("NHWC")).y();
            Operand<TFloat32> activated = tf.nn.leakyRelu(normalized,
                    LeakyRelu.alpha((float) ParameterInit.LEAKY_SLOPE));
            return tf.linalg.transpose(tf.reshape(cast(activated), movedShape), tf.constant(back));
        }

        /**
         * {@link #normalizeAndActivate} for a batch of one sample: its statistics per channel are a
         * batch normalization's over the whole tensor, in place (2D: NHWC as it is; 3D: the sample
         * axis dropped, [D, H, W, C] read as NHWC). No transposes, no tiled scale and shift.
         */
        private Operand<T> normalizeAndActivateOneSample(Operand<T> x, Operand<TFloat32> gamma,
                Operand<TFloat32> beta) {
            Operand<T> view = x;
            Operand<TInt32> shape = null;
            if (spec.dims() == 3) {
                shape = tf.shape(x);
                view = tf.reshape(x, tf.stridedSlice(shape, tf.constant(new int[] {1}), tf.constant(new int[] {5}),
                        tf.constant(new int[] {1})));
            }
            Operand<TFloat32> empty = tf.constant(Shape.of(0), DataBuffers.of(new float[0], true, false));
            Operand<TFloat32> normalized = tf.nn.fusedBatchNorm(toFloat(view), gamma, beta, empty, empty,
                    FusedBatchNorm.epsilon(NORM_EPSILON), FusedBatchNorm.isTraining(true),
                    FusedBatchNorm.dataFormat("NHWC")).y();
            Operand<T> activated = cast(tf.nn.leakyRelu(normalized, LeakyRelu.alpha((float) ParameterInit.LEAKY_SLOPE)));
            return shape == null ? activated : tf.reshape(activated, shape);
        }

        private Operand<T> maxPool(Operand<T> x, int[] stride) {
            List<Long> k = layout.strides(stride);
            long[] ks = k.stream().mapToLong(Long::longValue).toArray();
            if (spec.dims() == 3) {
                return tf.nn.maxPool3d(x, k, k, "VALID");
            }
            // The plain MaxPool op (not the MaxPoolV2 the generated wrapper makes) has a C++ gradient.
            return tf.scope().opBuilder("MaxPool", "MaxPool").addInput(x.asOutput()).setAttr("ksize", ks)
                    .setAttr("strides", ks).setAttr("padding", "VALID").build().output(0);
        }

        /**
         * Transposed convolution with kernel = stride, to the spatial size of {@code skip}. The filter
         * of the backprop-input op is {@code [k..., out, in]}. Initialized as the reference does: its
         * He initialization reads a transposed convolution's weight {@code [in, out, k...]} as if it
         * were a convolution's, so the fan is {@code out * prod(k)} (each output voxel's true fan-in
         * is {@code in}); the smaller start of the upsampling path is what its training schedule was
         * tuned with.
         */
        private Operand<T> transposedConv(Operand<T> x, Operand<T> skip, long in, long out, int[] stride,
                String name) {
            Operand<T> w = weight(name + ".w", layout.filterShape(stride, out, in),
                    ParameterInit.he(out * TfLayout.volume(stride)));
            Operand<TInt32> size = tf.concat(List.of(
                    tf.stridedSlice(tf.shape(skip), tf.constant(new int[] {0}), tf.constant(new int[] {spec.dims() + 1}),
                            tf.constant(new int[] {1})),
                    tf.constant(new int[] {(int) out})), tf.constant(0));
            Operand<T> up = spec.dims() == 3 ? tf.nn.conv3dBackpropInput(size, w, x, layout.strides(stride), "VALID")
                    : tf.nn.conv2dBackpropInput(size, w, x, layout.strides(stride), "VALID");
            if (!spec.usesReferenceLayers()) {
                return up;
            }
            // The reference's transposed convolutions carry a bias; the convolution after the
            // concatenation pads with zeros, so the normalization does not cancel it at the borders.
            Operand<TFloat32> b = params.get(tf, name + ".b", new long[] {out}, ParameterInit.zeros());
            return cast(tf.nn.biasAdd(toFloat(up), b));
        }

        /** 1x1 convolution to class logits (float32), with a float32 bias. */
        private Operand<TFloat32> head(Operand<T> x, long in, String name) {
            int[] one = new int[spec.dims()];
            Arrays.fill(one, 1);
            Operand<T> w = weight(name + ".w", layout.filterShape(one, in, spec.classes()), ParameterInit.he(in));
            Operand<TFloat32> b = params.get(tf, name + ".b", new long[] {spec.classes()}, ParameterInit.zeros());
            return tf.nn.biasAdd(toFloat(conv(x, w, in, one, one)), b);
        }
    }
}
