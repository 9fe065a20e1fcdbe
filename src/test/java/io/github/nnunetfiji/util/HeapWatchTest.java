package io.github.nnunetfiji.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.MemoryPoolMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The heap watch reads the tenured pool after collections: a fraction above what is in use is not
 * short, one below it is, and the JVM calls back after a collection that leaves the pool above the
 * fraction; closing the watch puts the pool's threshold back.
 */
class HeapWatchTest {

    @Test
    void shortIsTheTenuredPoolAboveTheFractionAfterACollection() {
        MemoryPoolMXBean pool = HeapWatch.tenuredPool();
        assertNotNull(pool, "this JVM's collector has a tenured pool");
        System.gc();
        assertFalse(HeapWatch.tenured(1.0).isShort(), HeapWatch.tenured(1.0).describe());
        assertTrue(HeapWatch.tenured(1e-9).isShort(), HeapWatch.tenured(1e-9).describe());
        assertTrue(HeapWatch.tenured(0.5).describe().contains("in use after the last collection"));
        assertThrows(IllegalArgumentException.class, () -> HeapWatch.tenured(0));
        assertThrows(IllegalArgumentException.class, () -> HeapWatch.tenured(1.5));
    }

    @Test
    void theJvmCallsBackAfterACollectionThatLeavesTheHeapShort() throws Exception {
        MemoryPoolMXBean pool = HeapWatch.tenuredPool();
        assumeTrue(pool != null && pool.getCollectionUsageThreshold() == 0, "no other threshold set");
        CountDownLatch called = new CountDownLatch(1);
        try (AutoCloseable watch = HeapWatch.tenured(1e-9).onShort(called::countDown)) {
            assertTrue(pool.getCollectionUsageThreshold() > 0, "the threshold is set");
            for (int i = 0; i < 5 && called.getCount() > 0; i++) {
                System.gc();
                called.await(2, TimeUnit.SECONDS);
            }
            assertEquals(0, called.getCount(), "called after a collection");
        }
        assertEquals(0, pool.getCollectionUsageThreshold(), "the threshold is put back");
    }
}
