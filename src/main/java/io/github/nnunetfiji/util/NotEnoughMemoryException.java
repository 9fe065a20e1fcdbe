package io.github.nnunetfiji.util;

import java.util.Locale;

/**
 * A stage refused to start because its estimated peak does not fit the memory Java may use
 * ({@link MemoryBudget}): nothing was written. Carries the figures, so that each surface can name
 * its own way of giving Java more memory (a JVM option on the command line, Fiji's Memory &amp;
 * Threads dialog) and of lowering the peak (fewer threads).
 */
public class NotEnoughMemoryException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final long neededBytes;
    private final long availableBytes;
    private final int fittingThreads;

    /**
     * @param what           the work, in words ("preprocessing 2 cases at once")
     * @param neededBytes    its estimated peak
     * @param availableBytes what Java may use
     * @param fittingThreads the most threads that fit, or 0 when even one does not
     */
    public NotEnoughMemoryException(String what, long neededBytes, long availableBytes, int fittingThreads) {
        super(String.format(Locale.ROOT, "%s needs about %s of memory, but Java may use %s: %s", what,
                MemoryBudget.format(neededBytes), MemoryBudget.format(availableBytes),
                fittingThreads > 0 ? "use at most " + fittingThreads + " thread(s), or give Java more memory"
                        : "give Java more memory"));
        this.neededBytes = neededBytes;
        this.availableBytes = availableBytes;
        this.fittingThreads = fittingThreads;
    }

    public long neededBytes() {
        return neededBytes;
    }

    public long availableBytes() {
        return availableBytes;
    }

    /** The most threads that fit, or 0 when even one does not. */
    public int fittingThreads() {
        return fittingThreads;
    }
}
