package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.TensorLayout;

/**
 * {@link EngineOptions#weightsAsInputs} against the model file's graph with its constants: every
 * weight becomes a placeholder fed with its values, and a trained network's probabilities are the
 * same, in 2D and anisotropic 3D, also in sample-wise inference (a graph rebuilt from the weights).
 */
class WeightInputsTest {

    @TempDir
    Path dir;

    @Test
    void everyWeightBecomesAnInputWithItsValues() throws IOException {
        NetworkSpec spec = NetworkSpec.uniformBuilder(2, 1, 3, 3, 4, 16).build();
        Path model = dir.resolve("m");
        Map<String, float[]> weights;
        try (TfEngine engine = new TfEngine(EngineOptions.cpu(2)); Network net = engine.create(spec)) {
            weights = net.weights();
            net.exportInferenceModel(model);
        }
        InferenceModelFiles.Loaded loaded = InferenceModelFiles.read(model);
        Map<String, float[]> constants = FrozenGraphWeights.read(loaded.graph());
        try (WeightInputs w = WeightInputs.of(loaded.graph())) {
            long bigConstants = constants.values().stream().filter(v -> v.length > 1).count();
            assertEquals(bigConstants, w.tensors().size());
            assertTrue(w.tensors().size() >= weights.size() - 1, "the parameters: " + w.tensors().keySet());
            for (Map.Entry<String, org.tensorflow.types.TFloat32> e : w.tensors().entrySet()) {
                assertArrayEquals(constants.get(e.getKey()), Tensors.read(e.getValue()), e.getKey());
                NodeDef node = w.graph().getNodeList().stream().filter(n -> n.getName().equals(e.getKey())).findFirst()
                        .orElseThrow();
                assertEquals("Placeholder", node.getOp());
                assertEquals(DataType.DT_FLOAT, node.getAttrMap().get("dtype").getType());
            }
            long weightBytes = 4L * w.tensors().values().stream().mapToLong(t -> t.size()).sum();
            assertTrue(w.graph().getSerializedSize() <= loaded.graph().getSerializedSize() - weightBytes,
                    "the graph lost its weights' bytes: " + w.graph().getSerializedSize() + " of "
                            + loaded.graph().getSerializedSize() + " bytes, " + weightBytes + " of weights");
            assertTrue(FrozenGraphWeights.read(w.graph()).values().stream().allMatch(v -> v.length <= 1),
                    "no weight left as a constant");
        }
    }

    @Test
    void onTheCpuInFloat32Only() {
        EngineOptions cpu = EngineOptions.cpu(2);
        try (TfEngine on = new TfEngine(cpu); TfEngine off = new TfEngine(cpu.withWeightsAsInputs(false));
                TfEngine mixed = new TfEngine(cpu.withPrecision(EngineOptions.Precision.MIXED_BFLOAT16)
                        .withAllowEmulatedBfloat16(true))) {
            assertTrue(on.weightsAsInputs());
            assertTrue(!off.weightsAsInputs());
            assertTrue(mixed.mixedPrecision());
            assertTrue(!mixed.weightsAsInputs(), "mixed precision keeps the weights constants");
        }
    }

    @Test
    void twoDimensionalProbabilitiesAreTheSame() throws IOException {
        compare(NetworkSpec.uniformBuilder(2, 1, 3, 4, 6, 48).build(), new int[] {32, 40}, 3, false);
    }

    @Test
    void threeDimensionalProbabilitiesAreTheSame() throws IOException {
        compare(NetworkSpec.uniformBuilder(3, 2, 2, 3, 4, 16).build(), new int[] {16, 24, 8}, 2, false);
    }

    @Test
    void sampleWiseProbabilitiesAreTheSame() throws IOException {
        compare(NetworkSpec.uniformBuilder(2, 1, 3, 4, 6, 48).build(), new int[] {32, 40}, 2, true);
    }

    private void compare(NetworkSpec spec, int[] patch, int samples, boolean sampleWise) throws IOException {
        int values = (int) TensorLayout.voxels(patch) * spec.inputChannels();
        Random r = new Random(5);
        float[] images = new float[samples * values];
        for (int i = 0; i < images.length; i++) {
            images[i] = (i / values) * 3 - 1 + (float) r.nextGaussian();
        }
        byte[] labels = new byte[samples * (int) TensorLayout.voxels(patch)];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) r.nextInt(spec.classes());
        }
        Path model = dir.resolve("model" + spec.dims() + sampleWise);
        EngineOptions o = EngineOptions.cpu(2).withSampleWiseInference(sampleWise);
        try (TfEngine inputs = new TfEngine(o); TfEngine constants = new TfEngine(o.withWeightsAsInputs(false))) {
            try (Network net = inputs.create(spec)) {
                for (int i = 0; i < 3; i++) {
                    net.trainStep(new Batch(samples, patch, spec.inputChannels(), images, labels));
                }
                net.exportInferenceModel(model);
            }
            Batch batch = Batch.images(samples, patch, spec.inputChannels(), images);
            float[] p;
            float[] q;
            try (InferenceModel m = inputs.loadInferenceModel(model)) {
                p = m.predict(batch);
                assertArrayEquals(p, m.predict(batch), "the fed weights stay as they were");
            }
            try (InferenceModel m = constants.loadInferenceModel(model)) {
                q = m.predict(batch);
            }
            float lo = 1;
            float hi = 0;
            for (float v : p) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            assertTrue(hi - lo > 0.1, "the probabilities vary: " + lo + " to " + hi);
            double max = 0;
            for (int i = 0; i < p.length; i++) {
                max = Math.max(max, Math.abs(p[i] - q[i]));
            }
            assertTrue(max <= 1e-6, "weights as inputs changed the probabilities by " + max);
        }
    }
}
