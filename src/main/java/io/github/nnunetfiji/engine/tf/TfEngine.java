package io.github.nnunetfiji.engine.tf;

import java.io.IOException;
import java.nio.file.Path;

import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;

import io.github.nnunetfiji.engine.ChannelsFirstModel;
import io.github.nnunetfiji.engine.CheckpointFile;
import io.github.nnunetfiji.engine.Device;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.PrecisionChoice;
import io.github.nnunetfiji.engine.Processor;
import io.github.nnunetfiji.engine.SavedModelExport;

/**
 * The TensorFlow Java engine: graph mode, channels last, oneDNN kernels on the CPU on every processor
 * ({@link OneDnnSwitch}), CUDA with the GPU native variant.
 */
public final class TfEngine implements Engine {

    private final EngineOptions options;
    private final Device device;
    private final ConfigProto config;
    private final boolean mixedPrecision;
    private final ConvWeightGradient.Mode weightGradients;
    private final Processor processor;

    TfEngine(EngineOptions options) {
        OneDnnSwitch.turnOn();
        this.options = options;
        this.processor = options.resolvedProcessor();
        boolean gpu = options.device() != Device.CPU && gpuAvailable(options);
        if (options.device() == Device.GPU && !gpu) {
            throw new IllegalStateException("A GPU was requested but TensorFlow finds none "
                    + "(the engine needs the GPU native variant, a CUDA driver and a GPU)");
        }
        this.device = gpu ? Device.GPU : Device.CPU;
        this.config = config(options, gpu);
        this.mixedPrecision = PrecisionChoice.mixedBfloat16(options, device, processor);
        this.weightGradients = device == Device.CPU ? ConvWeightGradient.Mode.choose(processor, System.getenv())
                : ConvWeightGradient.Mode.OP;
    }

    private static ConfigProto config(EngineOptions o, boolean gpu) {
        ConfigProto.Builder b = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(o.resolvedIntraOpThreads())
                .setInterOpParallelismThreads(Math.max(1, o.interOpThreads()))
                .setAllowSoftPlacement(true);
        if (gpu) {
            b.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
        } else {
            b.putDeviceCount("GPU", 0);
        }
        return b.build();
    }

    /** Runs one op pinned to GPU 0 without soft placement: it only succeeds where a GPU works. */
    private static boolean gpuAvailable(EngineOptions o) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g).withDevice(
                    DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
            Operand<TFloat32> sum = tf.math.add(tf.constant(1f), tf.constant(1f));
            ConfigProto strict = ConfigProto.newBuilder().setAllowSoftPlacement(false)
                    .setIntraOpParallelismThreads(o.resolvedIntraOpThreads())
                    .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true)).build();
            try (Session s = new Session(g, strict); Result r = s.runner().fetch(sum).run()) {
                return true;
            }
        } catch (RuntimeException e) {
            return false;
        }
    }

    ConfigProto sessionConfig() {
        return config;
    }

    /**
     * Whether inference graphs take their weights as inputs ({@link WeightInputs}): as the options say,
     * on the CPU in float32. On a GPU fed tensors would cross to the device in every pass, and mixed
     * precision keeps them constants so that their casts to bfloat16 are folded once.
     */
    boolean weightsAsInputs() {
        return options.weightsAsInputs() && device == Device.CPU && !mixedPrecision;
    }

    EngineOptions options() {
        return options;
    }

    @Override
    public String description() {
        String precision = mixedPrecision ? "mixed bfloat16" : "float32";
        if (PrecisionChoice.emulated(mixedPrecision, device, processor)) {
            precision += " (emulated: no native bfloat16, slower than float32)";
        }
        return "TensorFlow " + TensorFlow.version() + " (TensorFlow Java), " + device + ", "
                + options.resolvedIntraOpThreads() + " threads, " + precision + ", " + cpuKernels()
                + (weightGradients == ConvWeightGradient.Mode.MATMUL && !mixedPrecision ? ", weight gradients per tap"
                        : "");
    }

    /** How the training graph computes convolution weight gradients on this engine's device. */
    ConvWeightGradient.Mode weightGradients() {
        return weightGradients;
    }

    @Override
    public String cpuKernels() {
        return OneDnnSwitch.state();
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public boolean mixedPrecision() {
        return mixedPrecision;
    }

    @Override
    public Network create(NetworkSpec spec) {
        return TfNetwork.create(this, spec);
    }

    @Override
    public Network loadCheckpoint(Path file) throws IOException {
        CheckpointFile.Contents c = CheckpointFile.read(file);
        try {
            return TfNetwork.fromCheckpoint(this, c, file);
        } catch (RuntimeException e) {
            // The spec passed its checks, yet TensorFlow refused to build or fill its network.
            throw new IOException(file + " cannot be loaded into a network (" + e.getMessage()
                    + "); train again (the checkpoint is damaged)", e);
        }
    }

    @Override
    public InferenceModel loadInferenceModel(Path folder) throws IOException {
        return new TfInferenceModel(this, InferenceModelFiles.read(folder));
    }

    @Override
    public SavedModelExport exportSavedModel(Path inferenceModel, Path target) throws IOException {
        return SavedModelFiles.write(InferenceModelFiles.read(inferenceModel), target);
    }

    @Override
    public ChannelsFirstModel loadSavedModel(Path folder) throws IOException {
        return SavedModelFiles.read(this, folder);
    }

    @Override
    public void close() {
        // Networks own their sessions; the engine holds no native resources itself.
    }
}
