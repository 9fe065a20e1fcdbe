package io.github.nnunetfiji.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.nnunetfiji.util.Percentiles;

class ChannelIntensityStatisticsTest {

    @Test
    void statisticsOfOneToHundredAsNumpyComputesThem() {
        float[] v = new float[110];
        for (int i = 0; i < 100; i++) {
            v[i] = i + 1;
        }
        // Shuffle: the statistics must not depend on the order.
        Random r = new Random(3);
        for (int i = 99; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        v[100] = 1e6f; // beyond count: ignored
        ChannelIntensityStatistics s = ChannelIntensityStatistics.ofSample(0, "CT", v, 100);
        assertEquals(100, s.sampleCount());
        assertEquals(50.5, s.mean(), 1e-12);
        assertEquals(50.5, s.median(), 1e-12);
        // Population std of 1..100: sqrt((100^2 - 1) / 12).
        assertEquals(Math.sqrt(9999.0 / 12), s.std(), 1e-9);
        assertEquals(1, s.min());
        assertEquals(100, s.max());
        // numpy.percentile(range(1, 101), 0.5) = 1.495, (..., 99.5) = 99.505
        assertEquals(1.495, s.percentile00_5(), 1e-9);
        assertEquals(99.505, s.percentile99_5(), 1e-9);
    }

    @Test
    void noForegroundGivesNaN() {
        ChannelIntensityStatistics s = ChannelIntensityStatistics.ofSample(1, "T2", new float[0], 0);
        assertEquals(0, s.sampleCount());
        assertTrue(Double.isNaN(s.mean()) && Double.isNaN(s.percentile99_5()));
    }

    @Test
    void percentilesInterpolateLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4], 50) = 2.5, (..., 10) = 1.3
        assertEquals(2.5, Percentiles.median(new double[] {4, 1, 3, 2}), 1e-12);
        assertEquals(1.3, Percentiles.of(new double[] {4, 1, 3, 2}, 10), 1e-12);
        assertTrue(Double.isNaN(Percentiles.median(new double[0])));
    }
}
