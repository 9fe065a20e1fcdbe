package io.github.nnunetfiji.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import io.github.nnunetfiji.dataset.Dataset;
import io.github.nnunetfiji.dataset.DatasetException;
import io.github.nnunetfiji.dataset.DatasetLoader;
import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.Device;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.InferenceModel;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkFlops;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.Processor;
import io.github.nnunetfiji.engine.TensorLayout;
import io.github.nnunetfiji.fingerprint.FingerprintExtractor;
import io.github.nnunetfiji.plan.ExperimentPlanner;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.util.Json;
import io.github.nnunetfiji.util.Progress;
import io.github.nnunetfiji.engine.LossSpec;

/**
 * Benchmark of one network configuration through the engine interface: ms per train step, ms per
 * forward pass, GFLOP/s ({@link NetworkFlops}) and the process's peak resident memory, printed with
 * the engine's description (precision, threads, oneDNN on or off and why) and the processor's model
 * and vector extensions. Mixed bfloat16 runs even where it is emulated, and says so. Run one
 * configuration per JVM so the peak belongs to it; bench/engine-benchmark.sh runs them all and the
 * same networks in PyTorch.
 *
 * <p>System properties: {@code nnunet.bench.device} ({@code cpu}, the default, {@code gpu} or
 * {@code auto}) and {@code nnunet.bench.steps} (timed train steps; bench/gpu-check.sh uses both).
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
                NetworkSpec.Builder sBuilder = NetworkSpec.uniformBuilder(3, 1, 2, 4, 30, 320);
                sBuilder.deepSupervision(true);
                sBuilder.loss(LossSpec.defaults().withBatchDice(false));
                NetworkSpec s = sBuilder.build();
                return new Case(name, s, new int[] {64, 64, 64}, 2, 5, 5);
            }
            case "2d-256": {
                NetworkSpec s = NetworkSpec.uniformBuilder(2, 1, 2, 6, 30, 512)
                        .deepSupervision(true).build();
                return new Case(name, s, new int[] {256, 256}, 8, 5, 5);
            }
            case "3d-64-f32": {
                // As 3d-64 with the reference's 32 base features: whole vectors of channels.
                NetworkSpec s = NetworkSpec.uniformBuilder(3, 1, 2, 4, 32, 320).deepSupervision(true)
                        .loss(LossSpec.defaults().withBatchDice(false)).build();
                return new Case(name, s, new int[] {64, 64, 64}, 2, 5, 5);
            }
            case "2d-256-f32": {
                NetworkSpec s = NetworkSpec.uniformBuilder(2, 1, 2, 6, 32, 512).deepSupervision(true).build();
                return new Case(name, s, new int[] {256, 256}, 8, 5, 5);
            }
            case "isbi-2d": {
                // The paper planner's ISBI 2D network (features 30..512, 6 stages) on one 512x512
                // section with its four mirrorings: what a mirrored Segment Image runs as one batch.
                NetworkSpec s = NetworkSpec.uniformBuilder(2, 1, 2, 6, 30, 512).deepSupervision(true).build();
                return new Case(name, s, new int[] {512, 512}, 4, 3, 3);
            }
            case "brats-3d": {
                // The 3d_fullres network the paper planner gives the shared BraTS subset, through the
                // same adapter training uses (patch 120x144x120, batch 2, features 30..240, 5 labels).
                try {
                    Plans plans = bratsPlans();
                    PlanConfiguration c = plans.configuration(PlanConfiguration.CONFIG_3D_FULLRES);
                    NetworkSpec s = new PlanNetworkAdapter().spec(plans, c.name());
                    return new Case(name, s, PlanNetworkAdapter.networkPatch(c), c.batchSize(), 3, 3);
                } catch (IOException | DatasetException e) {
                    throw new IllegalStateException("brats-3d: " + e.getMessage(), e);
                }
            }
            default:
                throw new IllegalArgumentException("Unknown benchmark " + name + " (3d-64, 2d-256, 3d-64-f32, 2d-256-f32, isbi-2d, brats-3d)");
        }
    }

    /** Plans of the shared BraTS subset (system property nnunet.shared.data, else ../shared/data). */
    static Plans bratsPlans() throws IOException, DatasetException {
        Path data = Path.of(System.getProperty("nnunet.shared.data", "../shared/data"))
                .resolve("Task01_BrainTumour_DeepMedicSubset");
        if (!Files.isDirectory(data)) {
            throw new IOException("The brats-3d benchmark plans the shared BraTS subset, which is not at " + data
                    + "; pass -Dnnunet.shared.data=<folder holding Task01_BrainTumour_DeepMedicSubset>");
        }
        Dataset ds = DatasetLoader.load(data);
        return new ExperimentPlanner().plan(new FingerprintExtractor(2).extract(ds, Progress.NONE));
    }

    public static void main(String[] args) throws IOException {
        Case c = config(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        EngineOptions.Precision precision = args.length > 2 && args[2].equals("mixed")
                ? EngineOptions.Precision.MIXED_BFLOAT16 : EngineOptions.Precision.FLOAT32;

        Random random = new Random(1);
        long voxels = TensorLayout.voxels(c.patch());
        float[] images = new float[(int) (c.batch() * voxels * c.spec().inputChannels())];
        byte[] labels = new byte[(int) (c.batch() * voxels)];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) random.nextInt(c.spec().classes());
        }
        Batch batch = new Batch(c.batch(), c.patch(), c.spec().inputChannels(), images, labels);
        Batch input = Batch.images(c.batch(), c.patch(), c.spec().inputChannels(), images);
        // -Dnnunet.bench.device=gpu|auto runs on a GPU (with the -Dgpu natives on the class path);
        // -Dnnunet.bench.steps=N times N train steps instead of the case's few.
        EngineOptions options = EngineOptions.cpu(threads).withPrecision(precision)
                .withSampleWiseInference(Boolean.parseBoolean(System.getProperty("nnunet.bench.sampleWise",
                        String.valueOf(EngineOptions.cpu(threads).sampleWiseInference()))))
                .withAllowEmulatedBfloat16(true) // measured and labelled as such, not refused
                .withDevice(Device.valueOf(System.getProperty("nnunet.bench.device", "cpu").toUpperCase(Locale.ROOT)));
        c = withSteps(c, Integer.getInteger("nnunet.bench.steps", c.trainSteps()));
        if (args.length > 3) { // after the step count, so PyTorch times as many steps
            Files.writeString(Path.of(args[3]), Json.toJson(new TorchCase(c)));
        }
        try (Engine engine = EngineLoader.fromClassPath(options);
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
            // The forward pass as inference runs it: the exported inference model, loaded with this
            // engine's options and with an engine whose options are today's plain path, timed in
            // turn so that other work on the machine slows both alike; medians.
            Path model = Files.createTempDirectory("engine-benchmark");
            net.exportInferenceModel(model);
            double forwardMs;
            double plainMs;
            try (Engine plainEngine = EngineLoader.fromClassPath(options.withSampleWiseInference(false));
                    InferenceModel tuned = engine.loadInferenceModel(model);
                    InferenceModel plain = plainEngine.loadInferenceModel(model)) {
                tuned.predict(input);
                plain.predict(input);
                double[] tunedTimes = new double[c.forwardPasses()];
                double[] plainTimes = new double[c.forwardPasses()];
                for (int i = 0; i < c.forwardPasses(); i++) {
                    long t1 = System.nanoTime();
                    tuned.predict(input);
                    tunedTimes[i] = (System.nanoTime() - t1) / 1e6;
                    t1 = System.nanoTime();
                    plain.predict(input);
                    plainTimes[i] = (System.nanoTime() - t1) / 1e6;
                }
                forwardMs = median(tunedTimes);
                plainMs = median(plainTimes);
            } finally {
                try (var files = Files.list(model)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(model);
            }
            double trainGflops = NetworkFlops.trainStep(c.spec(), c.patch(), c.batch()) / trainMs / 1e6;
            double forwardGflops = NetworkFlops.forward(c.spec(), c.patch(), c.batch()) / forwardMs / 1e6;
            String label = (engine.mixedPrecision() ? "tf-java bf16" : "tf-java")
                    + (engine.cpuKernels().startsWith("oneDNN off") ? " eigen" : "");
            System.out.println(String.format(Locale.ROOT, "%-9s %-18s train %8.0f ms/step (cpu %5.1f s) %6.1f GFLOP/s"
                    + " | forward %8.0f ms %6.1f GFLOP/s (plain graph %6.0f ms, sample-wise %s) | peak RSS %6.0f MB | %s | %s",
                    c.name(), label, trainMs, trainCpu, trainGflops, forwardMs, forwardGflops, plainMs,
                    options.sampleWiseInference() ? "on" : "off", peakRssMb(), engine.description(), Processor.current()));
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Case withSteps(Case c, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("nnunet.bench.steps must be >= 1, was " + steps);
        }
        return new Case(c.name(), c.spec(), c.patch(), c.batch(), steps, c.forwardPasses());
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
        final String processor;
        final boolean nativeBfloat16;

        TorchCase(Case c) {
            name = c.name();
            spec = c.spec();
            patch = c.patch();
            batch = c.batch();
            trainSteps = c.trainSteps();
            forwardPasses = c.forwardPasses();
            forwardFlops = NetworkFlops.forward(c.spec(), c.patch(), c.batch());
            processor = Processor.current().toString();
            nativeBfloat16 = Processor.current().nativeBfloat16().orElse(false);
        }
    }
}
