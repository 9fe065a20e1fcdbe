package io.github.nnunetfiji.inference.reference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import com.google.gson.JsonObject;

import io.github.nnunetfiji.engine.CheckpointFile;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.io.torch.TorchCheckpoint;
import io.github.nnunetfiji.io.torch.TorchTensor;

/**
 * A network of the engine holding the weights of a checkpoint the reference implementation trained
 * (its {@code network_weights}), built from the configuration of its plans.json. The engine's own
 * checkpoint of a fresh network of the same spec is the template: every parameter is replaced by the
 * mapped weight of the same name and shape, the optimizer's slots stay zero, so nothing here depends
 * on how an engine names its slots.
 */
public final class ReferenceImport {

    private ReferenceImport() {
    }

    /** The spec of the checkpoint's network: the configuration's layers, channels and classes from its weights. */
    public static NetworkSpec spec(JsonObject configuration, Map<String, TorchTensor> weights, String where) {
        ReferenceArchitecture.Layers layers = ReferenceArchitecture.layers(configuration, where);
        TorchTensor first = weights.get("encoder.stages.0.0.convs.0.conv.weight");
        TorchTensor seg = weights.get("decoder.seg_layers." + (layers.features().length - 2) + ".weight");
        if (first == null || seg == null || first.shape().length < 2 || seg.shape().length < 1) {
            throw new ReferenceModelException("The reference model " + where + " has no first convolution "
                    + "(encoder.stages.0.0.convs.0.conv.weight) or no full-resolution segmentation layer: it is no "
                    + "PlainConvUNet checkpoint of its plans.");
        }
        return ReferenceArchitecture.toSpec(layers, (int) first.shape()[1], (int) seg.shape()[0]);
    }

    /** Reads a reference checkpoint and writes the engine checkpoint of its network to {@code target}. */
    public static NetworkSpec toEngineCheckpoint(Engine engine, JsonObject configuration, Path checkpoint, Path target)
            throws IOException {
        TorchCheckpoint c = TorchCheckpoint.read(checkpoint);
        Map<String, TorchTensor> sd = c.tensors("network_weights");
        NetworkSpec spec = spec(configuration, sd, checkpoint.toString());
        write(engine, spec, ReferenceWeights.map(spec, sd, checkpoint.toString()), target);
        return spec;
    }

    /** Writes an engine checkpoint of {@code spec} holding {@code weights} (engine names and layout). */
    public static void write(Engine engine, NetworkSpec spec, Map<String, CheckpointFile.Array> weights, Path target)
            throws IOException {
        Path template = Files.createTempFile(target.toAbsolutePath().getParent(), ".template-", ".ckpt");
        try {
            try (Network fresh = engine.create(spec)) {
                for (String name : fresh.weights().keySet()) {
                    if (!weights.containsKey(name)) {
                        throw new ReferenceModelException("The engine's network has the parameter " + name
                                + ", which the reference's weights do not give");
                    }
                }
                fresh.saveCheckpoint(template);
            }
            CheckpointFile.Contents c = CheckpointFile.read(template);
            for (Map.Entry<String, CheckpointFile.Array> w : weights.entrySet()) {
                CheckpointFile.Array slot = c.arrays.get(w.getKey());
                if (slot == null || !Arrays.equals(slot.shape(), w.getValue().shape())) {
                    throw new ReferenceModelException("The engine's network has no parameter " + w.getKey()
                            + " of the shape " + Arrays.toString(w.getValue().shape()) + " ("
                            + (slot == null ? "none" : Arrays.toString(slot.shape())) + ")");
                }
                c.arrays.put(w.getKey(), w.getValue());
            }
            CheckpointFile.write(target, c);
        } finally {
            Files.deleteIfExists(template);
        }
    }
}
