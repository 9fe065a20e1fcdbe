package io.github.nnunetfiji.engine.tf;

import java.util.Map;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * A checked graph imported into a session of its own, run by feeding one float input and fetching
 * one float output: what an inference model and a loaded SavedModel both are. Closed once. Its
 * weights are constants in the graph, or {@link WeightInputs} fed to every run.
 */
final class GraphSession implements AutoCloseable {

    private final Graph graph;
    private final Session session;
    private final WeightInputs weights;
    private boolean closed;

    GraphSession(GraphDef def, ConfigProto config) {
        this(def, config, false);
    }

    /** @param weightsAsInputs the graph's weights as inputs ({@link WeightInputs}) rather than constants */
    GraphSession(GraphDef def, ConfigProto config, boolean weightsAsInputs) {
        weights = weightsAsInputs ? WeightInputs.of(def) : null;
        graph = new Graph();
        try {
            graph.importGraphDef(weights != null ? weights.graph() : def);
            session = new Session(graph, config);
        } catch (RuntimeException e) {
            graph.close();
            if (weights != null) {
                weights.close();
            }
            throw e;
        }
    }

    /** Throws if closed; the models check before they look at their input. */
    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Model is closed");
        }
    }

    /** The output for {@code values} of {@code shape} fed to {@code input}. */
    float[] run(String input, long[] shape, float[] values, String output) {
        checkOpen();
        try (TFloat32 x = Tensors.floats(shape, values)) {
            Session.Runner runner = session.runner().feed(input, x);
            if (weights != null) {
                for (Map.Entry<String, TFloat32> w : weights.tensors().entrySet()) {
                    runner = runner.feed(w.getKey(), w.getValue());
                }
            }
            try (Result r = runner.fetch(output).run()) {
                return Tensors.read(r.get(0));
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            session.close();
            graph.close();
            if (weights != null) {
                weights.close();
            }
        }
    }
}
