package io.github.nnunetfiji.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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
        // The reference draws 10^8 values from these 100, a million copies of each: its 0.5
        // percentile lies inside the block of 1s and its 99.5 percentile inside the block of 100s
        // (numpy on the 100 values alone would say 1.495 and 99.505).
        assertEquals(1, s.percentile00_5(), 1e-9);
        assertEquals(100, s.percentile99_5(), 1e-9);
        assertEquals(s.mean(), s.pooledMean(), 1e-12);
        assertEquals(s.std(), s.pooledStd(), 1e-12);
    }

    @Test
    void noForegroundIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelIntensityStatistics.ofSample(1, "T2", new float[0], 0));
        assertTrue(e.getMessage().contains("no foreground"), e.getMessage());
    }

    private static CaseIntensities caseOf(float... v) {
        int[] all = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            all[i] = i;
        }
        return CaseIntensities.of(v, all, all);
    }

    @Test
    void casesWeighEquallyWhateverTheirForegroundSize() {
        float[] big = new float[1000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (i % 10) - 4.5f; // mean 0, population variance 8.25
        }
        ChannelIntensityStatistics s = ChannelIntensityStatistics.ofCases(0, "CT",
                List.of(caseOf(big), caseOf(10, 10, 10, 10), caseOf()));
        assertEquals(2, s.casesWithForeground());
        assertEquals(1004, s.foregroundVoxels());
        assertEquals(5, s.mean(), 1e-12); // (0 + 10) / 2, not 40 / 1004
        // Half the weight at 10, half spread over -4.5..4.5: variance (8.25 + 0) / 2 + 25.
        assertEquals(Math.sqrt(8.25 / 2 + 25), s.std(), 1e-12);
        assertEquals(40.0 / 1004, s.pooledMean(), 1e-12);
        assertEquals(-4.5, s.min());
        assertEquals(10, s.max());
        // Half the weight sits on the four 10s, so everything from the 50th percentile up is 10.
        assertEquals(10, s.percentile99_5(), 1e-12);
        assertEquals(-4.5, s.percentile00_5(), 1e-12);
    }

    @Test
    void weightedPercentilesAreNumpysOnTheRepeatedValues() {
        // Integer frequency weights: s = 12 draws per case, samples of 2, 3, 4 and 12 values weigh
        // 6, 4, 3 and 1 each; numpy's percentile of the values repeated that often is the answer.
        Random r = new Random(11);
        List<CaseIntensities> cases = new ArrayList<>();
        List<Double> repeated = new ArrayList<>();
        for (int m : new int[] {2, 3, 4, 12}) {
            float[] v = new float[m];
            for (int i = 0; i < m; i++) {
                v[i] = (float) Math.round(r.nextGaussian() * 20) / 4f; // ties between cases too
                for (int k = 0; k < 12 / m; k++) {
                    repeated.add((double) v[i]);
                }
            }
            cases.add(caseOf(v));
        }
        double[] rep = repeated.stream().mapToDouble(Double::doubleValue).toArray();
        double[] ps = {0, 0.5, 3, 10, 25, 33.3, 50, 61, 75, 90, 99.5, 100};
        double[] got = ChannelIntensityStatistics.weightedPercentiles(cases, ps, 12);
        for (int i = 0; i < ps.length; i++) {
            assertEquals(Percentiles.of(rep, ps[i]), got[i], 1e-9, "percentile " + ps[i]);
        }
    }

    @Test
    void percentilesInterpolateLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4], 50) = 2.5, (..., 10) = 1.3
        assertEquals(2.5, Percentiles.median(new double[] {4, 1, 3, 2}), 1e-12);
        assertEquals(1.3, Percentiles.of(new double[] {4, 1, 3, 2}, 10), 1e-12);
        assertTrue(Double.isNaN(Percentiles.median(new double[0])));
    }
}
