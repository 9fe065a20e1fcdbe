package io.github.nnunetfiji.engine.tf;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.TensorLayout;

/** A frozen, allowlist-checked inference graph in its own session. */
final class TfInferenceModel implements InferenceModel {

    private final NetworkSpec spec;
    private final Graph graph;
    private final Session session;
    private boolean closed;

    TfInferenceModel(TfEngine engine, InferenceModelFiles.Loaded loaded) {
        this.spec = loaded.spec();
        this.graph = new Graph();
        try {
            // The file is float32; in mixed precision the same network is rebuilt from its weights.
            graph.importGraphDef(engine.mixedPrecision()
                    ? InferenceModelFiles.frozenGraph(spec, FrozenGraphWeights.read(loaded.graph()), true)
                    : loaded.graph());
            this.session = new Session(graph, engine.sessionConfig());
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public float[] predict(Batch batch) {
        if (closed) {
            throw new IllegalStateException("Model is closed");
        }
        spec.checkPatchShape(batch.shape());
        if (batch.channels() != spec.inputChannels()) {
            throw new IllegalArgumentException("Batch has " + batch.channels() + " channels, the model takes "
                    + spec.inputChannels());
        }
        try (TFloat32 x = Tensors.floats(TensorLayout.tensorShape(batch.size(), batch.shape(), batch.channels()),
                batch.images());
                Result r = session.runner().feed(InferenceModelFiles.INPUT, x).fetch(InferenceModelFiles.OUTPUT).run()) {
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
