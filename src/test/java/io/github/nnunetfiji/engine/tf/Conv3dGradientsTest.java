package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The Java gradients of the 3D convolution ops against TensorFlow's native gradients of the 2D ops,
 * on volumes of depth 1 with kernels of depth 1, where both compute the same function.
 */
class Conv3dGradientsTest {

    private static final Random RANDOM = new Random(42);

    @BeforeAll
    static void register() {
        Conv3dGradients.registerOnce();
    }

    /** Builds f(a, b) -> y, sums y times a fixed random tensor, returns [value, d/da, d/db]. */
    private static float[][] gradients(long[] aShape, float[] a, long[] bShape, float[] b, long[] yShape,
            float[] weights, BiFunction<Ops, List<Operand<TFloat32>>, Operand<TFloat32>> f) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> ca = tf.constant(Shape.of(aShape), DataBuffers.of(a, true, false));
            Operand<TFloat32> cb = tf.constant(Shape.of(bShape), DataBuffers.of(b, true, false));
            Operand<TFloat32> y = f.apply(tf, List.of(ca, cb));
            Operand<TFloat32> r = tf.constant(Shape.of(yShape), DataBuffers.of(weights, true, false));
            Operand<TFloat32> loss = tf.sum(tf.math.mul(y, r), tf.constant(allAxes(yShape.length)));
            Output<?>[] d = g.addGradients(loss.asOutput(), new Output<?>[] {ca.asOutput(), cb.asOutput()});
            try (Session s = new Session(g); Result res = s.runner().fetch(loss).fetch(d[0]).fetch(d[1]).run()) {
                return new float[][] {Tensors.read(res.get(0)), Tensors.read(res.get(1)), Tensors.read(res.get(2))};
            }
        }
    }

    private static int[] allAxes(int rank) {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) {
            a[i] = i;
        }
        return a;
    }

    private static float[] random(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) RANDOM.nextGaussian();
        }
        return v;
    }

    private static void assertSame(float[][] native2d, float[][] custom3d) {
        assertEquals(native2d[0][0], custom3d[0][0], 1e-4 * (1 + Math.abs(native2d[0][0])));
        for (int i = 1; i < 3; i++) {
            float scale = 0;
            for (float v : native2d[i]) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertArrayEquals(native2d[i], custom3d[i], 1e-5f * Math.max(1, scale));
        }
    }

    @Test
    void conv3dMatchesConv2d() {
        for (int stride : new int[] {1, 2}) {
            long n = 2, h = 6, w = 5, c = 3, o = 4;
            long ho = (h + stride - 1) / stride, wo = (w + stride - 1) / stride;
            float[] x = random(n, h, w, c);
            float[] k = random(3, 3, c, o);
            float[] r = random(n, ho, wo, o);
            List<Long> s2 = List.of(1L, (long) stride, (long) stride, 1L);
            List<Long> s3 = List.of(1L, 1L, (long) stride, (long) stride, 1L);
            float[][] native2d = gradients(new long[] {n, h, w, c}, x, new long[] {3, 3, c, o}, k,
                    new long[] {n, ho, wo, o}, r, (tf, in) -> tf.nn.conv2d(in.get(0), in.get(1), s2, "SAME"));
            float[][] custom3d = gradients(new long[] {n, 1, h, w, c}, x, new long[] {1, 3, 3, c, o}, k,
                    new long[] {n, 1, ho, wo, o}, r, (tf, in) -> tf.nn.conv3d(in.get(0), in.get(1), s3, "SAME"));
            assertSame(native2d, custom3d);
        }
    }

    @Test
    void transposedConv3dMatchesTransposedConv2d() {
        long n = 2, h = 3, w = 4, c = 5, o = 3;
        float[] gIn = random(n, h, w, c);
        float[] k = random(2, 2, o, c);
        float[] r = random(n, 2 * h, 2 * w, o);
        List<Long> s2 = List.of(1L, 2L, 2L, 1L);
        List<Long> s3 = List.of(1L, 1L, 2L, 2L, 1L);
        float[][] native2d = gradients(new long[] {2, 2, o, c}, k, new long[] {n, h, w, c}, gIn,
                new long[] {n, 2 * h, 2 * w, o}, r, (tf, in) -> tf.nn.conv2dBackpropInput(
                        tf.constant(new int[] {(int) n, (int) (2 * h), (int) (2 * w), (int) o}), in.get(0), in.get(1),
                        s2, "VALID"));
        float[][] custom3d = gradients(new long[] {1, 2, 2, o, c}, k, new long[] {n, 1, h, w, c}, gIn,
                new long[] {n, 1, 2 * h, 2 * w, o}, r, (tf, in) -> tf.nn.conv3dBackpropInput(
                        tf.constant(new int[] {(int) n, 1, (int) (2 * h), (int) (2 * w), (int) o}), in.get(0),
                        in.get(1), s3, "VALID"));
        assertSame(native2d, custom3d);
    }

    /**
     * TensorFlow has no native gradient of the 2D filter backprop either; its reference is the
     * adjoint identity sum(backprop_filter(x, dy) * r) = sum(conv2d(x, r) * dy), whose gradients are
     * native.
     */
    @Test
    void conv3dBackpropFilterMatchesAdjointOfConv2d() {
        long n = 2, h = 6, w = 5, c = 3, o = 4;
        float[] x = random(n, h, w, c);
        float[] dy = random(n, h, w, o);
        float[] r = random(3, 3, c, o);
        float[] ones = new float[(int) (n * h * w * o)];
        java.util.Arrays.fill(ones, 1f);
        List<Long> s2 = List.of(1L, 1L, 1L, 1L);
        List<Long> s3 = List.of(1L, 1L, 1L, 1L, 1L);
        float[][] native2d = gradients(new long[] {n, h, w, c}, x, new long[] {n, h, w, o}, dy,
                new long[] {n, h, w, o}, ones, (tf, in) -> tf.math.mul(tf.nn.conv2d(in.get(0),
                        tf.constant(Shape.of(3, 3, c, o), DataBuffers.of(r, true, false)), s2, "SAME"), in.get(1)));
        float[][] custom3d = gradients(new long[] {n, 1, h, w, c}, x, new long[] {n, 1, h, w, o}, dy,
                new long[] {1, 3, 3, c, o}, r, (tf, in) -> tf.nn.conv3dBackpropFilter(in.get(0),
                        tf.constant(new int[] {1, 3, 3, (int) c, (int) o}), in.get(1), s3, "SAME"));
        assertSame(native2d, custom3d);
    }
}
