package io.github.nnunetfiji.pipeline;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

import io.github.nnunetfiji.engine.Batch;
import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.NetworkSpec;
import io.github.nnunetfiji.engine.Processor;
import io.github.nnunetfiji.engine.TensorLayout;
import io.github.nnunetfiji.plan.StepTimes;
import io.github.nnunetfiji.train.TrainRequest;

/**
 * Step times measured with the engine as training would run it (same device, precision and
 * threads): a fresh network trains {@link #WARM_UP} steps on a random batch, which build and warm
 * up the graph and are not counted, then up to {@link #TIMED} more (fewer when they pass
 * {@link #ENOUGH_SECONDS}), whose median is the step time; forward passes of one patch likewise. The
 * engine starts on the first question and stops on {@link #close()}.
 */
public final class EngineStepTimes implements StepTimes {

    /** Steps left out: the first builds the graph, the second still creates kernels. */
    public static final int WARM_UP = 2;
    /** Steps timed at most; their median is the answer. */
    public static final int TIMED = 3;
    /** Timing stops after this many seconds of timed steps (one step at least): a slow step varies little. */
    public static final double ENOUGH_SECONDS = 10;

    private final EngineOptions options;
    private Engine engine;

    /** @param options the engine options training will use */
    public EngineStepTimes(EngineOptions options) {
        this.options = options;
    }

    /** Measured with the device, precision and threads a training of {@code r} will use. */
    public static EngineStepTimes forTraining(TrainRequest r) {
        return new EngineStepTimes(EngineOptions.defaults().withDevice(r.device()).withPrecision(r.precision())
                .withIntraOpThreads(r.resolvedThreads()));
    }

    @Override
    public String machine() throws IOException {
        return Processor.current().model() + "; " + engine().description();
    }

    @Override
    public double secondsPerStep(NetworkSpec spec, int[] patch, int batch) throws IOException {
        Batch b = randomBatch(spec, patch, batch);
        return timed(spec, net -> net.trainStep(b));
    }

    /** Forward passes timed as steps are: {@link #WARM_UP} left out, the median of up to {@link #TIMED}. */
    @Override
    public double secondsPerForward(NetworkSpec spec, int[] patch) throws IOException {
        Batch b = randomBatch(spec, patch, 1);
        return timed(spec, net -> net.predict(b));
    }

    /** The median seconds of {@code run} on a fresh network, after {@link #WARM_UP} untimed runs. */
    private double timed(NetworkSpec spec, Consumer<Network> run) throws IOException {
        double[] t = new double[TIMED];
        int n = 0;
        double total = 0;
        try (Network net = engine().create(spec)) {
            for (int i = 0; i < WARM_UP; i++) {
                run.accept(net);
            }
            while (n < TIMED && total < ENOUGH_SECONDS) {
                long t0 = System.nanoTime();
                run.accept(net);
                t[n] = (System.nanoTime() - t0) / 1e9;
                total += t[n++];
            }
        }
        return median(Arrays.copyOf(t, n));
    }

    private static double median(double[] timed) {
        Arrays.sort(timed);
        int n = timed.length;
        return n % 2 == 1 ? timed[n / 2] : (timed[n / 2 - 1] + timed[n / 2]) / 2;
    }

    private Engine engine() throws IOException {
        if (engine == null) {
            engine = EngineLoader.load(options);
        }
        return engine;
    }

    /** Gaussian images and uniform labels, seeded: the step time does not depend on the values. */
    static Batch randomBatch(NetworkSpec spec, int[] patch, int batch) {
        long voxels = TensorLayout.voxels(patch);
        long values = batch * voxels * spec.inputChannels();
        if (values > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("A batch of " + batch + " patches of " + Arrays.toString(patch)
                    + " is too large to measure");
        }
        Random random = new Random(1);
        float[] images = new float[(int) values];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        byte[] labels = new byte[(int) (batch * voxels)];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) random.nextInt(spec.classes());
        }
        return new Batch(batch, patch, spec.inputChannels(), images, labels);
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
