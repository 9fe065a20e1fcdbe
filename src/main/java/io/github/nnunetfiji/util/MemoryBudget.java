package io.github.nnunetfiji.util;

import java.util.Locale;

/**
 * Checks a stage's estimated peak memory against what Java may use, before the stage starts, so
 * that a run that cannot fit stops at once with the figures and the fix instead of hours later with
 * an {@link OutOfMemoryError}. Estimates count only the arrays a stage cannot do without (a lower
 * bound): a refusal is certain to be right; passing the check is no promise.
 */
public final class MemoryBudget {

    /** Bytes per voxel of a float array. */
    public static final long FLOAT = Float.BYTES;

    private MemoryBudget() {
    }

    /** What Java may use (-Xmx), in bytes. */
    public static long available() {
        return Runtime.getRuntime().maxMemory();
    }

    /**
     * Refuses work whose estimated peak does not fit.
     *
     * @param what           the work, in words
     * @param neededBytes    its estimated peak
     * @param availableBytes what Java may use
     * @param fittingThreads the most threads that fit (for the message), or 0
     * @throws NotEnoughMemoryException if it does not fit
     */
    public static void require(String what, long neededBytes, long availableBytes, int fittingThreads) {
        if (neededBytes > availableBytes) {
            throw new NotEnoughMemoryException(what, neededBytes, availableBytes, fittingThreads);
        }
    }

    /** "1.5 GB", "640 MB", "96 kB". */
    public static String format(long bytes) {
        double mb = bytes / (1024.0 * 1024);
        return mb >= 1024 ? String.format(Locale.ROOT, "%.1f GB", mb / 1024)
                : mb >= 1 ? String.format(Locale.ROOT, "%.0f MB", mb) : String.format(Locale.ROOT, "%.0f kB", bytes / 1024.0);
    }

    /** a * b, saturating at Long.MAX_VALUE (absurd shapes must not wrap around to a small number). */
    public static long times(long a, long b) {
        return Math.multiplyHigh(a, b) != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
    }

    /** a + b, saturating. */
    public static long plus(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
