package io.github.nnunetfiji.engine.tf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.Conv3d;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

import io.github.nnunetfiji.engine.Processor;

/**
 * Per-layer timing of the data layouts the inference graph could use on the CPU, interleaved in
 * one session: a 3x3(x3) convolution on channels-last (NHWC/NDHWC, the engine's) against
 * channels-first (NCHW/NCDHW) tensors, and instance normalization with leaky ReLU as the engine
 * builds it (transposes around one fused batch normalization over samples x channels), as one fused
 * batch normalization on a channels-first view (no transposes), and from moments on channels-last
 * (no transposes, plain arithmetic). Arguments: {@code dims batch size channels}; prints the
 * median of 6 runs per variant (after one warm-up).
 */
public final class LayoutBench {

    private LayoutBench() {
    }

    /** One variant: what it computes and the input it is fed. */
    private record Variant(Operand<TFloat32> output, Placeholder<TFloat32> input, boolean convolution) {
    }

    public static void main(String[] args) {
        OneDnnSwitch.turnOn();
        int dims = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int c = Integer.parseInt(args[3]);
        long voxels = (long) Math.pow(size, dims);
        long[] last = shape(n, dims, size, c, true);
        long[] first = shape(n, dims, size, c, false);
        long[] filter = dims == 2 ? new long[] {3, 3, c, c} : new long[] {3, 3, 3, c, c};
        ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(2)
                .setInterOpParallelismThreads(1).build();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> xLast = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(last)));
            Placeholder<TFloat32> xFirst = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(first)));
            Placeholder<TFloat32> w = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(filter)));
            List<Long> strides = dims == 2 ? List.of(1L, 1L, 1L, 1L) : List.of(1L, 1L, 1L, 1L, 1L);
            Map<String, Variant> variants = new LinkedHashMap<>();
            variants.put("conv NHWC", new Variant(dims == 2 ? tf.nn.conv2d(xLast, w, strides, "SAME")
                    : tf.nn.conv3d(xLast, w, strides, "SAME"), xLast, true));
            variants.put("conv NCHW", new Variant(dims == 2
                    ? tf.nn.conv2d(xFirst, w, strides, "SAME", Conv2d.dataFormat("NCHW"))
                    : tf.nn.conv3d(xFirst, w, strides, "SAME", Conv3d.dataFormat("NCDHW")), xFirst, true));
            Operand<TFloat32> ones = tf.fill(tf.constant(new long[] {n * c}), tf.constant(1f));
            Operand<TFloat32> zeros = tf.fill(tf.constant(new long[] {n * c}), tf.constant(0f));
            // As UNetBuilder: [N, S, C] -> [S, N, C] -> [1, S, 1, N*C], normalized, and back.
            Operand<TFloat32> moved = tf.linalg.transpose(tf.reshape(xLast, tf.constant(new long[] {n, voxels, c})),
                    tf.constant(new int[] {1, 0, 2}));
            Operand<TFloat32> built = batchNorm(tf, tf.reshape(moved, tf.constant(new long[] {1, voxels, 1, n * c})),
                    ones, zeros, "NHWC");
            Operand<TFloat32> back = tf.linalg.transpose(
                    tf.reshape(tf.nn.leakyRelu(built), tf.constant(new long[] {voxels, n, c})),
                    tf.constant(new int[] {1, 0, 2}));
            variants.put("norm NHWC+transposes", new Variant(tf.reshape(back, tf.constant(last)), xLast, false));
            Operand<TFloat32> view = tf.reshape(xFirst, tf.constant(new long[] {1, n * c, voxels, 1}));
            variants.put("norm NCHW", new Variant(tf.reshape(tf.nn.leakyRelu(batchNorm(tf, view, ones, zeros, "NCHW")),
                    tf.constant(first)), xFirst, false));
            int[] spatial = IntStream.rangeClosed(1, dims).toArray();
            Operand<TFloat32> centered = tf.math.sub(xLast, tf.math.mean(xLast, tf.constant(spatial), Mean.keepDims(true)));
            Operand<TFloat32> variance = tf.math.mean(tf.math.square(centered), tf.constant(spatial), Mean.keepDims(true));
            variants.put("norm moments NHWC", new Variant(tf.nn.leakyRelu(
                    tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, tf.constant(1e-5f))))), xLast, false));
            Random r = new Random(1);
            try (Session s = new Session(g, config); TFloat32 tLast = WeightGradientBench.random(last, r);
                    TFloat32 tFirst = WeightGradientBench.random(first, r);
                    TFloat32 tw = WeightGradientBench.random(filter, r)) {
                Map<String, List<Double>> times = new LinkedHashMap<>();
                variants.keySet().forEach(k -> times.put(k, new ArrayList<>()));
                for (int rep = 0; rep < 7; rep++) {
                    for (Map.Entry<String, Variant> e : variants.entrySet()) {
                        Variant v = e.getValue();
                        long t0 = System.nanoTime();
                        Session.Runner run = s.runner().feed(v.input(), v.input() == xLast ? tLast : tFirst);
                        if (v.convolution()) {
                            run = run.feed(w, tw);
                        }
                        try (Result res = run.fetch(v.output()).run()) {
                            if (rep > 0) {
                                times.get(e.getKey()).add((System.nanoTime() - t0) / 1e6);
                            }
                        }
                    }
                }
                for (String k : variants.keySet()) {
                    System.out.printf(Locale.ROOT, "%dD n%d %d c%d %-22s median %.1f ms | %s%n", dims, n, size, c, k,
                            InferenceAb.median(times.get(k)), Processor.current());
                }
            }
        }
    }

    private static long[] shape(int n, int dims, int size, int c, boolean channelsLast) {
        long[] s = new long[dims + 2];
        Arrays.fill(s, size);
        s[0] = n;
        s[channelsLast ? dims + 1 : 1] = c;
        return s;
    }

    private static Operand<TFloat32> batchNorm(Ops tf, Operand<TFloat32> x, Operand<TFloat32> scale,
            Operand<TFloat32> offset, String format) {
        Operand<TFloat32> empty = tf.constant(new float[0]);
        return tf.nn.fusedBatchNorm(x, scale, offset, empty, empty, FusedBatchNorm.isTraining(true),
                FusedBatchNorm.dataFormat(format)).y();
    }
}
