package io.github.nnunetfiji.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkFlops;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.TensorLayout;
import io.github.nnunetfiji.util.Json;

/**
 * Benchmark of one network configuration through the engine interface: ms per train step, ms per
 * forward pass, GFLOP/s ({@link NetworkFlops}) and the process's peak resident memory. Run one
 * configuration per JVM so the peak belongs to it; bench/engine-benchmark.sh runs them all and the
 * same networks in PyTorch.
 *
 * <p>Arguments: {@code <config> [threads] [float32|mixed] [specOut.json]}; configs: {@code 3d-64},
 * {@code 2d-256}, {@code brats-3d}.
 */
public final class EngineBenchmark {

    /** A benchmark case: the network, its patch and batch, and how many timed steps. */
    public record Case(String name, NetworkSpec spec, int[] patch, int batch, int trainSteps, int forwardPasses) {
    }

    private EngineBenchmark() {
    }

    public static Case config(String name) {
        switch (name) {
            case "3d-64": {
                NetworkSpec s = NetworkSpec.uniform(3, 1, 2, 4, 30, 320);
                s.deepSupervision = true;
                s.loss.batchDice = false;
                return new Case(name, s, new int[] {64, 64, 64}, 2, 5, 5);
            }
            case "2d-256": {
                NetworkSpec s = NetworkSpec.uniform(2, 1, 2, 6, 30, 512);
                s.deepSupervision = true;
                return new Case(name, s, new int[] {256, 256}, 8, 5, 5);
            }
            case "brats-3d": {
                // What `nnunet plan` (paper planner) gives the shared BraTS subset for 3d_fullres:
                // patch 120x144x120 (x, y, z), batch 2, 3 poolings per axis, features 30..240,
                // 3x3x3 kernels, per-sample Dice; 2 channels (FLAIR, T1c), 5 labels.
                NetworkSpec s = NetworkSpec.uniform(3, 2, 5, 4, 30, 320);
                s.deepSupervision = true;
                s.loss.batchDice = false;
                return new Case(name, s, new int[] {120, 144, 120}, 2, 3, 3);
            }
            default:
                throw new IllegalArgumentException("Unknown benchmark " + name + " (3d-64, 2d-256, brats-3d)");
        }
    }

    public static void main(String[] args) throws IOException {
        Case c = config(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        EngineOptions.Precision precision = args.length > 2 && args[2].equals("mixed")
                ? EngineOptions.Precision.MIXED_BFLOAT16 : EngineOptions.Precision.FLOAT32;
        if (args.length > 3) {
            Files.writeString(Path.of(args[3]), Json.toJson(new TorchCase(c)));
        }
        Random random = new Random(1);
        long voxels = TensorLayout.voxels(c.patch());
        float[] images = new float[(int) (c.batch() * voxels * c.spec().inputChannels)];
        byte[] labels = new byte[(int) (c.batch() * voxels)];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) random.nextInt(c.spec().classes);
        }
        Batch batch = new Batch(c.batch(), c.patch(), c.spec().inputChannels, images, labels);
        Batch input = Batch.images(c.batch(), c.patch(), c.spec().inputChannels, images);
        try (Engine engine = EngineLoader.fromClassPath(EngineOptions.cpu(threads).withPrecision(precision));
                Network net = engine.create(c.spec())) {
            net.trainStep(batch); // graph optimization and oneDNN primitive creation
            net.trainStep(batch);
            long t0 = System.nanoTime();
            double cpu0 = cpuSeconds();
            for (int i = 0; i < c.trainSteps(); i++) {
                net.trainStep(batch);
            }
            double trainMs = (System.nanoTime() - t0) / 1e6 / c.trainSteps();
            double trainCpu = (cpuSeconds() - cpu0) / c.trainSteps();
            net.predict(input);
            long t1 = System.nanoTime();
            for (int i = 0; i < c.forwardPasses(); i++) {
                net.predict(input);
            }
            double forwardMs = (System.nanoTime() - t1) / 1e6 / c.forwardPasses();
            double trainGflops = NetworkFlops.trainStep(c.spec(), c.patch(), c.batch()) / trainMs / 1e6;
            double forwardGflops = NetworkFlops.forward(c.spec(), c.patch(), c.batch()) / forwardMs / 1e6;
            String label = engine.mixedPrecision() ? "tf-java bf16" : "tf-java";
            System.out.println(String.format(Locale.ROOT, "%-9s %-16s train %8.0f ms/step (cpu %5.1f s) %6.1f GFLOP/s"
                    + " | forward %8.0f ms %6.1f GFLOP/s | peak RSS %6.0f MB | %s", c.name(), label, trainMs, trainCpu,
                    trainGflops, forwardMs, forwardGflops, peakRssMb(), engine.description()));
        }
    }

    /**
     * CPU time of the whole process (all threads, native ones included), from /proc/self/stat: on a
     * shared machine it moves less than wall time when other work competes for the cores.
     */
    static double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in USER_HZ
    }

    /** Peak resident set size of this process (VmHWM), in MB; native memory included. */
    static double peakRssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** What bench/unet_torch.py needs to build and time the same network. */
    static final class TorchCase {
        final String name;
        final NetworkSpec spec;
        final int[] patch;
        final int batch;
        final int trainSteps;
        final int forwardPasses;
        final double forwardFlops;

        TorchCase(Case c) {
            name = c.name();
            spec = c.spec();
            patch = c.patch();
            batch = c.batch();
            trainSteps = c.trainSteps();
            forwardPasses = c.forwardPasses();
            forwardFlops = NetworkFlops.forward(c.spec(), c.patch(), c.batch());
        }
    }
}
