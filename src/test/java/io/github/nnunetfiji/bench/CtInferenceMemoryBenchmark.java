package io.github.nnunetfiji.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.engine.Processor;
import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Geometry;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.inference.CasePredictor;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.inference.SlidingWindowPredictor;
import io.github.nnunetfiji.plan.ChannelNormalization;
import io.github.nnunetfiji.plan.NetworkTopology;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.util.Progress;
import net.imglib2.img.array.ArrayImgs;

/**
 * Peak memory of predicting one CT-sized case end to end (preprocess, sliding window, back to the
 * input's grid, argmax): a 512x512x500 int16 volume, one CT channel, 3 classes, a small 3D U-Net
 * with random weights (memory does not depend on the weights, and few features keep the run to
 * minutes). The plan's spacing is the image's and air fills the volume, so the crop box is the
 * whole image and nothing is resampled: the aggregation covers every voxel. Prints the peak
 * resident memory of the process, the peak Java heap in use (sampled every 20 ms), the
 * aggregation and per-tile buffers, and the processor.
 *
 * <p>Arguments: [THREADS=2] [X=512 Y=512 Z=500] [PATCH=128] [FEATURES=4] [STEP=1.0]. The step
 * changes the number of tiles, hence the time, not the memory; 1.0 keeps the run near a minute on
 * 2 cores (0.5, the reference's, about six).
 */
public final class CtInferenceMemoryBenchmark {

    private static final int CLASSES = 3;

    private CtInferenceMemoryBenchmark() {
    }

    public static void main(String[] a) throws Exception {
        int threads = a.length > 0 ? Integer.parseInt(a[0]) : 2;
        int[] shape = a.length > 3 ? new int[] {Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3])}
                : new int[] {512, 512, 500};
        int patch = a.length > 4 ? Integer.parseInt(a[4]) : 128;
        int features = a.length > 5 ? Integer.parseInt(a[5]) : 4;
        double step = a.length > 6 ? Double.parseDouble(a[6]) : 1.0;
        double[] spacing = {0.8, 0.8, 1.0};
        Plans plans = plans(shape, spacing, patch, features);

        HeapSampler heap = new HeapSampler();
        heap.start();
        EngineOptions eo = EngineOptions.cpu(threads).withPrecision(EngineOptions.Precision.FLOAT32);
        long t0 = System.nanoTime();
        try (Engine engine = EngineLoader.fromClassPath(eo);
                Network net = engine.create(new PlanNetworkAdapter().spec(plans, "3d_fullres"))) {
            Image image = ctVolume(shape, spacing);
            long voxels = (long) shape[0] * shape[1] * shape[2];
            long afterInput = heap.sampleNow();
            CasePredictor p = new CasePredictor(plans, "3d_fullres", List.of(net),
                    PredictionOptions.defaults().withMirror(false).withStep(step).withThreads(threads));
            SlidingWindowPredictor window = SlidingWindowPredictor.forConfiguration(plans.configuration("3d_fullres"),
                    List.of(net), step, false);
            long[] tiles = new long[1];
            long start = System.nanoTime();
            CasePredictor.Prediction r = p.predict(image, new Progress() {
                private long last;

                @Override
                public void status(String message) {
                    System.out.printf(Locale.ROOT, "  [%5.0f s] %s%n", (System.nanoTime() - start) / 1e9, message);
                }

                @Override
                public void progress(long done, long total) {
                    tiles[0] = total;
                    long now = System.nanoTime();
                    if (now - last > 30_000_000_000L || done == total) {
                        last = now;
                        System.out.printf(Locale.ROOT, "  [%5.0f s] tile %d/%d, heap in use %.0f MB%n",
                                (now - start) / 1e9, done, total, heap.sampleNow() / 1e6);
                    }
                }

                @Override
                public boolean isCanceled() {
                    return false;
                }
            });
            long end = System.nanoTime();
            heap.stopSampling();
            System.out.printf(Locale.ROOT, "CT case %s (%d voxels, int16 %.0f MB), %d classes, spacing %s; network: 3D, "
                    + "%d features at full resolution, patch %d^3, step %.2f, %d tile(s), mirroring off, %s, %d thread(s)%n",
                    AxisOrder.format(image.shape()), voxels, voxels * 2 / 1e6, CLASSES, java.util.Arrays.toString(spacing),
                    features, patch, step, tiles[0], engine.description(), threads);
            System.out.printf(Locale.ROOT, "  aggregation: %d class buffer(s) of %d floats = %.0f MB "
                    + "(%.2f float(s) per class and voxel); per-tile buffers %.1f MB%n", CLASSES, voxels,
                    window.aggregationBytes(shape) / 1e6, window.aggregationBytes(shape) / (4.0 * CLASSES * voxels),
                    window.tileBufferBytes() / 1e6);
            System.out.printf(Locale.ROOT, "  preprocessed channel (float) %.0f MB, label map %.0f MB%n", voxels * 4 / 1e6,
                    voxels / 1e6);
            System.out.printf(Locale.ROOT, "  prediction wall time %.0f s (engine start and volume %.0f s not included)%n",
                    (end - start) / 1e9, (start - t0) / 1e9);
            System.out.printf(Locale.ROOT, "  heap in use after making the input %.0f MB; peak heap in use %.0f MB "
                    + "(sampled every 20 ms, garbage included), -Xmx %.0f MB%n", afterInput / 1e6, heap.peak() / 1e6,
                    Runtime.getRuntime().maxMemory() / 1e6);
            System.out.printf(Locale.ROOT, "  peak resident memory of the process %.0f MB; labels %s%n",
                    EngineBenchmark.peakRssMb(), AxisOrder.format(r.labels().shape()));
            System.out.println("  processor: " + Processor.current());
        }
    }

    /** Air (-1000) with a water cylinder and a denser ball: a CT range without zeros, so nothing is cropped. */
    static Image ctVolume(int[] s, double[] spacing) {
        short[] v = new short[s[0] * s[1] * s[2]];
        Random rnd = new Random(7);
        double cx = s[0] / 2.0;
        double cy = s[1] / 2.0;
        double r2 = Math.pow(0.4 * Math.min(s[0], s[1]), 2);
        double b2 = Math.pow(0.1 * Math.min(s[0], s[1]), 2);
        int i = 0;
        for (int z = 0; z < s[2]; z++) {
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++, i++) {
                    double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                    double base = d2 < b2 ? 300 : d2 < r2 ? 40 : -1000;
                    v[i] = (short) (base + 20 * rnd.nextGaussian());
                }
            }
        }
        return Image.of(ArrayImgs.shorts(v, s[0], s[1], s[2]), Geometry.ofSpacing(spacing));
    }

    static Plans plans(int[] shape, double[] spacing, int patch, int features) {
        ChannelIntensityStatistics stats = ChannelIntensityStatistics.ofSample(0, "CT",
                new float[] {-100, 0, 20, 40, 60, 80, 200, 300}, 8);
        TreeMap<Integer, String> labels = new TreeMap<>();
        labels.put(0, "background");
        labels.put(1, "body");
        labels.put(2, "lesion");
        double[] median = {shape[0], shape[1], shape[2]};
        Plans p = new Plans("CT", "paper", List.of("CT"), labels, spacing, median, List.of(stats));
        PlanConfiguration.Builder c = PlanConfiguration.builder("3d_fullres");
        c.dataIdentifier("bench");
        c.dimensions(3);
        c.spacing(spacing);
        c.medianShape(new long[] {shape[0], shape[1], shape[2]});
        c.patchSize(new long[] {patch, patch, patch});
        c.batchSize(2);
        int stages = 4;
        int[][] strides = new int[stages][];
        int[][] kernels = new int[stages][];
        int[] perStage = new int[stages];
        for (int s = 0; s < stages; s++) {
            strides[s] = s == 0 ? new int[] {1, 1, 1} : new int[] {2, 2, 2};
            kernels[s] = new int[] {3, 3, 3};
            perStage[s] = features << s;
        }
        c.topology(new NetworkTopology(new int[] {stages - 1, stages - 1, stages - 1}, strides, kernels));
        c.features(features, perStage[stages - 1], perStage);
        c.convolutionsPerStage(2);
        c.normalization(List.of(new ChannelNormalization(0, "CT", ChannelNormalization.CT, false)));
        c.resampling(3, 1, 0, 3);
        c.numEpochs(1000);
        c.iterationsPerEpoch(250);
        return p.withConfiguration(c.build());
    }

    /** Largest heap in use seen by a background thread polling every 20 ms (and by {@link #sampleNow}). */
    private static final class HeapSampler extends Thread {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;

        HeapSampler() {
            super("heap-sampler");
            setDaemon(true);
        }

        long sampleNow() {
            long used = memory.getHeapMemoryUsage().getUsed();
            peak.accumulateAndGet(used, Math::max);
            return used;
        }

        long peak() {
            return peak.get();
        }

        @Override
        public void run() {
            while (running) {
                sampleNow();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stopSampling() {
            running = false;
        }
    }
}
