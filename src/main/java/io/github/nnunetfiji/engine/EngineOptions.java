package io.github.nnunetfiji.engine;

/** Device and thread settings of an engine; fixed for its lifetime. */
public final class EngineOptions {

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
         * on a CPU without native bfloat16 unless {@link EngineOptions#allowEmulatedBfloat16}.
         */
        MIXED_BFLOAT16
    }

    public Device device = Device.AUTO;
    public Precision precision = Precision.AUTO;
    /** Threads inside one operation (a convolution); 0 means all available processors. */
    public int intraOpThreads;
    /** Operations run concurrently; 1 is best for a U-Net, whose graph is a chain. */
    public int interOpThreads = 1;
    /**
     * Run {@link Precision#MIXED_BFLOAT16} even on a CPU without native bfloat16, where it is emulated
     * and slower than float32 (for comparing numbers, not for speed).
     */
    public boolean allowEmulatedBfloat16;
    /** The processor the precision choice assumes; null means this machine's ({@link Processor#current}). */
    public Processor processor;

    public static EngineOptions defaults() {
        return new EngineOptions();
    }

    /** CPU with {@code threads} threads, float32: exact and the same on every processor. */
    public static EngineOptions cpu(int threads) {
        EngineOptions o = new EngineOptions();
        o.device = Device.CPU;
        o.intraOpThreads = threads;
        o.precision = Precision.FLOAT32;
        return o;
    }

    public EngineOptions withPrecision(Precision p) {
        precision = p;
        return this;
    }

    /** {@link #processor}, or this machine's. */
    public Processor resolvedProcessor() {
        return processor != null ? processor : Processor.current();
    }

    /** The thread count to use for {@link #intraOpThreads}, 0 resolved to the processor count. */
    public int resolvedIntraOpThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }
}
