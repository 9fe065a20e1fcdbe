package io.github.nnunetfiji.engine.tf;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.TensorLayout;

/**
 * A frozen, allowlist-checked inference graph in its own session. With
 * {@link io.github.nnunetfiji.engine.EngineOptions#sampleWiseInference} the network is rebuilt from the
 * file's weights for one sample and a batch runs one sample at a time: its instance normalizations
 * then need no transposes.
 */
final class TfInferenceModel implements InferenceModel {

    private final NetworkSpec spec;
    private final Graph graph;
    private final Session session;
    private final boolean sampleWise;
    private boolean closed;

    TfInferenceModel(TfEngine engine, InferenceModelFiles.Loaded loaded) {
        this(engine, loaded, engine.sessionConfig(), engine.options().sampleWiseInference());
    }

    /** With a session configuration and formulation of its own: for comparisons in tests and benchmarks. */
    TfInferenceModel(TfEngine engine, InferenceModelFiles.Loaded loaded, ConfigProto config, boolean sampleWise) {
        this.spec = loaded.spec();
        this.sampleWise = sampleWise;
        this.graph = new Graph();
        try {
            // The file is float32; in mixed precision or sample by sample the same network is rebuilt
            // from its weights.
            graph.importGraphDef(engine.mixedPrecision() || sampleWise
                    ? InferenceModelFiles.frozenGraph(spec, FrozenGraphWeights.read(loaded.graph()),
                            engine.mixedPrecision(), sampleWise)
                    : loaded.graph());
            this.session = new Session(graph, config);
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
        if (!sampleWise) {
            return run(batch.size(), batch.shape(), batch.images());
        }
        int in = Math.toIntExact(TensorLayout.voxels(batch.shape()) * batch.channels());
        int out = Math.toIntExact(TensorLayout.voxels(batch.shape()) * spec.classes());
        float[] probabilities = new float[Math.multiplyExact(out, batch.size())];
        float[] sample = new float[in];
        for (int n = 0; n < batch.size(); n++) {
            System.arraycopy(batch.images(), n * in, sample, 0, in);
            System.arraycopy(run(1, batch.shape(), sample), 0, probabilities, n * out, out);
        }
        return probabilities;
    }

    private float[] run(int samples, int[] shape, float[] images) {
        try (TFloat32 x = Tensors.floats(TensorLayout.tensorShape(samples, shape, spec.inputChannels()), images);
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
