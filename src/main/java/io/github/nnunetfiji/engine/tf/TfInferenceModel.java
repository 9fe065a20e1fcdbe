package io.github.nnunetfiji.engine.tf;

import org.tensorflow.proto.ConfigProto;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.TensorLayout;

/**
 * A frozen, allowlist-checked inference graph in its own session, its weights fed as inputs
 * ({@link io.github.nnunetfiji.engine.EngineOptions#weightsAsInputs}) or kept as the graph's constants. With
 * {@link io.github.nnunetfiji.engine.EngineOptions#sampleWiseInference} the network is rebuilt from the
 * file's weights for one sample and a batch runs one sample at a time: its instance normalizations
 * then need no transposes.
 */
final class TfInferenceModel implements InferenceModel {

    private final NetworkSpec spec;
    private final GraphSession session;
    private final boolean sampleWise;

    TfInferenceModel(TfEngine engine, InferenceModelFiles.Loaded loaded) {
        this(engine, loaded, engine.sessionConfig(), engine.options().sampleWiseInference(),
                engine.weightsAsInputs());
    }

    /** With a session configuration and formulation of its own: for comparisons in tests and benchmarks. */
    TfInferenceModel(TfEngine engine, InferenceModelFiles.Loaded loaded, ConfigProto config, boolean sampleWise,
            boolean weightsAsInputs) {
        this.spec = loaded.spec();
        this.sampleWise = sampleWise;
        // The file is float32; in mixed precision or sample by sample the same network is rebuilt
        // from its weights.
        this.session = new GraphSession(engine.mixedPrecision() || sampleWise
                ? InferenceModelFiles.frozenGraph(spec, FrozenGraphWeights.read(loaded.graph()),
                        engine.mixedPrecision(), sampleWise)
                : loaded.graph(), config, weightsAsInputs);
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public float[] predict(Batch batch) {
        session.checkOpen();
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
        return session.run(InferenceModelFiles.INPUT, TensorLayout.tensorShape(samples, shape, spec.inputChannels()),
                images, InferenceModelFiles.OUTPUT);
    }

    @Override
    public void close() {
        session.close();
    }
}
