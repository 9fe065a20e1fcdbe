package io.github.nnunetfiji.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.github.nnunetfiji.image.Image;
import io.github.nnunetfiji.io.nifti.NiftiHeader;
import io.github.nnunetfiji.io.nifti.NiftiIO;

/**
 * Times {@link NiftiIO#read} on one file: one untimed warm-up read, then {@code reps} timed reads.
 * Prints {@code key=value} lines (min and median milliseconds, peak heap growth during a read,
 * decoded size) for {@code bench/nifti-read.sh}, which sets them beside nibabel's figures.
 *
 * <p>Peak heap is the sum of the heap pools' peak usage during the read minus the heap in use
 * before it (after a full GC): an upper bound, since pools may peak at different moments.
 *
 * <p>Usage: {@code NiftiReadBenchmark FILE [REPS]}
 */
public final class NiftiReadBenchmark {

    private NiftiReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: NiftiReadBenchmark FILE [REPS]");
            System.exit(2);
        }
        Path file = Paths.get(args[0]);
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        NiftiHeader h = NiftiIO.readHeader(file);
        long decoded = h.channels() * h.voxelsPerChannel() * h.datatype().bytesPerVoxel();
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();

        NiftiIO.read(file); // warm-up: class loading and JIT, not timed
        double[] ms = new double[reps];
        long[] peak = new long[reps];
        for (int r = 0; r < reps; r++) {
            System.gc();
            long before = heapUsed(pools);
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            long t0 = System.nanoTime();
            Image img = NiftiIO.read(file);
            long t1 = System.nanoTime();
            long peakUsed = 0;
            for (MemoryPoolMXBean p : pools) {
                if (p.getType() == MemoryType.HEAP) {
                    peakUsed += p.getPeakUsage().getUsed();
                }
            }
            ms[r] = (t1 - t0) / 1e6;
            peak[r] = peakUsed - before;
            if (img.channelCount() != h.channels()) {
                throw new IllegalStateException("unexpected channel count");
            }
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        long maxPeak = Arrays.stream(peak).max().orElse(0);
        System.out.println("file=" + file);
        System.out.println("shape=" + h.shape()[0] + "x" + h.shape()[1] + "x" + h.shape()[2] + "x" + h.channels()
                + " " + h.datatype());
        System.out.println("reps=" + reps);
        System.out.println(String.format(Locale.ROOT, "min_ms=%.1f", sorted[0]));
        System.out.println(String.format(Locale.ROOT, "median_ms=%.1f", median(sorted)));
        System.out.println(String.format(Locale.ROOT, "decoded_mib=%.1f", decoded / 1048576.0));
        System.out.println(String.format(Locale.ROOT, "peak_mib=%.1f", maxPeak / 1048576.0));
        System.out.println(String.format(Locale.ROOT, "peak_ratio=%.2f", maxPeak / (double) decoded));
        System.out.println("all_ms=" + Arrays.toString(Arrays.stream(ms).map(v -> Math.round(v * 10) / 10.0).toArray()));
    }

    private static long heapUsed(List<MemoryPoolMXBean> pools) {
        long used = 0;
        for (MemoryPoolMXBean p : pools) {
            if (p.getType() == MemoryType.HEAP) {
                used += p.getUsage().getUsed();
            }
        }
        return used;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
