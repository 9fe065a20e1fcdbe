package io.github.nnunetfiji.engine.tf;



import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;

/**
 * Run in a fresh JVM by {@link OneDnnSwitchTest}: starts the engine the way the command line does,
 * prints its oneDNN report and which kernel TensorFlow chose for a 3D convolution (oneDNN's kernels
 * are named {@code _Mkl...} in a traced run).
 */
public final class OneDnnMain {

    private OneDnnMain() {
    }

    public static void main(String[] args) {
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(1))) {
            System.out.println("KERNELS " + engine.cpuKernels());
            System.out.println("CONV3D " + String.join(" ", KernelProbe.conv3dKernels()));
        }
    }
}
