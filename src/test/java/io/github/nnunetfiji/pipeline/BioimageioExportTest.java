package io.github.nnunetfiji.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.github.nnunetfiji.bioimageio.NpyFile;
import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.ChannelsFirstModel;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.normalization.ZScoreNormalization;
import io.github.nnunetfiji.testutil.TestData;
import io.github.nnunetfiji.testutil.TrainedTestModel;
import io.github.nnunetfiji.util.Progress;

/**
 * The bioimage.io export of the test suite's trained model: its {@code rdf.yaml} passes the
 * format's published JSON schema, its test output is what the exported SavedModel computes from its
 * test input after the preprocessing the description states (computed here from the description's
 * own words), and that equals nnU-Net's normalization and network on the same tile; and the
 * refusals.
 */
class BioimageioExportTest {

    @TempDir
    Path tmp;

    @Test
    void exportPassesTheSchemaAndItsTestOutputIsReproduced() throws Exception {
        Path models = TrainedTestModel.folder().getParent();
        Path image = TestData.isbiMini().resolve("imagesTr/isbi_000.nii.gz");
        Path zip = tmp.resolve("isbi.bioimageio.zip");
        Files.writeString(zip, "an earlier file");
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(2))) {
            ExportBioimageioStage stage = new ExportBioimageioStage(engine);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> stage.run(
                    request(models, "2d", null, image, zip, false), Progress.NONE));
            assertTrue(refused.getMessage().contains(zip.toString()), refused.getMessage());
            assertEquals("an earlier file", Files.readString(zip), "not replaced without the option");

            long start = System.nanoTime();
            ExportBioimageioStage.Result r = stage.run(request(models, "2d", null, image, zip, true), Progress.NONE);
            System.out.printf("bioimage.io export: %.1f s, %d bytes%n", (System.nanoTime() - start) / 1e9, r.bytes());
            assertEquals("0", r.fold());

            Path out = unzip(zip, tmp.resolve("package"));
            for (String f : List.of("rdf.yaml", "README.md", "cover.png", "test_input.npy", "test_output.npy",
                    "tf_saved_model.zip")) {
                assertTrue(Files.isRegularFile(out.resolve(f)), f);
            }
            JsonNode rdf = new YAMLMapper().readTree(out.resolve("rdf.yaml").toFile());
            assertValid(rdf);

            // (b) the test output from the test input: preprocessing as the description states it
            NpyFile.Array input = NpyFile.read(out.resolve("test_input.npy"));
            NpyFile.Array expected = NpyFile.read(out.resolve("test_output.npy"));
            JsonNode in = rdf.get("inputs").get(0);
            assertEquals(List.of("batch", "channel", "space", "space"), types(in.get("axes")));
            assertEquals("y", in.get("axes").get(2).get("id").asText());
            assertEquals("x", in.get("axes").get(3).get("id").asText());
            float[] preprocessed = preprocess(input, in.get("preprocessing"));
            Path saved = unzip(out.resolve("tf_saved_model.zip"), tmp.resolve("saved"));
            float[] got;
            try (ChannelsFirstModel m = engine.loadSavedModel(saved)) {
                got = m.predict(input.shape(), preprocessed);
            }
            assertArrayEquals(expected.shape(), new long[] {1, 2, input.shape()[2], input.shape()[3]});
            assertTrue(maxDifference(expected.values(), got) <= 1e-4, "test output reproduced");

            // the same tile through nnU-Net's own normalization and network (channels last, x fastest)
            int h = (int) input.shape()[2];
            int w = (int) input.shape()[3];
            float[] tile = input.values().clone();
            new ZScoreNormalization().normalize(tile, null, null);
            try (InferenceModel m = engine.loadInferenceModel(TrainedTestModel.folder()
                    .resolve("fold_0/inference_model"))) {
                float[] p = m.predict(Batch.images(1, new int[] {w, h}, 1, tile));
                float[] channelsFirst = new float[p.length];
                for (int v = 0; v < w * h; v++) {
                    for (int c = 0; c < 2; c++) {
                        channelsFirst[c * w * h + v] = p[v * 2 + c];
                    }
                }
                assertTrue(maxDifference(channelsFirst, expected.values()) <= 1e-4, "nnU-Net's own prediction");
            }
            System.out.println(Files.readString(out.resolve("rdf.yaml")));
        }
    }

    @Test
    void refusesAModelWithoutTheConfigurationOrFold() throws Exception {
        Path models = TrainedTestModel.folder().getParent();
        Path image = TestData.isbiMini().resolve("imagesTr/isbi_000.nii.gz");
        Path zip = tmp.resolve("x.zip");
        ExportBioimageioStage stage = new ExportBioimageioStage();
        PrerequisiteException noConfig = assertThrows(PrerequisiteException.class, () -> stage.run(
                request(models, "3d_fullres", null, image, zip, false), Progress.NONE));
        assertTrue(noConfig.getMessage().contains("3d_fullres"), noConfig.getMessage());
        PrerequisiteException noFold = assertThrows(PrerequisiteException.class, () -> stage.run(
                request(models, "2d", "3", image, zip, false), Progress.NONE));
        assertTrue(noFold.getMessage().contains("fold_3") || noFold.getMessage().contains("fold 3"),
                noFold.getMessage());
        assertTrue(Files.notExists(zip), "nothing written");
    }

    private static ExportBioimageioStage.Request request(Path models, String config, String fold, Path image,
            Path zip, boolean replace) {
        return new ExportBioimageioStage.Request(models, config, fold, List.of(image), zip, replace,
                List.of("Test Author"), null, 2);
    }

    private static void assertValid(JsonNode rdf) throws IOException {
        Schema schema;
        try (InputStream s = BioimageioExportTest.class.getResourceAsStream("/bioimageio/bioimageio_schema.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(s);
        }
        List<Error> errors = schema.validate(rdf);
        assertTrue(errors.isEmpty(), errors.toString());
        // the schema catches what it can: a description without weights fails it
        JsonNode broken = rdf.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken).remove("weights");
        assertTrue(!schema.validate(broken).isEmpty(), "the schema rejects a description without weights");
    }

    /** The description's steps computed from its words, as bioimage.io's tools define them. */
    private static float[] preprocess(NpyFile.Array input, JsonNode steps) {
        float[] v = input.values().clone();
        int channels = (int) input.shape()[1];
        int voxels = v.length / channels;
        for (JsonNode step : steps) {
            String id = step.get("id").asText();
            JsonNode k = step.get("kwargs");
            if (id.equals("ensure_dtype")) {
                assertEquals("float32", k.get("dtype").asText());
                continue;
            }
            assertEquals("zero_mean_unit_variance", id, "the ISBI channel is z-scored per sample");
            assertEquals(List.of("y", "x"), texts(k.get("axes")), "over the spatial axes: per channel");
            double eps = k.get("eps").asDouble();
            for (int c = 0; c < channels; c++) {
                double mean = 0;
                for (int i = c * voxels; i < (c + 1) * voxels; i++) {
                    mean += v[i];
                }
                mean /= voxels;
                double ss = 0;
                for (int i = c * voxels; i < (c + 1) * voxels; i++) {
                    ss += (v[i] - mean) * (v[i] - mean);
                }
                double std = Math.sqrt(ss / voxels);
                for (int i = c * voxels; i < (c + 1) * voxels; i++) {
                    v[i] = (float) ((v[i] - mean) / (std + eps));
                }
            }
        }
        return v;
    }

    private static List<String> types(JsonNode axes) {
        List<String> t = new ArrayList<>();
        axes.forEach(a -> t.add(a.get("type").asText()));
        return t;
    }

    private static List<String> texts(JsonNode array) {
        List<String> t = new ArrayList<>();
        array.forEach(a -> t.add(a.asText()));
        return t;
    }

    private static Path unzip(Path zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null;) {
                Path p = dir.resolve(e.getName()).normalize();
                assertTrue(p.startsWith(dir), e.getName());
                Files.createDirectories(p.getParent());
                Files.copy(z, p);
            }
        }
        return dir;
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
