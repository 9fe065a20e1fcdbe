package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.types.TFloat32;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.ChannelsFirstModel;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.SavedModelExport;
import io.github.nnunetfiji.engine.SphereData;
import io.github.nnunetfiji.engine.TensorLayout;

/**
 * The SavedModel for other tools computes what the engine's inference model computes, with the
 * axes moved from channels last to channels first, whether TensorFlow's own loader reads it or the
 * engine's checked one.
 */
class SavedModelExportTest {

    private static Engine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        engine = EngineLoader.fromClassPath(EngineOptions.cpu(2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void savedModelPredictsTheInferenceModelsProbabilitiesChannelsFirst() throws IOException {
        // anisotropic shape, two channels, three classes: a wrong transpose cannot pass
        int[] shape = {16, 8, 4};
        NetworkSpec spec = NetworkSpec.uniformBuilder(3, 2, 3, 2, 4, 8).build();
        Path model = dir.resolve("model");
        Path saved = dir.resolve("saved");
        float[] channelsLast = twoChannels(new SphereData(shape, 3, 0.5).batch(1).images());
        try (Network net = engine.create(spec)) {
            net.exportInferenceModel(model);
        }
        SavedModelExport export = engine.exportSavedModel(model, saved);
        assertEquals("serve", export.tag());
        assertTrue(export.tensorflowVersion().matches("\\d+\\.\\d+.*"), export.tensorflowVersion());
        long[] inShape = {1, 2, shape[2], shape[1], shape[0]};
        float[] channelsFirst = channelsFirst(channelsLast, 2);
        float[] expected;
        try (InferenceModel m = engine.loadInferenceModel(model)) {
            expected = channelsFirst(m.predict(Batch.images(1, shape, 2, channelsLast)), 3);
        }
        try (ChannelsFirstModel m = engine.loadSavedModel(saved)) {
            assertEquals(0f, maxDifference(expected, m.predict(inShape, channelsFirst)), 1e-6f);
        }
        try (SavedModelBundle b = SavedModelBundle.load(saved.toString(), export.tag());
                TFloat32 x = Tensors.floats(inShape, channelsFirst);
                Result r = b.function(export.signature()).call(Map.of(export.input(), (Tensor) x))) {
            float[] got = Tensors.read(r.get(export.output()).orElseThrow());
            assertEquals(0f, maxDifference(expected, got), 1e-6f);
        }
    }

    @Test
    void loadingRefusesAGraphWhoseOutputReadsAFile() throws IOException {
        Path model = dir.resolve("model");
        Path saved = dir.resolve("saved");
        try (Network net = engine.create(NetworkSpec.uniform(2, 1, 2, 2, 2, 4))) {
            net.exportInferenceModel(model);
        }
        engine.exportSavedModel(model, saved);
        Path pb = saved.resolve(SavedModelFiles.GRAPH_FILE);
        SavedModel s = SavedModel.parseFrom(Files.readAllBytes(pb));
        GraphDef g = s.getMetaGraphs(0).getGraphDef();
        GraphDef.Builder changed = g.toBuilder();
        changed.addNode(NodeDef.newBuilder().setName("leak").setOp("ReadFile").addInput("input"));
        for (int i = 0; i < changed.getNodeCount(); i++) {
            if (changed.getNode(i).getName().equals("output")) {
                changed.setNode(i, changed.getNode(i).toBuilder().addInput("^leak"));
            }
        }
        Files.write(pb, s.toBuilder().setMetaGraphs(0, s.getMetaGraphs(0).toBuilder().setGraphDef(changed))
                .build().toByteArray());
        SecurityException e = assertThrows(SecurityException.class, () -> engine.loadSavedModel(saved));
        assertTrue(e.getMessage().contains("ReadFile"), e.getMessage());
        assertThrows(IOException.class, () -> engine.exportSavedModel(model, saved), "an existing folder is kept");
    }

    /** The sphere image and its negative as two channels, channels last. */
    private static float[] twoChannels(float[] one) {
        float[] two = new float[one.length * 2];
        for (int i = 0; i < one.length; i++) {
            two[2 * i] = one[i];
            two[2 * i + 1] = 1 - one[i];
        }
        return two;
    }

    /** {@link TensorLayout}'s channels-last order to channels first, for one sample. */
    private static float[] channelsFirst(float[] last, int channels) {
        int voxels = last.length / channels;
        float[] first = new float[last.length];
        for (int v = 0; v < voxels; v++) {
            for (int c = 0; c < channels; c++) {
                first[c * voxels + v] = last[v * channels + c];
            }
        }
        return first;
    }

    private static float maxDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
