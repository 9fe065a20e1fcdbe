package io.github.nnunetfiji.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import io.github.nnunetfiji.train.augment.AugmentationOptions;
import io.github.nnunetfiji.train.augment.PatchSource;
import io.github.nnunetfiji.train.augment.SampleAugmenter;
import io.github.nnunetfiji.train.augment.SpatialMode;

/**
 * Seconds per sample on one core of the training augmentation: a 3D 128^3 two-channel patch
 * (loader box 205^3) and a 2D 512x512 slice (loader box 602^2), each once with rotation, scaling
 * and elastic deformation on every sample (plus the default intensity transforms and mirroring)
 * and once with the default probabilities. The case is in memory, so the figures are the
 * augmentation's own cost. Usage: AugmentationBenchmark [SAMPLES]
 */
public final class AugmentationBenchmark {

    private AugmentationBenchmark() {
    }

    /** An in-memory case read row by row, 0 / -1 outside. */
    static final class MemoryCase implements PatchSource {
        final int[] s;
        final float[][] img;
        final byte[] lab;

        MemoryCase(int[] shape, int channels, long seed) {
            s = shape;
            int n = shape[0] * shape[1] * shape[2];
            img = new float[channels][n];
            lab = new byte[n];
            SplittableRandom r = new SplittableRandom(seed);
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < n; i++) {
                    img[c][i] = (float) r.nextGaussian();
                }
            }
            for (int i = 0; i < n; i++) {
                int x = i % shape[0];
                int y = i / shape[0] % shape[1];
                lab[i] = (byte) (((x / 17) + (y / 23) + (i / (shape[0] * shape[1]) / 13)) % 4);
            }
        }

        @Override
        public int channels() {
            return img.length;
        }

        @Override
        public void readImage(int[] start, int[] size, float[] out) {
            int pn = size[0] * size[1] * size[2];
            Arrays.fill(out, 0, pn * img.length, 0f);
            for (int c = 0; c < img.length; c++) {
                copy(start, size, (src, dst, len) -> System.arraycopy(img[channelOf(src)], src % voxels(), out,
                        dst, len), c * pn, c);
            }
        }

        private int voxels() {
            return s[0] * s[1] * s[2];
        }

        private int channelOf(int encoded) {
            return encoded / voxels();
        }

        @Override
        public void readLabels(int[] start, int[] size, byte[] out) {
            Arrays.fill(out, 0, size[0] * size[1] * size[2], (byte) -1);
            copy(start, size, (src, dst, len) -> System.arraycopy(lab, src % voxels(), out, dst, len), 0, 0);
        }

        interface Row {
            void copy(int src, int dst, int len);
        }

        private void copy(int[] start, int[] size, Row row, int outOff, int channel) {
            int x0 = Math.max(0, start[0]);
            int x1 = Math.min(s[0], start[0] + size[0]);
            if (x1 <= x0) {
                return;
            }
            for (int z = Math.max(0, start[2]); z < Math.min(s[2], start[2] + size[2]); z++) {
                for (int y = Math.max(0, start[1]); y < Math.min(s[1], start[1] + size[1]); y++) {
                    int src = channel * voxels() + x0 + s[0] * (y + s[1] * z);
                    int dst = outOff + (x0 - start[0]) + size[0] * ((y - start[1]) + size[1] * (z - start[2]));
                    row.copy(src, dst, x1 - x0);
                }
            }
        }
    }

    public static void main(String[] args) throws IOException {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        System.out.println("processor: " + processor() + ", Java " + System.getProperty("java.version"));
        AugmentationOptions spatial = AugmentationOptions.defaults().withRotationProbability(1)
                .withScalingProbability(1).withElasticProbability(1);
        AugmentationOptions defaults = AugmentationOptions.defaults();
        MemoryCase volume = new MemoryCase(new int[] {240, 240, 220}, 2, 1);
        run("3D 128^3 x 2 channels, rotation+scaling+elastic every sample", volume, new int[] {128, 128, 128},
                new int[] {205, 205, 205}, SpatialMode.volume(), Math.toRadians(30), spatial, samples);
        run("3D 128^3 x 2 channels, default probabilities", volume, new int[] {128, 128, 128},
                new int[] {205, 205, 205}, SpatialMode.volume(), Math.toRadians(30), defaults, samples);
        MemoryCase plane = new MemoryCase(new int[] {700, 700, 1}, 1, 2);
        run("2D 512x512 x 1 channel, rotation+scaling+elastic every sample", plane, new int[] {512, 512, 1},
                new int[] {602, 602, 1}, SpatialMode.slicewise(2), Math.PI, spatial, samples * 3);
        run("2D 512x512 x 1 channel, default probabilities", plane, new int[] {512, 512, 1}, new int[] {602, 602, 1},
                SpatialMode.slicewise(2), Math.PI, defaults, samples * 3);
    }

    private static void run(String what, MemoryCase c, int[] patch, int[] loader, SpatialMode mode, double rot,
            AugmentationOptions o, int samples) {
        int n = patch[0] * patch[1] * patch[2];
        float[] image = new float[c.channels() * n];
        byte[] labels = new byte[n];
        SampleAugmenter a = new SampleAugmenter(o, mode, patch, loader, rot, new int[] {0, 1, 2}, c.channels(), null);
        SplittableRandom r = new SplittableRandom(7);
        int[] start = new int[3];
        for (int warm = 0; warm < Math.max(3, samples / 4); warm++) {
            sample(c, a, loader, start, r, image, labels);
        }
        double[] s = new double[samples];
        // CPU time of this thread as well: on a shared machine wall time also counts other processes.
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long cpu0 = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            sample(c, a, loader, start, r, image, labels);
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        double cpuMean = (cpu.getCurrentThreadCpuTime() - cpu0) / 1e9 / samples;
        double mean = Arrays.stream(s).average().orElse(0);
        Arrays.sort(s);
        System.out.printf(Locale.ROOT,
                "%-62s mean %.3f s  median %.3f s  CPU %.3f s  per sample per core (%d samples)%n", what, mean,
                s[samples / 2], cpuMean, samples);
    }

    private static void sample(MemoryCase c, SampleAugmenter a, int[] loader, int[] start, SplittableRandom r,
            float[] image, byte[] labels) {
        for (int d = 0; d < 3; d++) {
            start[d] = r.nextInt(Math.max(1, c.s[d] - loader[d] + 1));
        }
        a.sample(c, start, r, image, labels);
    }

    static String processor() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
