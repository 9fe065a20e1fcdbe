package io.github.nnunetfiji.engine.tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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
 * reads exactly these two files and checks the graph against {@link OpAllowlist}.
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
        NetworkSpec spec;
    }

    /** A validated model folder: its spec and the allowlisted graph. */
    record Loaded(NetworkSpec spec, GraphDef graph) {
    }

    private InferenceModelFiles() {
    }

    static void write(Path folder, NetworkSpec trainingSpec, Map<String, float[]> weights) throws IOException {
        NetworkSpec spec = trainingSpec.copy();
        spec.deepSupervision = false; // only the full-resolution head is exported
        byte[] graph = frozenGraph(spec, weights, false).toByteArray();
        OpAllowlist.check(GraphDef.parseFrom(graph));
        Files.createDirectories(folder);
        AtomicFiles.write(folder.resolve(GRAPH_FILE), out -> out.write(graph));
        Info info = new Info();
        info.spec = spec;
        Json.write(folder.resolve(INFO_FILE), info);
    }

    /** The inference graph with constant weights; exported files are always float32, to run anywhere. */
    static GraphDef frozenGraph(NetworkSpec spec, Map<String, float[]> weights, boolean bfloat16) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            TfLayout layout = new TfLayout(spec.dims);
            Placeholder<TFloat32> images = tf.withName(INPUT).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(layout.batchShape(spec.inputChannels))));
            List<Operand<TFloat32>> logits = new UNetBuilder(tf, spec, new ConstantParameters(weights), bfloat16)
                    .build(images);
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
        GraphDef graph = GraphDef.parseFrom(Files.readAllBytes(graphFile));
        OpAllowlist.check(graph);
        boolean hasInput = graph.getNodeList().stream()
                .anyMatch(n -> n.getName().equals(INPUT) && n.getOp().equals("Placeholder"));
        boolean hasOutput = graph.getNodeList().stream().anyMatch(n -> n.getName().equals(OUTPUT));
        if (!hasInput || !hasOutput) {
            throw new IOException(graphFile + " lacks the " + INPUT + " input or the " + OUTPUT + " output");
        }
        return new Loaded(info.spec, graph);
    }

    /**
     * The float32 weights held by a (checked) frozen graph, by parameter name, so that the graph can
     * be rebuilt in another precision.
     */
    static Map<String, float[]> weights(GraphDef graph) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (org.tensorflow.proto.NodeDef n : graph.getNodeList()) {
            if (!n.getOp().equals("Const") || !n.getAttrMap().containsKey("value")) {
                continue;
            }
            org.tensorflow.proto.TensorProto t = n.getAttrMap().get("value").getTensor();
            if (t.getDtype() != org.tensorflow.proto.DataType.DT_FLOAT) {
                continue;
            }
            long size = 1;
            for (org.tensorflow.proto.TensorShapeProto.Dim d : t.getTensorShape().getDimList()) {
                size *= d.getSize();
            }
            float[] v = new float[Math.toIntExact(size)];
            if (!t.getTensorContent().isEmpty()) {
                java.nio.ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().get(v);
            } else if (t.getFloatValCount() == 1) {
                java.util.Arrays.fill(v, t.getFloatVal(0));
            } else {
                for (int i = 0; i < t.getFloatValCount() && i < v.length; i++) {
                    v[i] = t.getFloatVal(i);
                }
            }
            out.put(n.getName(), v);
        }
        return out;
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
