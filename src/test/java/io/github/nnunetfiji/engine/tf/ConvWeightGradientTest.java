package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.Processor;
import io.github.nnunetfiji.engine.SphereData;
import io.github.nnunetfiji.engine.LossSpec;

/**
 * The weight gradient as products per filter tap against TensorFlow's backprop-filter ops, per layer
 * (2D and 3D, odd and anisotropic sizes) and for whole networks; when it is chosen; and that training
 * with it stays bit-deterministic.
 */
class ConvWeightGradientTest {

    private static final Random RANDOM = new Random(5);

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

    private static int[] ints(long[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (int) v[i];
        }
        return r;
    }

    /** Per-tap products and the op on the same x and dy agree to float32 rounding. */
    private static void assertMatchesOp(long[] xShape, long[] filterShape) {
        int dims = xShape.length - 2;
        long[] yShape = xShape.clone();
        yShape[dims + 1] = filterShape[dims + 1];
        float[] xv = random(xShape);
        float[] dyv = random(yShape);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> x = tf.constant(Shape.of(xShape), DataBuffers.of(xv, true, false));
            Operand<TFloat32> dy = tf.constant(Shape.of(yShape), DataBuffers.of(dyv, true, false));
            List<Long> strides = dims == 3 ? List.of(1L, 1L, 1L, 1L, 1L) : List.of(1L, 1L, 1L, 1L);
            Operand<TFloat32> op = dims == 3
                    ? tf.nn.conv3dBackpropFilter(x, tf.constant(ints(filterShape)), dy, strides, "SAME")
                    : tf.nn.conv2dBackpropFilter(x, tf.constant(ints(filterShape)), dy, strides, "SAME");
            Operand<TFloat32> taps = ConvWeightGradient.of(tf, x, dy, filterShape);
            try (Session s = new Session(g); Result r = s.runner().fetch(op).fetch(taps).run()) {
                assertArrayEquals(filterShape, r.get(1).shape().asArray());
                float[] expected = Tensors.read(r.get(0));
                float[] actual = Tensors.read(r.get(1));
                float scale = 0;
                for (float v : expected) {
                    scale = Math.max(scale, Math.abs(v));
                }
                assertTrue(scale > 1, "a gradient worth comparing");
                assertArrayEquals(expected, actual, 1e-5f * scale);
            }
        }
    }

    @Test
    void equalsBackpropFilterIn2d() {
        assertMatchesOp(new long[] {2, 7, 5, 4}, new long[] {3, 3, 4, 3});
        assertMatchesOp(new long[] {3, 9, 6, 2}, new long[] {5, 3, 2, 5});
        assertMatchesOp(new long[] {1, 4, 11, 3}, new long[] {1, 3, 3, 2});
    }

    @Test
    void equalsBackpropFilterIn3d() {
        assertMatchesOp(new long[] {2, 5, 4, 3, 3}, new long[] {3, 3, 3, 3, 4});
        assertMatchesOp(new long[] {1, 3, 7, 5, 2}, new long[] {1, 3, 3, 2, 3});
        assertMatchesOp(new long[] {2, 6, 5, 3, 4}, new long[] {3, 5, 1, 4, 2});
    }

    @Test
    void onlyStrideOneOddKernelsWithSeveralInputChannels() {
        assertTrue(ConvWeightGradient.eligible(new int[] {3, 3, 1}, new int[] {1, 1, 1}, 8));
        assertFalse(ConvWeightGradient.eligible(new int[] {3, 3}, new int[] {2, 2}, 8));
        assertFalse(ConvWeightGradient.eligible(new int[] {2, 3}, new int[] {1, 1}, 8));
        assertFalse(ConvWeightGradient.eligible(new int[] {3, 3}, new int[] {1, 1}, 1));
        assertThrows(IllegalArgumentException.class, () -> ConvWeightGradient.of(null, null, null,
                new long[] {2, 3, 4, 4}));
    }

    @Test
    void chosenWhereOneDnnRunsAvx2Kernels() {
        Processor avx2 = Processor.of("Zen 3", List.of("avx", "avx2", "fma"));
        Processor avx512 = Processor.of("Zen 4", List.of("avx", "avx2", "avx512f"));
        assertEquals(ConvWeightGradient.Mode.MATMUL, ConvWeightGradient.Mode.choose(avx2, Map.of()));
        assertEquals(ConvWeightGradient.Mode.OP, ConvWeightGradient.Mode.choose(avx512, Map.of()));
        assertEquals(ConvWeightGradient.Mode.MATMUL,
                ConvWeightGradient.Mode.choose(avx512, Map.of("ONEDNN_MAX_CPU_ISA", "AVX2")));
        assertEquals(ConvWeightGradient.Mode.OP,
                ConvWeightGradient.Mode.choose(avx512, Map.of("ONEDNN_MAX_CPU_ISA", "AVX512_CORE")));
        assertEquals(ConvWeightGradient.Mode.OP, ConvWeightGradient.Mode.choose(Processor.unknown("arm"), Map.of()));
        String before = System.getProperty(ConvWeightGradient.PROPERTY);
        try {
            System.setProperty(ConvWeightGradient.PROPERTY, "matmul");
            assertEquals(ConvWeightGradient.Mode.MATMUL, ConvWeightGradient.Mode.choose(avx512, Map.of()));
            System.setProperty(ConvWeightGradient.PROPERTY, "op");
            assertEquals(ConvWeightGradient.Mode.OP, ConvWeightGradient.Mode.choose(avx2, Map.of()));
            System.setProperty(ConvWeightGradient.PROPERTY, "fast");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConvWeightGradient.Mode.choose(avx2, Map.of()));
            assertTrue(e.getMessage().contains(ConvWeightGradient.PROPERTY), e.getMessage());
        } finally {
            restore(before);
        }
    }

    private static void restore(String before) {
        if (before == null) {
            System.clearProperty(ConvWeightGradient.PROPERTY);
        } else {
            System.setProperty(ConvWeightGradient.PROPERTY, before);
        }
    }

    /** An engine whose training graphs use the given mode, whatever this processor is. */
    private static TfEngine engine(ConvWeightGradient.Mode mode) {
        String before = System.getProperty(ConvWeightGradient.PROPERTY);
        try {
            System.setProperty(ConvWeightGradient.PROPERTY, mode.name().toLowerCase(java.util.Locale.ROOT));
            TfEngine e = new TfEngine(EngineOptions.cpu(2));
            assertEquals(mode, e.weightGradients());
            return e;
        } finally {
            restore(before);
        }
    }

    private static long perTapOps(TfNetwork net) {
        long[] n = {0};
        net.trainingGraph().graph.operations().forEachRemaining(op -> {
            if (op.name().startsWith("weight_gradients/") && op.type().equals("MatMul")) {
                n[0]++;
            }
        });
        return n[0];
    }

    /** Whole-network gradients of both modes from the same weights and batch. */
    private static void assertSameNetworkGradients(NetworkSpec spec, int[] patch, long expectedTapProducts) {
        Batch batch = new SphereData(patch, 4, 0.5).batch(2);
        try (TfEngine opEngine = engine(ConvWeightGradient.Mode.OP);
                TfEngine tapEngine = engine(ConvWeightGradient.Mode.MATMUL);
                TfNetwork op = TfNetwork.create(opEngine, spec); TfNetwork taps = TfNetwork.create(tapEngine, spec)) {
            assertEquals(0, perTapOps(op));
            assertEquals(expectedTapProducts, perTapOps(taps));
            taps.setWeights(op.weights());
            Map<String, float[]> expected = op.gradients(batch);
            Map<String, float[]> actual = taps.gradients(batch);
            assertEquals(expected.keySet(), actual.keySet());
            for (String name : expected.keySet()) {
                float scale = 0;
                for (float v : expected.get(name)) {
                    scale = Math.max(scale, Math.abs(v));
                }
                assertArrayEquals(expected.get(name), actual.get(name), 1e-4f * scale + 1e-7f, name);
            }
            assertEquals(op.loss(batch), taps.loss(batch), 1e-6f);
        }
    }

    @Test
    void networkGradientsEqualTheOpsIn2d() {
        NetworkSpec spec = NetworkSpec.uniformBuilder(2, 1, 2, 3, 4, 16)
                .deepSupervision(true).build();
        // Stage 0: enc .a has one input channel (op), enc .b, dec .a, dec .b per tap; stages 1 and 2 the
        // same, less the strided first convolutions: 3 + 3 + 1 convolutions of 9 taps.
        assertSameNetworkGradients(spec, new int[] {12, 20}, 7 * 9);
    }

    @Test
    void networkGradientsEqualTheOpsIn3d() {
        NetworkSpec.Builder specBuilder = NetworkSpec.uniformBuilder(3, 1, 2, 2, 4, 8);
        specBuilder.kernelSize(0, new int[] {3, 3, 1});
        specBuilder.poolStride(0, new int[] {2, 2, 1});
        specBuilder.loss(LossSpec.defaults().withBatchDice(false));
        NetworkSpec spec = specBuilder.build();
        // enc0.b, dec0.a, dec0.b with 3x3x1 kernels; enc1.b with 3x3x3.
        assertSameNetworkGradients(spec, new int[] {10, 6, 5}, 3 * 9 + 27);
    }

    @Test
    void trainingWithProductsPerTapIsBitDeterministic() {
        NetworkSpec spec = NetworkSpec.uniformBuilder(3, 1, 2, 2, 6, 12)
                .seed(3).build();
        SphereData data = new SphereData(new int[] {12, 10, 8}, 9, 0.5);
        Batch[] batches = {data.batch(2), data.batch(2), data.batch(2)};
        try (TfEngine engine = engine(ConvWeightGradient.Mode.MATMUL);
                TfNetwork a = TfNetwork.create(engine, spec); TfNetwork b = TfNetwork.create(engine, spec)) {
            for (Batch batch : batches) {
                assertEquals(Float.floatToRawIntBits(a.trainStep(batch)), Float.floatToRawIntBits(b.trainStep(batch)));
            }
            Map<String, float[]> wa = a.weights();
            Map<String, float[]> wb = b.weights();
            for (String name : wa.keySet()) {
                assertArrayEquals(wa.get(name), wb.get(name), name);
            }
        }
    }
}
