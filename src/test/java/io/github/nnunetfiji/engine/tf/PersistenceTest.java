package io.github.nnunetfiji.engine.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.CheckpointFile;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.OptimizerSpec;
import io.github.nnunetfiji.engine.SphereData;

/** Checkpoints resume exactly; exported models predict the same and refuse foreign ops. */
class PersistenceTest {

    static Engine engine;

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

    private static NetworkSpec spec(OptimizerSpec optimizer) {
        NetworkSpec spec = NetworkSpec.uniformBuilder(3, 1, 2, 3, 4, 16)
                .poolStride(1, new int[] {2, 2, 1})
                .deepSupervision(true)
                .optimizer(optimizer).build();
        return spec;
    }

    private static float maxDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void checkpointResumesTrainingExactly() throws IOException {
        for (OptimizerSpec optimizer : new OptimizerSpec[] {OptimizerSpec.sgdNesterov(50), OptimizerSpec.adam(1e-3)}) {
            int[] shape = {16, 16, 8};
            SphereData data = new SphereData(shape, 3, 0.5);
            Batch[] batches = {data.batch(2), data.batch(2), data.batch(2), data.batch(2)};
            Path file = dir.resolve("latest.ckpt");
            try (Network a = engine.create(spec(optimizer))) {
                a.trainStep(batches[0]);
                a.trainStep(batches[1]);
                a.setLearningRateFactor(0.5);
                a.saveCheckpoint(file);
                a.saveCheckpoint(file); // overwrite in place
                try (Network b = engine.loadCheckpoint(file)) {
                    assertEquals(2, b.step());
                    assertEquals(0.5, b.learningRateFactor());
                    assertEquals(a.learningRate(), b.learningRate(), 1e-12);
                    Batch probe = Batch.images(2, shape, 1, batches[2].images());
                    assertEquals(0f, maxDifference(a.predict(probe), b.predict(probe)), 1e-6f);
                    for (int i = 2; i < 4; i++) {
                        assertEquals(a.trainStep(batches[i]), b.trainStep(batches[i]), 1e-5f,
                                optimizer.kind() + " step " + i);
                    }
                    assertEquals(0f, maxDifference(a.predict(probe), b.predict(probe)), 1e-5f);
                }
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(1, files.count(), "no temporary files left behind");
            }
        }
    }

    @Test
    void damagedCheckpointIsRefused() throws IOException {
        Path file = dir.resolve("c.ckpt");
        try (Network a = engine.create(spec(OptimizerSpec.adam(1e-3)))) {
            a.saveCheckpoint(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> engine.loadCheckpoint(file));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        Files.write(file, java.util.Arrays.copyOf(bytes, 100));
        assertThrows(IOException.class, () -> engine.loadCheckpoint(file));
    }

    @Test
    void checkpointOfAnotherNetworkIsRefusedNamingTheFile() throws IOException {
        Path file = dir.resolve("other.ckpt");
        NetworkSpec small = NetworkSpec.uniform(2, 1, 2, 2, 2, 4);
        try (Network a = engine.create(small)) {
            a.saveCheckpoint(file);
        }
        CheckpointFile.Contents c = CheckpointFile.read(file);
        // A header (checksum intact) whose spec names a network of 10^19 parameters: refused before
        // anything is built.
        c.spec = small.toBuilder().features(new int[] {2, 2_000_000_000}).build();
        CheckpointFile.write(file, c);
        IOException e = assertThrows(IOException.class, () -> engine.loadCheckpoint(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("at least"), e.getMessage());
        // One array the wrong size: named, with the file.
        c.spec = small;
        c.arrays.put("up0.w", new CheckpointFile.Array(new long[] {3}, new float[3]));
        CheckpointFile.write(file, c);
        e = assertThrows(IOException.class, () -> engine.loadCheckpoint(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("up0.w"), e.getMessage());
    }

    @Test
    void minimumParametersIsALowerBoundOfTheParameters() {
        for (NetworkSpec s : new NetworkSpec[] {NetworkSpec.uniform(2, 1, 2, 2, 2, 4), spec(OptimizerSpec.adam(1e-3)),
            NetworkSpec.uniformBuilder(3, 2, 3, 4, 4, 32).convolutionsPerStage(3).build(),
            NetworkSpec.uniformBuilder(2, 3, 4, 3, 8, 16).downsampling(NetworkSpec.Downsampling.MAX_POOL)
                .convolutionsPerStage(1).build()}) {
            try (Network n = engine.create(s)) {
                long parameters = n.weights().values().stream().mapToLong(w -> w.length).sum();
                double bound = TfNetwork.minimumParameters(s);
                assertTrue(bound <= parameters && bound > 0.8 * parameters, s + ": " + bound + " vs " + parameters);
            }
        }
    }

    @Test
    void exportedModelPredictsLikeTheNetworkAtAnyPatchSize() throws IOException {
        int[] shape = {16, 16, 8};
        Path model = dir.resolve("model");
        Batch b = new SphereData(shape, 4, 0.5).batch(2);
        int[] large = {32, 16, 16};
        Batch bigger = new SphereData(large, 5, 0.5).batch(1);
        try (Network net = engine.create(spec(OptimizerSpec.adam(1e-2)))) {
            for (int i = 0; i < 3; i++) {
                net.trainStep(b);
            }
            net.exportInferenceModel(model);
            try (InferenceModel m = engine.loadInferenceModel(model)) {
                assertEquals(net.spec().stages(), m.spec().stages());
                Batch probe = Batch.images(2, shape, 1, b.images());
                assertEquals(0f, maxDifference(net.predict(probe), m.predict(probe)), 1e-6f);
                Batch probeLarge = Batch.images(1, large, 1, bigger.images());
                assertEquals(0f, maxDifference(net.predict(probeLarge), m.predict(probeLarge)), 1e-6f);
            }
        }
        assertTrue(Files.isRegularFile(model.resolve(InferenceModelFiles.GRAPH_FILE)));
        assertTrue(Files.isRegularFile(model.resolve(InferenceModelFiles.INFO_FILE)));
    }

    /**
     * The exported graph is written in canonical form (maps in key order), so the same network gives
     * the same file and checksum on every export, in any JVM.
     */
    @Test
    void exportedGraphIsCanonical() throws IOException {
        Path model = exportTiny();
        byte[] written = Files.readAllBytes(model.resolve(InferenceModelFiles.GRAPH_FILE));
        assertArrayEquals(InferenceModelFiles.deterministicBytes(GraphDef.parseFrom(written)), written);
    }

    private Path exportTiny() throws IOException {
        Path model = dir.resolve("tiny");
        try (Network net = engine.create(NetworkSpec.uniform(2, 1, 2, 2, 2, 4))) {
            net.exportInferenceModel(model);
        }
        return model;
    }

    /** Changes the graph as an attacker would: with model.json's checksum updated to match. */
    private static void rewrite(Path model, java.util.function.UnaryOperator<GraphDef> change) throws IOException {
        Path graph = model.resolve(InferenceModelFiles.GRAPH_FILE);
        GraphDef g = GraphDef.parseFrom(Files.readAllBytes(graph));
        byte[] bytes = change.apply(g).toByteArray();
        Files.write(graph, bytes);
        Path info = model.resolve(InferenceModelFiles.INFO_FILE);
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(Files.readString(info))
                .getAsJsonObject();
        try {
            json.addProperty("graphSha256", java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        Files.writeString(info, json.toString());
    }

    @Test
    void graphOfAnotherExportIsRefused() throws IOException {
        Path a = exportTiny();
        Path b = dir.resolve("other");
        NetworkSpec spec = NetworkSpec.uniformBuilder(2, 1, 2, 2, 2, 4)
                .seed(99).build();
        try (Network net = engine.create(spec)) {
            net.exportInferenceModel(b);
        }
        Files.copy(b.resolve(InferenceModelFiles.GRAPH_FILE), a.resolve(InferenceModelFiles.GRAPH_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IOException e = assertThrows(IOException.class, () -> engine.loadInferenceModel(a));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void modelWithFileOpIsRefused() throws IOException {
        Path model = exportTiny();
        rewrite(model, g -> g.toBuilder().addNode(NodeDef.newBuilder().setName("steal").setOp("ReadFile")
                .addInput("images")).addNode(NodeDef.newBuilder().setName("drop").setOp("WriteFile")).build());
        SecurityException e = assertThrows(SecurityException.class, () -> engine.loadInferenceModel(model));
        assertTrue(e.getMessage().contains("ReadFile") && e.getMessage().contains("WriteFile"), e.getMessage());
    }

    @Test
    void modelWithFunctionsIsRefused() throws IOException {
        Path model = exportTiny();
        rewrite(model, g -> g.toBuilder().setLibrary(FunctionDefLibrary.newBuilder().addFunction(
                FunctionDef.newBuilder().setSignature(OpDef.newBuilder().setName("hidden"))
                        .addNodeDef(NodeDef.newBuilder().setName("w").setOp("WriteFile")))).build());
        assertThrows(SecurityException.class, () -> engine.loadInferenceModel(model));
        Path model2 = dir.resolve("tiny");
        rewrite(model2, g -> g.toBuilder().clearLibrary().addNode(NodeDef.newBuilder().setName("call")
                .setOp("Identity").putAttr("f", AttrValue.newBuilder().setFunc(
                        org.tensorflow.proto.NameAttrList.newBuilder().setName("hidden")).build())).build());
        assertThrows(SecurityException.class, () -> engine.loadInferenceModel(model2));
    }

    @Test
    void modelFilesLinkedFromOutsideAreRefused() throws IOException {
        Path model = exportTiny();
        Path outside = dir.resolve("elsewhere.pb");
        Files.move(model.resolve(InferenceModelFiles.GRAPH_FILE), outside);
        Files.createSymbolicLink(model.resolve(InferenceModelFiles.GRAPH_FILE), outside);
        assertThrows(IOException.class, () -> engine.loadInferenceModel(model));
    }

    @Test
    void everyAllowedOpIsOneTheExportUses() {
        java.util.Set<String> used = new java.util.TreeSet<>();
        for (NetworkSpec uniform : new NetworkSpec[] {NetworkSpec.uniform(2, 1, 2, 3, 2, 4),
                NetworkSpec.uniform(3, 1, 2, 3, 2, 4)}) {
            for (NetworkSpec.Downsampling d : NetworkSpec.Downsampling.values()) {
                NetworkSpec spec = uniform.toBuilder().downsampling(d).referenceLayers(d == NetworkSpec.Downsampling.STRIDED_CONV)
                        .build();
                try (Network net = engine.create(spec)) {
                    GraphDef g = InferenceModelFiles.frozenGraph(spec, net.weights(), false);
                    g.getNodeList().forEach(n -> used.add(n.getOp()));
                }
            }
        }
        java.util.Set<String> unused = new java.util.TreeSet<>(OpAllowlist.ALLOWED);
        unused.removeAll(used);
        unused.remove("Identity");
        assertTrue(unused.isEmpty(), "allowed but never exported: " + unused);
    }
}
