package io.github.nnunetfiji.engine.tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.util.AtomicFiles;
import io.github.nnunetfiji.util.Json;

/**
 * The exported model format: a folder holding {@code model.json} (spec, tensor names, format) and
 * {@code graph.pb}, a frozen TensorFlow GraphDef whose weights are constants, with one input
 * {@value #INPUT} ({@code [N, (z,) y, x, C]}, see {@link io.github.nnunetfiji.engine.TensorLayout})
 * and one output {@value #OUTPUT} (softmax, classes last). No variables, no restore op: loading
 * reads exactly these two files, checks that they belong together (SHA-256 of the graph in
 * {@code model.json}) and checks the graph against {@link OpAllowlist}.
 */
final class InferenceModelFiles {

    static final String INFO_FILE = "model.json";
    static final String GRAPH_FILE = "graph.pb";
    static final String INPUT = "images";
    static final String OUTPUT = "probabilities";
    static final String FORMAT = "nnunet-fiji-frozen-graph-1";
    private static final long MAX_GRAPH_BYTES = Integer.MAX_VALUE - 8;

    /** What {@code model.json} holds. */
    static final class Info {
        String format = FORMAT;
        String engine = "tensorflow-java";
        String input = INPUT;
        String output = OUTPUT;
        String layout = "channels last, batch first, x fastest; TensorFlow sees [N, (z,) y, x, C]";
        /** Ties the two files together: a graph from another export is refused. */
        String graphSha256;
        NetworkSpec spec;
    }

    /** A validated model folder: its spec and the allowlisted graph. */
    record Loaded(NetworkSpec spec, GraphDef graph) {
    }

    private InferenceModelFiles() {
    }

    static void write(Path folder, NetworkSpec trainingSpec, Map<String, float[]> weights) throws IOException {
        // only the full-resolution head is exported
        NetworkSpec spec = trainingSpec.toBuilder().deepSupervision(false).build();
        byte[] graph = deterministicBytes(frozenGraph(spec, weights, false));
        OpAllowlist.check(GraphDef.parseFrom(graph));
        Files.createDirectories(folder);
        AtomicFiles.write(folder.resolve(GRAPH_FILE), out -> out.write(graph));
        Info info = new Info();
        info.spec = spec;
        info.graphSha256 = sha256(graph);
        Json.write(folder.resolve(INFO_FILE), info);
    }

    /**
     * The graph's bytes with every map (a node's attributes) in key order: the same network gives
     * the same file and checksum on every export, which plain serialization does not promise.
     */
    static byte[] deterministicBytes(GraphDef graph) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(graph.getSerializedSize());
        com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(bytes);
        out.useDeterministicSerialization();
        graph.writeTo(out);
        out.flush();
        return bytes.toByteArray();
    }

    /** The inference graph with constant weights; exported files are always float32, to run anywhere. */
    static GraphDef frozenGraph(NetworkSpec spec, Map<String, float[]> weights, boolean bfloat16) {
        return frozenGraph(spec, weights, bfloat16, false);
    }

    /**
     * With {@code singleSample}, the graph takes a batch of exactly one sample and normalizes without
     * transposes ({@link UNetBuilder#singleSample}); never written to a file, only built on loading.
     */
    static GraphDef frozenGraph(NetworkSpec spec, Map<String, float[]> weights, boolean bfloat16,
            boolean singleSample) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            TfLayout layout = new TfLayout(spec.dims());
            long[] inputShape = layout.batchShape(spec.inputChannels());
            if (singleSample) {
                inputShape[0] = 1;
            }
            Placeholder<TFloat32> images = tf.withName(INPUT).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(inputShape)));
            List<Operand<TFloat32>> logits = new UNetBuilder(tf, spec, new ConstantParameters(weights), bfloat16)
                    .singleSample(singleSample).build(images);
            tf.withName(OUTPUT).nn.softmax(logits.get(0));
            return g.toGraphDef();
        }
    }

    static Loaded read(Path folder) throws IOException {
        Path dir = folder.toRealPath();
        Path infoFile = inside(dir, INFO_FILE);
        Path graphFile = inside(dir, GRAPH_FILE);
        Info info = Json.read(infoFile, Info.class);
        if (!FORMAT.equals(info.format) || info.spec == null || !INPUT.equals(info.input)
                || !OUTPUT.equals(info.output)) {
            throw new IOException(infoFile + " is not a model of format " + FORMAT);
        }
        try {
            info.spec.validate();
        } catch (IllegalArgumentException e) {
            throw new IOException(infoFile + ": " + e.getMessage(), e);
        }
        if (Files.size(graphFile) > MAX_GRAPH_BYTES) {
            throw new IOException(graphFile + " is too large");
        }
        byte[] bytes = Files.readAllBytes(graphFile);
        if (!sha256(bytes).equals(info.graphSha256)) {
            throw new IOException(graphFile + " does not belong to " + infoFile + " (checksum differs)");
        }
        GraphDef graph = GraphDef.parseFrom(bytes);
        OpAllowlist.check(graph);
        boolean hasInput = graph.getNodeList().stream()
                .anyMatch(n -> n.getName().equals(INPUT) && n.getOp().equals("Placeholder"));
        boolean hasOutput = graph.getNodeList().stream().anyMatch(n -> n.getName().equals(OUTPUT));
        if (!hasInput || !hasOutput) {
            throw new IOException(graphFile + " lacks the " + INPUT + " input or the " + OUTPUT + " output");
        }
        return new Loaded(info.spec, graph);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A regular file of the folder itself; links leading elsewhere are refused. */
    private static Path inside(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(p + " is missing or not a regular file");
        }
        return p;
    }
}
