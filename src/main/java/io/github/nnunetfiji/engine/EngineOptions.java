package io.github.nnunetfiji.engine;

/**
 * Device and thread settings of an engine; fixed for its lifetime. Immutable: each {@code with*}
 * returns a copy.
 *
 * @param device                where networks run
 * @param precision             number format of a network's computations
 * @param intraOpThreads        threads inside one operation (a convolution); 0 means all available
 *                              processors
 * @param interOpThreads        operations run concurrently; 1 is best for a U-Net, whose graph is a
 *                              chain
 * @param allowEmulatedBfloat16 run {@link Precision#MIXED_BFLOAT16} even on a CPU without native
 *                              bfloat16, where it is emulated and slower than float32 (for comparing
 *                              numbers, not for speed)
 * @param processor             the processor the precision choice assumes; null means this
 *                              machine's ({@link Processor#current})
 * @param sampleWiseInference   inference models run a batch one sample at a time, through a graph
 *                              built for one sample whose instance normalizations need no transposes
 *                              (the same probabilities to float32 rounding; off: the whole batch
 *                              through the graph of the model file, the default: on a Zen 3 the
 *                              switch was not faster in every measurement, see docs/engine.md)
 * @param weightsAsInputs       inference models hold their weights as tensors fed to every pass
 *                              rather than as constants inside the graph: TensorFlow imports,
 *                              optimizes and sets up a small graph, so that loading a model and its
 *                              first pass take seconds less; the same probabilities (on, the default;
 *                              off: the model file's graph as it is; CPU and float32 only: on a GPU
 *                              the weights stay on the device, in mixed precision their casts to
 *                              bfloat16 are folded once)
 */
public record EngineOptions(Device device, Precision precision, int intraOpThreads, int interOpThreads,
        boolean allowEmulatedBfloat16, Processor processor, boolean sampleWiseInference, boolean weightsAsInputs) {

    /** Number format of a network's computations. */
    public enum Precision {
        /**
         * Mixed bfloat16 where the processor computes it natively (CPUs with AVX512-BF16 or AMX),
         * float32 elsewhere (other CPUs, where bfloat16 is emulated and slower than float32, and
         * GPUs).
         */
        AUTO,
        FLOAT32,
        /**
         * Convolutions and activations in bfloat16, parameters, normalization statistics, logits and
         * loss in float32 (as the reference trains with automatic mixed precision). About 3x faster
         * convolutions on CPUs with AMX; predictions differ from float32 in the third digit. Refused
         * on a CPU without native bfloat16 unless {@link EngineOptions#allowEmulatedBfloat16()}.
         */
        MIXED_BFLOAT16
    }

    /** Any device, automatic precision, all processors' threads. */
    public static EngineOptions defaults() {
        return new EngineOptions(Device.AUTO, Precision.AUTO, 0, 1, false, null, false, true);
    }

    /** CPU with {@code threads} threads, float32: exact and the same on every processor. */
    public static EngineOptions cpu(int threads) {
        return defaults().withDevice(Device.CPU).withIntraOpThreads(threads).withPrecision(Precision.FLOAT32);
    }

    public EngineOptions withDevice(Device d) {
        return new EngineOptions(d, precision, intraOpThreads, interOpThreads, allowEmulatedBfloat16, processor,
                sampleWiseInference, weightsAsInputs);
    }

    public EngineOptions withPrecision(Precision p) {
        return new EngineOptions(device, p, intraOpThreads, interOpThreads, allowEmulatedBfloat16, processor,
                sampleWiseInference, weightsAsInputs);
    }

    public EngineOptions withIntraOpThreads(int t) {
        return new EngineOptions(device, precision, t, interOpThreads, allowEmulatedBfloat16, processor,
                sampleWiseInference, weightsAsInputs);
    }

    public EngineOptions withInterOpThreads(int t) {
        return new EngineOptions(device, precision, intraOpThreads, t, allowEmulatedBfloat16, processor,
                sampleWiseInference, weightsAsInputs);
    }

    public EngineOptions withAllowEmulatedBfloat16(boolean allow) {
        return new EngineOptions(device, precision, intraOpThreads, interOpThreads, allow, processor,
                sampleWiseInference, weightsAsInputs);
    }

    public EngineOptions withProcessor(Processor p) {
        return new EngineOptions(device, precision, intraOpThreads, interOpThreads, allowEmulatedBfloat16, p,
                sampleWiseInference, weightsAsInputs);
    }

    public EngineOptions withSampleWiseInference(boolean on) {
        return new EngineOptions(device, precision, intraOpThreads, interOpThreads, allowEmulatedBfloat16, processor,
                on, weightsAsInputs);
    }

    public EngineOptions withWeightsAsInputs(boolean on) {
        return new EngineOptions(device, precision, intraOpThreads, interOpThreads, allowEmulatedBfloat16, processor,
                sampleWiseInference, on);
    }

    /** {@link #processor}, or this machine's. */
    public Processor resolvedProcessor() {
        return processor != null ? processor : Processor.current();
    }

    /** The thread count to use for {@link #intraOpThreads()}, 0 resolved to the processor count. */
    public int resolvedIntraOpThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }
}
