package io.github.nnunetfiji.engine;

/** Where an engine runs its networks. */
public enum Device {
    /** A GPU if the engine's native library supports one and one is present, else the CPU. */
    AUTO,
    CPU,
    GPU
}
