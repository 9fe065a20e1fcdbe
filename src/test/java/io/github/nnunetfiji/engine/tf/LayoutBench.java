package io.github.nnunetfiji.engine.tf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.Conv3d;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

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

    public static void main(String[] a) {
        OneDnnSwitch.turnOn();
        int dims = Integer.parseInt(a[0]), n = Integer.parseInt(a[1]), size = Integer.parseInt(a[2]);
        int c = Integer.parseInt(a[3]);
        long[] nhwc = dims == 2 ? new long[] {n, size, size, c} : new long[] {n, size, size, size, c};
        long[] nchw = dims == 2 ? new long[] {n, c, size, size} : new long[] {n, c, size, size, size};
        long[] w = dims == 2 ? new long[] {3, 3, c, c} : new long[] {3, 3, 3, c, c};
        ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(2).setInterOpParallelismThreads(1).build();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> xl = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(nhwc)));
            Placeholder<TFloat32> xf = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(nchw)));
            Placeholder<TFloat32> wt = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(w)));
            List<Long> s = dims == 2 ? List.of(1L, 1L, 1L, 1L) : List.of(1L, 1L, 1L, 1L, 1L);
            Map<String, Operand<TFloat32>> outs = new LinkedHashMap<>();
            Map<String, Placeholder<TFloat32>> ins = new LinkedHashMap<>();
            outs.put("conv NHWC", dims == 2 ? tf.nn.conv2d(xl, wt, s, "SAME") : tf.nn.conv3d(xl, wt, s, "SAME")); ins.put("conv NHWC", xl);
            outs.put("conv NCHW", dims == 2 ? tf.nn.conv2d(xf, wt, s, "SAME", Conv2d.dataFormat("NCHW")) : tf.nn.conv3d(xf, wt, s, "SAME", Conv3d.dataFormat("NCDHW"))); ins.put("conv NCHW", xf);
            // instance norm NHWC via transposes (as UNetBuilder): [N,S,C] -> [S,N,C] -> [1,S,1,N*C]
            long vox = dims == 2 ? (long) size * size : (long) size * size * size;
            Operand<TFloat32> flat = tf.reshape(xl, tf.constant(new long[] {n, vox, c}));
            Operand<TFloat32> moved = tf.linalg.transpose(flat, tf.constant(new int[] {1, 0, 2}));
            Operand<TFloat32> v = tf.reshape(moved, tf.constant(new long[] {1, vox, 1, n * c}));
            Operand<TFloat32> ones = tf.fill(tf.constant(new long[] {n * c}), tf.constant(1f));
            Operand<TFloat32> zeros = tf.fill(tf.constant(new long[] {n * c}), tf.constant(0f));
            Operand<TFloat32> empty = tf.constant(new float[0]);
            Operand<TFloat32> y = tf.nn.fusedBatchNorm(v, ones, zeros, empty, empty, FusedBatchNorm.isTraining(true), FusedBatchNorm.dataFormat("NHWC")).y();
            Operand<TFloat32> back = tf.linalg.transpose(tf.reshape(tf.nn.leakyRelu(y), tf.constant(new long[] {vox, n, c})), tf.constant(new int[] {1, 0, 2}));
            outs.put("norm NHWC+transposes", tf.reshape(back, tf.constant(nhwc))); ins.put("norm NHWC+transposes", xl);
            Operand<TFloat32> vf = tf.reshape(xf, tf.constant(new long[] {1, n * c, vox, 1}));
            Operand<TFloat32> yf = tf.nn.fusedBatchNorm(vf, ones, zeros, empty, empty, FusedBatchNorm.isTraining(true), FusedBatchNorm.dataFormat("NCHW")).y();
            outs.put("norm NCHW", tf.reshape(tf.nn.leakyRelu(yf), tf.constant(nchw))); ins.put("norm NCHW", xf);
            // moments-based on NHWC without transposes
            List<Integer> ax = new ArrayList<>(); for (int i = 1; i <= dims; i++) ax.add(i);
            Operand<TFloat32> mean = tf.math.mean(xl, tf.constant(ax.stream().mapToInt(i->i).toArray()), org.tensorflow.op.math.Mean.keepDims(true));
            Operand<TFloat32> cen = tf.math.sub(xl, mean);
            Operand<TFloat32> var = tf.math.mean(tf.math.square(cen), tf.constant(ax.stream().mapToInt(i->i).toArray()), org.tensorflow.op.math.Mean.keepDims(true));
            outs.put("norm moments NHWC", tf.nn.leakyRelu(tf.math.mul(cen, tf.math.rsqrt(tf.math.add(var, tf.constant(1e-5f)))))); ins.put("norm moments NHWC", xl);
            Random r = new Random(1);
            try (Session ss = new Session(g, config); TFloat32 tl = rnd(nhwc, r); TFloat32 tfst = rnd(nchw, r); TFloat32 tw = rnd(w, r)) {
                Map<String, List<Double>> times = new LinkedHashMap<>();
                for (String k : outs.keySet()) times.put(k, new ArrayList<>());
                for (int rep = 0; rep < 7; rep++) for (String k : outs.keySet()) {
                    long t0 = System.nanoTime();
                    Session.Runner run = ss.runner().feed(ins.get(k), ins.get(k) == xl ? tl : tfst);
                    if (k.startsWith("conv")) run = run.feed(wt, tw);
                    try (Result res = run.fetch(outs.get(k)).run()) { }
                    if (rep > 0) times.get(k).add((System.nanoTime() - t0) / 1e6);
                }
                for (String k : outs.keySet()) System.out.printf(Locale.ROOT, "%dD n%d %d c%d %-22s median %.1f ms | %s%n", dims, n, size, c, k, InferenceAb.median(times.get(k)),
                        io.github.nnunetfiji.engine.Processor.current());
            }
        }
    }
    static TFloat32 rnd(long[] shape, Random r) { long k = 1; for (long x : shape) k *= x; float[] v = new float[(int) k]; for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian(); return Tensors.floats(shape, v); }
}
