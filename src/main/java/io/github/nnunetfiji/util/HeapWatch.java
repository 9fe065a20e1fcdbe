package io.github.nnunetfiji.util;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Locale;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * Whether the Java heap is short, read from its tenured pool (the objects that survive collections:
 * the images a Fiji user holds), and a call when it becomes short. "Short" means that after the
 * last collection of that pool more than {@link #fraction()} of it was still in use; a heap full of
 * garbage is not short. Where no pool reports its use after collections (an unusual collector) the
 * heap as a whole counts, after the same fraction.
 *
 * <p>{@link #onShort(Runnable)} asks the JVM (the pool's collection usage threshold, and a
 * {@link MemoryNotificationInfo#MEMORY_COLLECTION_THRESHOLD_EXCEEDED} notification) to say when a
 * collection leaves the pool above the fraction. The threshold is the JVM's, one per pool: it is set
 * only where no one else set one, and put back when the last watch that set it is closed.
 */
public final class HeapWatch {

    /** Short above this share of the tenured pool in use after a collection. */
    public static final double DEFAULT_FRACTION = 0.85;

    private static final Object THRESHOLD_LOCK = new Object();
    /** Watches whose threshold is in place (set by one of them). */
    private static int thresholdUsers;
    private static long thresholdSet;

    private final MemoryPoolMXBean pool;
    private final double fraction;

    private HeapWatch(MemoryPoolMXBean pool, double fraction) {
        this.pool = pool;
        this.fraction = fraction;
    }

    /** The watch of this JVM's tenured heap pool at {@code fraction} (0 to 1). */
    public static HeapWatch tenured(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must lie in (0, 1]: " + fraction);
        }
        return new HeapWatch(tenuredPool(), fraction);
    }

    /** The heap pool whose use after a collection can be watched (G1 Old Gen, Tenured Gen, ...), or null. */
    static MemoryPoolMXBean tenuredPool() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.isValid() && p.isCollectionUsageThresholdSupported()
                    && p.isUsageThresholdSupported()) {
                return p; // young pools support neither a usage threshold; survivor pools neither
            }
        }
        return null;
    }

    public double fraction() {
        return fraction;
    }

    /** True if the heap is short now (see the class comment). */
    public boolean isShort() {
        if (pool != null) {
            MemoryUsage after = pool.getCollectionUsage();
            long max = maxOf(pool);
            if (after != null && max > 0) {
                return after.getUsed() > fraction * max;
            }
        }
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        return used > fraction * rt.maxMemory();
    }

    /** The figures behind {@link #isShort()}, for a note: "tenured heap 1.2 GB of 3.0 GB in use after the last collection". */
    public String describe() {
        if (pool != null && pool.getCollectionUsage() != null && maxOf(pool) > 0) {
            return String.format(Locale.ROOT, "%s %s of %s in use after the last collection", pool.getName(),
                    MemoryBudget.format(pool.getCollectionUsage().getUsed()), MemoryBudget.format(maxOf(pool)));
        }
        Runtime rt = Runtime.getRuntime();
        return "Java heap " + MemoryBudget.format(rt.totalMemory() - rt.freeMemory()) + " of "
                + MemoryBudget.format(rt.maxMemory()) + " in use";
    }

    private static long maxOf(MemoryPoolMXBean p) {
        long max = p.getUsage().getMax();
        return max > 0 ? max : Runtime.getRuntime().maxMemory();
    }

    /**
     * Calls {@code action} (on the JVM's notification thread) each time a collection leaves the
     * tenured pool above the fraction. Closing stops the calls. Without a pool that can be watched,
     * nothing is called (the caller still asks {@link #isShort()} before it needs memory).
     */
    public AutoCloseable onShort(Runnable action) {
        if (pool == null || !(ManagementFactory.getMemoryMXBean() instanceof NotificationEmitter emitter)) {
            return () -> { };
        }
        String name = pool.getName();
        NotificationListener listener = (Notification n, Object handback) -> {
            if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType())
                    && n.getUserData() instanceof javax.management.openmbean.CompositeData data
                    && name.equals(MemoryNotificationInfo.from(data).getPoolName()) && isShort()) {
                action.run(); // isShort(): another program's threshold may lie below ours
            }
        };
        boolean ours = useThreshold();
        emitter.addNotificationListener(listener, null, null);
        return () -> {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
            if (ours) {
                releaseThreshold();
            }
        };
    }

    /** Sets the pool's collection usage threshold unless someone else did; true if it is ours. */
    private boolean useThreshold() {
        synchronized (THRESHOLD_LOCK) {
            long wanted = Math.max(1, (long) (fraction * maxOf(pool)));
            long current = pool.getCollectionUsageThreshold();
            if (thresholdUsers > 0 && current == thresholdSet) {
                thresholdUsers++;
                return true;
            }
            if (current != 0) {
                return false; // another program's threshold: listen to it, leave it
            }
            pool.setCollectionUsageThreshold(wanted);
            thresholdSet = wanted;
            thresholdUsers = 1;
            return true;
        }
    }

    private void releaseThreshold() {
        synchronized (THRESHOLD_LOCK) {
            if (thresholdUsers > 0 && --thresholdUsers == 0 && pool.getCollectionUsageThreshold() == thresholdSet) {
                pool.setCollectionUsageThreshold(0);
            }
        }
    }
}
