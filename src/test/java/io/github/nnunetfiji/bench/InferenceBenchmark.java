package io.github.nnunetfiji.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import io.github.nnunetfiji.engine.Engine;
import io.github.nnunetfiji.engine.EngineLoader;
import io.github.nnunetfiji.engine.EngineOptions;
import io.github.nnunetfiji.engine.Network;
import io.github.nnunetfiji.fingerprint.ChannelIntensityStatistics;
import io.github.nnunetfiji.image.AxisOrder;
import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.inference.CasePredictor;
import io.github.nnunetfiji.inference.PredictionOptions;
import io.github.nnunetfiji.io.ImageIO;
import io.github.nnunetfiji.plan.ChannelNormalization;
import io.github.nnunetfiji.plan.NetworkTopology;
import io.github.nnunetfiji.plan.PlanConfiguration;
import io.github.nnunetfiji.plan.PlanNetworkAdapter;
import io.github.nnunetfiji.plan.Plans;
import io.github.nnunetfiji.util.Progress;

/**
 * Wall time and peak resident memory of predicting one BraTS case end to end (read, preprocess,
 * sliding window, resample back, argmax) with the reference's 3D full-resolution network for this
 * data (6 stages, 32-320 features, 3x3x3 kernels, stride 2; 2 channels, 5 classes; random weights:
 * speed does not depend on them) and a given patch. One process per figure.
 *
 * <p>Arguments: CASE.nii.gz THREADS MIRROR(true|false) PATCH_X PATCH_Y PATCH_Z [float32|auto]
 */
public final class InferenceBenchmark {

    private InferenceBenchmark() {
    }

    public static void main(String[] a) throws IOException {
        Path file = Path.of(a[0]);
        int threads = Integer.parseInt(a[1]);
        boolean mirror = Boolean.parseBoolean(a[2]);
        long[] patch = {Long.parseLong(a[3]), Long.parseLong(a[4]), Long.parseLong(a[5])};
        EngineOptions eo = EngineOptions.cpu(threads).withPrecision(a.length > 6 && a[6].equals("float32")
                ? EngineOptions.Precision.FLOAT32 : EngineOptions.Precision.AUTO);
        Plans plans = plans(patch);
        long start = System.nanoTime();
        try (Engine engine = EngineLoader.fromClassPath(eo);
                Network net = engine.create(new PlanNetworkAdapter().spec(plans, "3d_fullres"))) {
            long ready = System.nanoTime();
            Image image = ImageIO.read(file);
            CasePredictor p = new CasePredictor(plans, "3d_fullres", List.of(net),
                    PredictionOptions.defaults().withMirror(mirror).withThreads(threads));
            long[] tiles = new long[1];
            CasePredictor.Prediction r = p.predict(image, new Progress() {
                @Override
                public void status(String message) {
                    System.out.println("  " + message);
                }

                @Override
                public void progress(long done, long total) {
                    tiles[0] = total;
                }

                @Override
                public boolean isCanceled() {
                    return false;
                }
            });
            long end = System.nanoTime();
            System.out.printf(Locale.ROOT, "%s: image %s, patch %s, %d tile(s), mirroring %s, %s, %d thread(s)%n",
                    file.getFileName(), AxisOrder.format(image.shape()), AxisOrder.format(patch), tiles[0],
                    mirror ? "on (8 passes)" : "off", engine.description(), threads);
            System.out.printf(Locale.ROOT, "  prediction wall time %.1f s (engine start %.1f s not included); "
                    + "peak resident memory %.0f MB; label shape %s%n", (end - ready) / 1e9, (ready - start) / 1e9,
                    EngineBenchmark.peakRssMb(), AxisOrder.format(r.labels().shape()));
            System.out.println("  processor: " + processor());
        }
    }

    static Plans plans(long[] patch) {
        List<String> names = List.of("FLAIR", "T1c");
        List<ChannelIntensityStatistics> stats = new ArrayList<>();
        List<ChannelNormalization> norm = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            stats.add(ChannelIntensityStatistics.ofSample(c, names.get(c), new float[] {1, 2, 3}, 3));
            norm.add(new ChannelNormalization(c, names.get(c), ChannelNormalization.ZSCORE, true));
        }
        TreeMap<Integer, String> labels = new TreeMap<>();
        String[] ln = {"background", "necrosis", "edema", "non-enhancing", "enhancing"};
        for (int k = 0; k < 5; k++) {
            labels.put(k, ln[k]);
        }
        Plans p = new Plans("BraTS", "paper", names, labels, new double[] {1, 1, 1}, new double[] {141, 165, 139}, stats);
        PlanConfiguration.Builder c = PlanConfiguration.builder("3d_fullres");
        c.dataIdentifier("bench");
        c.dimensions(3);
        c.spacing(new double[] {1, 1, 1});
        c.medianShape(new long[] {141, 165, 139});
        c.patchSize(patch);
        c.batchSize(2);
        int[][] strides = new int[6][];
        int[][] kernels = new int[6][];
        for (int s = 0; s < 6; s++) {
            strides[s] = s == 0 ? new int[] {1, 1, 1} : new int[] {2, 2, 2};
            kernels[s] = new int[] {3, 3, 3};
        }
        c.topology(new NetworkTopology(new int[] {5, 5, 5}, strides, kernels));
        c.features(32, 320, new int[] {32, 64, 128, 256, 320, 320});
        c.convolutionsPerStage(2);
        c.normalization(norm);
        c.resampling(3, 1, 0, 3);
        c.numEpochs(1000);
        c.iterationsPerEpoch(250);
        return p.withConfiguration(c.build());
    }

    static String processor() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim() + ", " + Runtime.getRuntime().availableProcessors()
                        + " logical CPUs";
            }
        }
        return "unknown";
    }
}
