package io.github.nnunetfiji.engine.tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;

import io.github.nnunetfiji.engine.ChannelsFirstModel;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.SavedModelExport;

/**
 * An inference model as a TensorFlow SavedModel for other tools: the frozen network between two
 * transposes, so that its signature takes {@code [N, C, (Z,) Y, X]} and gives softmax
 * probabilities {@code [N, classes, (Z,) Y, X]} (channels first, as the bioimage.io format orders
 * axes; the engine itself computes channels last). The weights stay constants, so the bundle's
 * {@code variables/} holds no values.
 */
final class SavedModelFiles {

    static final String TAG = SavedModelBundle.DEFAULT_TAG;
    static final String SIGNATURE = Signature.DEFAULT_KEY;
    static final String INPUT = "input";
    static final String OUTPUT = "output";
    static final String GRAPH_FILE = "saved_model.pb";

    private SavedModelFiles() {
    }

    static SavedModelExport write(InferenceModelFiles.Loaded model, Path target) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(target + " exists; a SavedModel is written into a new folder");
        }
        NetworkSpec spec = model.spec();
        Map<String, float[]> weights = FrozenGraphWeights.read(model.graph());
        int dims = spec.dims();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            long[] shape = new long[dims + 2];
            java.util.Arrays.fill(shape, -1);
            shape[1] = spec.inputChannels();
            Placeholder<TFloat32> input = tf.withName(INPUT).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(shape)));
            Operand<TFloat32> channelsLast = tf.linalg.transpose(input, tf.constant(toChannelsLast(dims)));
            List<Operand<TFloat32>> logits = new UNetBuilder(tf, spec, new ConstantParameters(weights), false)
                    .build(channelsLast);
            Operand<TFloat32> probabilities = tf.nn.softmax(logits.get(0));
            Operand<TFloat32> output = tf.withName(OUTPUT).identity(
                    tf.linalg.transpose(probabilities, tf.constant(toChannelsFirst(dims))));
            Signature signature = Signature.builder(SIGNATURE).input(INPUT, input).output(OUTPUT, output).build();
            try (Session session = new Session(g)) {
                SavedModelBundle.exporter(target.toString()).withTags(TAG)
                        .withFunction(SessionFunction.create(signature, session)).export();
            }
        }
        return new SavedModelExport(TAG, SIGNATURE, INPUT, OUTPUT, TensorFlow.version());
    }

    /** {@code [N, C, S...]} to {@code [N, S..., C]}. */
    static int[] toChannelsLast(int dims) {
        int[] p = new int[dims + 2];
        p[0] = 0;
        for (int i = 0; i < dims; i++) {
            p[i + 1] = i + 2;
        }
        p[dims + 1] = 1;
        return p;
    }

    /** {@code [N, S..., C]} to {@code [N, C, S...]}. */
    static int[] toChannelsFirst(int dims) {
        int[] p = new int[dims + 2];
        p[0] = 0;
        p[1] = dims + 1;
        for (int i = 0; i < dims; i++) {
            p[i + 2] = i + 1;
        }
        return p;
    }

    static ChannelsFirstModel read(TfEngine engine, Path folder) throws IOException {
        Path file = folder.resolve(GRAPH_FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is missing or not a regular file: give a SavedModel folder");
        }
        SavedModel saved = SavedModel.parseFrom(Files.readAllBytes(file));
        MetaGraphDef meta = saved.getMetaGraphsList().stream()
                .filter(m -> m.getMetaInfoDef().getTagsList().contains(TAG)).findFirst()
                .orElseThrow(() -> new IOException(file + " has no meta graph tagged " + TAG));
        SignatureDef signature = meta.getSignatureDefMap().get(SIGNATURE);
        if (signature == null || signature.getInputsCount() != 1 || signature.getOutputsCount() != 1) {
            throw new IOException(file + " has no signature " + SIGNATURE + " with one input and one output");
        }
        String input = signature.getInputsMap().values().iterator().next().getName();
        String output = signature.getOutputsMap().values().iterator().next().getName();
        GraphDef graph = computing(meta.getGraphDef(), nodeName(output));
        OpAllowlist.check(graph);
        if (graph.getNodeList().stream().noneMatch(n -> n.getName().equals(nodeName(input)))) {
            throw new IOException(file + ": the output " + output + " does not depend on the input " + input);
        }
        return new Loaded(engine, graph, input, output);
    }

    /** The nodes {@code output} depends on, and only these: nothing else of the file is loaded. */
    static GraphDef computing(GraphDef graph, String output) throws IOException {
        Map<String, NodeDef> byName = new HashMap<>();
        for (NodeDef n : graph.getNodeList()) {
            byName.put(n.getName(), n);
        }
        Set<String> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(output));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            NodeDef n = byName.get(name);
            if (n == null) {
                throw new IOException("The SavedModel's graph lacks node " + name);
            }
            if (needed.add(name)) {
                for (String in : n.getInputList()) {
                    todo.push(nodeName(in));
                }
            }
        }
        GraphDef.Builder b = GraphDef.newBuilder().setVersions(graph.getVersions());
        graph.getNodeList().stream().filter(n -> needed.contains(n.getName())).forEach(b::addNode);
        return b.build();
    }

    /** {@code name} of {@code ^name} (a control input) or {@code name:1} (an output of it). */
    private static String nodeName(String tensor) {
        String s = tensor.startsWith("^") ? tensor.substring(1) : tensor;
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }

    /** The pruned graph in a session of the engine's settings. */
    private static final class Loaded implements ChannelsFirstModel {

        private final GraphSession session;
        private final String input;
        private final String output;

        Loaded(TfEngine engine, GraphDef def, String input, String output) {
            this.input = input;
            this.output = output;
            this.session = new GraphSession(def, engine.sessionConfig(), engine.weightsAsInputs());
        }

        @Override
        public float[] predict(long[] shape, float[] values) {
            return session.run(input, shape, values, output);
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
