package io.github.nnunetfiji.engine.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Times the weight gradient of one stride-1 "same" convolution layer per formulation: TensorFlow's
 * backprop-filter op, one matrix product per filter tap, and one matrix product over all taps
 * (patches concatenated along the channels). Arguments: dims batch size cin cout [threads].
 */
public final class WeightGradientBench {

    private WeightGradientBench() {
    }

    public static void main(String[] args) {
        OneDnnSwitch.turnOn();
        int dims = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int cin = Integer.parseInt(args[3]);
        int cout = Integer.parseInt(args[4]);
        int threads = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        long[] xs = new long[dims + 2];
        long[] ys = new long[dims + 2];
        xs[0] = batch;
        ys[0] = batch;
        for (int i = 1; i <= dims; i++) {
            xs[i] = size;
            ys[i] = size;
        }
        xs[dims + 1] = cin;
        ys[dims + 1] = cout;
        int[] kernel = dims == 3 ? new int[] {3, 3, 3} : new int[] {3, 3};
        long[] wshape = new TfLayout(dims).filterShape(kernel, cin, cout);
        ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(1).build();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(xs)));
            Placeholder<TFloat32> dy = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(ys)));
            Placeholder<TFloat32> w = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(wshape)));
            List<String> names = new ArrayList<>();
            List<Operand<TFloat32>> outs = new ArrayList<>();
            List<Long> strides = dims == 3 ? List.of(1L, 1L, 1L, 1L, 1L) : List.of(1L, 1L, 1L, 1L);
            names.add("forward conv");
            outs.add(dims == 3 ? tf.nn.conv3d(x, w, strides, "SAME") : tf.nn.conv2d(x, w, strides, "SAME"));
            names.add("backprop input");
            outs.add(dims == 3 ? tf.nn.conv3dBackpropInput(tf.constant(toInt(xs)), w, dy, strides, "SAME")
                    : tf.nn.conv2dBackpropInput(tf.constant(toInt(xs)), w, dy, strides, "SAME"));
            names.add("backprop filter op");
            outs.add(dims == 3 ? tf.nn.conv3dBackpropFilter(x, tf.constant(toInt(wshape)), dy, strides, "SAME")
                    : tf.nn.conv2dBackpropFilter(x, tf.constant(toInt(wshape)), dy, strides, "SAME"));
            names.add("per-tap matmul");
            outs.add(ConvWeightGradient.of(tf, x, dy, wshape));
            names.add("patch matmul");
            outs.add(patches(tf, x, dy, dims, cin, cout, wshape));
            Random r = new Random(3);
            try (Session s = new Session(g, config);
                    TFloat32 xt = random(xs, r); TFloat32 dyt = random(ys, r); TFloat32 wt = random(wshape, r)) {
                float[] reference = null;
                for (int m = 0; m < outs.size(); m++) {
                    long best = Long.MAX_VALUE;
                    float[] value = null;
                    for (int rep = 0; rep < 4; rep++) {
                        long t0 = System.nanoTime();
                        try (Result res = s.runner().feed(x, xt).feed(dy, dyt).feed(w, wt).fetch(outs.get(m)).run()) {
                            long t = System.nanoTime() - t0;
                            if (rep > 0) {
                                best = Math.min(best, t);
                            }
                            value = Tensors.read(res.get(0));
                        }
                    }
                    String diff = "";
                    if (m == 2) {
                        reference = value;
                    } else if (m > 2) {
                        double max = 0;
                        double scale = 0;
                        for (int i = 0; i < value.length; i++) {
                            max = Math.max(max, Math.abs(value[i] - reference[i]));
                            scale = Math.max(scale, Math.abs(reference[i]));
                        }
                        diff = String.format(Locale.ROOT, " max rel diff %.2e", max / scale);
                    }
                    System.out.printf(Locale.ROOT, "%dD n%d %d^%d %3d->%3d %-22s %8.1f ms%s%n", dims, batch, size, dims,
                            cin, cout, names.get(m), best / 1e6, diff);
                }
            }
        }
    }

    private static int[] toInt(long[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (int) v[i];
        }
        return r;
    }

    /** A tensor of standard normal values, for the benchmarks. */
    static TFloat32 random(long[] shape, Random r) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensors.floats(shape, v);
    }

    private static Operand<TFloat32> padded(Ops tf, Operand<TFloat32> x, int dims) {
        int[][] pad = new int[dims + 2][2];
        for (int i = 1; i <= dims; i++) {
            pad[i][0] = 1;
            pad[i][1] = 1;
        }
        return tf.pad(x, tf.constant(pad), tf.constant(0f));
    }

    private static List<Operand<TFloat32>> taps(Ops tf, Operand<TFloat32> x, int dims) {
        Operand<TFloat32> p = padded(tf, x, dims);
        Operand<TInt32> shape = tf.shape(x);
        List<Operand<TFloat32>> r = new ArrayList<>();
        int taps = dims == 3 ? 27 : 9;
        for (int t = 0; t < taps; t++) {
            int[] begin = new int[dims + 2];
            int rest = t;
            for (int i = dims; i >= 1; i--) {
                begin[i] = rest % 3;
                rest /= 3;
            }
            r.add(tf.slice(p, tf.constant(begin), shape));
        }
        return r;
    }

    private static Operand<TFloat32> patches(Ops tf, Operand<TFloat32> x, Operand<TFloat32> dy, int dims, long cin,
            long cout, long[] wshape) {
        Operand<TFloat32> g = tf.reshape(dy, tf.constant(new long[] {-1, cout}));
        Operand<TFloat32> cols = tf.concat(taps(tf, x, dims), tf.constant(dims + 1));
        int taps = dims == 3 ? 27 : 9;
        return tf.reshape(tf.linalg.matMul(tf.reshape(cols, tf.constant(new long[] {-1, taps * cin})), g,
                MatMul.transposeA(true)), tf.constant(wshape));
    }
}
