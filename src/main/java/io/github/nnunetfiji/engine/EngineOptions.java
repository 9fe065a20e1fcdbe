package io.github.nnunetfiji.engine;

/** Device and thread settings of an engine; fixed for its lifetime. */
public final class EngineOptions {

    public Device device = Device.AUTO;
    /** Threads inside one operation (a convolution); 0 means all available processors. */
    public int intraOpThreads;
    /** Operations run concurrently; 1 is best for a U-Net, whose graph is a chain. */
    public int interOpThreads = 1;

    public static EngineOptions defaults() {
        return new EngineOptions();
    }

    public static EngineOptions cpu(int threads) {
        EngineOptions o = new EngineOptions();
        o.device = Device.CPU;
        o.intraOpThreads = threads;
        return o;
    }

    /** The thread count to use for {@link #intraOpThreads}, 0 resolved to the processor count. */
    public int resolvedIntraOpThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }
}
