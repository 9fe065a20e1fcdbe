package io.github.nnunetfiji.inference.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.io.torch.TorchCheckpoint;
import io.github.nnunetfiji.io.torch.TorchTensor;

/**
 * U-Nets with the reference's PlainConvUNet names and layout, built and run by PyTorch 1.13
 * (src/test/resources/.../inference/reference/make_reference_unets.py): imported through their
 * plans.json and checkpoint, the engine gives PyTorch's probabilities to 1e-4, in 2D and in 3D with
 * anisotropic kernels and strides, from a checkpoint and from the exported inference model.
 */
class ReferenceWeightsTest {

    static final Path FIXTURES = Path.of("src/test/resources/io/github/nnunetfiji/inference/reference");

    static Engine engine;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        engine = EngineLoader.fromClassPath(EngineOptions.cpu(2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static JsonObject configuration(String name) throws IOException {
        JsonObject plans = JsonParser.parseString(Files.readString(FIXTURES.resolve(name + "_plans.json")))
                .getAsJsonObject().getAsJsonObject("configurations");
        return plans.getAsJsonObject(plans.keySet().iterator().next());
    }

    @Test
    void twoDimensionalUNetPredictsAsPyTorch() throws IOException {
        NetworkSpec spec = checkSameProbabilities("2d");
        assertEquals(2, spec.dims());
        assertArrayEquals(new int[] {4, 8, 16}, spec.features());
    }

    @Test
    void anisotropicThreeDimensionalUNetPredictsAsPyTorch() throws IOException {
        NetworkSpec spec = checkSameProbabilities("3d");
        // The reference's [[1, 3, 3], ...] (z, y, x) is the engine's x, y, z.
        assertArrayEquals(new int[] {3, 3, 1}, spec.kernelSize(0));
        assertArrayEquals(new int[] {2, 2, 1}, spec.poolStride(0));
        assertEquals(2, spec.inputChannels());
    }

    private NetworkSpec checkSameProbabilities(String name) throws IOException {
        Path engineCheckpoint = tmp.resolve(name + ".ckpt");
        NetworkSpec spec = ReferenceImport.toEngineCheckpoint(engine, configuration(name),
                FIXTURES.resolve(name + "_checkpoint.pth"), engineCheckpoint);
        TorchCheckpoint io = TorchCheckpoint.read(FIXTURES.resolve(name + "_io.pth"));
        TorchTensor input = (TorchTensor) io.get("input");
        TorchTensor probabilities = (TorchTensor) io.get("probabilities");
        long[] s = input.shape(); // [N, C, (D,) H, W]
        int[] shape = new int[s.length - 2]; // x, y(, z)
        for (int a = 0; a < shape.length; a++) {
            shape[a] = (int) s[s.length - 1 - a];
        }
        Batch batch = Batch.images((int) s[0], shape, (int) s[1], channelsLast(input.values(), s));
        float[] want = channelsLast(probabilities.values(), probabilities.shape());
        try (Network net = engine.loadCheckpoint(engineCheckpoint)) {
            assertClose(want, net.predict(batch), name + " checkpoint");
            Path model = tmp.resolve(name + "-model");
            net.exportInferenceModel(model);
            try (InferenceModel m = engine.loadInferenceModel(model)) {
                assertClose(want, m.predict(batch), name + " inference model");
            }
        }
        return spec;
    }

    /** PyTorch's {@code [N, C, S...]} to the engine's {@code [N, S..., C]}. */
    static float[] channelsLast(float[] v, long[] shape) {
        int n = (int) shape[0];
        int c = (int) shape[1];
        int voxels = v.length / (n * c);
        float[] r = new float[v.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int x = 0; x < voxels; x++) {
                    r[(i * voxels + x) * c + ch] = v[(i * c + ch) * voxels + x];
                }
            }
        }
        return r;
    }

    private static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        assertTrue(worst < 1e-4, what + ": largest difference " + worst);
    }

    @Test
    void whatDoesNotMapIsRefusedByName() throws IOException {
        TorchCheckpoint c = TorchCheckpoint.read(FIXTURES.resolve("2d_checkpoint.pth"));
        Map<String, TorchTensor> sd = c.tensors("network_weights");
        JsonObject conf = configuration("2d");
        NetworkSpec spec = ReferenceImport.spec(conf, sd, "2d");

        Map<String, TorchTensor> extra = new LinkedHashMap<>(sd);
        extra.put("encoder.stages.0.0.convs.0.norm.running_mean", sd.get("encoder.stages.0.0.convs.0.norm.bias"));
        ReferenceModelException e = assertThrows(ReferenceModelException.class,
                () -> ReferenceWeights.map(spec, extra, "2d"));
        assertTrue(e.getMessage().contains("encoder.stages.0.0.convs.0.norm.running_mean"), e.getMessage());

        Map<String, TorchTensor> lacking = new LinkedHashMap<>(sd);
        lacking.remove("decoder.transpconvs.1.bias");
        e = assertThrows(ReferenceModelException.class, () -> ReferenceWeights.map(spec, lacking, "2d"));
        assertTrue(e.getMessage().contains("decoder.transpconvs.1.bias"), e.getMessage());

        NetworkSpec wider = spec.toBuilder().features(new int[] {4, 8, 32}).build();
        e = assertThrows(ReferenceModelException.class, () -> ReferenceWeights.map(wider, sd, "2d"));
        assertTrue(e.getMessage().contains("encoder.stages.2.0.convs.0.conv.weight has the shape"), e.getMessage());

        JsonObject residual = conf.deepCopy();
        residual.getAsJsonObject("architecture").addProperty("network_class_name",
                "dynamic_network_architectures.architectures.unet.ResidualEncoderUNet");
        e = assertThrows(ReferenceModelException.class, () -> ReferenceImport.spec(residual, sd, "plans.json"));
        assertTrue(e.getMessage().contains("ResidualEncoderUNet"), e.getMessage());

        JsonObject batchNorm = conf.deepCopy();
        batchNorm.getAsJsonObject("architecture").getAsJsonObject("arch_kwargs").addProperty("norm_op",
                "torch.nn.modules.batchnorm.BatchNorm2d");
        e = assertThrows(ReferenceModelException.class, () -> ReferenceImport.spec(batchNorm, sd, "plans.json"));
        assertTrue(e.getMessage().contains("BatchNorm2d"), e.getMessage());

        JsonObject decoderConvs = conf.deepCopy();
        decoderConvs.getAsJsonObject("architecture").getAsJsonObject("arch_kwargs").add("n_conv_per_stage_decoder",
                JsonParser.parseString("[1, 1]"));
        e = assertThrows(ReferenceModelException.class, () -> ReferenceImport.spec(decoderConvs, sd, "plans.json"));
        assertTrue(e.getMessage().contains("n_conv_per_stage_decoder"), e.getMessage());
    }
}
