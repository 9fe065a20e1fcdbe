package io.github.nnunetfiji.engine.tf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.CheckpointFile;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.OptimizerSpec;
import io.github.nnunetfiji.engine.TensorLayout;

/** A trainable U-Net in a TensorFlow graph session. Every tensor it makes is closed before return. */
final class TfNetwork implements Network {

    private final NetworkSpec spec;
    private final TrainingGraph g;
    private final Session session;
    private long step;
    private double learningRateFactor = 1;
    private boolean closed;

    private TfNetwork(TfEngine engine, NetworkSpec spec) {
        this.spec = spec.validate();
        this.g = new TrainingGraph(this.spec, engine.mixedPrecision(), engine.weightGradients());
        Session s;
        try {
            s = new Session(g.graph, engine.sessionConfig());
        } catch (RuntimeException e) {
            g.graph.close();
            throw e;
        }
        this.session = s;
    }

    /** A network with fresh, seeded weights and zeroed optimizer state. */
    static TfNetwork create(TfEngine engine, NetworkSpec spec) {
        TfNetwork n = new TfNetwork(engine, spec);
        try {
            Map<String, float[]> values = new LinkedHashMap<>();
            for (VariableSet.Var v : n.g.vars.all()) {
                values.put(v.name, v.init.values(v.size, n.spec.seed(), v.name));
            }
            n.assign(values);
            return n;
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
    }

    /** The network a checkpoint read from {@code file} holds; {@code file} names it in errors. */
    static TfNetwork fromCheckpoint(TfEngine engine, CheckpointFile.Contents c, Path file) throws IOException {
        long stored = c.arrays.values().stream().mapToLong(a -> a.values().length).sum();
        double needed = minimumParameters(c.spec);
        if (needed > stored) {
            // Refused before the graph is built: a damaged size would ask for arrays beyond any memory.
            throw new IOException(file + " does not fit the network its header describes: that network has at least "
                    + String.format(java.util.Locale.ROOT, "%.3g", needed) + " parameters, the checkpoint holds "
                    + stored + " values; train again (the checkpoint is damaged)");
        }
        TfNetwork n = new TfNetwork(engine, c.spec);
        try {
            Map<String, float[]> values = new LinkedHashMap<>();
            for (VariableSet.Var v : n.g.vars.all()) {
                CheckpointFile.Array a = c.arrays.get(v.name);
                if (a == null || a.values().length != v.size) {
                    throw new IOException(file + " does not fit the network its header describes: it lacks or "
                            + "misfits " + v.name + "; train again (the checkpoint is damaged)");
                }
                values.put(v.name, a.values());
            }
            if (c.arrays.size() != values.size()) {
                throw new IOException(file + " holds arrays the network its header describes does not have; train "
                        + "again (the checkpoint is damaged)");
            }
            n.assign(values);
            n.step = c.step;
            n.learningRateFactor = c.learningRateFactor;
            return n;
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
    }

    /**
     * A lower bound of the parameter count of the network {@link UNetBuilder} builds from a spec: the
     * weights of its convolutions (encoder, decoder) and up-convolutions, in double as a damaged
     * spec's product overflows a long.
     */
    static double minimumParameters(NetworkSpec spec) {
        double total = 0;
        double in = spec.inputChannels();
        int convs = spec.convolutionsPerStage();
        for (int s = 0; s < spec.stages(); s++) {
            double f = spec.features(s);
            double k = volume(spec.kernelSize(s));
            total += k * in * f + (convs - 1) * k * f * f;
            if (s + 1 < spec.stages()) {
                double up = volume(spec.poolStride(s)) * f * spec.features(s + 1);
                total += up + k * 2 * f * f + (convs - 1) * k * f * f;
            }
            in = f;
        }
        return total;
    }

    private static double volume(int[] v) {
        double p = 1;
        for (int x : v) {
            p *= x;
        }
        return p;
    }

    private void assign(Map<String, float[]> values) {
        List<Tensor> fed = new ArrayList<>();
        try {
            Session.Runner r = session.runner();
            for (VariableSet.Var v : g.vars.all()) {
                TFloat32 t = Tensors.floats(v.shape, values.get(v.name));
                fed.add(t);
                r.feed(v.assignValue, t).addTarget(v.assign);
            }
            r.run().close();
        } finally {
            fed.forEach(Tensor::close);
        }
    }

    /** Current values of the given variables, by name. */
    Map<String, float[]> read(List<VariableSet.Var> which) {
        Session.Runner r = session.runner();
        for (VariableSet.Var v : which) {
            r.fetch(v.read);
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        try (Result res = r.run()) {
            for (int i = 0; i < which.size(); i++) {
                out.put(which.get(i).name, Tensors.read(res.get(i)));
            }
        }
        return out;
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public float trainStep(Batch batch) {
        checkOpen();
        checkLabelled(batch);
        OptimizerSpec o = spec.optimizer();
        long t = step + 1;
        try (TFloat32 x = images(batch); TUint8 y = labels(batch); TFloat32 lr = Tensors.scalar(learningRate());
                TFloat32 b1 = Tensors.scalar(Math.pow(o.beta1(), t)); TFloat32 b2 = Tensors.scalar(Math.pow(o.beta2(), t));
                Result r = session.runner().feed(g.images, x).feed(g.labels, y).feed(g.learningRate, lr)
                        .feed(g.beta1Power, b1).feed(g.beta2Power, b2).fetch(g.loss).addTarget(g.trainStep).run()) {
            step++;
            return Tensors.readScalar(r.get(0));
        }
    }

    @Override
    public float loss(Batch batch) {
        checkOpen();
        checkLabelled(batch);
        try (TFloat32 x = images(batch); TUint8 y = labels(batch);
                Result r = session.runner().feed(g.images, x).feed(g.labels, y).fetch(g.loss).run()) {
            return Tensors.readScalar(r.get(0));
        }
    }

    /** Loss and the gradient of every trainable parameter, by name (for gradient checks). */
    Map<String, float[]> gradients(Batch batch) {
        checkLabelled(batch);
        List<VariableSet.Var> trainable = g.vars.trainable();
        try (TFloat32 x = images(batch); TUint8 y = labels(batch)) {
            Session.Runner r = session.runner().feed(g.images, x).feed(g.labels, y);
            g.gradients.forEach(r::fetch);
            Map<String, float[]> out = new LinkedHashMap<>();
            try (Result res = r.run()) {
                for (int i = 0; i < trainable.size(); i++) {
                    out.put(trainable.get(i).name, Tensors.read(res.get(i)));
                }
            }
            return out;
        }
    }

    /** Overwrites trainable parameters (for gradient checks); names must exist. */
    void setWeights(Map<String, float[]> values) {
        Map<String, float[]> all = read(g.vars.all());
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            if (!all.containsKey(e.getKey())) {
                throw new IllegalArgumentException("No parameter " + e.getKey());
            }
            all.put(e.getKey(), e.getValue());
        }
        assign(all);
    }

    @Override
    public float[] predict(Batch batch) {
        checkOpen();
        try (TFloat32 x = images(batch); Result r = session.runner().feed(g.images, x).fetch(g.probabilities).run()) {
            return Tensors.read(r.get(0));
        }
    }

    private TFloat32 images(Batch b) {
        checkChannels(b);
        spec.checkPatchShape(b.shape());
        return Tensors.floats(TensorLayout.tensorShape(b.size(), b.shape(), b.channels()), b.images());
    }

    private TUint8 labels(Batch b) {
        long[] full = TensorLayout.tensorShape(b.size(), b.shape(), 1);
        return Tensors.bytes(Arrays.copyOf(full, full.length - 1), b.labels());
    }

    private void checkChannels(Batch b) {
        if (b.channels() != spec.inputChannels()) {
            throw new IllegalArgumentException("Batch has " + b.channels() + " channels, the network takes "
                    + spec.inputChannels());
        }
    }

    /** Labels must exist and name a class: one-hot encoding would turn others into silent zeros. */
    private void checkLabelled(Batch b) {
        if (b.labels() == null) {
            throw new IllegalArgumentException("Training needs a batch with labels");
        }
        byte[] labels = b.labels();
        int max = 0;
        for (byte v : labels) {
            max = Math.max(max, v & 0xFF);
        }
        int allowed = spec.loss().ignoreLabel() >= 0 ? spec.loss().ignoreLabel() : spec.classes() - 1;
        if (max > allowed) {
            throw new IllegalArgumentException("Label " + max + " in the batch, but the network has only "
                    + spec.classes() + " classes (0 .. " + (spec.classes() - 1) + ")"
                    + (spec.loss().ignoreLabel() >= 0 ? " and the ignore label " + spec.loss().ignoreLabel() : ""));
        }
    }

    @Override
    public long step() {
        return step;
    }

    @Override
    public double learningRate() {
        return spec.optimizer().learningRateAt(step) * learningRateFactor;
    }

    @Override
    public double learningRateFactor() {
        return learningRateFactor;
    }

    @Override
    public void setLearningRateFactor(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("Learning rate factor must be > 0");
        }
        learningRateFactor = factor;
    }

    @Override
    public void saveCheckpoint(Path file) throws IOException {
        checkOpen();
        CheckpointFile.Contents c = new CheckpointFile.Contents();
        c.spec = spec;
        c.step = step;
        c.learningRateFactor = learningRateFactor;
        Map<String, float[]> values = read(g.vars.all());
        for (VariableSet.Var v : g.vars.all()) {
            c.arrays.put(v.name, new CheckpointFile.Array(v.shape, values.get(v.name)));
        }
        CheckpointFile.write(file, c);
    }

    @Override
    public void exportInferenceModel(Path folder) throws IOException {
        checkOpen();
        InferenceModelFiles.write(folder, spec, weights());
    }

    @Override
    public Map<String, float[]> weights() {
        checkOpen();
        return read(g.vars.trainable());
    }

    /** The graph and session, for profiling tools in this package. */
    TrainingGraph trainingGraph() {
        return g;
    }

    Session session() {
        return session;
    }

    long parameterCount() {
        return g.vars.trainableParameterCount();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Network is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            session.close();
            g.graph.close();
        }
    }
}
