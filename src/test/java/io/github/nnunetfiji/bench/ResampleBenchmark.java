package io.github.nnunetfiji.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import io.github.nnunetfiji.preprocess.VolumeResampler;

/**
 * Third-order resampling speed: a random 3D float volume resampled with spline order 3, on one
 * thread and on all threads; prints output voxels per second. Run through {@code bench/resample.sh},
 * which times scipy.ndimage.zoom(order=3) on the same volume in the same run.
 *
 * <p>Arguments: {@code X Y Z NX NY NZ [REPEATS]} (default 240 240 155 -> 160 160 103, 5 repeats).
 */
public final class ResampleBenchmark {

    private ResampleBenchmark() {
    }

    public static void main(String[] args) {
        int[] s = {240, 240, 155};
        int[] t = {160, 160, 103};
        int repeats = 5;
        if (args.length >= 6) {
            for (int d = 0; d < 3; d++) {
                s[d] = Integer.parseInt(args[d]);
                t[d] = Integer.parseInt(args[3 + d]);
            }
        }
        if (args.length >= 7) {
            repeats = Integer.parseInt(args[6]);
        }
        float[] data = new float[s[0] * s[1] * s[2]];
        Random r = new Random(0);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        long outVoxels = (long) t[0] * t[1] * t[2];
        int cores = Runtime.getRuntime().availableProcessors();
        for (int threads : new int[] {1, cores}) {
            VolumeResampler vr = new VolumeResampler(threads);
            vr.resample(data, s, t, new int[] {3, 3, 3}); // warm-up (JIT)
            double[] ms = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                vr.resample(data, s, t, new int[] {3, 3, 3});
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            double median = ms[repeats / 2];
            System.out.printf(Locale.ROOT, "java order 3, %d thread(s): %s -> %s  min %.0f ms  median %.0f ms  %.1f Mvoxel/s%n",
                    threads, Arrays.toString(s), Arrays.toString(t), ms[0], median, outVoxels / median / 1e3);
        }
    }
}
