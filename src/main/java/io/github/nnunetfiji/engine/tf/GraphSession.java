package io.github.nnunetfiji.engine.tf;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * A checked graph imported into a session of its own, run by feeding one float input and fetching
 * one float output: what an inference model and a loaded SavedModel both are. Closed once.
 */
final class GraphSession implements AutoCloseable {

    private final Graph graph;
    private final Session session;
    private boolean closed;

    GraphSession(GraphDef def, ConfigProto config) {
        graph = new Graph();
        try {
            graph.importGraphDef(def);
            session = new Session(graph, config);
        } catch (RuntimeException e) {
            graph.close();
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
        try (TFloat32 x = Tensors.floats(shape, values); Result r = session.runner().feed(input, x).fetch(output).run()) {
            return Tensors.read(r.get(0));
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            session.close();
            graph.close();
        }
    }
}
