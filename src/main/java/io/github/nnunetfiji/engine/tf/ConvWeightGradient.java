package io.github.nnunetfiji.engine.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import io.github.nnunetfiji.engine.Processor;

/**
 * The weight gradient of a stride-1 "same" convolution with odd kernel sizes as one matrix product
 * per filter tap: {@code dW[tap] = shifted(x)^T dy}, where {@code shifted(x)} is the zero-padded input
 * moved by the tap's offset and both are flattened to {@code [samples * voxels, channels]}.
 *
 * <p>Why: on processors without AVX-512, oneDNN's backprop-filter kernel (AVX2) takes two to three
 * times as long as the forward convolution of the same FLOP count for most U-Net layers, and up to
 * 3x the time of these products (measured per layer in docs/engine.md); with AVX-512 its kernel is
 * the faster one, so there the op stays. The products are deterministic like the op, and equal its
 * result to float32 rounding (the sums run in another order).
 */
final class ConvWeightGradient {

    /** How weight gradients of eligible convolutions are computed. */
    enum Mode {
        /** TensorFlow's backprop-filter op everywhere. */
        OP,
        /** Matrix products per tap for eligible convolutions (see {@link #eligible}). */
        MATMUL;

        /**
         * The system property {@value #PROPERTY} ({@code op} or {@code matmul}) where set, else
         * {@link #MATMUL} on processors whose oneDNN kernels stop at AVX2, else {@link #OP}.
         */
        static Mode choose(Processor processor, Map<String, String> environment) {
            String forced = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
            switch (forced) {
                case "op":
                    return OP;
                case "matmul":
                    return MATMUL;
                case "auto":
                case "":
                    return avx2Kernels(processor, environment) ? MATMUL : OP;
                default:
                    throw new IllegalArgumentException("System property " + PROPERTY + " is '" + forced
                            + "'; use op, matmul or auto");
            }
        }
    }

    /** Forces the weight-gradient formulation: op, matmul or auto (the default). */
    static final String PROPERTY = "nnunet.engine.weightGradient";

    private ConvWeightGradient() {
    }

    /**
     * Whether oneDNN runs AVX2 kernels here: the processor has AVX2 but no AVX-512, or oneDNN is capped
     * below AVX-512 by ONEDNN_MAX_CPU_ISA (or its older name DNNL_MAX_CPU_ISA).
     */
    static boolean avx2Kernels(Processor processor, Map<String, String> environment) {
        if (!processor.extensionsKnown() || !processor.has("avx2")) {
            return false;
        }
        String cap = environment.getOrDefault("ONEDNN_MAX_CPU_ISA", environment.get("DNNL_MAX_CPU_ISA"));
        boolean capped = cap != null && cap.toUpperCase(Locale.ROOT).startsWith("AVX2");
        return capped || !processor.has("avx512f");
    }

    /**
     * Whether the per-tap products serve a convolution: stride 1, odd kernel sizes, more than one input
     * channel (with one, the op is faster: its products would be too thin).
     */
    static boolean eligible(int[] kernel, int[] stride, long inputChannels) {
        for (int i = 0; i < kernel.length; i++) {
            if (stride[i] != 1 || kernel[i] % 2 == 0) {
                return false;
            }
        }
        return inputChannels > 1;
    }

    /**
     * dW of {@code y = conv(x, w, stride 1, SAME)} given {@code dy}, for a channels-last input
     * {@code [N, S..., C_in]} and filter shape {@code [k..., C_in, C_out]} (TensorFlow's axis order).
     */
    static Operand<TFloat32> of(Ops tf, Operand<TFloat32> x, Operand<TFloat32> dy, long[] filterShape) {
        int dims = filterShape.length - 2;
        long in = filterShape[dims];
        long out = filterShape[dims + 1];
        int[][] pad = new int[dims + 2][2];
        int taps = 1;
        for (int i = 0; i < dims; i++) {
            int k = (int) filterShape[i];
            if (k % 2 == 0) {
                throw new IllegalArgumentException("Per-tap weight gradient needs odd kernel sizes, got " + k);
            }
            pad[i + 1][0] = k / 2;
            pad[i + 1][1] = k / 2;
            taps *= k;
        }
        Operand<TFloat32> padded = tf.pad(x, tf.constant(pad), tf.constant(0f));
        Operand<TInt32> size = tf.shape(x);
        Operand<TInt32> rows = tf.constant(new int[] {-1, (int) in});
        Operand<TFloat32> g = tf.reshape(dy, tf.constant(new int[] {-1, (int) out}));
        List<Operand<TFloat32>> perTap = new ArrayList<>(taps);
        for (int t = 0; t < taps; t++) {
            int[] begin = new int[dims + 2];
            int rest = t;
            for (int i = dims - 1; i >= 0; i--) { // row-major over the kernel axes, as the filter is laid out
                begin[i + 1] = rest % (int) filterShape[i];
                rest /= (int) filterShape[i];
            }
            // One shifted copy at a time: each tap's copy waits for the previous tap's product, so a
            // layer holds one copy of its input, not one per tap.
            Ops after = t == 0 ? tf : tf.withControlDependencies(List.of(perTap.get(t - 1)));
            Operand<TFloat32> shifted = tf.reshape(after.slice(padded, tf.constant(begin), size), rows);
            perTap.add(tf.linalg.matMul(shifted, g, MatMul.transposeA(true)));
        }
        return tf.reshape(tf.stack(perTap), tf.constant(filterShape));
    }
}
